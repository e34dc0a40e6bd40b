/* correlate-state.h
 * The join of flow records and mirrored packets of the capture file being
 * read (plugin/correlate/core), shared by the vpcflow and mirror
 * dissectors: both add what they meet on the first pass, and read the
 * answers on later passes (tshark -2, the GUI), once every frame is known.
 * Neither dissector calls the other; both call this file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_CORRELATE_STATE_H
#define VPCSHARK_CORRELATE_STATE_H

#include "epan-compat.h"

#include <epan/address.h>
#include <epan/packet.h>

#include "correlate.h"

/* Creates the join of each file (init and cleanup routines). */
void correlate_state_register(void);
void correlate_state_register_handoff(void);

/* Preferences read when a file is opened: whether to join at all, and
 * the lag allowed (seconds; CORRELATE_DEFAULT_LAG_S without them). */
void correlate_state_use_prefs(const vpcshark_pref_bool *enabled, const guint *lag_s);

/* Fills out from an IPv4 or IPv6 address; MIRROR_ADDR_NONE otherwise. */
void correlate_state_address(const address *addr, mirror_addr_t *out);

/* First pass only (later passes are ignored): record->frame and
 * packet->frame/ts_ns are taken from pinfo. */
void correlate_state_add_record(packet_info *pinfo, correlate_record_t *record);
void correlate_state_add_packet(packet_info *pinfo, correlate_packet_t *packet);

/* On a later pass: the answers for this frame (matching everything the
 * first pass added, once). FALSE on the first pass, when the frame was
 * not added, or when the file lacks records or mirrored packets. */
gboolean correlate_state_record(packet_info *pinfo, correlate_record_result_t *out);
gboolean correlate_state_packet(packet_info *pinfo, correlate_packet_result_t *out);

/* The file's join, matched now if it was not (for a report drawn at the
 * end of one pass); NULL when no file is open or the join is off. */
const correlate_t *correlate_state_resolved_join(void);

/* The file's join once a later pass has matched it (every frame known);
 * NULL on the first pass, when no file is open or the join is off. For a
 * tap: taps run after a frame is dissected, when it is already marked
 * visited, so a tap cannot tell the passes apart by itself. */
const correlate_t *correlate_state_complete_join(void);

#endif /* VPCSHARK_CORRELATE_STATE_H */
