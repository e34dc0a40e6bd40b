/* fuzz-parquet.c
 * The Parquet decoder: footer, page headers, levels, dictionary indexes
 * and each codec.
 *
 * The first input byte picks what the rest is:
 *   0  a whole file: footer, then every row group;
 *   1  one column chunk (its pages) of a column described by the next
 *      three bytes (physical type, codec, optional) with the next byte's
 *      number of rows: page headers, dictionaries, levels, indexes;
 *   2  RLE/bit-packed hybrid data, bit width and count from the next bytes;
 *   3  a compressed page: codec and decompressed size from the next bytes.
 *
 * Checked: a result or an error, never both; row groups have the rows
 * their metadata gives; byte values can be read whole (they lie in pages
 * still kept); levels and indexes fit their bit width.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "parquet-codec.h"
#include "parquet-column.h"
#include "parquet-file.h"
#include "parquet-values.h"

/* Read every byte value of a row group: each must lie in a page still kept (ASan and valgrind check). */
static void
check_rows(const parquet_meta_t *meta, const parquet_rows_t *rows)
{
    volatile guint8 sink = 0;

    for (guint c = 0; c < rows->n_columns; c++) {
        parquet_type_t type = meta->columns[c].type;
        gboolean bytes = type == PARQUET_BYTE_ARRAY || type == PARQUET_FIXED_LEN_BYTE_ARRAY || type == PARQUET_INT96;
        for (guint32 r = 0; bytes && r < rows->n_rows; r++) {
            const parquet_value_t *v = &rows->columns[c][r];
            if (!v->present || v->length == 0)
                continue;
            for (guint32 i = 0; i < v->length; i++)
                sink ^= v->v.bytes[i];
        }
    }
    (void)sink;
}

static void
whole_file(const uint8_t *data, size_t size)
{
    guint8 *copy = (guint8 *)fuzz_copy(data, size);
    parquet_memory_input_t m;
    char *error = NULL;
    gboolean unsupported;

    parquet_memory_input_init(&m, copy, size);
    parquet_meta_t *meta = parquet_footer_read(&m.input, &error, &unsupported);
    FUZZ_CHECK((meta == NULL) != (error == NULL));
    for (guint g = 0; meta && g < meta->n_row_groups; g++) {
        parquet_rows_t *rows = parquet_row_group_read(&m.input, meta, g, &error);
        FUZZ_CHECK((rows == NULL) != (error == NULL));
        if (!rows)
            break;
        FUZZ_CHECK(rows->n_rows == (guint64)meta->row_groups[g].num_rows);
        check_rows(meta, rows);
        parquet_rows_free(rows);
    }
    g_free(error);
    parquet_meta_free(meta);
    free(copy);
}

static void
column_chunk(fuzz_input_t *in)
{
    parquet_column_t column = { .name = (char *)"fuzz" };
    column.type = (parquet_type_t)(fuzz_take_byte(in) % 8);
    column.type_length = column.type == PARQUET_FIXED_LEN_BYTE_ARRAY ? 4 : 0;
    parquet_codec_t codec = (parquet_codec_t)(fuzz_take_byte(in) % 8);
    column.optional = fuzz_take_byte(in) & 1;
    guint32 n_rows = fuzz_take_byte(in);
    guint8 *copy = (guint8 *)fuzz_copy(in->data, in->size);
    parquet_value_t *values = g_new0(parquet_value_t, n_rows + 1);
    parquet_pages_t pages = { g_ptr_array_new_with_free_func(g_free), 0, PARQUET_ROW_GROUP_BYTES_MAX };
    char *error = NULL;

    gboolean ok = parquet_column_decode(&column, codec, copy, in->size, n_rows, values, &pages, &error);
    FUZZ_CHECK(ok == (error == NULL));
    g_free(error);
    g_free(values);
    g_ptr_array_free(pages.buffers, TRUE);
    free(copy);
}

static void
rle(fuzz_input_t *in)
{
    guint bit_width = fuzz_take_byte(in) % 34;
    guint32 count = fuzz_take_byte(in) | (guint32)fuzz_take_byte(in) << 8;
    guint8 *copy = (guint8 *)fuzz_copy(in->data, in->size);
    guint32 *out = g_new(guint32, count + 1);
    gsize used = 0;
    char *error = NULL;

    gboolean ok = parquet_rle_decode(copy, in->size, bit_width, count, out, &used, &error);
    FUZZ_CHECK(ok == (error == NULL));
    FUZZ_CHECK(!ok || used <= in->size);
    for (guint32 k = 0; ok && bit_width < 32 && k < count; k++)
        FUZZ_CHECK(out[k] < (1u << bit_width));
    g_free(error);
    g_free(out);
    free(copy);
}

static void
codec(fuzz_input_t *in)
{
    parquet_codec_t which = (parquet_codec_t)(fuzz_take_byte(in) % 8);
    gsize out_length = fuzz_take_byte(in) | (gsize)fuzz_take_byte(in) << 8 | (gsize)fuzz_take_byte(in) << 16;
    guint8 *copy = (guint8 *)fuzz_copy(in->data, in->size);
    guint8 *out = g_malloc(out_length + 1);
    char *error = NULL;

    gboolean ok = parquet_decompress(which, copy, in->size, out, out_length, &error);
    FUZZ_CHECK(ok == (error == NULL));
    g_free(error);
    g_free(out);
    free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };

    switch (fuzz_take_byte(&in) % 4) {
    case 0: whole_file(in.data, in.size); break;
    case 1: column_chunk(&in); break;
    case 2: rle(&in); break;
    default: codec(&in); break;
    }
    return 0;
}
