/* correlate.h
 * Flow log records and mirrored packets of one capture, joined: which
 * packets each record covers, by the rules of docs/correlation.md
 * (interface, one direction, transport and ports, time window with
 * AWS's lag, the dealing rule for competing records, IP bytes,
 * duplicates). Pure C, no libwireshark.
 *
 * Records and packets are added in any order (a merged file interleaves
 * them by time); correlate_resolve() matches them all at once, in
 * O((R + P) log R). Adding after a resolve is allowed: the next resolve
 * starts over.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_CORRELATE_H
#define VPCSHARK_CORRELATE_H

#include <glib.h>

#include "mirror-inner.h"

#ifdef __cplusplus
extern "C" {
#endif

/* AWS: start and end "might be up to 60 seconds after" the packet.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html */
#define CORRELATE_DEFAULT_LAG_S 60

typedef struct correlate correlate_t;

/* A flow record as the join needs it. Strings are copied. */
typedef struct {
    guint32 frame;            /* > 0 */
    const char *interface_id; /* where the record was logged; NULL: takes no part */
    mirror_addr_t src;        /* srcaddr/dstaddr (MIRROR_ADDR_NONE: "-") */
    mirror_addr_t dst;
    gboolean has_protocol;
    guint8 protocol;
    gboolean has_ports;       /* both ports present (needed only for protocols with ports) */
    guint16 src_port;
    guint16 dst_port;
    gboolean has_times;       /* start and end present */
    gint64 start;             /* Unix seconds */
    gint64 end;
    gboolean has_packets;
    guint64 packets;
    guint64 bytes;
    gboolean status_ok;       /* log-status OK (or absent from the format and the record has traffic) */
    gboolean reject;          /* action REJECT */
} correlate_record_t;

/* A mirrored (or directly captured) packet. */
typedef struct {
    guint32 frame;            /* > 0 */
    gint64 ts_ns;             /* frame time, ns since the epoch */
    const char *interface_id; /* the session's source ENI; NULL: unknown (fallback) */
    const mirror_inner_t *inner; /* what mirror_inner_parse[_ip] read */
    guint32 duplicate_of;     /* frame of the first copy (mirror-dedup), 0 if none */
} correlate_packet_t;

typedef enum {
    CORRELATE_RECORD_NO_PART = 0, /* "-" in a matched field, not OK, malformed */
    CORRELATE_RECORD_FULLY_SEEN,
    CORRELATE_RECORD_PARTLY_SEEN,
    CORRELATE_RECORD_NOT_SEEN,
    CORRELATE_RECORD_MORE_THAN_LOGGED
} correlate_record_verdict_t;

typedef struct {
    correlate_record_verdict_t verdict;
    gboolean reject_mirrored;  /* a REJECT record with mirrored packets */
    guint64 logged_packets;
    guint64 logged_bytes;
    guint64 packets;           /* mirrored packets counted (duplicates of a counted packet not) */
    guint64 bytes;             /* their original IP lengths */
    guint32 first_frame;       /* 0 when none */
    guint32 last_frame;
} correlate_record_result_t;

typedef enum {
    CORRELATE_PACKET_NO_PART = 0, /* not IP, too short, no ports where needed */
    CORRELATE_PACKET_MATCHED,
    CORRELATE_PACKET_DUPLICATE,   /* linked to the record its first copy counts in, not counted */
    CORRELATE_PACKET_OUTSIDE      /* no record holds it */
} correlate_packet_status_t;

typedef struct {
    correlate_packet_status_t status;
    gboolean without_interface; /* matched by addresses and ports alone */
    guint32 record_frame;       /* MATCHED/DUPLICATE: the record's frame */
    gboolean record_reject;
    guint32 ip_len;             /* original IP length (headers included) */
} correlate_packet_result_t;

typedef struct {
    guint records;              /* taking part */
    guint fully_seen;
    guint partly_seen;
    guint not_seen;
    guint more_than_logged;
    guint reject_mirrored;
    guint packets;              /* taking part */
    guint matched;
    guint duplicates;
    guint outside;
} correlate_totals_t;

/* lag_s: how long after a packet AWS may stamp start/end (seconds, >= 0). */
correlate_t *correlate_new(guint lag_s);
void correlate_free(correlate_t *c);

/* Return FALSE when the record or packet takes no part (it is kept all
 * the same, so that its result says so). */
gboolean correlate_add_record(correlate_t *c, const correlate_record_t *record);
gboolean correlate_add_packet(correlate_t *c, const correlate_packet_t *packet);

/* Matches everything added so far (again from scratch when called twice). */
void correlate_resolve(correlate_t *c);
gboolean correlate_resolved(const correlate_t *c);

/* Results by frame number, after a resolve; FALSE when the frame was not
 * added as a record (packet). */
gboolean correlate_record_result(const correlate_t *c, guint32 frame, correlate_record_result_t *out);
gboolean correlate_packet_result(const correlate_t *c, guint32 frame, correlate_packet_result_t *out);

/* Records in frame order (after a resolve). */
guint correlate_record_count(const correlate_t *c);
guint32 correlate_record_frame(const correlate_t *c, guint index);
void correlate_totals(const correlate_t *c, correlate_totals_t *out);

const char *correlate_record_verdict_name(correlate_record_verdict_t verdict);

#ifdef __cplusplus
}
#endif

#endif /* VPCSHARK_CORRELATE_H */
