/* vpcflow-frame.c
 * The bytes of one flow-log frame (layout in vpcflow-frame.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-frame.h"

#include <string.h>

/* Exported PDU option tags (pcapng LINKTYPE_WIRESHARK_UPPER_PDU): a plain
 * header of libwsutil's, no library code. */
#include <wsutil/exported_pdu_tlvs.h>

static const guint8 envelope_magic[2] = { 'V', 'F' };

static inline void
put_u16(guint8 *p, guint16 v)
{
    p[0] = (guint8)(v >> 8);
    p[1] = (guint8)v;
}

static inline void
put_u32(guint8 *p, guint32 v)
{
    p[0] = (guint8)(v >> 24);
    p[1] = (guint8)(v >> 16);
    p[2] = (guint8)(v >> 8);
    p[3] = (guint8)v;
}

static inline guint16
get_u16(const guint8 *p)
{
    return (guint16)((p[0] << 8) | p[1]);
}

static inline guint32
get_u32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

gsize
vpcflow_frame_size(const vpcflow_envelope_t *env)
{
    return VPCFLOW_EPDU_PREFIX_LEN + VPCFLOW_ENVELOPE_HEADER_LEN +
           env->format_length + env->meta_length + env->record_length;
}

void
vpcflow_frame_store(guint8 *out, const vpcflow_envelope_t *env)
{
    guint8 *p = out;

    /* "vpcflow" plus its NUL is 8 bytes, already a multiple of 4. */
    put_u16(p, EXP_PDU_TAG_DISSECTOR_NAME);
    put_u16(p + 2, 8);
    memcpy(p + 4, VPCFLOW_DISSECTOR_NAME "\0", 8);
    put_u16(p + 12, EXP_PDU_TAG_END_OF_OPT);
    put_u16(p + 14, 0);
    p += VPCFLOW_EPDU_PREFIX_LEN;

    memcpy(p, envelope_magic, 2);
    p[2] = VPCFLOW_ENVELOPE_VERSION;
    p[3] = (guint8)((env->format_from & VPCFLOW_FLAG_FORMAT_FROM_MASK) | (env->flags & ~VPCFLOW_FLAG_FORMAT_FROM_MASK));
    put_u32(p + 4, env->line);
    put_u32(p + 8, env->line_length);
    put_u16(p + 12, env->format_length);
    put_u16(p + 14, env->meta_length);
    p += VPCFLOW_ENVELOPE_HEADER_LEN;

    if (env->format_length)
        memcpy(p, env->format, env->format_length);
    p += env->format_length;
    if (env->meta_length)
        memcpy(p, env->meta, env->meta_length);
    p += env->meta_length;
    if (env->record_length)
        memcpy(p, env->record, env->record_length);
}

gboolean
vpcflow_epdu_payload(const guint8 *data, gsize len, gsize *payload_offset)
{
    gsize off = 0;
    gboolean ours = FALSE;

    for (;;) {
        if (len - off < 4)
            return FALSE;
        guint16 tag = get_u16(data + off);
        guint16 tag_len = get_u16(data + off + 2);
        off += 4;
        if (len - off < tag_len)
            return FALSE;
        if (tag == EXP_PDU_TAG_END_OF_OPT)
            break;
        if (tag == EXP_PDU_TAG_DISSECTOR_NAME) {
            gsize name_len = strnlen((const char *)data + off, tag_len);
            ours = name_len == strlen(VPCFLOW_DISSECTOR_NAME) &&
                   memcmp(data + off, VPCFLOW_DISSECTOR_NAME, name_len) == 0;
        }
        off += tag_len;
    }
    *payload_offset = off;
    return ours;
}

gboolean
vpcflow_envelope_parse(const guint8 *data, gsize len, vpcflow_envelope_t *env)
{
    if (len < VPCFLOW_ENVELOPE_HEADER_LEN || memcmp(data, envelope_magic, 2) != 0 ||
        data[2] != VPCFLOW_ENVELOPE_VERSION)
        return FALSE;

    env->format_from = (vpcflow_format_from_t)(data[3] & VPCFLOW_FLAG_FORMAT_FROM_MASK);
    env->flags = data[3] & ~VPCFLOW_FLAG_FORMAT_FROM_MASK;
    env->line = get_u32(data + 4);
    env->line_length = get_u32(data + 8);
    env->format_length = get_u16(data + 12);
    env->meta_length = get_u16(data + 14);

    gsize rest = len - VPCFLOW_ENVELOPE_HEADER_LEN;
    if ((gsize)env->format_length + env->meta_length > rest)
        return FALSE;
    env->format = (const char *)data + VPCFLOW_ENVELOPE_HEADER_LEN;
    env->meta = data + VPCFLOW_ENVELOPE_HEADER_LEN + env->format_length;
    env->record = (const char *)env->meta + env->meta_length;
    env->record_length = (guint32)(rest - env->format_length - env->meta_length);
    return TRUE;
}

void
vpcflow_meta_append(GByteArray *meta, vpcflow_meta_type_t type, const void *value, gsize len)
{
    guint8 head[3];

    if (len > G_MAXUINT16)
        len = G_MAXUINT16;
    head[0] = (guint8)type;
    put_u16(head + 1, (guint16)len);
    g_byte_array_append(meta, head, 3);
    g_byte_array_append(meta, value, (guint)len);
}

gboolean
vpcflow_meta_next(const guint8 *meta, gsize len, gsize *offset,
                  guint8 *type, const guint8 **value, guint16 *value_len)
{
    gsize off = *offset;

    if (off >= len || len - off < 3)
        return FALSE;
    guint16 vlen = get_u16(meta + off + 1);
    if (len - off - 3 < vlen)
        return FALSE;
    *type = meta[off];
    *value = meta + off + 3;
    *value_len = vlen;
    *offset = off + 3 + vlen;
    return TRUE;
}
