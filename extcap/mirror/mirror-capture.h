/* mirror-capture.h
 * The capture itself: datagrams from the socket, as frames into a pcapng
 * stream, until Wireshark stops us or the stream's reader goes away.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_MIRROR_CAPTURE_H
#define VPCSHARK_MIRROR_CAPTURE_H

#include <stdint.h>

#include "vni-filter.h"

typedef struct {
    const char *interface_name; /* if_name of the pcapng interface */
    const char *bind_address;
    uint16_t port;
    int buffer_bytes;          /* 0: the system's default */
    const vni_filter_t *vnis;  /* datagrams to keep */
    const char *output;        /* the fifo Wireshark reads (or a file) */
} mirror_capture_options_t;

/* Returns the process exit status: 0 when stopped (signal, reader gone),
 * 1 on an error, reported on stderr (Wireshark shows it). */
int mirror_capture_run(const mirror_capture_options_t *options);

#endif
