/* packet-gwlb.c
 * Routines for the GENEVE options of AWS Gateway Load Balancer
 *
 * A Gateway Load Balancer hands packets to its appliances in GENEVE
 * (UDP 6081) with three options of class 0x0108: the GWLB endpoint id,
 * the attachment id and a flow cookie. Stock Wireshark names the class
 * ("Amazon.com, Inc.") but shows the option data as raw bytes; this
 * protocol decodes them. A Traffic Mirror session whose target is a GWLB
 * endpoint arrives as GENEVE -> IPv4 -> UDP 4789 -> VXLAN, which the
 * mirror protocol annotates as usual.
 *
 * Stock GENEVE has no option hook, so UDP port 6081 gets a wrapper
 * (owned by GENEVE, like the VXLAN one of packet-mirror.c) that calls
 * stock GENEVE without adding a layer and places the gwlb item after it.
 * gwlb is part of the Traffic Mirror feature: it is off when the mirror
 * protocol is disabled, and can be disabled on its own.
 *
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/introduction.html
 * https://www.rfc-editor.org/rfc/rfc8926.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "epan-compat.h"

#include <epan/expert.h>
#include <epan/packet.h>

#include "gwlb-options.h"

#define UDP_PORT_GENEVE 6081

void proto_register_gwlb(void);
void proto_reg_handoff_gwlb(void);

static int proto_gwlb = VPCSHARK_ID_INIT;
static int proto_geneve = VPCSHARK_ID_INIT;
static protocol_t *gwlb_protocol;
static protocol_t *mirror_protocol;

static int hf_gwlb_endpoint_id = VPCSHARK_ID_INIT;
static int hf_gwlb_attachment_id = VPCSHARK_ID_INIT;
static int hf_gwlb_flow_cookie = VPCSHARK_ID_INIT;
static int hf_gwlb_option_type = VPCSHARK_ID_INIT;

static gint ett_gwlb = VPCSHARK_ID_INIT;

static expert_field ei_gwlb_option_unknown = EI_INIT;
static expert_field ei_gwlb_option_missing = EI_INIT;

static dissector_handle_t geneve_handle;
static dissector_table_t stock_table;

static proto_item *
add_gwlb_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const gwlb_options_t *o)
{
    proto_item *ti;
    proto_tree *gtree;
    char endpoint[GWLB_ENDPOINT_STR_LEN];
    guint i;
    const char *saved_proto = pinfo->current_proto;

    /* Called through GENEVE's handle: name this protocol in expert infos. */
    pinfo->current_proto = "GWLB";
    ti = proto_tree_add_item(tree, proto_gwlb, tvb, 0, -1, ENC_NA);
    proto_item_set_len(ti, 8 + (tvb_get_uint8(tvb, 0) & 0x3f) * 4);
    gtree = proto_item_add_subtree(ti, ett_gwlb);
    if (o->has_endpoint_id) {
        gwlb_endpoint_id_str(o->endpoint_id, endpoint);
        proto_tree_add_string(gtree, hf_gwlb_endpoint_id, tvb, o->endpoint_offset, 8, endpoint);
        proto_item_append_text(ti, ", %s", endpoint);
    }
    if (o->has_attachment_id) {
        proto_tree_add_item(gtree, hf_gwlb_attachment_id, tvb, o->attachment_offset, 8, ENC_BIG_ENDIAN);
    }
    if (o->has_flow_cookie) {
        proto_tree_add_item(gtree, hf_gwlb_flow_cookie, tvb, o->cookie_offset, 4, ENC_BIG_ENDIAN);
        proto_item_append_text(ti, ", flow cookie 0x%08x", o->flow_cookie);
    }
    for (i = 0; i < o->n_other; i++) {
        proto_item *item = proto_tree_add_uint(gtree, hf_gwlb_option_type, tvb, o->other[i].offset + 2, 1,
                                               o->other[i].type);

        expert_add_info_format(pinfo, item, &ei_gwlb_option_unknown,
                               "AWS option type %u with %u data bytes is not a known GWLB option",
                               o->other[i].type, o->other[i].data_len);
    }
    if (!o->has_endpoint_id || !o->has_attachment_id || !o->has_flow_cookie) {
        expert_add_info(pinfo, ti, &ei_gwlb_option_missing);
    }
    pinfo->current_proto = saved_proto;
    return ti;
}

static int
dissect_gwlb_geneve(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    guint8 buf[8 + 63 * 4];
    guint n = MIN(tvb_captured_length(tvb), (guint)sizeof buf);
    gwlb_options_t options;

    if (!proto_is_protocol_enabled(gwlb_protocol) ||
        (mirror_protocol != NULL && !proto_is_protocol_enabled(mirror_protocol)) || n < 8) {
        return dissector_try_string_with_data(stock_table, "geneve", tvb, pinfo, tree, FALSE, data);
    }
    tvb_memcpy(tvb, buf, 0, n);
    if (!gwlb_parse_geneve(buf, n, &options)) {
        return dissector_try_string_with_data(stock_table, "geneve", tvb, pinfo, tree, FALSE, data);
    }
    /* The options' layer comes first, the GENEVE header that holds them next. */
    add_gwlb_tree(tvb, pinfo, tree, &options);
    return dissector_try_string_with_data(stock_table, "geneve", tvb, pinfo, tree, FALSE, data);
}

void
proto_register_gwlb(void)
{
    static hf_register_info hf[] = {
        { &hf_gwlb_endpoint_id,
          { "GWLB endpoint ID", "gwlb.endpoint_id",
            FT_STRING, BASE_NONE, NULL, 0x0,
            "Gateway Load Balancer endpoint the flow came through (option class 0x0108 type 1)", HFILL }
        },
        { &hf_gwlb_attachment_id,
          { "Attachment ID", "gwlb.attachment_id",
            FT_UINT64, BASE_HEX, NULL, 0x0,
            "Option class 0x0108 type 2", HFILL }
        },
        { &hf_gwlb_flow_cookie,
          { "Flow cookie", "gwlb.flow_cookie",
            FT_UINT32, BASE_HEX, NULL, 0x0,
            "Opaque value the load balancer keeps for the flow (option class 0x0108 type 3)", HFILL }
        },
        { &hf_gwlb_option_type,
          { "Unknown option type", "gwlb.option_type",
            FT_UINT8, BASE_DEC, NULL, 0x0,
            NULL, HFILL }
        },
    };

    static gint *ett[] = {
        &ett_gwlb,
    };

    static ei_register_info ei[] = {
        { &ei_gwlb_option_unknown,
          { "gwlb.option.unknown", PI_UNDECODED, PI_NOTE,
            "Unknown AWS GENEVE option", EXPFILL }
        },
        { &ei_gwlb_option_missing,
          { "gwlb.option.missing", PI_PROTOCOL, PI_WARN,
            "A Gateway Load Balancer sends endpoint ID, attachment ID and flow cookie; some are missing",
            EXPFILL }
        },
    };

    expert_module_t *expert;

    proto_gwlb = proto_register_protocol("AWS Gateway Load Balancer GENEVE options", "GWLB", "gwlb");
    proto_register_field_array(proto_gwlb, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto_gwlb);
    expert_register_field_array(expert, ei, array_length(ei));
}

void
proto_reg_handoff_gwlb(void)
{
    dissector_table_t udp_port = find_dissector_table("udp.port");
    int proto_mirror = proto_get_id_by_filter_name("mirror");

    gwlb_protocol = find_protocol_by_id(proto_gwlb);
    mirror_protocol = proto_mirror >= 0 ? find_protocol_by_id(proto_mirror) : NULL;
    proto_geneve = proto_get_id_by_filter_name("geneve");
    stock_table = find_dissector_table("mirror.stock");

    geneve_handle = find_dissector("geneve");
    if (geneve_handle == NULL) {
        geneve_handle = dissector_get_default_uint_handle("udp.port", UDP_PORT_GENEVE);
    }
    if (geneve_handle == NULL || proto_geneve < 0 || udp_port == NULL || stock_table == NULL ||
        dissector_handle_get_protocol_index(geneve_handle) != proto_geneve) {
        ws_warning("GWLB: the GENEVE dissector was not found; GWLB options are not decoded");
        return;
    }
    dissector_add_string("mirror.stock", "geneve", geneve_handle);
    if (dissector_get_uint_handle(udp_port, UDP_PORT_GENEVE) == geneve_handle) {
        dissector_add_uint("udp.port", UDP_PORT_GENEVE,
                           create_dissector_handle_with_name_and_description(dissect_gwlb_geneve, proto_geneve,
                                                                             "gwlb_geneve", "Geneve (AWS GWLB)"));
    }
}
