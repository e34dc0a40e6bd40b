/* parquet-values.c
 * Levels, dictionary indexes, PLAIN, DELTA and BYTE_STREAM_SPLIT values
 * (parquet-values.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "parquet-values.h"

#include <string.h>

guint
parquet_bit_width(guint32 max)
{
    guint bits = 0;

    while (max) {
        bits++;
        max >>= 1;
    }
    return bits;
}

/* An unsigned LEB128 of at most max_bytes bytes; FALSE if it runs off the data or is longer. */
static gboolean
read_uleb(const guint8 *data, gsize length, gsize *pos, guint max_bytes, guint64 *value)
{
    guint64 v = 0;

    for (guint i = 0; i < max_bytes && *pos < length; i++) {
        guint8 b = data[(*pos)++];
        v |= (guint64)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            *value = v;
            return TRUE;
        }
    }
    return FALSE;
}

/* An unsigned LEB128 of at most 32 bits (5 bytes). */
static gboolean
read_uleb32(const guint8 *data, gsize length, gsize *pos, guint32 *value)
{
    guint64 v;

    if (!read_uleb(data, length, pos, 5, &v) || v > G_MAXUINT32)
        return FALSE;
    *value = (guint32)v;
    return TRUE;
}

/* An unsigned LEB128 of up to 64 bits (10 bytes). */
static gboolean
read_uleb64(const guint8 *data, gsize length, gsize *pos, guint64 *value)
{
    return read_uleb(data, length, pos, 10, value);
}

/* Values of a bit-packed run (least significant bit first) from data[0..length). */
static void
unpack_bits(const guint8 *data, gsize length, guint bit_width, guint32 count, guint32 *out)
{
    guint32 mask = bit_width == 32 ? G_MAXUINT32 : (1u << bit_width) - 1;

    for (guint32 k = 0; k < count; k++) {
        guint64 bit = (guint64)k * bit_width;
        guint64 word = 0;
        /* The bytes holding this value: at most 5 for 32 bits. */
        for (guint b = 0; b < 5 && bit / 8 + b < length; b++)
            word |= (guint64)data[bit / 8 + b] << (8 * b);
        out[k] = (guint32)(word >> (bit % 8)) & mask;
    }
}

gboolean
parquet_rle_decode(const guint8 *data, gsize length, guint bit_width, guint32 count, guint32 *out, gsize *used,
                   char **error)
{
    gsize pos = 0;
    guint32 done = 0;

    if (bit_width > 32) {
        *error = g_strdup_printf("a bit width of %u (at most 32 is possible)", bit_width);
        return FALSE;
    }
    while (done < count) {
        guint32 header;
        if (!read_uleb32(data, length, &pos, &header)) {
            *error = g_strdup_printf("the RLE/bit-packed data ends after %u of %u values", done, count);
            return FALSE;
        }
        if (header & 1) {
            /* (header >> 1) groups of 8 values, bit_width bytes per group. */
            guint64 values = (guint64)(header >> 1) * 8;
            guint64 bytes = (guint64)(header >> 1) * bit_width;
            guint32 take = (guint32)MIN(values, (guint64)(count - done));
            /* Only the bytes of the values taken need be there (the last group may be cut). */
            guint64 need = ((guint64)take * bit_width + 7) / 8;
            if (need > length - pos) {
                *error = g_strdup_printf("a bit-packed run needs %" G_GUINT64_FORMAT " bytes where %" G_GSIZE_FORMAT
                                         " are left", need, length - pos);
                return FALSE;
            }
            unpack_bits(data + pos, (gsize)MIN(bytes, (guint64)(length - pos)), bit_width, take, out + done);
            pos += (gsize)MIN(bytes, (guint64)(length - pos));
            done += take;
        } else {
            guint32 run = header >> 1;
            guint width = (bit_width + 7) / 8;
            guint32 value = 0;
            if (width > length - pos) {
                *error = g_strdup("an RLE run ends inside its value");
                return FALSE;
            }
            for (guint b = 0; b < width; b++)
                value |= (guint32)data[pos + b] << (8 * b);
            /* A value wider than the bit width breaks the format; keep the bits that count. */
            if (bit_width < 32)
                value &= (1u << bit_width) - 1;
            pos += width;
            guint32 take = MIN(run, count - done);
            for (guint32 k = 0; k < take; k++)
                out[done + k] = value;
            done += take;
        }
    }
    *used = pos;
    return TRUE;
}

static gint64
read_le(const guint8 *p, guint bytes)
{
    guint64 v = 0;

    for (guint b = 0; b < bytes; b++)
        v |= (guint64)p[b] << (8 * b);
    return (gint64)v;
}

/* Bytes each value of a fixed-size type takes, or 0 for BYTE_ARRAY / BOOLEAN. */
static gsize
fixed_size(parquet_type_t type, gint32 type_length)
{
    switch (type) {
    case PARQUET_INT32: case PARQUET_FLOAT: return 4;
    case PARQUET_INT64: case PARQUET_DOUBLE: return 8;
    case PARQUET_INT96: return 12;
    case PARQUET_FIXED_LEN_BYTE_ARRAY: return (gsize)MAX(type_length, 1);
    default: return 0;
    }
}

gboolean
parquet_plain_decode(parquet_type_t type, gint32 type_length, const guint8 *data, gsize length, guint32 count,
                     parquet_value_t *out, gsize *used, char **error)
{
    gsize pos = 0;
    gsize size = fixed_size(type, type_length);

    if (type == PARQUET_BOOLEAN) {
        if (((gsize)count + 7) / 8 > length)
            goto short_data;
        for (guint32 k = 0; k < count; k++) {
            out[k].v.i = (data[k / 8] >> (k % 8)) & 1;
            out[k].present = 1;
        }
        *used = ((gsize)count + 7) / 8;
        return TRUE;
    }
    if (size && (guint64)count * size > length)
        goto short_data;
    for (guint32 k = 0; k < count; k++) {
        parquet_value_t *v = &out[k];
        v->present = 1;
        v->length = 0;
        switch (type) {
        case PARQUET_INT32:
            v->v.i = (gint32)(guint32)read_le(data + pos, 4);
            break;
        case PARQUET_INT64:
            v->v.i = read_le(data + pos, 8);
            break;
        case PARQUET_FLOAT: {
            guint32 bits = (guint32)read_le(data + pos, 4);
            float f;
            memcpy(&f, &bits, sizeof f);
            v->v.d = f;
            break;
        }
        case PARQUET_DOUBLE: {
            guint64 bits = (guint64)read_le(data + pos, 8);
            memcpy(&v->v.d, &bits, sizeof v->v.d);
            break;
        }
        case PARQUET_BYTE_ARRAY: {
            if (length - pos < 4)
                goto short_data;
            guint32 n = (guint32)read_le(data + pos, 4);
            pos += 4;
            if (n > length - pos)
                goto short_data;
            v->v.bytes = data + pos;
            v->length = n;
            pos += n;
            continue;
        }
        default:        /* INT96, FIXED_LEN_BYTE_ARRAY: bytes as they are */
            v->v.bytes = data + pos;
            v->length = (guint32)size;
            break;
        }
        pos += size;
    }
    *used = pos;
    return TRUE;

short_data:
    *error = g_strdup_printf("the PLAIN values (%s) end before the %u the page holds", parquet_type_name(type), count);
    return FALSE;
}

static guint64
zigzag(guint64 u)
{
    return (u >> 1) ^ (0 - (u & 1));
}

/* width bits (0..64) at bit offset bit of p, least significant first; the caller checked they are there. */
static guint64
bits_at(const guint8 *p, guint64 bit, guint width)
{
    guint64 v = 0;

    for (guint got = 0; got < width;) {
        guint offset = (guint)((bit + got) % 8);
        guint take = MIN(8 - offset, width - got);
        v |= (guint64)((p[(bit + got) / 8] >> offset) & ((1u << take) - 1)) << got;
        got += take;
    }
    return v;
}

/* A block may not be larger than this (writers use 128 values; the bound keeps a hostile header cheap). */
#define DELTA_BLOCK_MAX (1u << 20)

gboolean
parquet_delta_decode(const guint8 *data, gsize length, guint32 count, gint64 *out, gsize *used, char **error)
{
    gsize pos = 0;
    guint64 block, minis, total, first;

    if (!read_uleb64(data, length, &pos, &block) || !read_uleb64(data, length, &pos, &minis) ||
        !read_uleb64(data, length, &pos, &total) || !read_uleb64(data, length, &pos, &first)) {
        *error = g_strdup("a DELTA_BINARY_PACKED header cut short");
        return FALSE;
    }
    if (block == 0 || block % 128 || block > DELTA_BLOCK_MAX || minis == 0 || block % minis ||
        (block / minis) % 32) {
        *error = g_strdup_printf("a DELTA_BINARY_PACKED block of %" G_GUINT64_FORMAT " values in %" G_GUINT64_FORMAT
                                 " miniblocks, which the format does not allow", block, minis);
        return FALSE;
    }
    if (total != count) {
        *error = g_strdup_printf("a DELTA_BINARY_PACKED run of %" G_GUINT64_FORMAT " values where the page has %u",
                                 total, count);
        return FALSE;
    }
    guint64 per_mini = block / minis;
    guint64 value = zigzag(first);
    guint32 k = 0;
    if (count > 0)
        out[k++] = (gint64)value;
    while (k < count) {
        guint64 min_delta;
        if (!read_uleb64(data, length, &pos, &min_delta) || minis > length - pos)
            goto cut_short;
        min_delta = zigzag(min_delta);
        const guint8 *widths = data + pos;
        pos += minis;
        /* Miniblocks after the last value have a width but no bytes. */
        for (guint64 m = 0; m < minis && k < count; m++) {
            guint width = widths[m];
            if (width > 64) {
                *error = g_strdup_printf("a DELTA_BINARY_PACKED miniblock of %u-bit deltas", width);
                return FALSE;
            }
            gsize bytes = (gsize)(per_mini * width / 8);
            if (bytes > length - pos)
                goto cut_short;
            for (guint64 j = 0; j < per_mini && k < count; j++) {
                value += min_delta + bits_at(data + pos, j * width, width);
                out[k++] = (gint64)value;
            }
            pos += bytes;
        }
    }
    *used = pos;
    return TRUE;

cut_short:
    *error = g_strdup_printf("DELTA_BINARY_PACKED values cut short after %u of %u", k, count);
    return FALSE;
}

gboolean
parquet_byte_stream_split_decode(parquet_type_t type, const guint8 *data, gsize length, guint32 count,
                                 parquet_value_t *out, char **error)
{
    guint width = type == PARQUET_FLOAT || type == PARQUET_INT32 ? 4 : 8;

    if (type != PARQUET_FLOAT && type != PARQUET_DOUBLE && type != PARQUET_INT32 && type != PARQUET_INT64) {
        *error = g_strdup_printf("BYTE_STREAM_SPLIT values of type %s are not supported", parquet_type_name(type));
        return FALSE;
    }
    if ((guint64)count * width != length) {
        *error = g_strdup_printf("%" G_GSIZE_FORMAT " bytes of BYTE_STREAM_SPLIT for %u values of %u bytes", length,
                                 count, width);
        return FALSE;
    }
    for (guint32 k = 0; k < count; k++) {
        guint64 bits = 0;
        for (guint b = 0; b < width; b++)
            bits |= (guint64)data[(gsize)b * count + k] << (8 * b);
        parquet_value_t *v = &out[k];
        v->present = 1;
        v->length = 0;
        if (type == PARQUET_FLOAT) {
            guint32 bits32 = (guint32)bits;
            float f;
            memcpy(&f, &bits32, sizeof f);
            v->v.d = f;
        } else if (type == PARQUET_DOUBLE) {
            memcpy(&v->v.d, &bits, sizeof v->v.d);
        } else {
            v->v.i = type == PARQUET_INT32 ? (gint32)(guint32)bits : (gint64)bits;
        }
    }
    return TRUE;
}
