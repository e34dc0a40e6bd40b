/* vpcflow-join.c
 * A flow record's side of the join with the mirrored packets of the same
 * capture (docs/correlation.md): the first pass hands the record to the
 * join, later passes show how many mirrored packets and bytes it covers,
 * links to the first and last, and where the record and the mirror
 * disagree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-join.h"

#include <epan/expert.h>
#include <epan/prefs.h>

#include <string.h>

#include "correlate-state.h"

static int hf_mirror_packets = VPCSHARK_ID_INIT;
static int hf_mirror_bytes = VPCSHARK_ID_INIT;
static int hf_mirror_first_frame = VPCSHARK_ID_INIT;
static int hf_mirror_last_frame = VPCSHARK_ID_INIT;
static int hf_mirror_verdict = VPCSHARK_ID_INIT;

static expert_field ei_mirror_disagree = EI_INIT;
static expert_field ei_mirror_reject = EI_INIT;

static vpcshark_pref_bool pref_join = TRUE;
static guint pref_lag_s = CORRELATE_DEFAULT_LAG_S;

static void
hand_over(packet_info *pinfo, const vpcflow_tap_info_t *s)
{
    correlate_record_t r;

    memset(&r, 0, sizeof r);
    r.interface_id = s->where;
    correlate_state_address(&s->src, &r.src);
    correlate_state_address(&s->dst, &r.dst);
    r.has_protocol = s->has_protocol && s->protocol <= G_MAXUINT8;
    r.protocol = (guint8)s->protocol;
    r.has_ports = s->has_srcport && s->has_dstport && s->srcport <= G_MAXUINT16 && s->dstport <= G_MAXUINT16;
    r.src_port = (guint16)s->srcport;
    r.dst_port = (guint16)s->dstport;
    r.has_times = s->has_start && s->has_end;
    r.start = (gint64)s->start.secs;
    r.end = (gint64)s->end.secs;
    r.has_packets = s->has_packets;
    r.packets = s->packets;
    r.bytes = s->has_bytes ? s->bytes : 0;
    /* A format without log-status: a record with traffic is an OK one. */
    r.status_ok = s->log_status == NULL || strcmp(s->log_status, "OK") == 0;
    r.reject = s->action != NULL && strcmp(s->action, "REJECT") == 0;
    correlate_state_add_record(pinfo, &r);
}

void
vpcflow_join_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gint offset, gint length,
                    const vpcflow_tap_info_t *s)
{
    correlate_record_result_t r;
    proto_item *item;

    if (!PINFO_FD_VISITED(pinfo)) {
        hand_over(pinfo, s);
        return;
    }
    if (!correlate_state_record(pinfo, &r) || r.verdict == CORRELATE_RECORD_NO_PART) {
        return;
    }
    item = proto_tree_add_uint64(tree, hf_mirror_packets, tvb, offset, length, r.packets);
    proto_item_set_generated(item);
    proto_item_set_generated(proto_tree_add_uint64(tree, hf_mirror_bytes, tvb, offset, length, r.bytes));
    if (r.first_frame != 0) {
        proto_item_set_generated(proto_tree_add_uint(tree, hf_mirror_first_frame, tvb, offset, length,
                                                     r.first_frame));
        proto_item_set_generated(proto_tree_add_uint(tree, hf_mirror_last_frame, tvb, offset, length,
                                                     r.last_frame));
    }
    proto_item_set_generated(proto_tree_add_string(tree, hf_mirror_verdict, tvb, offset, length,
                                                   correlate_record_verdict_name(r.verdict)));
    if (r.verdict == CORRELATE_RECORD_PARTLY_SEEN || r.verdict == CORRELATE_RECORD_NOT_SEEN) {
        expert_add_info_format(pinfo, item, &ei_mirror_disagree,
                               "The mirror saw %" PRIu64 " of the %" PRIu64 " packets this record counts "
                               "(mirror filter rules, no session or a session started late, copies dropped)",
                               r.packets, r.logged_packets);
    } else if (r.verdict == CORRELATE_RECORD_MORE_THAN_LOGGED) {
        expert_add_info_format(pinfo, item, &ei_mirror_disagree,
                               "The mirror saw %" PRIu64 " packets of this flow where the record counts %" PRIu64,
                               r.packets, r.logged_packets);
    }
    if (r.reject_mirrored) {
        expert_add_info(pinfo, item, &ei_mirror_reject);
    }
}

void
vpcflow_join_register_prefs(module_t *module)
{
    prefs_register_bool_preference(module, "mirror_join", "Join records with mirrored packets",
        "In a flow log merged with a mirror capture, find the mirrored packets each record covers "
        "(vpcflow.mirror.*, mirror.flow, -z vpcflow,mirror; docs/correlation.md)", &pref_join);
    prefs_register_uint_preference(module, "mirror_lag", "Lag allowed (seconds)",
        "How long after a packet AWS may stamp a record's start and end (AWS documents up to 60 s)", 10,
        &pref_lag_s);
    correlate_state_use_prefs(&pref_join, &pref_lag_s);
}

void
vpcflow_join_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_mirror_packets,
          { "Mirrored packets", "vpcflow.mirror.packets", FT_UINT64, BASE_DEC, NULL, 0,
            "Mirrored packets of this capture that this record covers (a flow log merged with a mirror capture)",
            HFILL } },
        { &hf_mirror_bytes,
          { "Mirrored bytes", "vpcflow.mirror.bytes", FT_UINT64, BASE_DEC, NULL, 0,
            "IP bytes of those packets, headers included; a cut copy counts its original length", HFILL } },
        { &hf_mirror_first_frame,
          { "First mirrored frame", "vpcflow.mirror.first_frame", FT_FRAMENUM, BASE_NONE, NULL, 0,
            NULL, HFILL } },
        { &hf_mirror_last_frame,
          { "Last mirrored frame", "vpcflow.mirror.last_frame", FT_FRAMENUM, BASE_NONE, NULL, 0,
            NULL, HFILL } },
        { &hf_mirror_verdict,
          { "Seen by the mirror", "vpcflow.mirror.verdict", FT_STRING, BASE_NONE, NULL, 0,
            "fully seen, partly seen, not seen, more than logged", HFILL } },
    };
    static ei_register_info ei[] = {
        { &ei_mirror_disagree,
          { "vpcflow.mirror.disagree", PI_SEQUENCE, PI_NOTE,
            "The record and the mirror count different packets", EXPFILL } },
        { &ei_mirror_reject,
          { "vpcflow.mirror.reject_mirrored", PI_SECURITY, PI_NOTE,
            "REJECT record whose packets were mirrored (AWS: packets that security group or network ACL rules "
            "drop at the source are not mirrored; mirrored outbound traffic is not subject to security group "
            "evaluation)", EXPFILL } },
    };

    proto_register_field_array(proto, hf, array_length(hf));
    expert_register_field_array(expert_register_protocol(proto), ei, array_length(ei));
}
