/* packet-vpcflow.c
 * Routines for AWS VPC Flow Log records
 *
 * One frame holds one flow-log record, as the vpcflow file reader (or
 * an Exported PDU capture) delivers it: the record's text plus the
 * format that names its columns (layout in plugin/flowlog/core/vpcflow-frame.h).
 * Every AWS field becomes a typed, filterable field; a "-" value adds
 * no field. Lines that do not decode are flagged, never dropped.
 *
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "epan-compat.h"
#include "transport.h"

#include <epan/address.h>
#include <epan/expert.h>
#include <epan/ipproto.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/wmem_scopes.h>
#include <wsutil/utf8_entities.h>

#include <string.h>

#include "vpcflow-reports.h"
#include "vpcflow-tap.h"
#include "vpcflow-fields.h"
#include "vpcflow-frame.h"
#include "vpcflow-join.h"
#include "vpcflow-record.h"
#include "vpcflow-settings.h"

/* Shown as format source when the vpcflow.format preference decided. */
#define SOURCE_PREFERENCE 4

/* Formats seen in frames, parsed once; cleared if a capture has too many. */
#define FORMAT_CACHE_MAX 256

void proto_register_vpcflow(void);

static int proto_vpcflow = VPCSHARK_ID_INIT;
static int vpcflow_tap = VPCSHARK_ID_INIT;

/* One field per catalogue entry (vpcflow.<name>); addresses have an
 * IPv6 twin (vpcflow.<name>_v6), as NetFlow's cflow.srcaddr_v6 does,
 * because a 4.0 display filter field has one type. */
static int *hf_vpcflow_field;
static int *hf_vpcflow_field_v6;

/* tcp-flags as AWS records them: FIN, SYN, RST and SYN-ACK. */
static int hf_vpcflow_tcp_flags_fin = VPCSHARK_ID_INIT;
static int hf_vpcflow_tcp_flags_syn = VPCSHARK_ID_INIT;
static int hf_vpcflow_tcp_flags_rst = VPCSHARK_ID_INIT;
static int hf_vpcflow_tcp_flags_syn_ack = VPCSHARK_ID_INIT;
static int hf_vpcflow_addr = VPCSHARK_ID_INIT;
static int hf_vpcflow_addr_v6 = VPCSHARK_ID_INIT;
static int hf_vpcflow_port = VPCSHARK_ID_INIT;
static int hf_vpcflow_duration = VPCSHARK_ID_INIT;
static int hf_vpcflow_unknown_field = VPCSHARK_ID_INIT;
static int hf_vpcflow_token = VPCSHARK_ID_INIT;
static int hf_vpcflow_comment = VPCSHARK_ID_INIT;
static int hf_vpcflow_line = VPCSHARK_ID_INIT;
static int hf_vpcflow_format = VPCSHARK_ID_INIT;
static int hf_vpcflow_format_source = VPCSHARK_ID_INIT;
static int hf_vpcflow_log_group = VPCSHARK_ID_INIT;
static int hf_vpcflow_log_stream = VPCSHARK_ID_INIT;
static int hf_vpcflow_event_time = VPCSHARK_ID_INIT;
static int hf_vpcflow_ingestion_time = VPCSHARK_ID_INIT;
static int hf_vpcflow_event_id = VPCSHARK_ID_INIT;
static int hf_vpcflow_line_prefix = VPCSHARK_ID_INIT;
static int hf_vpcflow_owner = VPCSHARK_ID_INIT;
static int hf_vpcflow_message_type = VPCSHARK_ID_INIT;
static int hf_vpcflow_offset = VPCSHARK_ID_INIT;
static int hf_vpcflow_row = VPCSHARK_ID_INIT;
static int hf_vpcflow_row_group = VPCSHARK_ID_INIT;

static gint ett_vpcflow = VPCSHARK_ID_INIT;
static gint ett_vpcflow_source = VPCSHARK_ID_INIT;
static gint ett_vpcflow_tcp_flags = VPCSHARK_ID_INIT;

static expert_field ei_vpcflow_malformed = EI_INIT;
static expert_field ei_vpcflow_format_unknown = EI_INIT;
static expert_field ei_vpcflow_unknown_field = EI_INIT;
static expert_field ei_vpcflow_comment = EI_INIT;
static expert_field ei_vpcflow_nodata = EI_INIT;
static expert_field ei_vpcflow_skipdata = EI_INIT;
static expert_field ei_vpcflow_reject = EI_INIT;
static expert_field ei_vpcflow_tcp_flags_unrecorded = EI_INIT;
static expert_field ei_vpcflow_time_ms = EI_INIT;
static expert_field ei_vpcflow_time_order = EI_INIT;
static expert_field ei_vpcflow_control = EI_INIT;

static const char *pref_format = "";
static vpcflow_format_t *pref_format_parsed;
static GHashTable *format_cache;

static const value_string vpcflow_format_source_vals[] = {
    { VPCFLOW_FORMAT_FROM_NONE, "not known" },
    { VPCFLOW_FORMAT_FROM_HEADER, "header line of the file (Parquet: its column names)" },
    { VPCFLOW_FORMAT_FROM_DETECTED, "recognised from the values (no header line)" },
    { VPCFLOW_FORMAT_FROM_CONFIGURED, "given when the file was opened" },
    { SOURCE_PREFERENCE, "vpcflow.format preference" },
    { 0, NULL }
};

static const value_string vpcflow_traffic_path_vals[] = {
    { 1, "Through another resource in the same VPC" },
    { 2, "Through an internet gateway or a gateway VPC endpoint" },
    { 3, "Through a virtual private gateway" },
    { 4, "Through an intra-region VPC peering connection" },
    { 5, "Through an inter-region VPC peering connection" },
    { 6, "Through a local gateway" },
    { 7, "Through a gateway VPC endpoint (Nitro)" },
    { 8, "Through an internet gateway (Nitro)" },
    { 0, NULL }
};

static const value_string vpcflow_encryption_status_vals[] = {
    { 0, "Not encrypted" },
    { 1, "Encrypted by Nitro" },
    { 2, "Encrypted by the application" },
    { 3, "Encrypted by Nitro and by the application" },
    { 0, NULL }
};

/* What the columns, the summary items and the taps need from a record. */
typedef vpcflow_tap_info_t flow_summary_t;

/* What the export says about the record besides its text. */
typedef struct {
    const char   *problem;      /* the frame holds no record, because of this */
    const char   *problem_shape; /* ... found reading this ("JSON", "CSV") */
    const char   *message_type; /* a CloudWatch control message */
    guint64       offset;
    gboolean      has_offset;
    guint64       row;          /* a table's row, from 1; 0 if none */
} record_meta_t;

/* How to name the record in messages ("line 12", "the event at byte
 * 3456"); only written when there is a message. */
static const char *
record_place(wmem_allocator_t *pool, const vpcflow_envelope_t *env, const record_meta_t *meta)
{
    if (env->line)
        return wmem_strdup_printf(pool, "line %u", env->line);
    if (meta->has_offset)
        return wmem_strdup_printf(pool, "the event at byte %" G_GUINT64_FORMAT, meta->offset);
    if (meta->row)
        return wmem_strdup_printf(pool, "row %" G_GUINT64_FORMAT, meta->row);
    return "this record";
}

/* Where a token is, for messages: "line 12, column 7 (srcport)". */
typedef struct {
    const vpcflow_envelope_t *env;
    const record_meta_t      *meta;
    guint                     column;
    const char               *name;
} token_place_t;

static char *
describe_place(wmem_allocator_t *pool, const token_place_t *place)
{
    return wmem_strdup_printf(pool, "%s, column %u (%s)", record_place(pool, place->env, place->meta),
                              place->column + 1, place->name);
}

static void
flag_token(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gint offset, gint length,
           const token_place_t *place, const char *token, const char *problem, flow_summary_t *summary)
{
    proto_tree_add_expert_format(tree, pinfo, &ei_vpcflow_malformed, tvb, offset, length,
                                 "Malformed %s: \"%s\" %s", describe_place(pinfo->pool, place),
                                 format_text(pinfo->pool, token, (gsize)length), problem);
    summary->malformed = TRUE;
}

/* The value, what it is made of ("19 (SYN-ACK + FIN)"), the four flags
 * AWS records, and a note for bits AWS's pages give no place (tgw: a
 * Transit Gateway record, whose page also lists PSH, ACK and URG). */
static void
add_tcp_flags(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int hf, gint offset, gint length,
              guint32 flags, gboolean tgw)
{
    char names[VPCFLOW_TCP_NAMES_LEN];
    char odd_names[VPCFLOW_TCP_NAMES_LEN];
    guint32 odd = vpcflow_tcp_flags_unrecorded(flags, tgw);
    proto_item *item = proto_tree_add_uint(tree, hf, tvb, offset, length, flags);
    proto_tree *flags_tree = proto_item_add_subtree(item, ett_vpcflow_tcp_flags);

    vpcflow_tcp_flags_names(flags, names, sizeof names);
    proto_item_append_text(item, " (%s)", flags ? names : "no FIN, SYN, RST or SYN-ACK");
    proto_tree_add_boolean(flags_tree, hf_vpcflow_tcp_flags_fin, tvb, offset, length, flags);
    proto_tree_add_boolean(flags_tree, hf_vpcflow_tcp_flags_syn, tvb, offset, length, flags);
    proto_tree_add_boolean(flags_tree, hf_vpcflow_tcp_flags_rst, tvb, offset, length, flags);
    /* Set only with both of its bits: an ACK bit alone is no SYN-ACK. */
    proto_tree_add_boolean(flags_tree, hf_vpcflow_tcp_flags_syn_ack, tvb, offset, length,
                           (flags & VPCFLOW_TCP_SYN_ACK) == VPCFLOW_TCP_SYN_ACK ? flags : 0);
    if (odd) {
        vpcflow_tcp_flags_names(odd, odd_names, sizeof odd_names);
        expert_add_info_format(pinfo, item, &ei_vpcflow_tcp_flags_unrecorded,
                               "TCP flags %u hold %s, which %s flow logs do not record: AWS documents FIN 1, SYN 2, "
                               "RST 4 and SYN-ACK 18%s", flags, odd_names, tgw ? "Transit Gateway" : "VPC",
                               tgw ? ", PSH 8, ACK 16 and URG 32, and a flow of ACKs alone reports 0" : "");
    }
}

/* An address column: IPv4 or IPv6, into the tree and the summary. */
static gboolean
add_address(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int field, gint offset, gint length,
            const char *token, address *addr)
{
    guint8 *bytes = (guint8 *)wmem_alloc(pinfo->pool, 16);
    gboolean is_src = field == VF_SRCADDR, is_dst = field == VF_DSTADDR;
    proto_item *hidden;

    if (vpcflow_parse_ipv4(token, (gsize)length, bytes)) {
        ws_in4_addr v4;
        memcpy(&v4, bytes, 4);
        proto_tree_add_ipv4(tree, hf_vpcflow_field[field], tvb, offset, length, v4);
        if (is_src || is_dst) {
            hidden = proto_tree_add_ipv4(tree, hf_vpcflow_addr, tvb, offset, length, v4);
            proto_item_set_hidden(hidden);
            set_address(addr, AT_IPv4, 4, bytes);
        }
        return TRUE;
    }
    if (vpcflow_parse_ipv6(token, (gsize)length, bytes)) {
        proto_tree_add_ipv6(tree, hf_vpcflow_field_v6[field], tvb, offset, length, (const ws_in6_addr *)bytes);
        if (is_src || is_dst) {
            hidden = proto_tree_add_ipv6(tree, hf_vpcflow_addr_v6, tvb, offset, length, (const ws_in6_addr *)bytes);
            proto_item_set_hidden(hidden);
            set_address(addr, AT_IPv6, 16, bytes);
        }
        return TRUE;
    }
    return FALSE;
}

/* Largest value each integer type holds. */
static guint64
max_of_type(vpcflow_type_t type)
{
    switch (type) {
    case VF_TYPE_PORT:
        return G_MAXUINT16;
    case VF_TYPE_PROTOCOL:
    case VF_TYPE_TCP_FLAGS:
        return G_MAXUINT8;
    case VF_TYPE_UINT:
        return G_MAXUINT32;
    default:
        return G_MAXUINT64;
    }
}

/* Remember the values of the columns the summary shows. */
static void
note_number(int field, guint64 value, flow_summary_t *summary)
{
    switch (field) {
    case VF_SRCPORT:
        summary->srcport = (guint32)value;
        summary->has_srcport = TRUE;
        break;
    case VF_DSTPORT:
        summary->dstport = (guint32)value;
        summary->has_dstport = TRUE;
        break;
    case VF_PROTOCOL:
        summary->protocol = (guint32)value;
        summary->has_protocol = TRUE;
        break;
    case VF_PACKETS:
        summary->packets = value;
        summary->has_packets = TRUE;
        break;
    case VF_BYTES:
        summary->bytes = value;
        summary->has_bytes = TRUE;
        break;
    default:
        break;
    }
}

static void
note_string(int field, const char *value, flow_summary_t *summary)
{
    if (field == VF_ACTION)
        summary->action = value;
    else if (field == VF_LOG_STATUS)
        summary->log_status = value;
    else if (field == VF_FLOW_DIRECTION)
        summary->direction = value;
}

static gboolean
token_is(const char *token, gint length, const char *word)
{
    return (gsize)length == strlen(word) && memcmp(token, word, (gsize)length) == 0;
}

/* A known field's value (token: its length bytes in the record), typed;
 * problems become expert info. */
static void
decode_value(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const vpcflow_format_t *format, int field,
             gint offset, gint length, const char *token, const token_place_t *place, flow_summary_t *summary)
{
    const vpcflow_field_t *f = &vpcflow_fields[field];
    int hf = hf_vpcflow_field[field];
    guint64 value;
    proto_item *item;

    switch (f->type) {
    case VF_TYPE_STRING: {
        /* Text is taken out of the record only for what the summary shows. */
        item = proto_tree_add_item(tree, hf, tvb, offset, length, ENC_UTF_8 | ENC_NA);
        if (field == VF_ACTION || field == VF_LOG_STATUS || field == VF_FLOW_DIRECTION)
            note_string(field, (const char *)tvb_get_string_enc(pinfo->pool, tvb, offset, length, ENC_UTF_8),
                        summary);
        if (field == VF_LOG_STATUS && token_is(token, length, "NODATA"))
            expert_add_info(pinfo, item, &ei_vpcflow_nodata);
        else if (field == VF_LOG_STATUS && token_is(token, length, "SKIPDATA"))
            expert_add_info(pinfo, item, &ei_vpcflow_skipdata);
        else if (field == VF_ACTION && token_is(token, length, "REJECT"))
            expert_add_info(pinfo, item, &ei_vpcflow_reject);
        return;
    }
    case VF_TYPE_ADDR: {
        address *addr = field == VF_SRCADDR ? &summary->src : &summary->dst;
        if (!add_address(tvb, pinfo, tree, field, offset, length, token, addr))
            flag_token(tvb, pinfo, tree, offset, length, place, token, "is not an IPv4 or IPv6 address", summary);
        return;
    }
    case VF_TYPE_TIME: {
        gint64 secs;
        gint32 nsecs;
        gboolean in_ms;
        if (!vpcflow_parse_time(token, (gsize)length, &secs, &nsecs, &in_ms)) {
            flag_token(tvb, pinfo, tree, offset, length, place, token, "is not a Unix time", summary);
            return;
        }
        nstime_t t = { (time_t)secs, nsecs };
        item = proto_tree_add_time(tree, hf, tvb, offset, length, &t);
        if (in_ms)
            expert_add_info(pinfo, item, &ei_vpcflow_time_ms);
        if (field == VF_START) {
            summary->start = t;
            summary->has_start = TRUE;
        } else if (field == VF_END) {
            summary->end = t;
            summary->has_end = TRUE;
        }
        return;
    }
    default:
        break;
    }

    /* The integer types. */
    if (!vpcflow_parse_uint64(token, (gsize)length, &value)) {
        flag_token(tvb, pinfo, tree, offset, length, place, token, "is not a number", summary);
        return;
    }
    if (value > max_of_type(f->type)) {
        flag_token(tvb, pinfo, tree, offset, length, place, token,
                   wmem_strdup_printf(pinfo->pool, "is out of range (largest is %" G_GUINT64_FORMAT ")",
                                      max_of_type(f->type)), summary);
        return;
    }
    note_number(field, value, summary);
    if (f->type == VF_TYPE_COUNT)
        proto_tree_add_uint64(tree, hf, tvb, offset, length, value);
    else if (f->type == VF_TYPE_TCP_FLAGS)
        add_tcp_flags(tvb, pinfo, tree, hf, offset, length, (guint32)value, vpcflow_format_is_tgw(format));
    else
        proto_tree_add_uint(tree, hf, tvb, offset, length, (guint32)value);
    if (field == VF_SRCPORT || field == VF_DSTPORT) {
        item = proto_tree_add_uint(tree, hf_vpcflow_port, tvb, offset, length, (guint32)value);
        proto_item_set_hidden(item);
    }
}

/* Tokens that cannot be tied to a field (format unknown or miscounted). */
static void
add_raw_tokens(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gint record_offset, const char *record,
               const vpcflow_token_t *tokens, guint n)
{
    for (guint t = 0; t < n; t++) {
        const char *text = wmem_strndup(pinfo->pool, record + tokens[t].offset, tokens[t].length);
        proto_tree_add_string_format(tree, hf_vpcflow_token, tvb, record_offset + (gint)tokens[t].offset,
                                     (gint)tokens[t].length, text, "Column %u: %s", t + 1,
                                     format_text(pinfo->pool, text, strlen(text)));
    }
}

static const vpcflow_format_t *
cached_format(packet_info *pinfo, const char *text, guint16 length)
{
    /* Records of a file share their format: the last one found answers
     * most lookups without a copy or a hash of its text. */
    static const vpcflow_format_t *last;
    if (last && strlen(last->text) == length && memcmp(last->text, text, length) == 0)
        return last;

    char *key = wmem_strndup(pinfo->pool, text, length);
    vpcflow_format_t *format = g_hash_table_lookup(format_cache, key);
    char *error = NULL;

    if (format)
        return last = format;
    format = vpcflow_format_parse(key, length, &error);
    g_free(error);
    if (!format)
        return NULL;
    if (g_hash_table_size(format_cache) >= FORMAT_CACHE_MAX)
        g_hash_table_remove_all(format_cache);
    g_hash_table_insert(format_cache, g_strdup(key), format);
    return last = format;
}

/*
 * The format of this record: the file's own header wins; otherwise the
 * preference, when set; otherwise what the reader found.
 */
static const vpcflow_format_t *
choose_format(packet_info *pinfo, const vpcflow_envelope_t *env, guint32 *source)
{
    *source = env->format_from;
    if (env->format_from == VPCFLOW_FORMAT_FROM_HEADER && env->format_length > 0)
        return cached_format(pinfo, env->format, env->format_length);
    if (pref_format_parsed) {
        *source = SOURCE_PREFERENCE;
        return pref_format_parsed;
    }
    if (env->format_length > 0)
        return cached_format(pinfo, env->format, env->format_length);
    *source = VPCFLOW_FORMAT_FROM_NONE;
    return NULL;
}

/* Milliseconds as decimal text (CloudWatch Logs timestamps) to a time. */
static gboolean
ms_text_to_time(const guint8 *text, guint16 length, nstime_t *t)
{
    guint64 ms;

    if (!vpcflow_parse_uint64((const char *)text, length, &ms) || ms / 1000 > (guint64)G_MAXINT64)
        return FALSE;
    t->secs = (time_t)(ms / 1000);
    t->nsecs = (int)(ms % 1000) * 1000000;
    return TRUE;
}

/* Where the record came from: line, format and export metadata. */
static void
add_source_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const vpcflow_envelope_t *env,
                gint format_offset, gint meta_offset, guint32 source, record_meta_t *found)
{
    proto_item *item;
    proto_tree *source_tree = proto_tree_add_subtree(tree, tvb, 0, VPCFLOW_ENVELOPE_HEADER_LEN + env->format_length +
                                                     env->meta_length, ett_vpcflow_source, NULL, "Record source");
    gsize off = 0;
    guint8 type;
    const guint8 *value;
    guint16 value_len;

    if (env->line) {
        item = proto_tree_add_uint(source_tree, hf_vpcflow_line, tvb, 4, 4, env->line);
        proto_item_set_generated(item);
    }
    item = proto_tree_add_uint(source_tree, hf_vpcflow_format_source, tvb, 3, 1, source);
    proto_item_set_generated(item);
    if (env->format_length > 0)
        proto_tree_add_item(source_tree, hf_vpcflow_format, tvb, format_offset, env->format_length, ENC_UTF_8 | ENC_NA);

    while (vpcflow_meta_next(env->meta, env->meta_length, &off, &type, &value, &value_len)) {
        gint at = meta_offset + (gint)(off - value_len);
        nstime_t t;
        switch (type) {
        case VPCFLOW_META_LOG_GROUP:
            proto_tree_add_item(source_tree, hf_vpcflow_log_group, tvb, at, value_len, ENC_UTF_8 | ENC_NA);
            break;
        case VPCFLOW_META_LOG_STREAM:
            proto_tree_add_item(source_tree, hf_vpcflow_log_stream, tvb, at, value_len, ENC_UTF_8 | ENC_NA);
            break;
        case VPCFLOW_META_EVENT_TIME:
        case VPCFLOW_META_INGESTION_TIME:
            if (ms_text_to_time(value, value_len, &t))
                proto_tree_add_time(source_tree, type == VPCFLOW_META_EVENT_TIME ? hf_vpcflow_event_time
                                                                                : hf_vpcflow_ingestion_time,
                                    tvb, at, value_len, &t);
            break;
        case VPCFLOW_META_EVENT_ID:
            proto_tree_add_item(source_tree, hf_vpcflow_event_id, tvb, at, value_len, ENC_UTF_8 | ENC_NA);
            break;
        case VPCFLOW_META_LINE_PREFIX:
            proto_tree_add_item(source_tree, hf_vpcflow_line_prefix, tvb, at, value_len, ENC_UTF_8 | ENC_NA);
            break;
        case VPCFLOW_META_OWNER:
            proto_tree_add_item(source_tree, hf_vpcflow_owner, tvb, at, value_len, ENC_UTF_8 | ENC_NA);
            break;
        case VPCFLOW_META_MESSAGE_TYPE:
            found->message_type = (const char *)tvb_get_string_enc(pinfo->pool, tvb, at, value_len, ENC_UTF_8);
            proto_tree_add_string(source_tree, hf_vpcflow_message_type, tvb, at, value_len, found->message_type);
            break;
        case VPCFLOW_META_OFFSET:
            if (vpcflow_parse_uint64((const char *)value, value_len, &found->offset)) {
                found->has_offset = TRUE;
                proto_tree_add_uint64(source_tree, hf_vpcflow_offset, tvb, at, value_len, found->offset);
            }
            break;
        case VPCFLOW_META_ROW:
            if (vpcflow_parse_uint64((const char *)value, value_len, &found->row))
                proto_tree_add_uint64(source_tree, hf_vpcflow_row, tvb, at, value_len, found->row);
            break;
        case VPCFLOW_META_ROW_GROUP: {
            guint64 group;
            if (vpcflow_parse_uint64((const char *)value, value_len, &group) && group <= G_MAXUINT32)
                proto_tree_add_uint(source_tree, hf_vpcflow_row_group, tvb, at, value_len, (guint32)group);
            break;
        }
        case VPCFLOW_META_PROBLEM:
        case VPCFLOW_META_CSV_PROBLEM:
            found->problem = (const char *)tvb_get_string_enc(pinfo->pool, tvb, at, value_len, ENC_UTF_8);
            found->problem_shape = type == VPCFLOW_META_CSV_PROBLEM ? "CSV" : "JSON";
            break;
        default:
            break;
        }
    }
}

/* IPv6 addresses get brackets so the port stays readable. */
static void
append_endpoint(wmem_strbuf_t *info, packet_info *pinfo, const address *addr, gboolean has_port, guint32 port)
{
    const char *text = addr->type != AT_NONE ? address_to_str(pinfo->pool, addr) : "-";

    if (has_port && addr->type == AT_IPv6)
        wmem_strbuf_append_printf(info, "[%s]:%u", text, port);
    else if (has_port)
        wmem_strbuf_append_printf(info, "%s:%u", text, port);
    else
        wmem_strbuf_append(info, text);
}

/* Append word, after sep unless the text is still empty. */
static void
append_word(wmem_strbuf_t *info, const char *word, const char *sep)
{
    if (wmem_strbuf_get_len(info) > 0)
        wmem_strbuf_append(info, sep);
    wmem_strbuf_append(info, word);
}

/* Columns: Source/Destination and ports, and the Info summary
 * "REJECT TCP 203.0.113.5:51515 → 10.0.1.10:22  3 pkts 180 B  ingress eni-0a1b".
 * Protocol stays VPCFLOW, as CFLOW's does for NetFlow: a record is a log
 * line, and a transport there would make it look like a packet in every
 * profile and tool that reads the column (AWS-VPC has a Transport column). */
static void
set_columns(packet_info *pinfo, const flow_summary_t *s)
{
    if (s->src.type != AT_NONE) {
        copy_address_shallow(&pinfo->net_src, &s->src);
        copy_address_shallow(&pinfo->src, &s->src);
    }
    if (s->dst.type != AT_NONE) {
        copy_address_shallow(&pinfo->net_dst, &s->dst);
        copy_address_shallow(&pinfo->dst, &s->dst);
    }
    if (s->has_srcport)
        pinfo->srcport = s->srcport;
    if (s->has_dstport)
        pinfo->destport = s->dstport;
    /* The port columns show ports only for a known transport. */
    const vpcshark_transport_t *ports = s->has_protocol ? vpcshark_transport_of(s->protocol) : NULL;
    if (ports && (s->has_srcport || s->has_dstport))
        pinfo->ptype = ports->ptype;

    /* No columns to fill (tshark -q, taps alone): the summary would be
     * built for nothing, and it is the dearest part of a record. */
    if (!pinfo->cinfo)
        return;
    wmem_strbuf_t *info = wmem_strbuf_new(pinfo->pool, "");
    const char *transport = s->has_protocol ? ipprotostr((int)s->protocol) : NULL;
    gboolean data = !s->log_status || strcmp(s->log_status, "OK") == 0;

    /* Three groups, two spaces apart: what and who, how much, where. */
    if (s->action)
        append_word(info, s->action, " ");
    if (!data)
        append_word(info, s->log_status, " ");
    if (transport)
        append_word(info, transport, " ");
    if (s->src.type != AT_NONE || s->dst.type != AT_NONE) {
        append_word(info, "", " ");
        append_endpoint(info, pinfo, &s->src, s->has_srcport, s->srcport);
        wmem_strbuf_append(info, " " UTF8_RIGHTWARDS_ARROW " ");
        append_endpoint(info, pinfo, &s->dst, s->has_dstport, s->dstport);
    }
    if (s->has_packets)
        append_word(info, wmem_strdup_printf(pinfo->pool, "%" G_GUINT64_FORMAT " pkts", s->packets), "  ");
    if (s->has_bytes)
        append_word(info, wmem_strdup_printf(pinfo->pool, "%" G_GUINT64_FORMAT " B", s->bytes),
                    s->has_packets ? " " : "  ");
    if (s->direction)
        append_word(info, s->direction, "  ");
    if (s->where)
        append_word(info, s->where, s->direction ? " " : "  ");
    col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(info));
}

/* Summary items derived from several columns. */
static void
add_derived(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gint record_offset, gint record_length,
            const flow_summary_t *s)
{
    if (s->has_start && s->has_end) {
        nstime_t duration;
        nstime_delta(&duration, &s->end, &s->start);
        proto_item *item = proto_tree_add_time(tree, hf_vpcflow_duration, tvb, record_offset, record_length, &duration);
        proto_item_set_generated(item);
        if (nstime_cmp(&s->start, &s->end) > 0)
            expert_add_info(pinfo, item, &ei_vpcflow_time_order);
    }
}

static int
dissect_vpcflow(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    vpcflow_token_t tokens[VPCFLOW_FORMAT_MAX_COLUMNS];
    vpcflow_envelope_t env;
    flow_summary_t summary;
    guint32 source;
    guint length = tvb_captured_length(tvb);

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "VPCFLOW");
    col_clear(pinfo->cinfo, COL_INFO);

    proto_item *ti = proto_tree_add_item(tree, proto_vpcflow, tvb, 0, -1, ENC_NA);
    proto_tree *vpcflow_tree = proto_item_add_subtree(ti, ett_vpcflow);

    if (!vpcflow_envelope_parse(tvb_get_ptr(tvb, 0, length), length, &env)) {
        proto_tree_add_expert_format(vpcflow_tree, pinfo, &ei_vpcflow_malformed, tvb, 0, -1,
                                     "Malformed frame: not a vpcflow record envelope");
        col_set_str(pinfo->cinfo, COL_INFO, "Malformed frame: not a vpcflow record envelope");
        return length;
    }

    gint format_offset = VPCFLOW_ENVELOPE_HEADER_LEN;
    gint meta_offset = format_offset + env.format_length;
    gint record_offset = meta_offset + env.meta_length;
    gint record_length = (gint)env.record_length;
    const vpcflow_format_t *format = choose_format(pinfo, &env, &source);

    memset(&summary, 0, sizeof summary);
    clear_address(&summary.src);
    clear_address(&summary.dst);
    record_meta_t meta;
    memset(&meta, 0, sizeof meta);
    add_source_tree(tvb, pinfo, vpcflow_tree, &env, format_offset, meta_offset, source, &meta);

    /* Frames that hold no flow record: say why and stop. */
    if (meta.problem) {
        proto_tree_add_expert_format(vpcflow_tree, pinfo, &ei_vpcflow_malformed, tvb, record_offset, record_length,
                                     "Malformed %s: %s", meta.problem_shape, meta.problem);
        col_add_fstr(pinfo->cinfo, COL_INFO, "Malformed %s: %s", meta.problem_shape, meta.problem);
        return length;
    }
    if (meta.message_type) {
        proto_item *item = proto_tree_add_item(vpcflow_tree, hf_vpcflow_token, tvb, record_offset, record_length,
                                               ENC_UTF_8 | ENC_NA);
        expert_add_info(pinfo, item, &ei_vpcflow_control);
        col_add_fstr(pinfo->cinfo, COL_INFO, "%s: %s", meta.message_type,
                     format_text(pinfo->pool, env.record, MIN(env.record_length, 100)));
        return length;
    }

    if (env.flags & VPCFLOW_FLAG_LINE_CUT) {
        proto_tree_add_expert_format(vpcflow_tree, pinfo, &ei_vpcflow_malformed, tvb, record_offset, record_length,
                                     "Malformed %s: %u bytes long; only the first %d are kept",
                                     record_place(pinfo->pool, &env, &meta), env.line_length, record_length);
        summary.malformed = TRUE;
    }
    if (env.flags & VPCFLOW_FLAG_LINE_PARTIAL) {
        proto_tree_add_expert_format(vpcflow_tree, pinfo, &ei_vpcflow_malformed, tvb, record_offset, record_length,
                                     "Malformed %s: the file ends inside this line "
                                     "(it is truncated or its compressed data is corrupt)", record_place(pinfo->pool, &env, &meta));
        summary.malformed = TRUE;
    }

    const char *record = env.record;
    guint n = vpcflow_tokenize(record, env.record_length, tokens, VPCFLOW_FORMAT_MAX_COLUMNS);
    guint stored = MIN(n, VPCFLOW_FORMAT_MAX_COLUMNS);

    /* Documentation examples end some lines with "#comment". */
    for (guint t = 1; format && t < stored; t++) {
        if (record[tokens[t].offset] == '#' && t == format->n_columns) {
            gint at = record_offset + (gint)tokens[t].offset;
            proto_item *item = proto_tree_add_item(vpcflow_tree, hf_vpcflow_comment, tvb, at, record_offset + record_length - at,
                                                   ENC_UTF_8 | ENC_NA);
            expert_add_info(pinfo, item, &ei_vpcflow_comment);
            n = stored = t;
            break;
        }
    }

    if (!format) {
        expert_add_info(pinfo, ti, &ei_vpcflow_format_unknown);
        add_raw_tokens(tvb, pinfo, vpcflow_tree, record_offset, record, tokens, stored);
        col_add_fstr(pinfo->cinfo, COL_INFO, "Record of unknown format (%u fields): %s", n,
                     format_text(pinfo->pool, record, MIN(env.record_length, 80)));
        return length;
    }
    if (n != format->n_columns) {
        proto_tree_add_expert_format(vpcflow_tree, pinfo, &ei_vpcflow_malformed, tvb, record_offset, record_length,
                                     "Malformed %s: %u fields where the format has %u",
                                     record_place(pinfo->pool, &env, &meta), n, format->n_columns);
        add_raw_tokens(tvb, pinfo, vpcflow_tree, record_offset, record, tokens, stored);
        col_add_fstr(pinfo->cinfo, COL_INFO, "Malformed record: %u fields where the format has %u", n,
                     format->n_columns);
        return length;
    }

    /* Known fields in catalogue (AWS table) order, whatever the column order. */
    for (guint field = 0; field < vpcflow_field_count; field++) {
        int c = vpcflow_format_column(format, (int)field);
        if (c < 0)
            continue;
        const char *token = record + tokens[c].offset;
        if (vpcflow_token_is_absent(token, tokens[c].length))
            continue;               /* "-": the value is not there, so no field */
        token_place_t place = { &env, &meta, (guint)c, vpcflow_fields[field].name };
        decode_value(tvb, pinfo, vpcflow_tree, format, (int)field, record_offset + (gint)tokens[c].offset,
                     (gint)tokens[c].length, token, &place, &summary);
    }
    /* Then columns of names we do not know (or listed twice), as text. */
    for (guint c = 0; c < n; c++) {
        int field = format->field[c];
        const char *token = record + tokens[c].offset;
        if ((field != VF_UNKNOWN && vpcflow_format_column(format, field) == (int)c) ||
            vpcflow_token_is_absent(token, tokens[c].length))
            continue;
        const char *text = wmem_strndup(pinfo->pool, token, tokens[c].length);
        proto_item *item = proto_tree_add_string_format(vpcflow_tree, hf_vpcflow_unknown_field, tvb,
                                                        record_offset + (gint)tokens[c].offset,
                                                        (gint)tokens[c].length, text, "%s: %s", format->name[c],
                                                        format_text(pinfo->pool, text, strlen(text)));
        expert_add_info_format(pinfo, item, &ei_vpcflow_unknown_field,
                               field == VF_UNKNOWN ? "Field \"%s\" is not one vpcshark knows; shown as text"
                                                   : "Field \"%s\" is listed twice; the repeat is shown as text",
                               format->name[c]);
    }
    /* Where it was seen: the reader named the frame's interface after the same column. */
    int seen_at = vpcflow_record_where(format, record, tokens, n);
    if (seen_at >= 0)
        summary.where = wmem_strndup(pinfo->pool, record + tokens[seen_at].offset, tokens[seen_at].length);
    add_derived(tvb, pinfo, vpcflow_tree, record_offset, record_length, &summary);
    set_columns(pinfo, &summary);
    if (!summary.malformed) {
        vpcflow_join_record(tvb, pinfo, vpcflow_tree, record_offset, record_length, &summary);
        flow_summary_t *info = wmem_new(pinfo->pool, flow_summary_t);
        *info = summary;
        info->record = record;
        info->tokens = (const vpcflow_token_t *)wmem_memdup(pinfo->pool, tokens, n * sizeof tokens[0]);
        info->format = format;
        tap_queue_packet(vpcflow_tap, pinfo, info);
    }
    return length;
}

static void
apply_vpcflow_prefs(void)
{
    char *error = NULL;

    vpcflow_format_free(pref_format_parsed);
    pref_format_parsed = NULL;
    if (pref_format && *pref_format) {
        pref_format_parsed = vpcflow_format_parse(pref_format, strlen(pref_format), &error);
        if (!pref_format_parsed) {
            ws_warning("vpcflow.format: %s", error);
            g_free(error);
        }
    }
    /* The file reader is another plugin: this is its one channel (vpcflow-settings.h). */
    vpcflow_settings_set_format(pref_format_parsed ? pref_format_parsed->text : NULL);
}

/* vpcflow.<name> with '-' written as '_' ("log-status" -> "vpcflow.log_status"). */
static char *
field_abbrev(const char *name, const char *suffix)
{
    char *abbrev = wmem_strdup_printf(wmem_epan_scope(), "vpcflow.%s%s", name, suffix);

    for (char *p = abbrev; *p; p++) {
        if (*p == '-')
            *p = '_';
    }
    return abbrev;
}

static void
register_catalogue_fields(void)
{
    /* Lives as long as the registry, which keeps pointers into it: freed
     * with the epan scope, after the registry (valgrind saw it lost). */
    hf_register_info *hf = wmem_alloc0_array(wmem_epan_scope(), hf_register_info, 2 * vpcflow_field_count);
    guint n = 0;

    hf_vpcflow_field = wmem_alloc_array(wmem_epan_scope(), int, vpcflow_field_count);
    hf_vpcflow_field_v6 = wmem_alloc_array(wmem_epan_scope(), int, vpcflow_field_count);
    for (guint i = 0; i < vpcflow_field_count; i++) {
        const vpcflow_field_t *f = &vpcflow_fields[i];
        enum ftenum type = FT_STRING;
        int display = BASE_NONE;
        const void *strings = NULL;

        hf_vpcflow_field[i] = VPCSHARK_ID_INIT;
        hf_vpcflow_field_v6[i] = VPCSHARK_ID_INIT;
        switch (f->type) {
        case VF_TYPE_STRING:
            break;
        case VF_TYPE_UINT:
            type = FT_UINT32;
            display = BASE_DEC;
            if (f->vals == VF_VALS_TRAFFIC_PATH)
                strings = VALS(vpcflow_traffic_path_vals);
            else if (f->vals == VF_VALS_ENCRYPTION_STATUS)
                strings = VALS(vpcflow_encryption_status_vals);
            break;
        case VF_TYPE_PORT:
            type = FT_UINT16;
            display = BASE_DEC;
            break;
        case VF_TYPE_PROTOCOL:
            type = FT_UINT8;
            display = BASE_DEC | BASE_EXT_STRING;
            strings = &ipproto_val_ext;
            break;
        case VF_TYPE_COUNT:
            type = FT_UINT64;
            display = BASE_DEC;
            break;
        case VF_TYPE_TIME:
            type = FT_ABSOLUTE_TIME;
            display = ABSOLUTE_TIME_UTC;
            break;
        case VF_TYPE_ADDR:
            type = FT_IPv4;
            break;
        case VF_TYPE_TCP_FLAGS:
            /* Decimal, as AWS writes and explains it (19 = SYN-ACK + FIN). */
            type = FT_UINT8;
            display = BASE_DEC;
            break;
        }
        hf[n++] = (hf_register_info){ &hf_vpcflow_field[i],
            { f->label, field_abbrev(f->name, ""), type, display, strings, 0, f->blurb, HFILL } };
        if (f->type == VF_TYPE_ADDR) {
            hf[n++] = (hf_register_info){ &hf_vpcflow_field_v6[i],
                { wmem_strdup_printf(wmem_epan_scope(), "%s (IPv6)", f->label), field_abbrev(f->name, "_v6"), FT_IPv6, BASE_NONE,
                  NULL, 0, f->blurb, HFILL } };
        }
    }
    proto_register_field_array(proto_vpcflow, hf, n);
}

void
proto_register_vpcflow(void)
{
    static hf_register_info hf[] = {
        { &hf_vpcflow_tcp_flags_fin,
          { "FIN", "vpcflow.tcp_flags.fin", FT_BOOLEAN, 8, NULL, VPCFLOW_TCP_FIN,
            "A FIN was seen during the interval", HFILL } },
        { &hf_vpcflow_tcp_flags_syn,
          { "SYN", "vpcflow.tcp_flags.syn", FT_BOOLEAN, 8, NULL, VPCFLOW_TCP_SYN,
            "A SYN or a SYN-ACK was seen (SYN-ACK, 18, includes this bit)", HFILL } },
        { &hf_vpcflow_tcp_flags_rst,
          { "RST", "vpcflow.tcp_flags.rst", FT_BOOLEAN, 8, NULL, VPCFLOW_TCP_RST,
            "An RST was seen during the interval", HFILL } },
        { &hf_vpcflow_tcp_flags_syn_ack,
          { "SYN-ACK", "vpcflow.tcp_flags.syn_ack", FT_BOOLEAN, 8, NULL, VPCFLOW_TCP_ACK,
            "A SYN-ACK was seen (18 = SYN 2 + ACK 16): the only way AWS records the ACK bit", HFILL } },
        { &hf_vpcflow_addr,
          { "Source or destination address", "vpcflow.addr", FT_IPv4, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_vpcflow_addr_v6,
          { "Source or destination address (IPv6)", "vpcflow.addr_v6", FT_IPv6, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_vpcflow_port,
          { "Source or destination port", "vpcflow.port", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL } },
        { &hf_vpcflow_duration,
          { "Duration", "vpcflow.duration", FT_RELATIVE_TIME, BASE_NONE, NULL, 0,
            "end - start: how long the flow was seen within the aggregation interval", HFILL } },
        { &hf_vpcflow_unknown_field,
          { "Field not in the catalogue", "vpcflow.unknown_field", FT_STRING, BASE_NONE, NULL, 0,
            "A column whose header name vpcshark does not know, kept as text", HFILL } },
        { &hf_vpcflow_token,
          { "Undecoded column", "vpcflow.token", FT_STRING, BASE_NONE, NULL, 0,
            "A value that could not be tied to a field", HFILL } },
        { &hf_vpcflow_comment,
          { "Comment", "vpcflow.comment", FT_STRING, BASE_NONE, NULL, 0,
            "Text after the last field that starts with '#'", HFILL } },
        { &hf_vpcflow_line,
          { "Line", "vpcflow.line", FT_UINT32, BASE_DEC, NULL, 0,
            "Line of the file the record was read from", HFILL } },
        { &hf_vpcflow_format,
          { "Format", "vpcflow.format", FT_STRING, BASE_NONE, NULL, 0,
            "Field names of the record's columns, in order", HFILL } },
        { &hf_vpcflow_format_source,
          { "Format from", "vpcflow.format_source", FT_UINT8, BASE_DEC, VALS(vpcflow_format_source_vals), 0,
            "Where the format used to decode the record came from", HFILL } },
        { &hf_vpcflow_log_group,
          { "Log group", "vpcflow.log_group", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_vpcflow_log_stream,
          { "Log stream", "vpcflow.log_stream", FT_STRING, BASE_NONE, NULL, 0,
            "CloudWatch Logs stream (one per network interface)", HFILL } },
        { &hf_vpcflow_event_time,
          { "Event time", "vpcflow.event_time", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0,
            "Timestamp of the CloudWatch Logs event", HFILL } },
        { &hf_vpcflow_ingestion_time,
          { "Ingestion time", "vpcflow.ingestion_time", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0,
            "When CloudWatch Logs received the event", HFILL } },
        { &hf_vpcflow_event_id,
          { "Event ID", "vpcflow.event_id", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_vpcflow_line_prefix,
          { "Line prefix", "vpcflow.line_prefix", FT_STRING, BASE_NONE, NULL, 0,
            "Text before the record on its line (such as an export timestamp)", HFILL } },
        { &hf_vpcflow_owner,
          { "Log owner", "vpcflow.owner", FT_STRING, BASE_NONE, NULL, 0,
            "Account that owns the log group", HFILL } },
        { &hf_vpcflow_message_type,
          { "Message type", "vpcflow.message_type", FT_STRING, BASE_NONE, NULL, 0,
            "Type of the CloudWatch Logs subscription message, when it is not DATA_MESSAGE", HFILL } },
        { &hf_vpcflow_offset,
          { "Offset", "vpcflow.offset", FT_UINT64, BASE_DEC, NULL, 0,
            "Where the event starts in the file (bytes of uncompressed data)", HFILL } },
        { &hf_vpcflow_row,
          { "Row", "vpcflow.row", FT_UINT64, BASE_DEC, NULL, 0,
            "Row of the table (Parquet) the record was read from, counted from 1 over the whole file", HFILL } },
        { &hf_vpcflow_row_group,
          { "Row group", "vpcflow.row_group", FT_UINT32, BASE_DEC, NULL, 0,
            "Parquet row group holding the row, counted from 0", HFILL } },
    };

    static gint *ett[] = {
        &ett_vpcflow,
        &ett_vpcflow_source,
        &ett_vpcflow_tcp_flags,
    };

    static ei_register_info ei[] = {
        { &ei_vpcflow_malformed,
          { "vpcflow.malformed", PI_MALFORMED, PI_ERROR, "Malformed flow-log line", EXPFILL } },
        { &ei_vpcflow_format_unknown,
          { "vpcflow.format.unknown", PI_UNDECODED, PI_WARN,
            "Format of this headerless file not known: set it in the vpcflow.format preference "
            "(Edit > Preferences > Protocols > VPCFLOW, or tshark -o \"vpcflow.format:version account-id ...\")",
            EXPFILL } },
        { &ei_vpcflow_unknown_field,
          { "vpcflow.unknown_field.note", PI_UNDECODED, PI_NOTE, "Field not in the catalogue; shown as text",
            EXPFILL } },
        { &ei_vpcflow_comment,
          { "vpcflow.comment.note", PI_COMMENTS_GROUP, PI_COMMENT, "Trailing comment after the record", EXPFILL } },
        { &ei_vpcflow_nodata,
          { "vpcflow.nodata", PI_SEQUENCE, PI_NOTE, "NODATA: no traffic on the interface during the interval",
            EXPFILL } },
        { &ei_vpcflow_skipdata,
          { "vpcflow.skipdata", PI_SEQUENCE, PI_WARN,
            "SKIPDATA: flow records were skipped during the interval (capacity limit or internal error)",
            EXPFILL } },
        { &ei_vpcflow_reject,
          { "vpcflow.reject", PI_SECURITY, PI_NOTE,
            "REJECT: rejected by a security group or network ACL, arriving after its connection closed, "
            "or blocked by VPC Block Public Access (see reject-reason)", EXPFILL } },
        { &ei_vpcflow_tcp_flags_unrecorded,
          { "vpcflow.tcp_flags.unrecorded", PI_PROTOCOL, PI_NOTE,
            "TCP flags hold bits AWS does not record (only FIN 1, SYN 2, RST 4 and SYN-ACK 18)", EXPFILL } },
        { &ei_vpcflow_time_ms,
          { "vpcflow.time_in_ms", PI_PROTOCOL, PI_NOTE, "Time given in milliseconds, not seconds", EXPFILL } },
        { &ei_vpcflow_time_order,
          { "vpcflow.time_order", PI_PROTOCOL, PI_WARN, "start is later than end", EXPFILL } },
        { &ei_vpcflow_control,
          { "vpcflow.control_message", PI_SEQUENCE, PI_NOTE,
            "CloudWatch Logs control message (a check that the subscription destination is reachable); "
            "not a flow record", EXPFILL } },
    };

    proto_vpcflow = proto_register_protocol("VPC Flow Log", "VPCFLOW", "vpcflow");
    register_catalogue_fields();
    proto_register_field_array(proto_vpcflow, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto_vpcflow), ei, array_length(ei));
    vpcflow_join_register(proto_vpcflow);

    module_t *module = prefs_register_protocol(proto_vpcflow, apply_vpcflow_prefs);
    prefs_register_string_preference(module, "format", "Format of headerless files",
        "Field names of the records when a file has no header line and its layout is not one vpcshark "
        "recognises (CloudWatch Logs and Firehose deliveries of a custom format). Accepts the AWS form "
        "\"${version} ${srcaddr} ...\", plain names (\"version srcaddr ...\", hyphens or underscores) "
        "and a Logs Insights statement \"parse @message \\\"* *\\\" as srcaddr, dstaddr\". "
        "A file's own header line always wins.",
        &pref_format);
    vpcflow_register_stats_prefs(module);
    vpcflow_join_register_prefs(module);

    format_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)vpcflow_format_free);
    /* Frames reach us by name, from the Exported PDU dissector: no handoff. */
    register_dissector(VPCFLOW_DISSECTOR_NAME, dissect_vpcflow, proto_vpcflow);
    vpcflow_tap = register_tap(VPCFLOW_TAP_NAME);
    vpcflow_register_tables(proto_vpcflow);
}

/* Statistics register after all protocols and taps exist. */
void proto_reg_handoff_vpcflow(void);

void
proto_reg_handoff_vpcflow(void)
{
    vpcflow_register_report();
    vpcflow_register_stats();
}
