/* extcap-protocol.h
 * What every vpcshark extcap does the same way: the options Wireshark
 * passes (doc/extcap.adoc), and the answer to each of its questions
 * (interfaces, link types, options, capture). A program lists its own
 * options after EXTCAP_STANDARD_OPTIONS and hands the rest to
 * extcap_run().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_EXTCAP_PROTOCOL_H
#define VPCSHARK_EXTCAP_PROTOCOL_H

#include <getopt.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    EXTCAP_OPT_INTERFACES = 1000,
    EXTCAP_OPT_VERSION,
    EXTCAP_OPT_INTERFACE,
    EXTCAP_OPT_DLTS,
    EXTCAP_OPT_CONFIG,
    EXTCAP_OPT_CAPTURE,
    EXTCAP_OPT_FIFO,
    EXTCAP_OPT_CAPTURE_FILTER,
    EXTCAP_OPT_CONTROL_IN,
    EXTCAP_OPT_CONTROL_OUT,
    EXTCAP_OPT_DEBUG,
    EXTCAP_OPT_DEBUG_FILE,
    EXTCAP_OPT_LOG_LEVEL,
    EXTCAP_OPT_LOG_FILE,
    EXTCAP_OPT_HELP,
    EXTCAP_OPT_OWN          /* a program's own options are numbered from here */
};

#define EXTCAP_STANDARD_OPTIONS \
    { "extcap-interfaces", no_argument, NULL, EXTCAP_OPT_INTERFACES }, \
    { "extcap-version", optional_argument, NULL, EXTCAP_OPT_VERSION }, \
    { "extcap-interface", required_argument, NULL, EXTCAP_OPT_INTERFACE }, \
    { "extcap-dlts", no_argument, NULL, EXTCAP_OPT_DLTS }, \
    { "extcap-config", no_argument, NULL, EXTCAP_OPT_CONFIG }, \
    { "capture", no_argument, NULL, EXTCAP_OPT_CAPTURE }, \
    { "fifo", required_argument, NULL, EXTCAP_OPT_FIFO }, \
    { "extcap-capture-filter", required_argument, NULL, EXTCAP_OPT_CAPTURE_FILTER }, \
    { "extcap-control-in", required_argument, NULL, EXTCAP_OPT_CONTROL_IN }, \
    { "extcap-control-out", required_argument, NULL, EXTCAP_OPT_CONTROL_OUT }, \
    { "debug", no_argument, NULL, EXTCAP_OPT_DEBUG }, \
    { "debug-file", required_argument, NULL, EXTCAP_OPT_DEBUG_FILE }, \
    { "log-level", required_argument, NULL, EXTCAP_OPT_LOG_LEVEL }, \
    { "log-file", required_argument, NULL, EXTCAP_OPT_LOG_FILE }, \
    { "help", no_argument, NULL, EXTCAP_OPT_HELP }

/* What Wireshark asked for. */
typedef struct {
    bool list_interfaces, list_dlts, list_config, capture, help;
    const char *interface, *fifo, *capture_filter;
} extcap_request_t;

/* Take a standard option into request; false if opt is none of them. */
bool extcap_request_option(extcap_request_t *request, int opt, const char *arg);

/* A decimal number in [low, high] and nothing else. */
bool extcap_parse_unsigned(const char *text, unsigned long low, unsigned long high, unsigned long *out);

/* A program: its one interface and its answers. */
typedef struct {
    const char *name;           /* the program's name, for messages */
    const char *interface;
    void (*print_interfaces)(void);
    void (*print_dlts)(void);
    void (*print_config)(void);
    void (*print_help)(void);
    int (*capture)(const extcap_request_t *request, void *options);
} extcap_program_t;

/* Answer request; the exit status. options goes to capture. */
int extcap_run(const extcap_program_t *program, const extcap_request_t *request, void *options);

#ifdef __cplusplus
}
#endif

#endif
