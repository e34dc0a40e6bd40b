/* parquet-column.c
 * One column chunk to one value per row (parquet-column.h).
 *
 * Flat columns only: no repetition levels, and a definition level of 1
 * (present) or 0 (null) for optional columns.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "parquet-column.h"
#include "parquet-codec.h"

#include <string.h>

typedef struct {
    const parquet_column_t *column;
    parquet_codec_t  codec;
    parquet_pages_t *pages;
    parquet_value_t *dictionary;    /* the dictionary page's values, or NULL */
    guint32          dictionary_size;
    guint            page;          /* pages met so far, for messages */
} chunk_state_t;

/* Bits the smallest value of a type takes, PLAIN encoded. */
static guint64
plain_min_bits(const parquet_column_t *column)
{
    switch (column->type) {
    case PARQUET_BOOLEAN: return 1;
    case PARQUET_INT32: case PARQUET_FLOAT: case PARQUET_BYTE_ARRAY: return 32;
    case PARQUET_INT64: case PARQUET_DOUBLE: return 64;
    case PARQUET_INT96: return 96;
    default: return (guint64)MAX(column->type_length, 1) * 8;
    }
}

/* A decompressed buffer of size bytes, counted against what a row group may keep. */
static guint8 *
page_buffer(chunk_state_t *st, gsize size, char **error)
{
    if (size > PARQUET_PAGE_MAX) {
        *error = g_strdup_printf("it would decompress to %" G_GSIZE_FORMAT " bytes, more than the %d "
                                 "vpcshark accepts", size, PARQUET_PAGE_MAX);
        return NULL;
    }
    if (size > st->pages->kept_max - st->pages->kept) {
        *error = g_strdup_printf("the row group's pages decompress to more than the %" G_GSIZE_FORMAT
                                 " bytes vpcshark holds at once", st->pages->kept_max);
        return NULL;
    }
    st->pages->kept += size;
    return g_malloc(MAX(size, 1));
}

/* Keep a page buffer as long as the row group (values point into it), or give it back. */
static void
page_buffer_done(chunk_state_t *st, guint8 *buffer, gsize size, gboolean keep)
{
    if (keep) {
        g_ptr_array_add(st->pages->buffers, buffer);
    } else {
        st->pages->kept -= size;
        g_free(buffer);
    }
}

static gboolean
dictionary_page(chunk_state_t *st, const parquet_page_header_t *h, const guint8 *page, char **error)
{
    gsize size = (gsize)h->uncompressed_size;
    gsize used;

    if (st->dictionary) {
        *error = g_strdup("a second dictionary page");
        return FALSE;
    }
    if (h->encoding != PARQUET_PLAIN && h->encoding != PARQUET_PLAIN_DICTIONARY) {
        *error = g_strdup_printf("a dictionary page encoded %s (only PLAIN is defined)",
                                 parquet_encoding_name(h->encoding));
        return FALSE;
    }
    if ((guint64)h->num_values * plain_min_bits(st->column) > (guint64)size * 8) {
        *error = g_strdup_printf("a dictionary page says it has %d values in %" G_GSIZE_FORMAT " bytes",
                                 h->num_values, size);
        return FALSE;
    }
    guint8 *buffer = page_buffer(st, size, error);
    if (!buffer)
        return FALSE;
    st->dictionary = g_new0(parquet_value_t, MAX(h->num_values, 1));
    st->dictionary_size = (guint32)h->num_values;
    gboolean ok = parquet_decompress(st->codec, page, (gsize)h->compressed_size, buffer, size, error) &&
                  parquet_plain_decode(st->column->type, st->column->type_length, buffer, size,
                                       st->dictionary_size, st->dictionary, &used, error);
    page_buffer_done(st, buffer, size, TRUE);
    return ok;
}

/* Definition levels of a page: 1 present, 0 null. v1 has a 4-byte length first. */
static gboolean
page_levels(chunk_state_t *st, const parquet_page_header_t *h, const guint8 *data, gsize length, guint32 *levels,
            gsize *used, char **error)
{
    guint32 n = (guint32)h->num_values;

    if (!st->column->optional) {
        for (guint32 k = 0; k < n; k++)
            levels[k] = 1;
        *used = h->type == PARQUET_DATA_PAGE_V2 ? (gsize)h->definition_length : 0;
        return TRUE;
    }
    if (h->type == PARQUET_DATA_PAGE_V2) {
        gsize rle_used;
        *used = (gsize)h->definition_length;
        return parquet_rle_decode(data, *used, 1, n, levels, &rle_used, error);
    }
    if (h->level_encoding != PARQUET_RLE) {
        *error = g_strdup_printf("definition levels encoded %s (only RLE is read)",
                                 parquet_encoding_name(h->level_encoding));
        return FALSE;
    }
    if (length < 4) {
        *error = g_strdup("the page ends before its definition levels");
        return FALSE;
    }
    guint32 size = (guint32)data[0] | (guint32)data[1] << 8 | (guint32)data[2] << 16 | (guint32)data[3] << 24;
    if (size > length - 4) {
        *error = g_strdup_printf("definition levels of %u bytes in a page of %" G_GSIZE_FORMAT, size, length);
        return FALSE;
    }
    gsize rle_used;
    if (!parquet_rle_decode(data + 4, size, 1, n, levels, &rle_used, error))
        return FALSE;
    *used = 4 + (gsize)size;
    return TRUE;
}

/* DELTA_BINARY_PACKED integers (INT32 and INT64 columns). */
static gboolean
delta_integers(chunk_state_t *st, const guint8 *data, gsize length, guint32 count, parquet_value_t *out,
               char **error)
{
    gint64 *values = g_new(gint64, MAX(count, 1));
    gsize used;
    gboolean ok = parquet_delta_decode(data, length, count, values, &used, error);

    for (guint32 k = 0; ok && k < count; k++) {
        out[k].present = 1;
        out[k].v.i = st->column->type == PARQUET_INT32 ? (gint32)(guint32)values[k] : values[k];
    }
    g_free(values);
    return ok;
}

/* Lengths of byte arrays (DELTA_BINARY_PACKED), each checked to lie in 0..max, summed in *total. */
static gint64 *
delta_lengths(const guint8 *data, gsize length, guint32 count, gsize *used, guint64 *total, char **error)
{
    gint64 *lengths = g_new(gint64, MAX(count, 1));

    *total = 0;
    if (!parquet_delta_decode(data, length, count, lengths, used, error)) {
        g_free(lengths);
        return NULL;
    }
    for (guint32 k = 0; k < count; k++) {
        if (lengths[k] < 0 || lengths[k] > PARQUET_PAGE_MAX) {
            *error = g_strdup_printf("a byte array length of %" G_GINT64_FORMAT, lengths[k]);
            g_free(lengths);
            return NULL;
        }
        *total += (guint64)lengths[k];
    }
    return lengths;
}

/* DELTA_LENGTH_BYTE_ARRAY: the lengths, then the bytes one after another (values point into the page). */
static gboolean
delta_length_arrays(const guint8 *data, gsize length, guint32 count, parquet_value_t *out, char **error)
{
    gsize used;
    guint64 total;
    gint64 *lengths = delta_lengths(data, length, count, &used, &total, error);

    if (!lengths)
        return FALSE;
    gboolean ok = total <= length - used;
    if (!ok)
        *error = g_strdup_printf("byte arrays of %" G_GUINT64_FORMAT " bytes in %" G_GSIZE_FORMAT, total,
                                 length - used);
    for (guint32 k = 0; ok && k < count; k++) {
        out[k].present = 1;
        out[k].v.bytes = data + used;
        out[k].length = (guint32)lengths[k];
        used += (gsize)lengths[k];
    }
    g_free(lengths);
    return ok;
}

/*
 * DELTA_BYTE_ARRAY: prefix lengths, suffix lengths, suffixes; each value
 * is the start of the one before and its suffix. The values are built in
 * a buffer of their own, counted like a page (prefixes can make a few
 * bytes expand a great deal).
 */
static gboolean
delta_arrays(chunk_state_t *st, const guint8 *data, gsize length, guint32 count, parquet_value_t *out,
             char **error)
{
    gsize used = 0, more = 0, size = 0;
    guint64 prefix_total = 0, suffix_total = 0;
    gint64 *prefixes = delta_lengths(data, length, count, &used, &prefix_total, error);
    gint64 *suffixes = NULL;
    guint8 *built = NULL;
    gboolean ok = FALSE;

    if (!prefixes)
        return FALSE;
    suffixes = delta_lengths(data + used, length - used, count, &more, &suffix_total, error);
    if (!suffixes)
        goto done;
    used += more;
    if (suffix_total > length - used) {
        *error = g_strdup_printf("suffixes of %" G_GUINT64_FORMAT " bytes in %" G_GSIZE_FORMAT, suffix_total,
                                 length - used);
        goto done;
    }
    size = (gsize)MIN(prefix_total + suffix_total, (guint64)PARQUET_PAGE_MAX + 1);
    built = page_buffer(st, size, error);
    if (!built)
        goto done;
    const guint8 *suffix = data + used;
    gsize at = 0;
    ok = TRUE;
    for (guint32 k = 0; ok && k < count; k++) {
        guint32 previous = k ? out[k - 1].length : 0;
        if (prefixes[k] > previous) {
            *error = g_strdup_printf("value %u takes %" G_GINT64_FORMAT " bytes of a value of %u", k + 1,
                                     prefixes[k], previous);
            ok = FALSE;
            break;
        }
        guint8 *value = built + at;
        if (k)
            memmove(value, out[k - 1].v.bytes, (gsize)prefixes[k]);
        memcpy(value + prefixes[k], suffix, (gsize)suffixes[k]);
        suffix += suffixes[k];
        out[k].present = 1;
        out[k].v.bytes = value;
        out[k].length = (guint32)(prefixes[k] + suffixes[k]);
        at += out[k].length;
    }
    page_buffer_done(st, built, size, ok);
done:
    g_free(prefixes);
    g_free(suffixes);
    return ok;
}

/* The present values of a page (count of them) from its value section. */
static gboolean
page_values(chunk_state_t *st, parquet_encoding_t encoding, const guint8 *data, gsize length, guint32 count,
            parquet_value_t *out, char **error)
{
    gsize used;

    if (encoding == PARQUET_PLAIN) {
        if ((guint64)count * plain_min_bits(st->column) > (guint64)length * 8) {
            *error = g_strdup_printf("%u PLAIN values cannot fit in %" G_GSIZE_FORMAT " bytes", count, length);
            return FALSE;
        }
        return parquet_plain_decode(st->column->type, st->column->type_length, data, length, count, out, &used,
                                    error);
    }
    gboolean integers = st->column->type == PARQUET_INT32 || st->column->type == PARQUET_INT64;
    gboolean arrays = st->column->type == PARQUET_BYTE_ARRAY;
    if (encoding == PARQUET_DELTA_BINARY_PACKED && integers)
        return delta_integers(st, data, length, count, out, error);
    if (encoding == PARQUET_DELTA_LENGTH_BYTE_ARRAY && arrays)
        return delta_length_arrays(data, length, count, out, error);
    if (encoding == PARQUET_DELTA_BYTE_ARRAY && (arrays || st->column->type == PARQUET_FIXED_LEN_BYTE_ARRAY))
        return delta_arrays(st, data, length, count, out, error);
    if (encoding == PARQUET_BYTE_STREAM_SPLIT)
        return parquet_byte_stream_split_decode(st->column->type, data, length, count, out, error);
    if (encoding != PARQUET_PLAIN_DICTIONARY && encoding != PARQUET_RLE_DICTIONARY) {
        *error = g_strdup_printf("values encoded %s are not supported for %s columns", parquet_encoding_name(encoding),
                                 parquet_type_name(st->column->type));
        return FALSE;
    }
    if (!st->dictionary) {
        *error = g_strdup("dictionary-encoded values without a dictionary page");
        return FALSE;
    }
    if (count == 0)
        return TRUE;
    if (length < 1) {
        *error = g_strdup("dictionary indexes without their bit width");
        return FALSE;
    }
    guint32 *indexes = g_new(guint32, count);
    gboolean ok = parquet_rle_decode(data + 1, length - 1, data[0], count, indexes, &used, error);
    for (guint32 k = 0; ok && k < count; k++) {
        if (indexes[k] >= st->dictionary_size) {
            *error = g_strdup_printf("dictionary index %u out of range (the dictionary has %u values)", indexes[k],
                                     st->dictionary_size);
            ok = FALSE;
        } else {
            out[k] = st->dictionary[indexes[k]];
        }
    }
    g_free(indexes);
    return ok;
}

/* A data page (v1 or v2): its n values, nulls included, into values. */
static gboolean
data_page(chunk_state_t *st, const parquet_page_header_t *h, const guint8 *page, parquet_value_t *values,
          char **error)
{
    gsize size = (gsize)h->uncompressed_size;
    guint32 n = (guint32)h->num_values;
    guint8 *buffer = page_buffer(st, size, error);

    if (!buffer)
        return FALSE;
    gboolean ok;
    if (h->type == PARQUET_DATA_PAGE_V2) {
        /* Levels are never compressed; the values may be. */
        gsize levels = (gsize)h->repetition_length + (gsize)h->definition_length;
        memcpy(buffer, page, levels);
        parquet_codec_t codec = h->is_compressed ? st->codec : PARQUET_UNCOMPRESSED;
        ok = parquet_decompress(codec, page + levels, (gsize)h->compressed_size - levels, buffer + levels,
                                size - levels, error);
    } else {
        ok = parquet_decompress(st->codec, page, (gsize)h->compressed_size, buffer, size, error);
    }

    guint32 *levels = g_new(guint32, MAX(n, 1));
    parquet_value_t *present = NULL;
    gsize used = 0, skip = h->type == PARQUET_DATA_PAGE_V2 ? (gsize)h->repetition_length : 0;
    guint32 count = 0;
    ok = ok && page_levels(st, h, buffer + skip, size - skip, levels, &used, error);
    if (ok) {
        used += skip;
        for (guint32 k = 0; k < n; k++)
            count += levels[k] != 0;
        present = g_new0(parquet_value_t, MAX(count, 1));
        ok = page_values(st, h->encoding, buffer + used, size - used, count, present, error);
    }
    for (guint32 k = 0, j = 0; ok && k < n; k++) {
        if (levels[k])
            values[k] = present[j++];
        else
            memset(&values[k], 0, sizeof values[k]);
    }
    g_free(levels);
    g_free(present);
    /* PLAIN and DELTA_LENGTH byte arrays point into the page; dictionary values into the dictionary's,
     * DELTA_BYTE_ARRAY values into a buffer of their own. */
    gboolean points_in = (h->encoding == PARQUET_PLAIN && (st->column->type == PARQUET_BYTE_ARRAY ||
                                                           st->column->type == PARQUET_FIXED_LEN_BYTE_ARRAY ||
                                                           st->column->type == PARQUET_INT96)) ||
                         h->encoding == PARQUET_DELTA_LENGTH_BYTE_ARRAY;
    page_buffer_done(st, buffer, size, ok && points_in);
    return ok;
}

gboolean
parquet_column_decode(const parquet_column_t *column, parquet_codec_t codec, const guint8 *data, gsize length,
                      guint32 n_rows, parquet_value_t *values, parquet_pages_t *pages, char **error)
{
    chunk_state_t st = { .column = column, .codec = codec, .pages = pages };
    gsize pos = 0;
    guint32 done = 0;
    char *problem = NULL;
    gboolean ok = TRUE;

    while (ok && done < n_rows) {
        parquet_page_header_t h;
        gsize used;
        st.page++;
        if (pos >= length) {
            problem = g_strdup_printf("the column chunk ends after %u of its %u values", done, n_rows);
            ok = FALSE;
            break;
        }
        if (!parquet_page_header_parse(data + pos, length - pos, &h, &used, &problem)) {
            ok = FALSE;
            break;
        }
        pos += used;
        if ((gsize)h.compressed_size > length - pos) {
            problem = g_strdup_printf("the page (%d bytes) runs past the end of its column chunk (truncated?)",
                                      h.compressed_size);
            ok = FALSE;
            break;
        }
        const guint8 *page = data + pos;
        pos += (gsize)h.compressed_size;
        switch (h.type) {
        case PARQUET_DICTIONARY_PAGE:
            ok = dictionary_page(&st, &h, page, &problem);
            break;
        case PARQUET_DATA_PAGE:
        case PARQUET_DATA_PAGE_V2:
            if ((guint32)h.num_values > n_rows - done) {
                problem = g_strdup_printf("the page holds %d values where %u rows are left", h.num_values,
                                          n_rows - done);
                ok = FALSE;
                break;
            }
            ok = data_page(&st, &h, page, values + done, &problem);
            done += (guint32)h.num_values;
            break;
        case PARQUET_INDEX_PAGE:
            break;
        default:
            problem = g_strdup_printf("unknown page type %d", h.type);
            ok = FALSE;
            break;
        }
    }
    if (!ok) {
        *error = g_strdup_printf("column \"%s\", page %u: %s", column->name, st.page, problem);
        g_free(problem);
    }
    g_free(st.dictionary);
    return ok;
}
