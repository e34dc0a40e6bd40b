/* vpcshark-mirror.c
 * vpcshark-mirror: an extcap that receives AWS Traffic Mirroring (VXLAN
 * over UDP) on an ordinary UDP socket, with no capture privileges, and
 * hands Wireshark each datagram as the IP packet that carried it.
 *
 * The extcap protocol (Wireshark's doc/extcap.adoc): Wireshark asks for
 * the interfaces, the link types and the options of an interface, then
 * runs "--capture --fifo PATH" and stops it with SIGTERM (or closes the
 * fifo). Unknown Wireshark options are refused, not ignored.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

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
    OPT_INTERFACES = 1000,
    OPT_VERSION,
    OPT_INTERFACE,
    OPT_DLTS,
    OPT_CONFIG,
    OPT_CAPTURE,
    OPT_FIFO,
    OPT_CAPTURE_FILTER,
    OPT_CONTROL_IN,
    OPT_CONTROL_OUT,
    OPT_DEBUG,
    OPT_DEBUG_FILE,
    OPT_LOG_LEVEL,
    OPT_LOG_FILE,
    OPT_BIND,
    OPT_PORT,
    OPT_BUFFER,
    OPT_VNI,
    OPT_HELP,
};

static const struct option long_options[] = {
    { "extcap-interfaces", no_argument, NULL, OPT_INTERFACES },
    { "extcap-version", optional_argument, NULL, OPT_VERSION },
    { "extcap-interface", required_argument, NULL, OPT_INTERFACE },
    { "extcap-dlts", no_argument, NULL, OPT_DLTS },
    { "extcap-config", no_argument, NULL, OPT_CONFIG },
    { "capture", no_argument, NULL, OPT_CAPTURE },
    { "fifo", required_argument, NULL, OPT_FIFO },
    { "extcap-capture-filter", required_argument, NULL, OPT_CAPTURE_FILTER },
    { "extcap-control-in", required_argument, NULL, OPT_CONTROL_IN },
    { "extcap-control-out", required_argument, NULL, OPT_CONTROL_OUT },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "debug-file", required_argument, NULL, OPT_DEBUG_FILE },
    { "log-level", required_argument, NULL, OPT_LOG_LEVEL },
    { "log-file", required_argument, NULL, OPT_LOG_FILE },
    { "bind", required_argument, NULL, OPT_BIND },
    { "port", required_argument, NULL, OPT_PORT },
    { "buffer-size", required_argument, NULL, OPT_BUFFER },
    { "vni", required_argument, NULL, OPT_VNI },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

typedef struct {
    bool list_interfaces, list_dlts, list_config, capture, help;
    const char *interface, *fifo, *capture_filter, *bind, *vni_text;
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
parse_number(const char *text, unsigned long low, unsigned long high, unsigned long *out)
{
    char *end;

    if (text[0] < '0' || text[0] > '9') {
        return false;
    }
    unsigned long value = strtoul(text, &end, 10);
    if (*end != '\0' || value < low || value > high) {
        return false;
    }
    *out = value;
    return true;
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
        switch (opt) {
        case OPT_INTERFACES: args->list_interfaces = true; break;
        case OPT_DLTS: args->list_dlts = true; break;
        case OPT_CONFIG: args->list_config = true; break;
        case OPT_CAPTURE: args->capture = true; break;
        case OPT_HELP: args->help = true; break;
        case OPT_INTERFACE: args->interface = optarg; break;
        case OPT_FIFO: args->fifo = optarg; break;
        case OPT_CAPTURE_FILTER: args->capture_filter = optarg; break;
        case OPT_BIND: args->bind = optarg; break;
        case OPT_VNI: args->vni_text = optarg; break;
        case OPT_PORT:
            /* 0 (the kernel picks) only from the command line: tests. */
            if (!parse_number(optarg, 0, 65535, &args->port)) {
                fprintf(stderr, "vpcshark-mirror: --port: \"%s\" is not a port number\n", optarg);
                return false;
            }
            break;
        case OPT_BUFFER:
            if (!parse_number(optarg, 0, MAX_BUFFER_KIB, &args->buffer_kib)) {
                fprintf(stderr, "vpcshark-mirror: --buffer-size: \"%s\" is not a size in KiB up to %d\n", optarg,
                        MAX_BUFFER_KIB);
                return false;
            }
            break;
        /* Accepted and unused: no version check is needed, there are no
         * controls, and nothing is logged. */
        case OPT_VERSION:
        case OPT_CONTROL_IN:
        case OPT_CONTROL_OUT:
        case OPT_DEBUG:
        case OPT_DEBUG_FILE:
        case OPT_LOG_LEVEL:
        case OPT_LOG_FILE:
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
capture(const arguments_t *args)
{
    static vni_filter_t vnis;
    char *err = NULL;

    if (args->fifo == NULL) {
        fprintf(stderr, "vpcshark-mirror: --capture needs --fifo\n");
        return 1;
    }
    if (args->capture_filter != NULL && args->capture_filter[0] != '\0') {
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
        .output = args->fifo,
    };
    return mirror_capture_run(&options);
}

int
main(int argc, char **argv)
{
    arguments_t args;

    if (!parse_arguments(argc, argv, &args)) {
        return 1;
    }
    if (args.help) {
        print_help();
        return 0;
    }
    if (args.list_interfaces) {
        print_interfaces();
        return 0;
    }
    if (args.interface == NULL || strcmp(args.interface, INTERFACE) != 0) {
        fprintf(stderr, "vpcshark-mirror: no such interface \"%s\" (it has one: %s)\n",
                args.interface ? args.interface : "", INTERFACE);
        return 1;
    }
    if (args.list_dlts) {
        print_dlts();
        return 0;
    }
    if (args.list_config) {
        print_config();
        return 0;
    }
    if (args.capture) {
        return capture(&args);
    }
    print_help();
    return 1;
}
