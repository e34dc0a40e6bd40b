/* parquet-thrift.c
 * The Thrift compact protocol, bounded (parquet-thrift.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "parquet-thrift.h"

#include <stdarg.h>

void
thrift_reader_init(thrift_reader_t *r, const guint8 *data, gsize length)
{
    r->data = data;
    r->length = length;
    r->pos = 0;
    r->depth = 0;
    r->error = NULL;
    r->unsupported = FALSE;
}

static void G_GNUC_PRINTF(3, 0)
stop(thrift_reader_t *r, gboolean unsupported, const char *format, va_list args)
{
    if (r->error)
        return;
    r->error = g_strdup_vprintf(format, args);
    r->unsupported = unsupported;
    r->pos = r->length;
}

void
thrift_fail(thrift_reader_t *r, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    stop(r, FALSE, format, args);
    va_end(args);
}

void
thrift_refuse(thrift_reader_t *r, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    stop(r, TRUE, format, args);
    va_end(args);
}

static guint8
read_byte(thrift_reader_t *r)
{
    if (r->pos >= r->length) {
        thrift_fail(r, "the Thrift data ends early (at byte %" G_GSIZE_FORMAT ")", r->pos);
        return 0;
    }
    return r->data[r->pos++];
}

static guint64
read_varint(thrift_reader_t *r)
{
    guint64 value = 0;

    for (guint shift = 0; shift < 64; shift += 7) {
        guint8 b = read_byte(r);
        value |= (guint64)(b & 0x7F) << shift;
        if (!(b & 0x80))
            return value;
    }
    thrift_fail(r, "a Thrift varint longer than 10 bytes (at byte %" G_GSIZE_FORMAT ")", r->pos);
    return 0;
}

static gint64
zigzag(guint64 v)
{
    return (gint64)(v >> 1) ^ -(gint64)(v & 1);
}

gboolean
thrift_struct_begin(thrift_reader_t *r, thrift_struct_t *s)
{
    s->last_id = 0;
    if (++r->depth > THRIFT_DEPTH_MAX)
        thrift_fail(r, "Thrift structures nested more than %d deep", THRIFT_DEPTH_MAX);
    return thrift_ok(r);
}

void
thrift_struct_end(thrift_reader_t *r)
{
    if (r->depth > 0)
        r->depth--;
}

gboolean
thrift_field(thrift_reader_t *r, thrift_struct_t *s, gint16 *id, thrift_type_t *type)
{
    guint8 b = read_byte(r);

    if (!thrift_ok(r) || b == THRIFT_STOP)
        return FALSE;
    *type = (thrift_type_t)(b & 0x0F);
    if (*type > THRIFT_STRUCT) {
        thrift_fail(r, "unknown Thrift type %d", *type);
        return FALSE;
    }
    guint delta = b >> 4;
    *id = delta ? (gint16)(s->last_id + delta) : (gint16)zigzag(read_varint(r));
    s->last_id = *id;
    return thrift_ok(r);
}

gint64
thrift_int(thrift_reader_t *r, thrift_type_t type)
{
    switch (type) {
    case THRIFT_BYTE:
        return (gint8)read_byte(r);
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64:
        return zigzag(read_varint(r));
    default:
        thrift_fail(r, "a Thrift field of type %d where an integer was expected", type);
        return 0;
    }
}

gboolean
thrift_bool(thrift_reader_t *r, thrift_type_t type)
{
    if (type == THRIFT_TRUE || type == THRIFT_FALSE)
        return type == THRIFT_TRUE;
    thrift_fail(r, "a Thrift field of type %d where a boolean was expected", type);
    return FALSE;
}

const guint8 *
thrift_binary(thrift_reader_t *r, thrift_type_t type, gsize *length)
{
    *length = 0;
    if (type != THRIFT_BINARY) {
        thrift_fail(r, "a Thrift field of type %d where a string was expected", type);
        return NULL;
    }
    guint64 n = read_varint(r);
    if (!thrift_ok(r))
        return NULL;
    if (n > r->length - r->pos) {
        thrift_fail(r, "a Thrift string of %" G_GUINT64_FORMAT " bytes where %" G_GSIZE_FORMAT " are left",
                    n, r->length - r->pos);
        return NULL;
    }
    const guint8 *value = r->data + r->pos;
    r->pos += (gsize)n;
    *length = (gsize)n;
    return value;
}

guint32
thrift_list(thrift_reader_t *r, thrift_type_t type, thrift_type_t *element)
{
    *element = THRIFT_STOP;
    if (type != THRIFT_LIST && type != THRIFT_SET) {
        thrift_fail(r, "a Thrift field of type %d where a list was expected", type);
        return 0;
    }
    guint8 b = read_byte(r);
    guint64 n = b >> 4;
    if (n == 15)
        n = read_varint(r);
    *element = (thrift_type_t)(b & 0x0F);
    if (!thrift_ok(r))
        return 0;
    /* Every element takes at least one byte. */
    if (n > r->length - r->pos) {
        thrift_fail(r, "a Thrift list of %" G_GUINT64_FORMAT " elements where %" G_GSIZE_FORMAT " bytes are left",
                    n, r->length - r->pos);
        return 0;
    }
    return (guint32)n;
}

/* A list or map element: booleans there are a byte each, not a type code. */
static void
skip_element(thrift_reader_t *r, thrift_type_t type)
{
    if (type == THRIFT_TRUE || type == THRIFT_FALSE)
        read_byte(r);
    else
        thrift_skip(r, type);
}

void
thrift_skip(thrift_reader_t *r, thrift_type_t type)
{
    thrift_struct_t s;
    thrift_type_t element;
    gint16 id;
    gsize len;

    switch (type) {
    case THRIFT_TRUE:
    case THRIFT_FALSE:
        break;
    case THRIFT_BYTE:
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64:
        thrift_int(r, type);
        break;
    case THRIFT_DOUBLE:
        if (r->length - r->pos < 8)
            thrift_fail(r, "the Thrift data ends inside a double");
        else
            r->pos += 8;
        break;
    case THRIFT_BINARY:
        thrift_binary(r, type, &len);
        break;
    case THRIFT_LIST:
    case THRIFT_SET: {
        guint32 n = thrift_list(r, type, &element);
        if (++r->depth > THRIFT_DEPTH_MAX)
            thrift_fail(r, "Thrift structures nested more than %d deep", THRIFT_DEPTH_MAX);
        for (guint32 i = 0; i < n && thrift_ok(r); i++)
            skip_element(r, element);
        r->depth--;
        break;
    }
    case THRIFT_MAP: {
        guint64 n = read_varint(r);
        if (n == 0)
            break;
        guint8 kv = read_byte(r);
        if (n > (r->length - r->pos) / 2) {
            thrift_fail(r, "a Thrift map of %" G_GUINT64_FORMAT " entries where %" G_GSIZE_FORMAT " bytes are left",
                        n, r->length - r->pos);
            break;
        }
        if (++r->depth > THRIFT_DEPTH_MAX)
            thrift_fail(r, "Thrift structures nested more than %d deep", THRIFT_DEPTH_MAX);
        for (guint64 i = 0; i < n && thrift_ok(r); i++) {
            skip_element(r, (thrift_type_t)(kv >> 4));
            skip_element(r, (thrift_type_t)(kv & 0x0F));
        }
        r->depth--;
        break;
    }
    case THRIFT_STRUCT:
        if (thrift_struct_begin(r, &s)) {
            while (thrift_field(r, &s, &id, &element))
                thrift_skip(r, element);
        }
        thrift_struct_end(r);
        break;
    default:
        thrift_fail(r, "unknown Thrift type %d", type);
        break;
    }
}
