/* packet-mirror.c
 * Routines for AWS VPC Traffic Mirroring sessions
 *
 * Traffic Mirroring copies the packets of a network interface (the
 * source ENI) to a target, each wrapped in VXLAN (UDP 4789, one VNI per
 * session). This protocol annotates the first VXLAN layer of a frame:
 * session name, id and source ENI from the mirror_sessions table, the
 * direction of the original packet relative to the source ENI, copies
 * cut by the session's packet length or the target's MTU, and second
 * copies of a packet that another session (or a direct capture) also
 * delivered. The stock VXLAN dissector still decodes the header, so
 * vxlan.vni and everything below it stay as they were.
 *
 * How it hooks in, and why (docs/mirror.md; costs measured with
 * bench/mirror_bench.py):
 * - UDP port 4789 gets a wrapper whose handle belongs to the VXLAN
 *   protocol. Needed: it is the only hook in stock VXLAN's path that
 *   leaves stock decoding exactly as it was when "mirror" is disabled
 *   (the wrapper is then a pass-through; a handle of mirror's own on the
 *   port would take VXLAN away with it) and that keeps frame.protocols
 *   as stock shows it. It adds the mirror layer, then calls stock VXLAN
 *   through a private dissector table without a second "vxlan" layer.
 *   Expert infos it adds name "Mirror" (pinfo->current_proto), not the
 *   VXLAN protocol whose handle it runs under. The plain order of a
 *   layer that calls the next: the session first, then VXLAN; nothing
 *   in the tree is moved.
 * - Ports stock VXLAN holds by its own registration or its
 *   vxlan.udp.port preference take the wrapper at each init, as a
 *   registration (not as a Decode As change: those would be listed and
 *   saved as "VXLAN (Traffic Mirror)", an entry that outlives the
 *   plugin). A user's Decode As to VXLAN stays stock; Decode As "VXLAN
 *   (Traffic Mirror)" annotates such a port.
 * - Other ports: the strict UDP heuristic mirror_vxlan_udp.
 * - Directly captured packets (duplicates of mirror copies) are checked
 *   by a postdissector, registered when the first mirror packet is seen
 *   (Wireshark skips postdissection while no postdissector is enabled).
 * A postdissector with "wanted" fields (vxlan.vni) was the alternative;
 * tshark and Wireshark then build a protocol tree for every packet of
 * every capture (measured: 1.032 times stock on a capture without any
 * VXLAN, against 1.007 for this design, budget 1.03), and its fields are
 * filled on the first pass only.
 *
 * https://docs.aws.amazon.com/vpc/latest/mirroring/traffic-mirroring-packet-formats.html
 * https://www.rfc-editor.org/rfc/rfc7348.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-mirror.h"

#include <string.h>

#include <epan/exceptions.h>
#include <epan/expert.h>
#include <epan/exported_pdu.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/range.h>
#include <epan/tap.h>
#include <wiretap/wtap.h>

#include "correlate-state.h"
#include "mirror-dedup.h"

#define VXLAN_HEADER_LEN 8
#define VXLAN_FLAG_I 0x08
#define UDP_PORT_VXLAN 4789

/* Keys of the per-frame data. */
#define KEY_DUPLICATE_OF 0  /* file scope: first copy of this mirror copy */
#define KEY_DIRECT_DUP 1    /* file scope: first copy of this direct packet */
#define KEY_ANNOTATED 2     /* packet scope: the frame's mirror layer is done */

#define DUP_WINDOW_DEFAULT_MS 1000
/* Packets the duplicate window remembers at most (about 40 bytes each):
 * bounds memory even at rates where the window would hold more. */
#define DUP_MAX_PACKETS (1u << 21)

#define EXPORT_TAP_NAME "Traffic Mirror inner frames"

void proto_register_mirror(void);
void proto_reg_handoff_mirror(void);

static int proto_mirror = VPCSHARK_ID_INIT;
static int proto_vxlan = VPCSHARK_ID_INIT;
static protocol_t *mirror_protocol;
static protocol_t *vxlan_protocol;

static int mirror_tap = VPCSHARK_ID_INIT;
static int mirror_export_tap = VPCSHARK_ID_INIT;

static int hf_mirror_vni = VPCSHARK_ID_INIT;
static int hf_mirror_session = VPCSHARK_ID_INIT;
static int hf_mirror_session_id = VPCSHARK_ID_INIT;
static int hf_mirror_source_eni = VPCSHARK_ID_INIT;
static int hf_mirror_description = VPCSHARK_ID_INIT;
static int hf_mirror_packet_length = VPCSHARK_ID_INIT;
static int hf_mirror_direction = VPCSHARK_ID_INIT;
static int hf_mirror_truncated = VPCSHARK_ID_INIT;
static int hf_mirror_copy_length = VPCSHARK_ID_INIT;
static int hf_mirror_duplicate = VPCSHARK_ID_INIT;
static int hf_mirror_duplicate_of = VPCSHARK_ID_INIT;
static int hf_mirror_flow = VPCSHARK_ID_INIT;
static int hf_mirror_flow_action = VPCSHARK_ID_INIT;
static int hf_mirror_flow_log_status = VPCSHARK_ID_INIT;

static gint ett_mirror = VPCSHARK_ID_INIT;
static gint ett_mirror_truncated = VPCSHARK_ID_INIT;

static expert_field ei_mirror_truncated = EI_INIT;
static expert_field ei_mirror_duplicate = EI_INIT;
static expert_field ei_mirror_duplicate_direct = EI_INIT;
static expert_field ei_mirror_vni_unknown = EI_INIT;
static expert_field ei_mirror_flow_outside = EI_INIT;
static expert_field ei_mirror_flow_no_interface = EI_INIT;

static vpcshark_pref_bool pref_dup_enabled = TRUE;
static vpcshark_pref_bool pref_dup_direct = TRUE;
static guint pref_dup_window_ms = DUP_WINDOW_DEFAULT_MS;

static dissector_handle_t direct_handle;       /* the direct-duplicate postdissector */
static gboolean direct_registered;
static dissector_handle_t vxlan_handle;        /* stock VXLAN */
static dissector_handle_t mirror_vxlan_handle; /* our wrapper, owned by VXLAN */
static dissector_table_t stock_table;          /* calls stock dissectors without a new layer */

/* Per capture: the duplicate window, and whether a mirror packet has
 * been seen yet (until then directly captured packets are not looked at). */
static mirror_dedup_t *dedup;
static gboolean seen_mirror;

/* What one mirror copy says. */
typedef struct {
    guint32 vni;
    guint32 copy_len;          /* bytes after the VXLAN header on the wire */
    gboolean has_outer;
    mirror_addr_t outer;
    mirror_inner_t inner;
    const mirror_session_t *session;
    mirror_direction_t direction;
    mirror_direction_why_t why;
    guint32 duplicate_of;
} mirror_facts_t;

static gboolean
outer_source(const packet_info *pinfo, mirror_addr_t *out)
{
    memset(out, 0, sizeof *out);
    if (pinfo->net_src.type == AT_IPv4 && pinfo->net_src.len == 4) {
        out->type = MIRROR_ADDR_IPV4;
        memcpy(out->bytes, pinfo->net_src.data, 4);
        return TRUE;
    }
    if (pinfo->net_src.type == AT_IPv6 && pinfo->net_src.len == 16) {
        out->type = MIRROR_ADDR_IPV6;
        memcpy(out->bytes, pinfo->net_src.data, 16);
        return TRUE;
    }
    return FALSE;
}

/* Who delivered a copy: its VNI and outer source (never 0, which stands
 * for the direct capture). */
static guint64
source_id(guint32 vni, const mirror_addr_t *outer)
{
    guint8 key[4 + sizeof(mirror_addr_t)];

    memset(key, 0, sizeof key);
    key[0] = (guint8)(vni >> 16);
    key[1] = (guint8)(vni >> 8);
    key[2] = (guint8)vni;
    memcpy(key + 4, outer, sizeof *outer);
    return mirror_hash64(key, sizeof key, 1) | 1;
}

static gint64
timestamp_ns(const packet_info *pinfo)
{
    return (gint64)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
}

/* Duplicate of which frame (0: none). Decided on the first pass, when
 * frames come in order, and remembered for every later pass. */
static guint32
duplicate_of(packet_info *pinfo, guint32 key, const mirror_inner_t *inner, guint64 source)
{
    if (!PINFO_FD_VISITED(pinfo) && pref_dup_enabled && dedup != NULL && inner->has_fingerprint) {
        guint32 first = mirror_dedup_check(dedup, inner->fingerprint, source, timestamp_ns(pinfo), pinfo->num);

        if (first != 0) {
            p_add_proto_data(wmem_file_scope(), pinfo, proto_mirror, key, GUINT_TO_POINTER(first));
        }
    }
    return GPOINTER_TO_UINT(p_get_proto_data(wmem_file_scope(), pinfo, proto_mirror, key));
}

static void
analyse(tvbuff_t *tvb, packet_info *pinfo, mirror_facts_t *f)
{
    guint8 buf[MIRROR_INNER_MAX_BYTES];
    gint captured = tvb_captured_length_remaining(tvb, VXLAN_HEADER_LEN);
    gint wire = tvb_reported_length_remaining(tvb, VXLAN_HEADER_LEN);
    guint n = captured > 0 ? MIN((guint)captured, (guint)sizeof buf) : 0;
    const mirror_session_t *s;

    memset(f, 0, sizeof *f);
    f->vni = tvb_get_ntoh24(tvb, 4);
    f->copy_len = wire > 0 ? (guint32)wire : 0;
    f->has_outer = outer_source(pinfo, &f->outer);
    if (n > 0) {
        tvb_memcpy(tvb, buf, VXLAN_HEADER_LEN, n);
    }
    mirror_inner_parse(buf, n, f->copy_len, &f->inner);
    s = f->session = mirror_sessions_lookup(f->vni, f->has_outer ? &f->outer : NULL);
    f->direction = mirror_inner_direction(&f->inner, f->has_outer ? &f->outer : NULL,
                                          s != NULL ? s->eni_addrs : NULL, s != NULL ? s->n_eni_addrs : 0,
                                          s != NULL && s->has_mac ? s->mac : NULL, &f->why);
    if (!PINFO_FD_VISITED(pinfo)) {
        seen_mirror = TRUE;
        /* The direct-duplicate postdissector is registered with the first
         * mirror packet: while Wireshark has no enabled postdissector it
         * skips postdissection altogether, which is what keeps captures
         * without mirror traffic at stock speed (measured: about 600
         * instructions per packet otherwise). */
        if (!direct_registered && pref_dup_direct && pref_dup_enabled) {
            register_postdissector(direct_handle);
            direct_registered = TRUE;
        }
    }
    f->duplicate_of = duplicate_of(pinfo, KEY_DUPLICATE_OF, &f->inner,
                                   source_id(f->vni, f->has_outer ? &f->outer : NULL));
    if (!PINFO_FD_VISITED(pinfo)) {
        correlate_packet_t packet = { 0, 0, s != NULL ? s->source_eni : NULL, &f->inner, f->duplicate_of };

        correlate_state_add_packet(pinfo, &packet);
    }
}

/* The flow record this copy belongs to (docs/correlation.md), known from
 * the second pass on. */
static void
add_flow_link(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    correlate_packet_result_t r;
    proto_item *item;

    if (!correlate_state_packet(pinfo, &r) || r.status == CORRELATE_PACKET_NO_PART) {
        return;
    }
    if (r.status == CORRELATE_PACKET_OUTSIDE) {
        proto_tree_add_expert(tree, pinfo, &ei_mirror_flow_outside, tvb, 0, 0);
        return;
    }
    item = proto_tree_add_uint(tree, hf_mirror_flow, tvb, 0, 0, r.record_frame);
    proto_item_set_generated(item);
    if (r.status == CORRELATE_PACKET_DUPLICATE) {
        proto_item_append_text(item, " (a copy of a packet the record already counts)");
    }
    if (r.without_interface) {
        expert_add_info(pinfo, item, &ei_mirror_flow_no_interface);
    }
    proto_item_set_generated(proto_tree_add_string(tree, hf_mirror_flow_action, tvb, 0, 0,
                                                   r.record_reject ? "REJECT" : "ACCEPT"));
    /* Only records logged OK take part in the join. */
    proto_item_set_generated(proto_tree_add_string(tree, hf_mirror_flow_log_status, tvb, 0, 0, "OK"));
}

static const char *
direction_reason(const mirror_facts_t *f)
{
    gboolean egress = f->direction == MIRROR_DIR_EGRESS;

    switch (f->why) {
    case MIRROR_WHY_OUTER_SOURCE:
        return egress ? "inner source = outer source, the source ENI"
                      : "inner destination = outer source, the source ENI";
    case MIRROR_WHY_ENI_ADDRESS:
        return egress ? "inner source is an address of the source ENI in the session table"
                      : "inner destination is an address of the source ENI in the session table";
    case MIRROR_WHY_ENI_MAC:
        return egress ? "inner source MAC is the source ENI's MAC in the session table"
                      : "inner destination MAC is the source ENI's MAC in the session table";
    default:
        return "";
    }
}

/* What cut a copy, for the expert note, with the limit AWS documents
 * for the cause (MIRROR_OVERHEAD_*, MIRROR_GWLB_MAX_MTU). A copy inside
 * GENEVE came through a Gateway Load Balancer: the only AWS service that
 * hands mirror traffic on in GENEVE. */
static const char *
truncation_cause(packet_info *pinfo, const mirror_facts_t *f)
{
    gboolean outer_ipv6 = f->has_outer && f->outer.type == MIRROR_ADDR_IPV6;
    guint32 overhead = outer_ipv6 ? MIRROR_OVERHEAD_IPV6 : MIRROR_OVERHEAD_IPV4;
    guint32 packet_length = f->session != NULL ? f->session->packet_length : 0;
    gboolean via_gwlb = proto_is_frame_protocol(pinfo->layers, "geneve");

    /* Short: the whole note must fit an expert message (240 bytes). */
    switch (mirror_cut_cause(&f->inner, f->copy_len, packet_length, via_gwlb, outer_ipv6)) {
    case MIRROR_CUT_PACKET_LENGTH:
        if (packet_length != 0) {
            return wmem_strdup_printf(pinfo->pool, "the session's packet length (%u bytes)", packet_length);
        }
        return wmem_strdup_printf(pinfo->pool, "the session's packet length (a Gateway Load Balancer passes "
                                  "%u bytes whole)", mirror_largest_whole_packet(MIRROR_GWLB_MAX_MTU, outer_ipv6));
    case MIRROR_CUT_GWLB_MTU:
        return wmem_strdup_printf(pinfo->pool, "the Gateway Load Balancer's MTU (%u - %u = %u bytes pass whole)",
                                  MIRROR_GWLB_MAX_MTU, overhead,
                                  mirror_largest_whole_packet(MIRROR_GWLB_MAX_MTU, outer_ipv6));
    case MIRROR_CUT_TARGET_MTU:
        return wmem_strdup_printf(pinfo->pool, "the target's MTU (the session keeps more; mirroring adds %u bytes)",
                                  overhead);
    default:
        return wmem_strdup_printf(pinfo->pool, "the session's packet length or the target's MTU (mirroring adds "
                                  "%u bytes)", overhead);
    }
}

static proto_item *
add_mirror_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const mirror_facts_t *f)
{
    proto_item *ti, *item;
    proto_tree *mtree;
    const mirror_session_t *s = f->session;
    const char *dir = mirror_direction_name(f->direction);
    const char *saved_proto = pinfo->current_proto;

    /* Called through VXLAN's handle: name this protocol in expert infos. */
    pinfo->current_proto = "Mirror";
    ti = proto_tree_add_item(tree, proto_mirror, tvb, 0, VXLAN_HEADER_LEN, ENC_NA);
    if (s != NULL && s->name != NULL) {
        proto_item_append_text(ti, ": %s (VNI %u)", s->name, f->vni);
    } else {
        proto_item_append_text(ti, ": VNI %u", f->vni);
    }
    if (dir != NULL) {
        proto_item_append_text(ti, ", %s", dir);
    }
    if (f->inner.truncated) {
        proto_item_append_text(ti, ", cut to %u of %u bytes", f->copy_len, f->inner.original_len);
    }
    if (f->duplicate_of != 0) {
        proto_item_append_text(ti, ", duplicate of frame %u", f->duplicate_of);
    }
    mtree = proto_item_add_subtree(ti, ett_mirror);

    item = proto_tree_add_item(mtree, hf_mirror_vni, tvb, 4, 3, ENC_BIG_ENDIAN);
    if (s != NULL) {
        if (s->name != NULL) {
            proto_item_set_generated(proto_tree_add_string(mtree, hf_mirror_session, tvb, 4, 3, s->name));
        }
        if (s->session_id != NULL) {
            proto_item_set_generated(proto_tree_add_string(mtree, hf_mirror_session_id, tvb, 4, 3, s->session_id));
        }
        if (s->source_eni != NULL) {
            proto_item_set_generated(proto_tree_add_string(mtree, hf_mirror_source_eni, tvb, 4, 3, s->source_eni));
        }
        if (s->description != NULL) {
            proto_item_set_generated(proto_tree_add_string(mtree, hf_mirror_description, tvb, 4, 3,
                                                           s->description));
        }
        if (s->packet_length != 0) {
            proto_item_set_generated(proto_tree_add_uint(mtree, hf_mirror_packet_length, tvb, 4, 3,
                                                         s->packet_length));
        }
    } else if (mirror_sessions_count() > 0) {
        expert_add_info_format(pinfo, item, &ei_mirror_vni_unknown,
                               "VNI %u is not in the mirror_sessions table", f->vni);
    }

    if (dir != NULL) {
        item = proto_tree_add_string(mtree, hf_mirror_direction, tvb, 0, 0, dir);
        proto_item_set_generated(item);
        proto_item_append_text(item, " (%s)", direction_reason(f));
    }

    if (f->inner.truncated) {
        proto_tree *ttree;

        item = proto_tree_add_uint(mtree, hf_mirror_truncated, tvb, 0, 0, f->inner.original_len);
        proto_item_set_generated(item);
        ttree = proto_item_add_subtree(item, ett_mirror_truncated);
        proto_item_set_generated(proto_tree_add_uint(ttree, hf_mirror_copy_length, tvb, VXLAN_HEADER_LEN,
                                                     tvb_captured_length_remaining(tvb, VXLAN_HEADER_LEN),
                                                     f->copy_len));
        expert_add_info_format(pinfo, item, &ei_mirror_truncated,
                               "Mirrored copy cut to %u of %u bytes by %s: a Traffic Mirroring artefact, "
                               "not a malformed packet; checksums of the cut inner packet are not meaningful",
                               f->copy_len, f->inner.original_len, truncation_cause(pinfo, f));
    }

    if (f->duplicate_of != 0) {
        item = proto_tree_add_boolean(mtree, hf_mirror_duplicate, tvb, 0, 0, TRUE);
        proto_item_set_generated(item);
        expert_add_info_format(pinfo, item, &ei_mirror_duplicate,
                               "Duplicate of frame %u: the same packet delivered by another mirror session "
                               "(or captured directly) within %u ms; filter !mirror.duplicate to drop it",
                               f->duplicate_of, pref_dup_window_ms);
        proto_item_set_generated(proto_tree_add_uint(mtree, hf_mirror_duplicate_of, tvb, 0, 0,
                                                     f->duplicate_of));
    }
    add_flow_link(tvb, pinfo, mtree);
    pinfo->current_proto = saved_proto;
    return ti;
}

static void
fill_tap_addresses(packet_info *pinfo, mirror_tap_info_t *info, const mirror_inner_t *inner)
{
    info->has_ip = inner->has_ip;
    if (inner->has_ip) {
        address_type type = inner->src.type == MIRROR_ADDR_IPV4 ? AT_IPv4 : AT_IPv6;
        int len = inner->src.type == MIRROR_ADDR_IPV4 ? 4 : 16;

        set_address(&info->src, type, len, wmem_memdup(pinfo->pool, inner->src.bytes, len));
        set_address(&info->dst, type, len, wmem_memdup(pinfo->pool, inner->dst.bytes, len));
        info->ip_proto = inner->ip_proto;
        info->has_ports = inner->has_ports;
        info->src_port = inner->src_port;
        info->dst_port = inner->dst_port;
    }
}

/* The mirrored frame for "Export PDUs" (File menu; tshark -U), as an
 * Ethernet frame. (Wireshark 4.0 gives export taps no packet options, so
 * the session name cannot travel as a comment here; -z mirror,decap
 * writes one, see mirror-decap.c.) */
static void
export_inner_frame(packet_info *pinfo, tvbuff_t *frame_tvb)
{
    exp_pdu_data_t *exp = wmem_new0(pinfo->pool, exp_pdu_data_t);

    exp->tvb_captured_length = tvb_captured_length(frame_tvb);
    exp->tvb_reported_length = tvb_reported_length(frame_tvb);
    exp->pdu_tvb = frame_tvb;
    tap_queue_packet(mirror_export_tap, pinfo, exp);
}

/* Info column, tap and export, after the inner packet was dissected
 * (or threw). */
static void
finish(tvbuff_t *copy_tvb, packet_info *pinfo, const mirror_facts_t *f)
{
    const char *dir = mirror_direction_name(f->direction);
    const char *name = f->session != NULL ? f->session->name : NULL;
    tvbuff_t *frame_tvb = NULL;
    mirror_tap_info_t *info;

    if (name != NULL) {
        col_prepend_fstr(pinfo->cinfo, COL_INFO, "[%s%s%s%s] ", name, dir != NULL ? " " : "", dir != NULL ? dir : "",
                         f->duplicate_of != 0 ? ", duplicate" : "");
    } else {
        col_prepend_fstr(pinfo->cinfo, COL_INFO, "[VNI %u%s%s%s] ", f->vni, dir != NULL ? " " : "",
                         dir != NULL ? dir : "", f->duplicate_of != 0 ? ", duplicate" : "");
    }

    if (tvb_captured_length(copy_tvb) > VXLAN_HEADER_LEN &&
        (have_tap_listener(mirror_tap) || have_tap_listener(mirror_export_tap))) {
        frame_tvb = tvb_new_subset_remaining(copy_tvb, VXLAN_HEADER_LEN);
    }
    if (have_tap_listener(mirror_tap)) {
        info = wmem_new0(pinfo->pool, mirror_tap_info_t);
        info->vni = f->vni;
        info->session = name;
        info->session_id = f->session != NULL ? f->session->session_id : NULL;
        info->frame_tvb = frame_tvb;
        info->direction = f->direction;
        info->truncated = f->inner.truncated;
        info->duplicate = f->duplicate_of != 0;
        info->inner_len = f->inner.truncated ? f->inner.original_len : f->copy_len;
        fill_tap_addresses(pinfo, info, &f->inner);
        tap_queue_packet(mirror_tap, pinfo, info);
    }
    if (frame_tvb != NULL && have_tap_listener(mirror_export_tap)) {
        export_inner_frame(pinfo, frame_tvb);
    }
}

static int
call_stock_vxlan(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, gboolean as_layer)
{
    /* From the heuristic the VXLAN layer still has to be added; from the
     * port wrapper (whose handle is VXLAN's) it already was. */
    if (as_layer) {
        return call_dissector_only(vxlan_handle, tvb, pinfo, tree, data);
    }
    return dissector_try_string_with_data(stock_table, "vxlan", tvb, pinfo, tree, FALSE, data);
}

static int
dissect_mirror_copy(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, gboolean from_heuristic)
{
    mirror_facts_t facts;
    tvbuff_t *volatile copy_tvb = tvb;
    volatile int len = 0;

    /* Only the first VXLAN layer of a frame is the mirror session. */
    if (!proto_is_protocol_enabled(mirror_protocol) || tvb_captured_length(tvb) < VXLAN_HEADER_LEN ||
        (tvb_get_uint8(tvb, 0) & VXLAN_FLAG_I) == 0 ||
        p_get_proto_data(pinfo->pool, pinfo, proto_mirror, KEY_ANNOTATED) != NULL) {
        return call_stock_vxlan(tvb, pinfo, tree, data, from_heuristic);
    }
    p_add_proto_data(pinfo->pool, pinfo, proto_mirror, KEY_ANNOTATED, GUINT_TO_POINTER(1));

    /* The session's layer comes first, the VXLAN header it rides in next. */
    analyse(tvb, pinfo, &facts);
    add_mirror_tree(tvb, pinfo, tree, &facts);

    /* A cut copy: the inner dissectors see the original length with the
     * copied bytes captured, as if a snap length had cut it, instead of
     * an IP length that "exceeds the packet". */
    if (facts.inner.truncated && tvb_captured_length(tvb) > VXLAN_HEADER_LEN) {
        guint caplen = tvb_captured_length(tvb);

        copy_tvb = tvb_new_child_real_data(tvb, tvb_get_ptr(tvb, 0, caplen), caplen,
                                           VXLAN_HEADER_LEN + facts.inner.original_len);
        add_new_data_source(pinfo, copy_tvb, "Mirrored copy (cut by mirroring)");
    }

    /* Also when the inner packet throws (a cut copy ends inside a header). */
    TRY {
        len = call_stock_vxlan(copy_tvb, pinfo, tree, data, from_heuristic);
    }
    FINALLY {
        finish(copy_tvb, pinfo, &facts);
    }
    ENDTRY;

    return len > 0 ? (int)tvb_captured_length(tvb) : len;
}

/* udp.port 4789 (and the ports stock VXLAN is given). */
static int
dissect_mirror_vxlan(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return dissect_mirror_copy(tvb, pinfo, tree, data, FALSE);
}

/* VXLAN on any other UDP port; never throws (lengths are checked before
 * anything is read). */
static vpcshark_heur_bool
dissect_mirror_vxlan_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    guint8 buf[MIRROR_INNER_MAX_BYTES];
    guint captured = tvb_captured_length(tvb);
    guint n = MIN(captured, (guint)sizeof buf);

    /* The cheap test first: most UDP payloads fail on the first word. */
    if (captured < VXLAN_HEADER_LEN + 14 || tvb_get_ntohl(tvb, 0) != 0x08000000 ||
        !proto_is_protocol_enabled(vxlan_protocol)) {
        return FALSE;
    }
    tvb_memcpy(tvb, buf, 0, n);
    if (!mirror_vxlan_plausible(buf, n, MAX(tvb_reported_length(tvb), n))) {
        return FALSE;
    }
    return dissect_mirror_copy(tvb, pinfo, tree, data, TRUE) > 0;
}

/* A directly captured packet (not a mirror copy) that a session also
 * mirrored is a duplicate too. */
static int
dissect_mirror_direct(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    guint32 first;
    proto_item *ti, *item;
    proto_tree *mtree;

    if (!PINFO_FD_VISITED(pinfo) && !seen_mirror) {
        return 0; /* the cheap path of every capture without mirror traffic */
    }
    if (p_get_proto_data(pinfo->pool, pinfo, proto_mirror, KEY_ANNOTATED) != NULL) {
        return 0;
    }
    if (!PINFO_FD_VISITED(pinfo) && pref_dup_direct && pinfo->rec != NULL &&
        pinfo->rec->rec_type == REC_TYPE_PACKET) {
        guint8 buf[MIRROR_INNER_MAX_BYTES];
        guint captured = tvb_captured_length(tvb);
        guint wire = tvb_reported_length(tvb);
        guint skip = 0;
        gboolean ethernet = FALSE;
        mirror_inner_t inner;

        switch (pinfo->rec->rec_header.packet_header.pkt_encap) {
        case WTAP_ENCAP_ETHERNET:
            ethernet = TRUE;
            break;
        case WTAP_ENCAP_RAW_IP:
        case WTAP_ENCAP_RAW_IP4:
        case WTAP_ENCAP_RAW_IP6:
            break;
        case WTAP_ENCAP_SLL:
            skip = 16;
            break;
        case WTAP_ENCAP_SLL2:
            skip = 20;
            break;
        default:
            return 0;
        }
        if (captured <= skip) {
            return 0;
        }
        captured = MIN(captured - skip, (guint)sizeof buf);
        tvb_memcpy(tvb, buf, skip, captured);
        if (ethernet ? mirror_inner_parse(buf, captured, wire - skip, &inner)
                     : mirror_inner_parse_ip(buf, captured, wire - skip, &inner)) {
            guint32 dup = duplicate_of(pinfo, KEY_DIRECT_DUP, &inner, 0);

            /* A direct capture of a mirrored packet joins its records by
             * addresses and ports (no interface), and is not counted twice. */
            if (dup != 0) {
                correlate_packet_t packet = { 0, 0, NULL, &inner, dup };

                correlate_state_add_packet(pinfo, &packet);
            }
        }
    }
    first = GPOINTER_TO_UINT(p_get_proto_data(wmem_file_scope(), pinfo, proto_mirror, KEY_DIRECT_DUP));
    if (first == 0) {
        return 0;
    }

    ti = proto_tree_add_item(tree, proto_mirror, tvb, 0, 0, ENC_NA);
    proto_item_append_text(ti, ": captured directly, also mirrored (duplicate of frame %u)", first);
    mtree = proto_item_add_subtree(ti, ett_mirror);
    item = proto_tree_add_boolean(mtree, hf_mirror_duplicate, tvb, 0, 0, TRUE);
    proto_item_set_generated(item);
    expert_add_info_format(pinfo, item, &ei_mirror_duplicate_direct,
                           "Duplicate of frame %u: this packet was captured directly and also delivered by a "
                           "mirror session within %u ms; filter !mirror.duplicate to drop it",
                           first, pref_dup_window_ms);
    proto_item_set_generated(proto_tree_add_uint(mtree, hf_mirror_duplicate_of, tvb, 0, 0, first));
    add_flow_link(tvb, pinfo, mtree);
    col_append_fstr(pinfo->cinfo, COL_INFO, " [duplicate of mirrored frame %u]", first);

    if (have_tap_listener(mirror_tap)) {
        mirror_tap_info_t *info = wmem_new0(pinfo->pool, mirror_tap_info_t);

        info->duplicate = TRUE;
        info->direct = TRUE;
        info->inner_len = tvb_reported_length(tvb);
        tap_queue_packet(mirror_tap, pinfo, info);
    }
    return tvb_captured_length(tvb);
}

/*
 * Ports stock VXLAN holds because VXLAN put them there: registrations,
 * and the ports of its vxlan.udp.port preference (applying it re-adds
 * them as changes of the table). A port a user gave VXLAN with Decode
 * As is not one of them.
 */
static void
find_vxlan_registrations(const gchar *table_name _U_, ftenum_t selector_type _U_, gpointer key, gpointer value,
                         gpointer user_data)
{
    GSList **ports = (GSList **)user_data;
    dtbl_entry_t *entry = (dtbl_entry_t *)value;
    dissector_handle_t initial = dtbl_entry_get_initial_handle(entry);
    range_t *preference = prefs_get_range_value("vxlan", "udp.port");

    if (dtbl_entry_get_handle(entry) == vxlan_handle &&
        (initial == vxlan_handle || initial == mirror_vxlan_handle ||
         (preference != NULL && value_is_in_range(preference, GPOINTER_TO_UINT(key))))) {
        *ports = g_slist_prepend(*ports, key);
    }
}

static void
mirror_init(void)
{
    GSList *ports = NULL, *p;

    mirror_dedup_free(dedup);
    dedup = mirror_dedup_new((gint64)pref_dup_window_ms * 1000000, DUP_MAX_PACKETS);
    seen_mirror = FALSE;
    mirror_sessions_apply_prefs();

    /* VXLAN's own ports take the wrapper as a registration again
     * (dissector_add_uint): dissector_change_uint would make them Decode
     * As changes, which the dialog lists and saves as "VXLAN (Traffic
     * Mirror)", an entry that outlives the plugin. A port a user gave
     * VXLAN with Decode As stays as the user made it (stock VXLAN); Decode
     * As "VXLAN (Traffic Mirror)" annotates such a port. */
    if (vxlan_handle != NULL && mirror_vxlan_handle != NULL) {
        dissector_table_foreach("udp.port", find_vxlan_registrations, &ports);
        for (p = ports; p != NULL; p = p->next) {
            dissector_add_uint("udp.port", GPOINTER_TO_UINT(p->data), mirror_vxlan_handle);
        }
        g_slist_free(ports);
    }
}

static void
mirror_cleanup(void)
{
    mirror_dedup_free(dedup);
    dedup = NULL;
    seen_mirror = FALSE;
}

static void
apply_mirror_prefs(void)
{
    mirror_sessions_apply_prefs();
}

void
proto_register_mirror(void)
{
    static hf_register_info hf[] = {
        { &hf_mirror_vni,
          { "VNI", "mirror.vni",
            FT_UINT24, BASE_DEC, NULL, 0x0,
            "VXLAN network identifier of the mirror session", HFILL }
        },
        { &hf_mirror_session,
          { "Session", "mirror.session",
            FT_STRING, BASE_NONE, NULL, 0x0,
            "Name of the mirror session (mirror_sessions table)", HFILL }
        },
        { &hf_mirror_session_id,
          { "Session ID", "mirror.session_id",
            FT_STRING, BASE_NONE, NULL, 0x0,
            "Traffic Mirror session ID (tms-...)", HFILL }
        },
        { &hf_mirror_source_eni,
          { "Source ENI", "mirror.source_eni",
            FT_STRING, BASE_NONE, NULL, 0x0,
            "The mirrored network interface (eni-...)", HFILL }
        },
        { &hf_mirror_description,
          { "Description", "mirror.description",
            FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL }
        },
        { &hf_mirror_packet_length,
          { "Session packet length", "mirror.packet_length",
            FT_UINT32, BASE_DEC, NULL, 0x0,
            "Bytes the session keeps after the VXLAN header", HFILL }
        },
        { &hf_mirror_direction,
          { "Direction", "mirror.direction",
            FT_STRING, BASE_NONE, NULL, 0x0,
            "egress: sent by the mirrored interface; ingress: received by it", HFILL }
        },
        { &hf_mirror_truncated,
          { "Cut by mirroring, original length", "mirror.truncated",
            FT_UINT32, BASE_DEC, NULL, 0x0,
            "The copy is shorter than the packet was; the original length of the mirrored frame", HFILL }
        },
        { &hf_mirror_copy_length,
          { "Bytes in the copy", "mirror.copy_length",
            FT_UINT32, BASE_DEC, NULL, 0x0,
            "Bytes after the VXLAN header", HFILL }
        },
        { &hf_mirror_duplicate,
          { "Duplicate copy", "mirror.duplicate",
            FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The same packet was delivered earlier by another mirror session or captured directly", HFILL }
        },
        { &hf_mirror_duplicate_of,
          { "Duplicate of frame", "mirror.duplicate_of",
            FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Frame holding the first copy", HFILL }
        },
        { &hf_mirror_flow,
          { "Flow record", "mirror.flow",
            FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Frame of the flow log record that counts this packet (flow log merged into the capture)", HFILL }
        },
        { &hf_mirror_flow_action,
          { "Flow record action", "mirror.flow.action",
            FT_STRING, BASE_NONE, NULL, 0x0,
            "ACCEPT or REJECT, as the flow record of this packet says", HFILL }
        },
        { &hf_mirror_flow_log_status,
          { "Flow record log status", "mirror.flow.log_status",
            FT_STRING, BASE_NONE, NULL, 0x0,
            "log-status of the flow record of this packet", HFILL }
        },
    };

    static gint *ett[] = {
        &ett_mirror,
        &ett_mirror_truncated,
    };

    static ei_register_info ei[] = {
        { &ei_mirror_truncated,
          { "mirror.truncated.note", PI_PROTOCOL, PI_NOTE,
            "Copy cut by Traffic Mirroring (not a malformed packet)", EXPFILL }
        },
        { &ei_mirror_duplicate,
          { "mirror.duplicate.note", PI_SEQUENCE, PI_NOTE,
            "Duplicate mirror copy", EXPFILL }
        },
        { &ei_mirror_duplicate_direct,
          { "mirror.duplicate.direct", PI_SEQUENCE, PI_NOTE,
            "Directly captured packet that was also mirrored", EXPFILL }
        },
        { &ei_mirror_vni_unknown,
          { "mirror.vni.unknown", PI_UNDECODED, PI_CHAT,
            "VNI not in the mirror_sessions table", EXPFILL }
        },
        { &ei_mirror_flow_outside,
          { "mirror.flow.outside", PI_SEQUENCE, PI_NOTE,
            "No flow record of this interface and flow has a time window holding this packet "
            "(no flow log there, a NODATA or SKIPDATA interval, or traffic the records do not cover)", EXPFILL }
        },
        { &ei_mirror_flow_no_interface,
          { "mirror.flow.no_interface", PI_SEQUENCE, PI_NOTE,
            "Matched by addresses, protocol and ports alone: no source ENI is known for this packet "
            "(its VNI has none in the session table, or it was captured directly)",
            EXPFILL }
        },
    };

    module_t *module;
    expert_module_t *expert;

    proto_mirror = proto_register_protocol("Traffic Mirror Session", "Mirror", "mirror");
    proto_register_field_array(proto_mirror, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto_mirror);
    expert_register_field_array(expert, ei, array_length(ei));

    module = prefs_register_protocol(proto_mirror, apply_mirror_prefs);
    mirror_sessions_register(proto_mirror, module);
    prefs_register_bool_preference(module, "duplicates", "Mark duplicate copies",
        "Mark the second copy of a packet that two mirror sessions (both ends of a flow) "
        "or a session and a direct capture delivered (mirror.duplicate)",
        &pref_dup_enabled);
    prefs_register_uint_preference(module, "duplicate_window_ms", "Duplicate window (ms)",
        "How far apart in time two copies of one packet may be",
        10, &pref_dup_window_ms);
    prefs_register_bool_preference(module, "duplicates_direct", "Compare directly captured packets too",
        "Also mark a directly captured packet as a duplicate when a mirror session delivered it "
        "(or the other way round)",
        &pref_dup_direct);

    /* Stock dissectors called without adding a protocol layer. */
    stock_table = register_dissector_table("mirror.stock", "Stock dissectors called by Traffic Mirror",
                                           proto_mirror, FT_STRING, STRING_CASE_SENSITIVE);

    /* Directly captured packets that were also mirrored: registered as a
     * postdissector with the first mirror packet (see analyse()). */
    direct_handle = create_dissector_handle(dissect_mirror_direct, proto_mirror);

    mirror_tap = register_tap("mirror");
    mirror_export_tap = register_export_pdu_tap_with_encap(EXPORT_TAP_NAME, WTAP_ENCAP_ETHERNET);
    register_init_routine(mirror_init);
    register_cleanup_routine(mirror_cleanup);

    mirror_stats_register(proto_mirror);
    mirror_decap_register();
}

void
proto_reg_handoff_mirror(void)
{
    dissector_table_t udp_port;

    mirror_protocol = find_protocol_by_id(proto_mirror);
    proto_vxlan = proto_get_id_by_filter_name("vxlan");
    vxlan_protocol = proto_vxlan >= 0 ? find_protocol_by_id(proto_vxlan) : NULL;
    udp_port = find_dissector_table("udp.port");

    /* Stock VXLAN's handle: by name where a version registers one (4.0
     * does not), else the one on its port. */
    vxlan_handle = find_dissector("vxlan");
    if (vxlan_handle == NULL) {
        vxlan_handle = dissector_get_default_uint_handle("udp.port", UDP_PORT_VXLAN);
    }
    if (vxlan_handle == NULL || vxlan_protocol == NULL ||
        dissector_handle_get_protocol_index(vxlan_handle) != proto_vxlan || udp_port == NULL) {
        ws_warning("Traffic Mirror Session: the VXLAN dissector was not found; mirror sessions are not annotated");
        vxlan_handle = NULL;
        return;
    }
    dissector_add_string("mirror.stock", "vxlan", vxlan_handle);

    mirror_vxlan_handle = create_dissector_handle_with_name_and_description(dissect_mirror_vxlan, proto_vxlan,
                                                                            "mirror_vxlan", "VXLAN (Traffic Mirror)");
    if (dissector_get_uint_handle(udp_port, UDP_PORT_VXLAN) == vxlan_handle) {
        dissector_add_uint("udp.port", UDP_PORT_VXLAN, mirror_vxlan_handle);
    }
    heur_dissector_add("udp", dissect_mirror_vxlan_heur, "VXLAN (Traffic Mirror) on any UDP port",
                       "mirror_vxlan_udp", proto_mirror, HEURISTIC_ENABLE);

    mirror_stats_register_handoff();
}
