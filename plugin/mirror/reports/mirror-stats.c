/* mirror-stats.c
 * Statistics of Traffic Mirror sessions, from the "mirror" tap:
 * - Statistics > Traffic Mirror Sessions and tshark -z mirror,tree:
 *   packets and bytes per session and direction, cut and duplicate
 *   copies;
 * - Statistics > Conversations / Endpoints, "Traffic Mirror Session"
 *   tab, and tshark -z conv,mirror / -z endpoints,mirror: the mirrored
 *   (inner) packets only, never the VXLAN carrier; a display filter such
 *   as mirror.session == "web" restricts them to one session.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-mirror.h"

#include <stdio.h>

#include <epan/conversation_table.h>
#include <epan/ipproto.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

static const char *const st_packets = "Packets by session";
static const char *const st_bytes = "Bytes by session (mirrored frames at their original length)";
static const char *const st_direct = "Packets captured directly, also mirrored (duplicates)";
static int st_node_packets = -1;
static int st_node_bytes = -1;

static void
mirror_stats_tree_init(stats_tree *st)
{
    st_node_packets = stats_tree_create_node(st, st_packets, 0, STAT_DT_INT, TRUE);
    st_node_bytes = stats_tree_create_node(st, st_bytes, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
mirror_stats_tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *p,
                         tap_flags_t flags _U_)
{
    const mirror_tap_info_t *info = (const mirror_tap_info_t *)p;
    char label[300];
    const char *dir;
    int session_node, bytes_node;

    if (info->direct) {
        /* Named (with_children TRUE) so that later ticks find it at the root. */
        tick_stat_node(st, st_direct, 0, TRUE);
        return TAP_PACKET_REDRAW;
    }
    if (info->session != NULL) {
        snprintf(label, sizeof label, "%s (VNI %u)", info->session, info->vni);
    } else {
        snprintf(label, sizeof label, "VNI %u (not in the session table)", info->vni);
    }
    dir = info->direction == MIRROR_DIR_EGRESS ? "egress"
        : info->direction == MIRROR_DIR_INGRESS ? "ingress" : "direction unknown";

    tick_stat_node(st, st_packets, 0, TRUE);
    session_node = tick_stat_node(st, label, st_node_packets, TRUE);
    tick_stat_node(st, dir, session_node, FALSE);
    if (info->truncated) {
        tick_stat_node(st, "cut copies", session_node, FALSE);
    }
    if (info->duplicate) {
        tick_stat_node(st, "duplicate copies", session_node, FALSE);
    }

    increase_stat_node(st, st_bytes, 0, TRUE, (gint)info->inner_len);
    bytes_node = increase_stat_node(st, label, st_node_bytes, TRUE, (gint)info->inner_len);
    increase_stat_node(st, dir, bytes_node, FALSE, (gint)info->inner_len);
    return TAP_PACKET_REDRAW;
}

static const char *
mirror_conv_filter_type(conv_item_t *conv, conv_filter_type_e filter)
{
    gboolean v6 = conv->src_address.type == AT_IPv6;
    gboolean tcp = conv->ctype == CONVERSATION_TCP;
    gboolean udp = conv->ctype == CONVERSATION_UDP;

    switch (filter) {
    case CONV_FT_SRC_ADDRESS:
        return v6 ? "ipv6.src" : "ip.src";
    case CONV_FT_DST_ADDRESS:
        return v6 ? "ipv6.dst" : "ip.dst";
    case CONV_FT_ANY_ADDRESS:
        return v6 ? "ipv6.addr" : "ip.addr";
    case CONV_FT_SRC_PORT:
        return tcp ? "tcp.srcport" : udp ? "udp.srcport" : CONV_FILTER_INVALID;
    case CONV_FT_DST_PORT:
        return tcp ? "tcp.dstport" : udp ? "udp.dstport" : CONV_FILTER_INVALID;
    case CONV_FT_ANY_PORT:
        return tcp ? "tcp.port" : udp ? "udp.port" : CONV_FILTER_INVALID;
    default:
        return CONV_FILTER_INVALID;
    }
}

static ct_dissector_info_t mirror_ct_info = { &mirror_conv_filter_type };

static const char *
mirror_endpoint_filter_type(endpoint_item_t *endpoint, conv_filter_type_e filter)
{
    gboolean v6 = endpoint->myaddress.type == AT_IPv6;
    gboolean tcp = endpoint->etype == ENDPOINT_TCP;
    gboolean udp = endpoint->etype == ENDPOINT_UDP;

    switch (filter) {
    case CONV_FT_SRC_ADDRESS:
    case CONV_FT_DST_ADDRESS:
    case CONV_FT_ANY_ADDRESS:
        return v6 ? "ipv6.addr" : "ip.addr";
    case CONV_FT_SRC_PORT:
    case CONV_FT_DST_PORT:
    case CONV_FT_ANY_PORT:
        return tcp ? "tcp.port" : udp ? "udp.port" : CONV_FILTER_INVALID;
    default:
        return CONV_FILTER_INVALID;
    }
}

static et_dissector_info_t mirror_endpoint_info = { &mirror_endpoint_filter_type };

static tap_packet_status
mirror_conversation_packet(void *pct, packet_info *pinfo, epan_dissect_t *edt _U_, const void *p, tap_flags_t flags)
{
    conv_hash_t *hash = (conv_hash_t *)pct;
    const mirror_tap_info_t *info = (const mirror_tap_info_t *)p;
    conversation_type ctype = CONVERSATION_NONE;

    if (info->direct || !info->has_ip) {
        return TAP_PACKET_DONT_REDRAW;
    }
    hash->flags = flags;
    if (info->has_ports && info->ip_proto == IP_PROTO_TCP) {
        ctype = CONVERSATION_TCP;
    } else if (info->has_ports && info->ip_proto == IP_PROTO_UDP) {
        ctype = CONVERSATION_UDP;
    }
    add_conversation_table_data(hash, &info->src, &info->dst, info->has_ports ? info->src_port : 0,
                                info->has_ports ? info->dst_port : 0, 1, (int)info->inner_len,
                                &pinfo->rel_ts, &pinfo->abs_ts, &mirror_ct_info, ctype);
    return TAP_PACKET_REDRAW;
}

static tap_packet_status
mirror_endpoint_packet(void *pit, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *p, tap_flags_t flags)
{
    conv_hash_t *hash = (conv_hash_t *)pit;
    const mirror_tap_info_t *info = (const mirror_tap_info_t *)p;
    endpoint_type etype = ENDPOINT_NONE;

    if (info->direct || !info->has_ip) {
        return TAP_PACKET_DONT_REDRAW;
    }
    hash->flags = flags;
    if (info->has_ports && info->ip_proto == IP_PROTO_TCP) {
        etype = ENDPOINT_TCP;
    } else if (info->has_ports && info->ip_proto == IP_PROTO_UDP) {
        etype = ENDPOINT_UDP;
    }
    add_endpoint_table_data(hash, &info->src, info->has_ports ? info->src_port : 0, TRUE, 1, (int)info->inner_len,
                            &mirror_endpoint_info, etype);
    add_endpoint_table_data(hash, &info->dst, info->has_ports ? info->dst_port : 0, FALSE, 1, (int)info->inner_len,
                            &mirror_endpoint_info, etype);
    return TAP_PACKET_REDRAW;
}

void
mirror_stats_register(int proto)
{
    register_conversation_table(proto, FALSE, mirror_conversation_packet, mirror_endpoint_packet);
}

void
mirror_stats_register_handoff(void)
{
    /* In the Statistics menu (plugins section) and as -z mirror,tree. */
    stats_tree_register_plugin("mirror", "mirror", "Traffic Mirror Sessions", 0, mirror_stats_tree_packet,
                               mirror_stats_tree_init, NULL);
}
