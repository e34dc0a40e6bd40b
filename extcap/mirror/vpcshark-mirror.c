/* vpcshark-mirror.c
 * vpcshark-mirror: an extcap that receives AWS Traffic Mirroring (VXLAN
 * over UDP) on an ordinary UDP socket, with no capture privileges, and
 * hands Wireshark each datagram as the IP packet that carried it.
 *
 * The extcap protocol (Wireshark's doc/extcap.adoc): Wireshark asks for
 * the interfaces, the link types and the options of an interface, then
 * runs "--capture --fifo PATH" and stops it with SIGTERM (or closes the
 * fifo); extcap/common/extcap-protocol.h answers what every extcap
 * answers alike. Unknown options are refused, not ignored.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "extcap-protocol.h"
#include "mirror-capture.h"
#include "pcapng-writer.h"
#include "vni-filter.h"

#define INTERFACE "vpcshark-mirror"
#define DEFAULT_BIND "0.0.0.0"
#define DEFAULT_PORT 4789
/* Asked for by default; Linux grants at most net.core.rmem_max. */
#define DEFAULT_BUFFER_KIB 4096
#define MAX_BUFFER_KIB (1024 * 1024)

enum {
    OPT_BIND = EXTCAP_OPT_OWN,
    OPT_PORT,
    OPT_BUFFER,
    OPT_VNI,
};

static const struct option long_options[] = {
    EXTCAP_STANDARD_OPTIONS,
    { "bind", required_argument, NULL, OPT_BIND },
    { "port", required_argument, NULL, OPT_PORT },
    { "buffer-size", required_argument, NULL, OPT_BUFFER },
    { "vni", required_argument, NULL, OPT_VNI },
    { NULL, 0, NULL, 0 },
};

typedef struct {
    extcap_request_t request;
    const char *bind, *vni_text;
    unsigned long port, buffer_kib;
} arguments_t;

static void
print_interfaces(void)
{
    printf("extcap {version=%s}{display=vpcshark Traffic Mirror receiver}\n", VPCSHARK_VERSION);
    printf("interface {value=%s}{display=AWS Traffic Mirror receiver (VXLAN over UDP, no capture privileges)}\n",
           INTERFACE);
}

static void
print_dlts(void)
{
    printf("dlt {number=%u}{name=RAW}{display=Raw IP: each datagram with its outer IP and UDP headers}\n",
           PCAPNG_LINKTYPE_RAW);
}

static void
print_config(void)
{
    printf("arg {number=0}{call=--bind}{display=Listen address}{type=string}{default=%s}"
           "{tooltip=Local IPv4 or IPv6 address to receive on (0.0.0.0: every IPv4 address; ::: IPv4 and IPv6)}"
           "{group=Socket}\n",
           DEFAULT_BIND);
    printf("arg {number=1}{call=--port}{display=UDP port}{type=unsigned}{default=%d}{range=1,65535}"
           "{tooltip=VXLAN port; AWS Traffic Mirroring always sends to 4789}{group=Socket}\n",
           DEFAULT_PORT);
    printf("arg {number=2}{call=--buffer-size}{display=Receive buffer (KiB)}{type=unsigned}{default=%d}"
           "{range=0,%d}{tooltip=Socket receive buffer; a larger one rides out bursts. Linux caps it at "
           "net.core.rmem_max (0: the system default)}{group=Socket}\n",
           DEFAULT_BUFFER_KIB, MAX_BUFFER_KIB);
    printf("arg {number=3}{call=--vni}{display=Keep only VNIs}{type=string}"
           "{tooltip=Mirror sessions to keep, by VNI, separated by commas (empty: every datagram)}"
           "{validation=^[0-9, ]*$}{group=Capture}\n");
}

static void
print_help(void)
{
    printf("vpcshark-mirror %s: receive AWS Traffic Mirroring (VXLAN over UDP) as a Wireshark extcap.\n\n"
           "  --extcap-interfaces | --extcap-dlts | --extcap-config  (with --extcap-interface=%s)\n"
           "  --capture --extcap-interface=%s --fifo=FILE [options]\n\n"
           "  --bind=ADDRESS     local address (default %s; \"::\" for IPv4 and IPv6)\n"
           "  --port=PORT        UDP port (default %d)\n"
           "  --buffer-size=KIB  socket receive buffer in KiB (default %d; 0: the system's)\n"
           "  --vni=LIST         keep only these VNIs, e.g. 12345,23456\n",
           VPCSHARK_VERSION, INTERFACE, INTERFACE, DEFAULT_BIND, DEFAULT_PORT, DEFAULT_BUFFER_KIB);
}

static bool
parse_arguments(int argc, char **argv, arguments_t *args)
{
    int opt;

    memset(args, 0, sizeof *args);
    args->bind = DEFAULT_BIND;
    args->port = DEFAULT_PORT;
    args->buffer_kib = DEFAULT_BUFFER_KIB;
    while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (extcap_request_option(&args->request, opt, optarg)) {
            continue;
        }
        switch (opt) {
        case OPT_BIND: args->bind = optarg; break;
        case OPT_VNI: args->vni_text = optarg; break;
        case OPT_PORT:
            /* 0 (the kernel picks) only from the command line: tests. */
            if (!extcap_parse_unsigned(optarg, 0, 65535, &args->port)) {
                fprintf(stderr, "vpcshark-mirror: --port: \"%s\" is not a port number\n", optarg);
                return false;
            }
            break;
        case OPT_BUFFER:
            if (!extcap_parse_unsigned(optarg, 0, MAX_BUFFER_KIB, &args->buffer_kib)) {
                fprintf(stderr, "vpcshark-mirror: --buffer-size: \"%s\" is not a size in KiB up to %d\n", optarg,
                        MAX_BUFFER_KIB);
                return false;
            }
            break;
        default:
            return false;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "vpcshark-mirror: unexpected argument \"%s\"\n", argv[optind]);
        return false;
    }
    return true;
}

static int
capture(const extcap_request_t *request, void *arguments)
{
    const arguments_t *args = arguments;
    static vni_filter_t vnis;
    char *err = NULL;

    if (request->capture_filter != NULL && request->capture_filter[0] != '\0') {
        fprintf(stderr, "vpcshark-mirror: capture filters are not supported; keep sessions with the VNI option "
                        "(--vni) and use display filters\n");
        return 1;
    }
    if (!vni_filter_parse(args->vni_text, &vnis, &err)) {
        fprintf(stderr, "vpcshark-mirror: --vni: %s\n", err);
        g_free(err);
        return 1;
    }
    mirror_capture_options_t options = {
        .interface_name = INTERFACE,
        .bind_address = args->bind,
        .port = (uint16_t)args->port,
        .buffer_bytes = (int)(args->buffer_kib * 1024),
        .vnis = &vnis,
        .output = request->fifo,
    };
    return mirror_capture_run(&options);
}

static const extcap_program_t program = {
    .name = "vpcshark-mirror",
    .interface = INTERFACE,
    .print_interfaces = print_interfaces,
    .print_dlts = print_dlts,
    .print_config = print_config,
    .print_help = print_help,
    .capture = capture,
};

int
main(int argc, char **argv)
{
    arguments_t args;

    if (!parse_arguments(argc, argv, &args)) {
        return 1;
    }
    return extcap_run(&program, &args.request, &args);
}
