/* extcap-protocol.c
 * The extcap protocol's common part (extcap-protocol.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "extcap-protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
extcap_request_option(extcap_request_t *r, int opt, const char *arg)
{
    switch (opt) {
    case EXTCAP_OPT_INTERFACES: r->list_interfaces = true; break;
    case EXTCAP_OPT_DLTS: r->list_dlts = true; break;
    case EXTCAP_OPT_CONFIG: r->list_config = true; break;
    case EXTCAP_OPT_CAPTURE: r->capture = true; break;
    case EXTCAP_OPT_HELP: r->help = true; break;
    case EXTCAP_OPT_INTERFACE: r->interface = arg; break;
    case EXTCAP_OPT_FIFO: r->fifo = arg; break;
    case EXTCAP_OPT_CAPTURE_FILTER: r->capture_filter = arg; break;
    /* Accepted and unused: no version check is needed, there are no
     * controls, and nothing is logged. */
    case EXTCAP_OPT_VERSION:
    case EXTCAP_OPT_CONTROL_IN:
    case EXTCAP_OPT_CONTROL_OUT:
    case EXTCAP_OPT_DEBUG:
    case EXTCAP_OPT_DEBUG_FILE:
    case EXTCAP_OPT_LOG_LEVEL:
    case EXTCAP_OPT_LOG_FILE:
        break;
    default:
        return false;
    }
    return true;
}

bool
extcap_parse_unsigned(const char *text, unsigned long low, unsigned long high, unsigned long *out)
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

int
extcap_run(const extcap_program_t *p, const extcap_request_t *r, void *options)
{
    if (r->help) {
        p->print_help();
        return 0;
    }
    if (r->list_interfaces) {
        p->print_interfaces();
        return 0;
    }
    if (r->interface == NULL || strcmp(r->interface, p->interface) != 0) {
        fprintf(stderr, "%s: no such interface \"%s\" (it has one: %s)\n", p->name,
                r->interface ? r->interface : "", p->interface);
        return 1;
    }
    if (r->list_dlts) {
        p->print_dlts();
        return 0;
    }
    if (r->list_config) {
        p->print_config();
        return 0;
    }
    if (r->capture) {
        if (r->fifo == NULL) {
            fprintf(stderr, "%s: --capture needs --fifo\n", p->name);
            return 1;
        }
        return p->capture(r, options);
    }
    p->print_help();
    return 1;
}
