/* packet-mirror.h
 * What the Traffic Mirror files of the epan plugin share: the session
 * table (mirror-sessions.c), the data the "mirror" tap carries
 * (packet-mirror.c queues it; mirror-stats.c counts it) and the hook the
 * GWLB dissector uses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_PACKET_MIRROR_H
#define VPCSHARK_PACKET_MIRROR_H

#include "epan-compat.h"

#include <epan/address.h>
#include <epan/prefs.h>

#include "mirror-inner.h"
#include "mirror-session.h"

/* What the "mirror" tap gets for each annotated packet. */
typedef struct {
    guint32 vni;
    const char *session;       /* NULL: VNI not in the table */
    const char *session_id;
    mirror_direction_t direction;
    gboolean truncated;
    gboolean duplicate;
    gboolean direct;           /* a packet captured directly (not a mirror copy) */
    guint32 inner_len;         /* original length of the mirrored frame */
    gboolean has_ip;
    address src;               /* of the mirrored packet */
    address dst;
    guint8 ip_proto;
    gboolean has_ports;
    guint16 src_port;
    guint16 dst_port;
    tvbuff_t *frame_tvb;       /* the mirrored frame (after the VXLAN header) */
} mirror_tap_info_t;

/* mirror-sessions.c: the mirror_sessions table and its JSON import. */
void mirror_sessions_register(int proto, module_t *module);
/* Imports the JSON files named by the preferences if they changed. */
void mirror_sessions_apply_prefs(void);
const mirror_session_t *mirror_sessions_lookup(guint32 vni, const mirror_addr_t *outer_src);
guint mirror_sessions_count(void);

/* mirror-stats.c: Statistics > Traffic Mirror Sessions, -z mirror,tree,
 * and the inner conversations/endpoints (-z conv,mirror). */
void mirror_stats_register(int proto);
void mirror_stats_register_handoff(void);

/* mirror-decap.c: tshark -z mirror,decap,FILE[,FILTER]. */
void mirror_decap_register(void);

#endif /* VPCSHARK_PACKET_MIRROR_H */
