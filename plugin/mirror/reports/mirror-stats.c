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
#include "counters.h"
#include "stat-sums.h"
#include "transport.h"

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
    stat_sums_init(st);
    st_node_packets = stats_tree_create_node(st, st_packets, 0, STAT_DT_INT, TRUE);
    st_node_bytes = stats_tree_create_node(st, st_bytes, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
mirror_stats_tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *p,
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
    dir = mirror_direction_name(info->direction);
    if (dir == NULL) {
        dir = "direction unknown";
    }

    tick_stat_node(st, st_packets, 0, TRUE);
    session_node = tick_stat_node(st, label, st_node_packets, TRUE);
    tick_stat_node(st, dir, session_node, FALSE);
    if (info->truncated) {
        tick_stat_node(st, "cut copies", session_node, FALSE);
    }
    if (info->duplicate) {
        tick_stat_node(st, "duplicate copies", session_node, FALSE);
    }

    /* Bytes in 64-bit sums: an int node would wrap after 2 GiB. */
    stat_sums_add(st, st_bytes, st_bytes, 0, TRUE, info->inner_len, 1);
    bytes_node = stat_sums_add(st, label, label, st_node_bytes, TRUE, info->inner_len, 1);
    stat_sums_add(st, wmem_strdup_printf(pinfo->pool, "%s/%s", label, dir), dir, bytes_node, FALSE, info->inner_len, 1);
    return TAP_PACKET_REDRAW;
}

static const char *
mirror_conv_filter_type(conv_item_t *conv, conv_filter_type_e filter)
{
    gboolean v6 = conv->src_address.type == AT_IPv6;
    const vpcshark_transport_t *transport = vpcshark_transport_of_conversation(conv->ctype);

    switch (filter) {
    case CONV_FT_SRC_ADDRESS:
        return v6 ? "ipv6.src" : "ip.src";
    case CONV_FT_DST_ADDRESS:
        return v6 ? "ipv6.dst" : "ip.dst";
    case CONV_FT_ANY_ADDRESS:
        return v6 ? "ipv6.addr" : "ip.addr";
    case CONV_FT_SRC_PORT:
        return transport ? transport->srcport_filter : CONV_FILTER_INVALID;
    case CONV_FT_DST_PORT:
        return transport ? transport->dstport_filter : CONV_FILTER_INVALID;
    case CONV_FT_ANY_PORT:
        return transport ? transport->port_filter : CONV_FILTER_INVALID;
    default:
        return CONV_FILTER_INVALID;
    }
}

static ct_dissector_info_t mirror_ct_info = { &mirror_conv_filter_type };

static const char *
mirror_endpoint_filter_type(endpoint_item_t *endpoint, conv_filter_type_e filter)
{
    gboolean v6 = endpoint->myaddress.type == AT_IPv6;
    const vpcshark_transport_t *transport = vpcshark_transport_of_endpoint(endpoint->etype);

    switch (filter) {
    case CONV_FT_SRC_ADDRESS:
    case CONV_FT_DST_ADDRESS:
    case CONV_FT_ANY_ADDRESS:
        return v6 ? "ipv6.addr" : "ip.addr";
    case CONV_FT_SRC_PORT:
    case CONV_FT_DST_PORT:
    case CONV_FT_ANY_PORT:
        return transport ? transport->port_filter : CONV_FILTER_INVALID;
    default:
        return CONV_FILTER_INVALID;
    }
}

static et_dissector_info_t mirror_endpoint_info = { &mirror_endpoint_filter_type };

/* The transport of a mirrored packet, when it has ports Wireshark's tables know. */
static const vpcshark_transport_t *
transport_of(const mirror_tap_info_t *info)
{
    return info->has_ports ? vpcshark_transport_of(info->ip_proto) : NULL;
}

static tap_packet_status
mirror_conversation_packet(void *pct, packet_info *pinfo, epan_dissect_t *edt _U_, const void *p, tap_flags_t flags)
{
    conv_hash_t *hash = (conv_hash_t *)pct;
    const mirror_tap_info_t *info = (const mirror_tap_info_t *)p;

    if (info->direct || !info->has_ip) {
        return TAP_PACKET_DONT_REDRAW;
    }
    hash->flags = flags;
    const vpcshark_transport_t *transport = transport_of(info);
    guint32 src_port = transport ? info->src_port : 0, dst_port = transport ? info->dst_port : 0;
    add_conversation_table_data(hash, &info->src, &info->dst, src_port, dst_port, 1,
                                vpcshark_count_clamp(info->inner_len), &pinfo->rel_ts, &pinfo->abs_ts, &mirror_ct_info,
                                transport ? transport->ctype : CONVERSATION_NONE);
    return TAP_PACKET_REDRAW;
}

static tap_packet_status
mirror_endpoint_packet(void *pit, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *p, tap_flags_t flags)
{
    conv_hash_t *hash = (conv_hash_t *)pit;
    const mirror_tap_info_t *info = (const mirror_tap_info_t *)p;

    if (info->direct || !info->has_ip) {
        return TAP_PACKET_DONT_REDRAW;
    }
    hash->flags = flags;
    const vpcshark_transport_t *transport = transport_of(info);
    endpoint_type etype = transport ? transport->etype : ENDPOINT_NONE;
    int bytes = vpcshark_count_clamp(info->inner_len);
    add_endpoint_table_data(hash, &info->src, transport ? info->src_port : 0, TRUE, 1, bytes, &mirror_endpoint_info,
                            etype);
    add_endpoint_table_data(hash, &info->dst, transport ? info->dst_port : 0, FALSE, 1, bytes, &mirror_endpoint_info,
                            etype);
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
                               mirror_stats_tree_init, stat_sums_cleanup);
}
