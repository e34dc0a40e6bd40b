/* vpcflow-tables.c
 * Conversations and Endpoints of flow records (Statistics > Conversations
 * > VPCFLOW, tshark -z conv,vpcflow / -z endpoints,vpcflow).
 *
 * A frame is a record, not a packet: each record adds the packets and
 * bytes it counts, keyed by address pair and ports, and the table's
 * start and duration cover the records' start to end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-reports.h"
#include "counters.h"
#include "transport.h"

#include <epan/conversation_table.h>

static const char *
address_filter(const address *addr, const char *v4, const char *v6)
{
    return addr->type == AT_IPv6 ? v6 : v4;
}

static const char *
vpcflow_conv_filter(conv_item_t *conv, conv_filter_type_e filter)
{
    switch (filter) {
    case CONV_FT_SRC_ADDRESS:
        return address_filter(&conv->src_address, "vpcflow.srcaddr", "vpcflow.srcaddr_v6");
    case CONV_FT_DST_ADDRESS:
        return address_filter(&conv->dst_address, "vpcflow.dstaddr", "vpcflow.dstaddr_v6");
    case CONV_FT_ANY_ADDRESS:
        return address_filter(&conv->src_address, "vpcflow.addr", "vpcflow.addr_v6");
    case CONV_FT_SRC_PORT:
        return "vpcflow.srcport";
    case CONV_FT_DST_PORT:
        return "vpcflow.dstport";
    case CONV_FT_ANY_PORT:
        return "vpcflow.port";
    default:
        return CONV_FILTER_INVALID;
    }
}

static const char *
vpcflow_endpoint_filter(endpoint_item_t *endpoint, conv_filter_type_e filter)
{
    if (filter == CONV_FT_ANY_ADDRESS)
        return address_filter(&endpoint->myaddress, "vpcflow.addr", "vpcflow.addr_v6");
    if (filter == CONV_FT_ANY_PORT)
        return "vpcflow.port";
    return CONV_FILTER_INVALID;
}

static ct_dissector_info_t vpcflow_ct_dissector_info = { &vpcflow_conv_filter };
static et_dissector_info_t vpcflow_et_dissector_info = { &vpcflow_endpoint_filter };

static const vpcshark_transport_t *
transport_of(const vpcflow_tap_info_t *info)
{
    return info->has_protocol ? vpcshark_transport_of(info->protocol) : NULL;
}


static tap_packet_status
vpcflow_conversation_packet(void *pct, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                            tap_flags_t flags)
{
    conv_hash_t *hash = (conv_hash_t *)pct;
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;
    const vpcshark_transport_t *transport = transport_of(info);
    conversation_type ctype = transport ? transport->ctype : CONVERSATION_NONE;
    guint64 packets = vpcshark_count_for_table(info->packets);
    guint64 bytes = vpcshark_count_for_table(info->bytes);

    hash->flags = flags;
    if (info->src.type == AT_NONE || info->dst.type == AT_NONE)
        return TAP_PACKET_DONT_REDRAW;
    do {
        add_conversation_table_data(hash, &info->src, &info->dst, info->srcport, info->dstport,
                                    vpcshark_count_piece(&packets), vpcshark_count_piece(&bytes), &pinfo->rel_ts, &pinfo->abs_ts,
                                    &vpcflow_ct_dissector_info, ctype);
    } while (packets || bytes);

    /* The record lasted until its end: stretch the conversation to it. */
    if (info->has_start && info->has_end && nstime_cmp(&info->end, &info->start) > 0) {
        nstime_t length, rel_end;
        nstime_delta(&length, &info->end, &info->start);
        nstime_sum(&rel_end, &pinfo->rel_ts, &length);
        add_conversation_table_data(hash, &info->src, &info->dst, info->srcport, info->dstport, 0, 0,
                                    &rel_end, (nstime_t *)&info->end, &vpcflow_ct_dissector_info, ctype);
    }
    return TAP_PACKET_REDRAW;
}

static tap_packet_status
vpcflow_endpoint_packet(void *pit, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
                        tap_flags_t flags)
{
    conv_hash_t *hash = (conv_hash_t *)pit;
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;
    const vpcshark_transport_t *transport = transport_of(info);
    endpoint_type etype = transport ? transport->etype : ENDPOINT_NONE;

    hash->flags = flags;
    for (int side = 0; side < 2; side++) {
        const address *addr = side == 0 ? &info->src : &info->dst;
        guint32 port = side == 0 ? info->srcport : info->dstport;
        guint64 packets = vpcshark_count_for_table(info->packets);
        guint64 bytes = vpcshark_count_for_table(info->bytes);
        if (addr->type == AT_NONE)
            continue;
        do {
            add_endpoint_table_data(hash, addr, port, side == 0, vpcshark_count_piece(&packets), vpcshark_count_piece(&bytes),
                                    &vpcflow_et_dissector_info, etype);
        } while (packets || bytes);
    }
    return TAP_PACKET_REDRAW;
}

void
vpcflow_register_tables(int proto)
{
    register_conversation_table(proto, FALSE, vpcflow_conversation_packet, vpcflow_endpoint_packet);
}
