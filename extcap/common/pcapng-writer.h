/* pcapng-writer.h
 * The few pcapng blocks an extcap writes: a section header, interface
 * descriptions, enhanced packet blocks and interface statistics. Blocks
 * are written in host byte order (the section header's magic tells the
 * reader which one) through a stdio stream the caller owns and flushes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_PCAPNG_WRITER_H
#define VPCSHARK_PCAPNG_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Link types (LINKTYPE_* of the pcapng specification). */
#define PCAPNG_LINKTYPE_RAW 101 /* IPv4 or IPv6, told by the version nibble */
#define PCAPNG_LINKTYPE_WIRESHARK_UPPER_PDU 252 /* Exported PDU: the payload names its dissector */

/* A statistic that was not measured is left out of the block. */
#define PCAPNG_STAT_UNKNOWN UINT64_MAX

typedef struct {
    uint64_t start_ns;     /* isb_starttime: when counting began (ns since the epoch) */
    uint64_t end_ns;       /* isb_endtime and the block time: when these counts were taken (required) */
    uint64_t received;     /* isb_ifrecv */
    uint64_t dropped;      /* isb_ifdrop: lost before we could read them */
    uint64_t accepted;     /* isb_filteraccept: kept by the capture's own filter */
    uint64_t delivered;    /* isb_usrdeliv: written to this file */
} pcapng_stats_t;

/* Section header; application: shb_userappl (may be NULL). */
bool pcapng_write_section(FILE *out, const char *application);

/* Interface description with nanosecond timestamps; name and description
 * may be NULL. Interfaces are numbered from 0 in the order written. */
bool pcapng_write_interface(FILE *out, uint16_t linktype, uint32_t snaplen, const char *name,
                            const char *description);

/* An enhanced packet block whose data is head followed by body (either may
 * be empty): the caller rebuilds headers without copying the payload.
 * original_len: the packet's length on the wire (>= head_len + body_len). */
bool pcapng_write_packet(FILE *out, uint32_t interface_id, uint64_t ts_ns, const void *head, size_t head_len,
                         const void *body, size_t body_len, uint32_t original_len);

/* An interface statistics block; the last one of an interface wins. */
bool pcapng_write_stats(FILE *out, uint32_t interface_id, const pcapng_stats_t *stats);

/* The largest packet pcapng_write_packet takes (head_len + body_len). */
#define PCAPNG_MAX_PACKET (256u * 1024u)

#ifdef __cplusplus
}
#endif

#endif
