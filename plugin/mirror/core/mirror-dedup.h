/* mirror-dedup.h
 * Recognising the second copy of a packet that two mirror sessions (or a
 * mirror session and a direct capture) both delivered. Keeps only the
 * packets of the last window: memory depends on the window and the
 * packet rate, never on the length of the capture, and a hard cap on the
 * number of packets remembered bounds it even at absurd rates.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_MIRROR_DEDUP_H
#define VPCSHARK_MIRROR_DEDUP_H

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mirror_dedup mirror_dedup_t;

/* window_ns: how far apart (either way) two copies may be; max_entries:
 * packets remembered at most (the oldest are forgotten first). */
mirror_dedup_t *mirror_dedup_new(gint64 window_ns, guint max_entries);
void mirror_dedup_free(mirror_dedup_t *dd);

/* Looks a packet up and remembers it. fingerprint: mirror_inner_t's;
 * source: who delivered this copy (a mirror session and source address,
 * or the direct capture); ts_ns: its time; frame: its frame number (> 0).
 *
 * Returns the frame number of the first copy when an earlier packet with
 * the same fingerprint came from another source within the window: this
 * one is a duplicate. Otherwise returns 0 and this packet becomes the one
 * later copies are compared with (a repeat from the same source, such as
 * a real retransmission, is never a duplicate). */
guint32 mirror_dedup_check(mirror_dedup_t *dd, guint64 fingerprint, guint64 source, gint64 ts_ns, guint32 frame);

/* Packets remembered now (for tests and memory accounting). */
guint mirror_dedup_size(const mirror_dedup_t *dd);
/* Slots allocated now; never more than max_entries. */
guint mirror_dedup_capacity(const mirror_dedup_t *dd);

#ifdef __cplusplus
}
#endif

#endif /* VPCSHARK_MIRROR_DEDUP_H */
