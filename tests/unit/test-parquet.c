/* test-parquet.c
 * Unit tests of the Parquet decoder (plugin/flowlog/parquet). Inputs are
 * built here byte by byte with a small Thrift compact writer; the bytes
 * of pages and the values expected are worked out by hand from the
 * Parquet and Thrift specifications (comments give the working).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "parquet-codec.h"
#include "parquet-file.h"
#include "parquet-thrift.h"
#include "parquet-values.h"

/* ---- a Thrift compact writer, for building footers and page headers ---- */

typedef struct {
    GByteArray *out;
    gint16      last[64];
    guint       depth;
} writer_t;

static void
put_byte(writer_t *w, guint8 b)
{
    g_byte_array_append(w->out, &b, 1);
}

static void
put_varint(writer_t *w, guint64 v)
{
    while (v >= 0x80) {
        put_byte(w, (guint8)(v | 0x80));
        v >>= 7;
    }
    put_byte(w, (guint8)v);
}

static void
put_zigzag(writer_t *w, gint64 v)
{
    put_varint(w, ((guint64)v << 1) ^ (guint64)(v >> 63));
}

static void
field(writer_t *w, gint16 id, thrift_type_t type)
{
    gint16 delta = id - w->last[w->depth];

    if (delta > 0 && delta <= 15) {
        put_byte(w, (guint8)(delta << 4 | type));
    } else {
        put_byte(w, (guint8)type);
        put_zigzag(w, id);
    }
    w->last[w->depth] = id;
}

static void
field_int(writer_t *w, gint16 id, thrift_type_t type, gint64 v)
{
    field(w, id, type);
    put_zigzag(w, v);
}

static void
field_string(writer_t *w, gint16 id, const char *s)
{
    field(w, id, THRIFT_BINARY);
    put_varint(w, strlen(s));
    g_byte_array_append(w->out, (const guint8 *)s, (guint)strlen(s));
}

static void
list_header(writer_t *w, thrift_type_t element, guint32 n)
{
    if (n < 15) {
        put_byte(w, (guint8)(n << 4 | element));
    } else {
        put_byte(w, (guint8)(0xF0 | element));
        put_varint(w, n);
    }
}

static void
begin(writer_t *w)
{
    w->last[++w->depth] = 0;
}

static void
end(writer_t *w)
{
    put_byte(w, THRIFT_STOP);
    w->depth--;
}

static void
field_struct(writer_t *w, gint16 id)
{
    field(w, id, THRIFT_STRUCT);
    begin(w);
}

/* ---- Parquet files built from parts ---- */

typedef struct {
    const char *name;
    parquet_type_t type;
    gboolean optional;
    parquet_codec_t codec;
    gint64 start, size;     /* its chunk */
    gint64 dictionary;      /* dictionary page offset, or 0 */
    gint64 values;
} column_spec_t;

static GByteArray *
file_new(void)
{
    GByteArray *f = g_byte_array_new();

    g_byte_array_append(f, (const guint8 *)"PAR1", 4);
    return f;
}

/* A page header and its (already compressed) body; returns where the page starts. */
static gint64
add_page(GByteArray *f, parquet_page_type_t type, parquet_encoding_t encoding, gint32 num_values, gint32 uncompressed,
         const guint8 *body, gsize length)
{
    gint64 start = f->len;
    writer_t w = { .out = f };

    begin(&w);
    field_int(&w, 1, THRIFT_I32, type);
    field_int(&w, 2, THRIFT_I32, uncompressed);
    field_int(&w, 3, THRIFT_I32, (gint64)length);
    if (type == PARQUET_DICTIONARY_PAGE) {
        field_struct(&w, 7);
        field_int(&w, 1, THRIFT_I32, num_values);
        field_int(&w, 2, THRIFT_I32, encoding);
        end(&w);
    } else {
        field_struct(&w, 5);
        field_int(&w, 1, THRIFT_I32, num_values);
        field_int(&w, 2, THRIFT_I32, encoding);
        field_int(&w, 3, THRIFT_I32, PARQUET_RLE);
        field_int(&w, 4, THRIFT_I32, PARQUET_RLE);
        end(&w);
    }
    end(&w);
    g_byte_array_append(f, body, (guint)length);
    return start;
}

/* The footer for one row group of rows rows, and the trailer. */
static void
add_footer(GByteArray *f, const column_spec_t *cols, guint n, gint64 rows)
{
    GByteArray *meta = g_byte_array_new();
    writer_t w = { .out = meta };

    begin(&w);
    field_int(&w, 1, THRIFT_I32, 1);
    field(&w, 2, THRIFT_LIST);
    list_header(&w, THRIFT_STRUCT, n + 1);
    begin(&w);
    field_string(&w, 4, "schema");
    field_int(&w, 5, THRIFT_I32, n);
    end(&w);
    for (guint c = 0; c < n; c++) {
        begin(&w);
        field_int(&w, 1, THRIFT_I32, cols[c].type);
        field_int(&w, 3, THRIFT_I32, cols[c].optional ? 1 : 0);
        field_string(&w, 4, cols[c].name);
        end(&w);
    }
    field_int(&w, 3, THRIFT_I64, rows);
    field(&w, 4, THRIFT_LIST);
    list_header(&w, THRIFT_STRUCT, 1);
    begin(&w);
    field(&w, 1, THRIFT_LIST);
    list_header(&w, THRIFT_STRUCT, n);
    for (guint c = 0; c < n; c++) {
        begin(&w);
        field_int(&w, 2, THRIFT_I64, cols[c].start);
        field_struct(&w, 3);
        field_int(&w, 1, THRIFT_I32, cols[c].type);
        field(&w, 3, THRIFT_LIST);
        list_header(&w, THRIFT_BINARY, 1);
        put_varint(&w, strlen(cols[c].name));
        g_byte_array_append(meta, (const guint8 *)cols[c].name, (guint)strlen(cols[c].name));
        field_int(&w, 4, THRIFT_I32, cols[c].codec);
        field_int(&w, 5, THRIFT_I64, cols[c].values);
        field_int(&w, 7, THRIFT_I64, cols[c].size);
        field_int(&w, 9, THRIFT_I64, cols[c].dictionary ? cols[c].start + 1000000 : cols[c].start);
        if (cols[c].dictionary)
            field_int(&w, 11, THRIFT_I64, cols[c].dictionary);
        end(&w);
        end(&w);
    }
    field_int(&w, 2, THRIFT_I64, 0);
    field_int(&w, 3, THRIFT_I64, rows);
    end(&w);
    end(&w);

    guint8 trailer[8] = { (guint8)meta->len, (guint8)(meta->len >> 8), (guint8)(meta->len >> 16),
                          (guint8)(meta->len >> 24), 'P', 'A', 'R', '1' };
    g_byte_array_append(f, meta->data, meta->len);
    g_byte_array_append(f, trailer, sizeof trailer);
    g_byte_array_free(meta, TRUE);
}

/*
 * The table used throughout, three rows:
 *   srcport (INT32, required, PLAIN)    443, 80, 22
 *   action  (BYTE_ARRAY, optional,      "ACCEPT", null, "REJECT"
 *            dictionary-encoded)
 */
static const guint8 srcport_plain[] = { 0xBB, 0x01, 0, 0, 0x50, 0, 0, 0, 0x16, 0, 0, 0 };
/* PLAIN byte arrays: u32 length, bytes. */
static const guint8 action_dictionary[] = { 6, 0, 0, 0, 'A', 'C', 'C', 'E', 'P', 'T', 6, 0, 0, 0, 'R', 'E', 'J', 'E', 'C', 'T' };
/*
 * v1 data page: definition levels with a u32 length (2), then the RLE
 * hybrid at bit width 1: header 0x03 = one bit-packed group of 8, byte
 * 0x05 = levels 1,0,1 (least significant bit first). Then the values:
 * bit width 1, header 0x03, byte 0x02 = indexes 0,1.
 */
static const guint8 action_data[] = { 2, 0, 0, 0, 0x03, 0x05, 0x01, 0x03, 0x02 };

/* Build the table; action_page replaces the action data page body. */
static GByteArray *
table_file(const guint8 *action_page, gsize action_length)
{
    GByteArray *f = file_new();
    column_spec_t cols[2] = {
        { "srcport", PARQUET_INT32, FALSE, PARQUET_UNCOMPRESSED, 0, 0, 0, 3 },
        { "action", PARQUET_BYTE_ARRAY, TRUE, PARQUET_UNCOMPRESSED, 0, 0, 0, 3 },
    };

    cols[0].start = add_page(f, PARQUET_DATA_PAGE, PARQUET_PLAIN, 3, sizeof srcport_plain, srcport_plain,
                             sizeof srcport_plain);
    cols[0].size = f->len - cols[0].start;
    cols[1].start = cols[1].dictionary = add_page(f, PARQUET_DICTIONARY_PAGE, PARQUET_PLAIN, 2,
                                                  sizeof action_dictionary, action_dictionary,
                                                  sizeof action_dictionary);
    add_page(f, PARQUET_DATA_PAGE, PARQUET_RLE_DICTIONARY, 3, (gint32)action_length, action_page, action_length);
    cols[1].size = f->len - cols[1].start;
    add_footer(f, cols, 2, 3);
    return f;
}

/* Read every row group; the error of the first that fails, or NULL. Values of group 0 in *rows. */
static char *
read_file(const GByteArray *f, parquet_rows_t **rows)
{
    parquet_memory_input_t m;
    char *error = NULL;
    gboolean unsupported;

    *rows = NULL;
    parquet_memory_input_init(&m, f->data, f->len);
    parquet_meta_t *meta = parquet_footer_read(&m.input, &error, &unsupported);
    if (!meta)
        return error;
    for (guint g = 0; g < meta->n_row_groups && !error; g++) {
        parquet_rows_t *r = parquet_row_group_read(&m.input, meta, g, &error);
        if (g == 0)
            *rows = r;
        else
            parquet_rows_free(r);
    }
    parquet_meta_free(meta);
    return error;
}

static void
assert_text(const parquet_value_t *v, const char *text)
{
    g_assert_true(v->present);
    g_assert_cmpuint(v->length, ==, strlen(text));
    g_assert_cmpmem(v->v.bytes, v->length, text, strlen(text));
}

/* ---- Thrift ---- */

static void
test_thrift_fields(void)
{
    /*
     * struct { 1: i32 -3, 3: binary "ab", 20: bool true (long form id),
     *          21: struct { 1: list<i64> [1, 2] } (skipped), 22: double (skipped) }
     * 0x15 = delta 1, i32; zigzag(-3) = 5
     * 0x28 = delta 2, binary; length 2
     * 0x01 = long form, true; zigzag(20) = 40
     * 0x1C = delta 1, struct; 0x19 = delta 1, list; 0x26 = 2 elements of i64; 2, 4; STOP
     * 0x17 = delta 1, double; 8 bytes
     * STOP
     */
    static const guint8 bytes[] = { 0x15, 0x05, 0x28, 0x02, 'a', 'b', 0x01, 40, 0x1C, 0x19, 0x26, 0x02, 0x04, 0x00,
                                    0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x00 };
    thrift_reader_t r;
    thrift_struct_t s;
    thrift_type_t type;
    gint16 id;
    gint16 ids[8];
    guint n = 0;
    gsize len;

    thrift_reader_init(&r, bytes, sizeof bytes);
    g_assert_true(thrift_struct_begin(&r, &s));
    while (thrift_field(&r, &s, &id, &type)) {
        ids[n++] = id;
        if (id == 1)
            g_assert_cmpint(thrift_int(&r, type), ==, -3);
        else if (id == 3)
            g_assert_cmpmem(thrift_binary(&r, type, &len), len, "ab", 2);
        else if (id == 20)
            g_assert_true(thrift_bool(&r, type));
        else
            thrift_skip(&r, type);
    }
    g_assert_null(r.error);
    g_assert_cmpuint(r.pos, ==, sizeof bytes);
    g_assert_cmpuint(n, ==, 5);
    g_assert_cmpint(ids[2], ==, 20);
    g_assert_cmpint(ids[3], ==, 21);
    g_assert_cmpint(ids[4], ==, 22);
}

static void
test_thrift_bounds(void)
{
    thrift_reader_t r;
    thrift_type_t element;
    gsize len;

    /* a list claiming 1000 elements (0xF5, varint 1000 = E8 07) with 2 bytes left */
    static const guint8 list[] = { 0xF5, 0xE8, 0x07, 0x02, 0x04 };
    thrift_reader_init(&r, list, sizeof list);
    g_assert_cmpuint(thrift_list(&r, THRIFT_LIST, &element), ==, 0);
    g_assert_nonnull(strstr(r.error, "1000 elements"));
    g_free(r.error);

    /* a string of 200 bytes where 1 is left */
    static const guint8 string[] = { 0xC8, 0x01, 'x' };
    thrift_reader_init(&r, string, sizeof string);
    g_assert_null(thrift_binary(&r, THRIFT_BINARY, &len));
    g_assert_nonnull(r.error);
    g_free(r.error);

    /* a varint of 11 bytes */
    static const guint8 varint[] = { 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 };
    thrift_reader_init(&r, varint, sizeof varint);
    thrift_skip(&r, THRIFT_STRUCT);
    g_assert_nonnull(strstr(r.error, "varint"));
    g_free(r.error);

    /* structs nested 100 deep: field 1 of type struct (0x1C), 100 times */
    guint8 deep[101];
    memset(deep, 0x1C, 100);
    deep[100] = 0;
    thrift_reader_init(&r, deep, sizeof deep);
    thrift_skip(&r, THRIFT_STRUCT);
    g_assert_nonnull(strstr(r.error, "nested"));
    g_free(r.error);
}

/* ---- levels and values ---- */

static void
test_rle_hybrid(void)
{
    guint32 out[16];
    gsize used;
    char *error = NULL;

    /* The format's own example: 0..7 at bit width 3, bit-packed: header 0x03, bytes 0x88 0xC6 0xFA. */
    static const guint8 packed[] = { 0x03, 0x88, 0xC6, 0xFA };
    g_assert_true(parquet_rle_decode(packed, sizeof packed, 3, 8, out, &used, &error));
    for (guint32 k = 0; k < 8; k++)
        g_assert_cmpuint(out[k], ==, k);
    g_assert_cmpuint(used, ==, 4);

    /* An RLE run of 5 x 300 at bit width 9: header 5 << 1 = 0x0A, value in 2 bytes LE (0x2C 0x01);
     * then 3 x 7: header 0x06, value 0x07 0x00. */
    static const guint8 runs[] = { 0x0A, 0x2C, 0x01, 0x06, 0x07, 0x00 };
    g_assert_true(parquet_rle_decode(runs, sizeof runs, 9, 8, out, &used, &error));
    for (guint32 k = 0; k < 5; k++)
        g_assert_cmpuint(out[k], ==, 300);
    for (guint32 k = 5; k < 8; k++)
        g_assert_cmpuint(out[k], ==, 7);

    /* Asking for more values than the data holds. */
    g_assert_false(parquet_rle_decode(runs, sizeof runs, 9, 9, out, &used, &error));
    g_assert_nonnull(strstr(error, "8 of 9"));
    g_free(error);
    error = NULL;

    /* A bit-packed run whose bytes are not there. */
    static const guint8 cut[] = { 0x05, 0xFF };     /* 2 groups at width 8: 16 bytes needed */
    g_assert_false(parquet_rle_decode(cut, sizeof cut, 8, 16, out, &used, &error));
    g_free(error);
    error = NULL;

    g_assert_false(parquet_rle_decode(packed, sizeof packed, 33, 1, out, &used, &error));
    g_free(error);

    g_assert_cmpuint(parquet_bit_width(0), ==, 0);
    g_assert_cmpuint(parquet_bit_width(1), ==, 1);
    g_assert_cmpuint(parquet_bit_width(255), ==, 8);
    g_assert_cmpuint(parquet_bit_width(256), ==, 9);
}

static void
test_plain_values(void)
{
    parquet_value_t v[4];
    gsize used;
    char *error = NULL;

    /* INT32 little-endian: -1, 42 */
    static const guint8 ints[] = { 0xFF, 0xFF, 0xFF, 0xFF, 0x2A, 0, 0, 0 };
    g_assert_true(parquet_plain_decode(PARQUET_INT32, 0, ints, sizeof ints, 2, v, &used, &error));
    g_assert_cmpint(v[0].v.i, ==, -1);
    g_assert_cmpint(v[1].v.i, ==, 42);

    /* INT64 2^40 + 1 */
    static const guint8 big[] = { 0x01, 0, 0, 0, 0, 0x01, 0, 0 };
    g_assert_true(parquet_plain_decode(PARQUET_INT64, 0, big, sizeof big, 1, v, &used, &error));
    g_assert_cmpint(v[0].v.i, ==, G_GINT64_CONSTANT(1099511627777));

    /* BYTE_ARRAY "ab", "" */
    static const guint8 strings[] = { 2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0 };
    g_assert_true(parquet_plain_decode(PARQUET_BYTE_ARRAY, 0, strings, sizeof strings, 2, v, &used, &error));
    assert_text(&v[0], "ab");
    assert_text(&v[1], "");
    g_assert_cmpuint(used, ==, sizeof strings);

    /* BOOLEAN bits, least significant first: 0x05 = true, false, true */
    static const guint8 bools[] = { 0x05 };
    g_assert_true(parquet_plain_decode(PARQUET_BOOLEAN, 0, bools, 1, 3, v, &used, &error));
    g_assert_cmpint(v[0].v.i, ==, 1);
    g_assert_cmpint(v[1].v.i, ==, 0);
    g_assert_cmpint(v[2].v.i, ==, 1);

    /* a byte array longer than what is left */
    static const guint8 long_string[] = { 9, 0, 0, 0, 'a' };
    g_assert_false(parquet_plain_decode(PARQUET_BYTE_ARRAY, 0, long_string, sizeof long_string, 1, v, &used,
                                        &error));
    g_assert_nonnull(error);
    g_free(error);
    error = NULL;
    /* two INT64 in 12 bytes */
    static const guint8 twelve[12] = { 0 };
    g_assert_false(parquet_plain_decode(PARQUET_INT64, 0, twelve, sizeof twelve, 2, v, &used, &error));
    g_free(error);
}

/* ---- codecs: each library's own compressor makes the input ---- */

static void
test_codecs(void)
{
    static const char text[] = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
                               "1418530010 1418530070 ACCEPT OK";
    gsize n = sizeof text - 1;
    guint8 out[sizeof text];
    char *error = NULL;

    uLongf gz_len = compressBound(n);
    guint8 *gz = g_malloc(gz_len);
    g_assert_cmpint(compress(gz, &gz_len, (const Bytef *)text, n), ==, Z_OK);
    g_assert_true(parquet_decompress(PARQUET_GZIP, gz, gz_len, out, n, &error));
    g_assert_cmpmem(out, n, text, n);
    /* cut short, and asked for a size it does not have */
    g_assert_false(parquet_decompress(PARQUET_GZIP, gz, gz_len / 2, out, n, &error));
    g_clear_pointer(&error, g_free);
    g_assert_false(parquet_decompress(PARQUET_GZIP, gz, gz_len, out, n - 1, &error));
    g_assert_nonnull(strstr(error, "more than"));
    g_clear_pointer(&error, g_free);
    g_free(gz);

    size_t sn_len = snappy_max_compressed_length(n);
    char *sn = g_malloc(sn_len);
    g_assert_cmpint(snappy_compress(text, n, sn, &sn_len), ==, SNAPPY_OK);
    g_assert_true(parquet_decompress(PARQUET_SNAPPY, (const guint8 *)sn, sn_len, out, n, &error));
    g_assert_cmpmem(out, n, text, n);
    g_assert_false(parquet_decompress(PARQUET_SNAPPY, (const guint8 *)sn, sn_len, out, n - 1, &error));
    g_clear_pointer(&error, g_free);
    g_free(sn);

    size_t zs_len = ZSTD_compressBound(n);
    guint8 *zs = g_malloc(zs_len);
    zs_len = ZSTD_compress(zs, zs_len, text, n, 3);
    g_assert_false(ZSTD_isError(zs_len));
    g_assert_true(parquet_decompress(PARQUET_ZSTD, zs, zs_len, out, n, &error));
    g_assert_cmpmem(out, n, text, n);
    g_assert_false(parquet_decompress(PARQUET_ZSTD, zs, zs_len, out, n - 1, &error));
    g_clear_pointer(&error, g_free);
    g_free(zs);

    g_assert_false(parquet_decompress(PARQUET_LZO, (const guint8 *)text, n, out, n, &error));
    g_assert_nonnull(strstr(error, "LZO"));
    g_free(error);
}

/* A bomb: 64 MiB of zeros in a few kilobytes, for a page that says it holds 100 bytes. */
static void
test_codec_bomb(void)
{
    gsize n = 64 * 1024 * 1024;
    guint8 *zeros = g_malloc0(n);
    guint8 out[100];
    char *error = NULL;

    uLongf gz_len = compressBound(n);
    guint8 *gz = g_malloc(gz_len);
    g_assert_cmpint(compress2(gz, &gz_len, zeros, n, 9), ==, Z_OK);
    g_assert_cmpuint(gz_len, <, 100 * 1024);
    g_assert_false(parquet_decompress(PARQUET_GZIP, gz, gz_len, out, sizeof out, &error));
    g_assert_nonnull(strstr(error, "more than the 100 bytes"));
    g_clear_pointer(&error, g_free);
    g_free(gz);

    size_t zs_len = ZSTD_compressBound(n);
    guint8 *zs = g_malloc(zs_len);
    zs_len = ZSTD_compress(zs, zs_len, zeros, n, 3);
    g_assert_false(parquet_decompress(PARQUET_ZSTD, zs, zs_len, out, sizeof out, &error));
    g_clear_pointer(&error, g_free);
    g_free(zs);
    g_free(zeros);
}

/* ---- whole files ---- */

static void
test_file_table(void)
{
    GByteArray *f = table_file(action_data, sizeof action_data);
    parquet_rows_t *rows;
    char *error = read_file(f, &rows);

    g_assert_null(error);
    g_assert_cmpuint(rows->n_rows, ==, 3);
    g_assert_cmpint(rows->columns[0][0].v.i, ==, 443);
    g_assert_cmpint(rows->columns[0][1].v.i, ==, 80);
    g_assert_cmpint(rows->columns[0][2].v.i, ==, 22);
    assert_text(&rows->columns[1][0], "ACCEPT");
    g_assert_false(rows->columns[1][1].present);
    assert_text(&rows->columns[1][2], "REJECT");
    parquet_rows_free(rows);
    g_byte_array_free(f, TRUE);
}

/* The action column as one version 2 data page, its values GZIP-compressed, its levels not. */
static void
test_file_page_v2(void)
{
    GByteArray *f = file_new();
    static const guint8 values[] = { 0x01, 0x03, 0x02 };      /* bit width 1, indexes 0,1 */
    static const guint8 levels[] = { 0x03, 0x05 };            /* 1,0,1 without a length */
    column_spec_t col = { "action", PARQUET_BYTE_ARRAY, TRUE, PARQUET_GZIP, 0, 0, 0, 3 };

    /* the dictionary, gzip'd */
    uLongf dict_len = compressBound(sizeof action_dictionary);
    guint8 *dict = g_malloc(dict_len);
    compress(dict, &dict_len, action_dictionary, sizeof action_dictionary);
    col.start = col.dictionary = add_page(f, PARQUET_DICTIONARY_PAGE, PARQUET_PLAIN, 2, sizeof action_dictionary,
                                          dict, dict_len);
    g_free(dict);

    uLongf gz_len = compressBound(sizeof values);
    guint8 *gz = g_malloc(gz_len);
    compress(gz, &gz_len, values, sizeof values);
    GByteArray *body = g_byte_array_new();
    g_byte_array_append(body, levels, sizeof levels);
    g_byte_array_append(body, gz, (guint)gz_len);
    g_free(gz);

    writer_t w = { .out = f };
    begin(&w);
    field_int(&w, 1, THRIFT_I32, PARQUET_DATA_PAGE_V2);
    field_int(&w, 2, THRIFT_I32, sizeof levels + sizeof values);
    field_int(&w, 3, THRIFT_I32, body->len);
    field_struct(&w, 8);
    field_int(&w, 1, THRIFT_I32, 3);                    /* values */
    field_int(&w, 2, THRIFT_I32, 1);                    /* nulls */
    field_int(&w, 3, THRIFT_I32, 3);                    /* rows */
    field_int(&w, 4, THRIFT_I32, PARQUET_RLE_DICTIONARY);
    field_int(&w, 5, THRIFT_I32, sizeof levels);
    field_int(&w, 6, THRIFT_I32, 0);
    end(&w);
    end(&w);
    g_byte_array_append(f, body->data, body->len);
    g_byte_array_free(body, TRUE);
    col.size = f->len - col.start;
    add_footer(f, &col, 1, 3);

    parquet_rows_t *rows;
    char *error = read_file(f, &rows);
    g_assert_null(error);
    assert_text(&rows->columns[0][0], "ACCEPT");
    g_assert_false(rows->columns[0][1].present);
    assert_text(&rows->columns[0][2], "REJECT");
    parquet_rows_free(rows);
    g_byte_array_free(f, TRUE);
}

/* ---- DELTA and BYTE_STREAM_SPLIT (worked by hand from the format's description) ---- */

static void
test_delta_binary_packed(void)
{
    /* 1 2 3 4 5: block of 128 in 4 miniblocks, 5 values, first zigzag(1) = 2; min delta 1, widths 0 */
    static const guint8 steady[] = { 0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0 };
    /*
     * 7 5 3 1 2 3 4 5: deltas -2 -2 -2 1 1 1 1, min delta -2 (zigzag 3), so 0 0 0 3 3 3 3 in
     * 2 bits, least significant first: 0xC0 0xFF, then the rest of the 32-value miniblock (6 bytes)
     */
    static const guint8 turning[] = { 0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 2, 0, 0, 0, 0xC0, 0xFF, 0, 0, 0, 0, 0, 0 };
    gint64 out[8];
    gsize used;
    char *error = NULL;

    g_assert_true(parquet_delta_decode(steady, sizeof steady, 5, out, &used, &error));
    g_assert_cmpuint(used, ==, sizeof steady);
    for (guint k = 0; k < 5; k++)
        g_assert_cmpint(out[k], ==, k + 1);

    g_assert_true(parquet_delta_decode(turning, sizeof turning, 8, out, &used, &error));
    g_assert_cmpuint(used, ==, sizeof turning);
    static const gint64 expected[] = { 7, 5, 3, 1, 2, 3, 4, 5 };
    for (guint k = 0; k < 8; k++)
        g_assert_cmpint(out[k], ==, expected[k]);

    /* cut short, another count, a width past 64, a block the format does not allow */
    g_assert_false(parquet_delta_decode(turning, sizeof turning - 1, 8, out, &used, &error));
    g_assert_nonnull(strstr(error, "cut short after 1 of 8"));
    g_clear_pointer(&error, g_free);
    g_assert_false(parquet_delta_decode(turning, sizeof turning, 7, out, &used, &error));
    g_assert_nonnull(strstr(error, "run of 8 values where the page has 7"));
    g_clear_pointer(&error, g_free);
    guint8 wide[sizeof turning];
    memcpy(wide, turning, sizeof wide);
    wide[6] = 65;
    g_assert_false(parquet_delta_decode(wide, sizeof wide, 8, out, &used, &error));
    g_assert_nonnull(strstr(error, "65-bit"));
    g_clear_pointer(&error, g_free);
    static const guint8 odd_block[] = { 0x64, 0x04, 0x01, 0x02 };      /* 100 values a block */
    g_assert_false(parquet_delta_decode(odd_block, sizeof odd_block, 1, out, &used, &error));
    g_assert_nonnull(strstr(error, "block of 100 values"));
    g_free(error);
}

static void
test_byte_stream_split(void)
{
    /* 1.0f = 3F800000, -2.0f = C0000000, little-endian bytes in four streams */
    static const guint8 floats[] = { 0, 0, 0, 0, 0x80, 0, 0x3F, 0xC0 };
    parquet_value_t out[2];
    char *error = NULL;

    g_assert_true(parquet_byte_stream_split_decode(PARQUET_FLOAT, floats, sizeof floats, 2, out, &error));
    g_assert_true(out[0].present && out[0].v.d == 1.0 && out[1].v.d == -2.0);
    /* the same bytes as two INT32: 0x3F800000 and 0xC0000000 (negative) */
    g_assert_true(parquet_byte_stream_split_decode(PARQUET_INT32, floats, sizeof floats, 2, out, &error));
    g_assert_cmpint(out[0].v.i, ==, 0x3F800000);
    g_assert_cmpint(out[1].v.i, ==, (gint32)0xC0000000);
    g_assert_false(parquet_byte_stream_split_decode(PARQUET_DOUBLE, floats, sizeof floats, 2, out, &error));
    g_assert_nonnull(strstr(error, "8 bytes of BYTE_STREAM_SPLIT for 2 values of 8 bytes"));
    g_free(error);
}

/* Lengths 0 4 0: deltas +4 -4, min delta -4 (zigzag 7), so 8 0 in 4 bits: 0x08 and 15 bytes more. */
static const guint8 prefix_lengths[] = { 0x80, 0x01, 0x04, 0x03, 0x00, 0x07, 4, 0, 0, 0,
                                         0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
/* Lengths 5 2 3: deltas -3 +1, min delta -3 (zigzag 5), so 0 4 in 3 bits: 0x20 and 11 bytes more. */
static const guint8 suffix_lengths[] = { 0x80, 0x01, 0x04, 0x03, 0x0A, 0x05, 3, 0, 0, 0,
                                         0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

/* A file of one required BYTE_ARRAY column "x", three rows in one page of encoding. */
static char *
read_byte_array_page(parquet_encoding_t encoding, const GByteArray *body, parquet_rows_t **rows)
{
    GByteArray *f = file_new();
    column_spec_t col = { "x", PARQUET_BYTE_ARRAY, FALSE, PARQUET_UNCOMPRESSED, 0, 0, 0, 3 };

    col.start = add_page(f, PARQUET_DATA_PAGE, encoding, 3, (gint32)body->len, body->data, body->len);
    col.size = f->len - col.start;
    add_footer(f, &col, 1, 3);
    char *error = read_file(f, rows);
    g_byte_array_free(f, TRUE);
    return error;
}

static void
test_delta_byte_arrays(void)
{
    parquet_rows_t *rows;
    GByteArray *body = g_byte_array_new();

    /* DELTA_LENGTH_BYTE_ARRAY: the lengths 5 2 3, then the bytes */
    g_byte_array_append(body, suffix_lengths, sizeof suffix_lengths);
    g_byte_array_append(body, (const guint8 *)"eni-122vpc", 10);
    char *error = read_byte_array_page(PARQUET_DELTA_LENGTH_BYTE_ARRAY, body, &rows);
    g_assert_null(error);
    assert_text(&rows->columns[0][0], "eni-1");
    assert_text(&rows->columns[0][1], "22");
    assert_text(&rows->columns[0][2], "vpc");
    parquet_rows_free(rows);

    /* DELTA_BYTE_ARRAY: prefixes 0 4 0 of the value before, suffixes "eni-1" "22" "vpc" */
    g_byte_array_set_size(body, 0);
    g_byte_array_append(body, prefix_lengths, sizeof prefix_lengths);
    g_byte_array_append(body, suffix_lengths, sizeof suffix_lengths);
    g_byte_array_append(body, (const guint8 *)"eni-122vpc", 10);
    error = read_byte_array_page(PARQUET_DELTA_BYTE_ARRAY, body, &rows);
    g_assert_null(error);
    assert_text(&rows->columns[0][0], "eni-1");
    assert_text(&rows->columns[0][1], "eni-22");
    assert_text(&rows->columns[0][2], "vpc");
    parquet_rows_free(rows);

    /* bytes missing after the lengths */
    g_byte_array_set_size(body, body->len - 1);
    error = read_byte_array_page(PARQUET_DELTA_BYTE_ARRAY, body, &rows);
    g_assert_nonnull(strstr(error, "suffixes of 10 bytes in 9"));
    parquet_rows_free(rows);
    g_free(error);

    /* a prefix longer than the value before: the second value takes 4 bytes of "e" */
    g_byte_array_set_size(body, 0);
    g_byte_array_append(body, prefix_lengths, sizeof prefix_lengths);
    g_byte_array_append(body, suffix_lengths, sizeof suffix_lengths);
    g_byte_array_append(body, (const guint8 *)"eni-122vpc", 10);
    body->data[sizeof prefix_lengths + 4] = 0x02;         /* first suffix length 1 */
    body->data[sizeof prefix_lengths + 5] = 0x00;         /* min delta 0: lengths 1 1 5, 7 bytes */
    body->data[sizeof prefix_lengths + 10] = 0x20;
    error = read_byte_array_page(PARQUET_DELTA_BYTE_ARRAY, body, &rows);
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error, "value 2 takes 4 bytes of a value of 1"));
    parquet_rows_free(rows);
    g_free(error);
    g_byte_array_free(body, TRUE);
}

/* What reading a damaged variant of the table says. */
static char *
table_error(void (*damage)(GByteArray *f))
{
    GByteArray *f = table_file(action_data, sizeof action_data);
    parquet_rows_t *rows;

    damage(f);
    char *error = read_file(f, &rows);
    parquet_rows_free(rows);
    g_byte_array_free(f, TRUE);
    return error;
}

static void
footer_length_past_start(GByteArray *f)
{
    f->data[f->len - 8] = 0xFF;
    f->data[f->len - 7] = 0xFF;
}

static void
truncate_tail(GByteArray *f)
{
    g_byte_array_set_size(f, f->len - 3);
}

static void
test_file_footer_bounds(void)
{
    char *error = table_error(footer_length_past_start);
    g_assert_nonnull(strstr(error, "past the start of the file"));
    g_free(error);
    error = table_error(truncate_tail);
    g_assert_nonnull(strstr(error, "does not end with \"PAR1\""));
    g_free(error);
}

static void
test_file_dictionary_index(void)
{
    /* indexes 0 and 5 at bit width 3: 000, 101 -> byte 0b00101000 = 0x28 */
    static const guint8 bad[] = { 2, 0, 0, 0, 0x03, 0x05, 0x03, 0x03, 0x28 };
    GByteArray *f = table_file(bad, sizeof bad);
    parquet_rows_t *rows;
    char *error = read_file(f, &rows);

    g_assert_null(rows);
    g_assert_nonnull(strstr(error, "dictionary index 5 out of range (the dictionary has 2 values)"));
    g_assert_nonnull(strstr(error, "column \"action\""));
    g_free(error);
    g_byte_array_free(f, TRUE);
}

static void
test_file_truncated_page(void)
{
    /* the action page says 9 bytes; give it 5 (its chunk, and the file, end inside it) */
    GByteArray *f = file_new();
    column_spec_t col = { "srcport", PARQUET_INT32, FALSE, PARQUET_UNCOMPRESSED, 0, 0, 0, 3 };
    col.start = add_page(f, PARQUET_DATA_PAGE, PARQUET_PLAIN, 3, sizeof srcport_plain, srcport_plain,
                         sizeof srcport_plain);
    g_byte_array_set_size(f, f->len - 7);
    col.size = f->len - col.start;
    add_footer(f, &col, 1, 3);
    parquet_rows_t *rows;
    char *error = read_file(f, &rows);
    g_assert_nonnull(strstr(error, "runs past the end of its column chunk"));
    g_free(error);
    g_byte_array_free(f, TRUE);
}

static void
test_file_huge_sizes(void)
{
    GByteArray *f = file_new();
    column_spec_t col = { "srcport", PARQUET_INT32, FALSE, PARQUET_GZIP, 0, 0, 0, 3 };
    parquet_rows_t *rows;
    char *error;

    /* a page that says it decompresses to 2 GiB - 1 */
    col.start = add_page(f, PARQUET_DATA_PAGE, PARQUET_PLAIN, 3, G_MAXINT32, srcport_plain, sizeof srcport_plain);
    col.size = f->len - col.start;
    add_footer(f, &col, 1, 3);
    error = read_file(f, &rows);
    g_assert_nonnull(strstr(error, "more than the 67108864 vpcshark accepts"));
    g_free(error);
    g_byte_array_free(f, TRUE);

    /* a negative page size */
    f = file_new();
    col.codec = PARQUET_UNCOMPRESSED;
    col.start = add_page(f, PARQUET_DATA_PAGE, PARQUET_PLAIN, 3, -12, srcport_plain, sizeof srcport_plain);
    col.size = f->len - col.start;
    add_footer(f, &col, 1, 3);
    error = read_file(f, &rows);
    g_assert_nonnull(strstr(error, "negative"));
    g_free(error);
    g_byte_array_free(f, TRUE);

    /* a row group of 2^40 rows, and a chunk past the end of the file */
    f = file_new();
    col.start = add_page(f, PARQUET_DATA_PAGE, PARQUET_PLAIN, 3, sizeof srcport_plain, srcport_plain,
                         sizeof srcport_plain);
    col.size = f->len - col.start;
    add_footer(f, &col, 1, G_GINT64_CONSTANT(1) << 40);
    error = read_file(f, &rows);
    g_assert_nonnull(strstr(error, "more than the"));
    g_free(error);
    g_byte_array_free(f, TRUE);

    f = file_new();
    col.start = 4;
    col.size = G_GINT64_CONSTANT(1) << 50;
    add_footer(f, &col, 1, 3);
    error = read_file(f, &rows);
    g_assert_nonnull(strstr(error, "outside the file"));
    g_free(error);
    g_byte_array_free(f, TRUE);
}

static char *
meta_error(const GByteArray *meta, gboolean *unsupported)
{
    char *error = NULL;
    parquet_meta_t *parsed = parquet_meta_parse(meta->data, meta->len, &error, unsupported);

    g_assert_null(parsed);
    return error;
}

static void
test_schema_refusals(void)
{
    GByteArray *meta = g_byte_array_new();
    writer_t w = { .out = meta };
    gboolean unsupported;

    /* 100,000 columns: refused from the list header, before reading them */
    begin(&w);
    field(&w, 2, THRIFT_LIST);
    list_header(&w, THRIFT_STRUCT, 100001);
    for (guint i = 0; i < 100001; i++) {
        begin(&w);
        field_string(&w, 4, "c");
        end(&w);
    }
    end(&w);
    gint64 t0 = g_get_monotonic_time();
    char *error = meta_error(meta, &unsupported);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, G_USEC_PER_SEC);
    g_assert_nonnull(strstr(error, "100000 elements"));
    g_assert_true(unsupported);
    g_free(error);

    /* nested: root { srcaddr, tags (group of 1) { key } } */
    g_byte_array_set_size(meta, 0);
    w.depth = 0;
    begin(&w);
    field(&w, 2, THRIFT_LIST);
    list_header(&w, THRIFT_STRUCT, 4);
    begin(&w);
    field_string(&w, 4, "schema");
    field_int(&w, 5, THRIFT_I32, 3);
    end(&w);
    begin(&w);
    field_int(&w, 1, THRIFT_I32, PARQUET_BYTE_ARRAY);
    field_string(&w, 4, "srcaddr");
    end(&w);
    begin(&w);
    field_string(&w, 4, "tags");
    field_int(&w, 5, THRIFT_I32, 1);
    end(&w);
    begin(&w);
    field_int(&w, 1, THRIFT_I32, PARQUET_BYTE_ARRAY);
    field_string(&w, 4, "key");
    end(&w);
    end(&w);
    error = meta_error(meta, &unsupported);
    g_assert_true(unsupported);
    g_assert_nonnull(strstr(error, "column \"tags\" is a group"));
    g_free(error);

    /* a repeated column */
    g_byte_array_set_size(meta, 0);
    w.depth = 0;
    begin(&w);
    field(&w, 2, THRIFT_LIST);
    list_header(&w, THRIFT_STRUCT, 2);
    begin(&w);
    field_string(&w, 4, "schema");
    field_int(&w, 5, THRIFT_I32, 1);
    end(&w);
    begin(&w);
    field_int(&w, 1, THRIFT_I32, PARQUET_INT32);
    field_int(&w, 3, THRIFT_I32, 2);
    field_string(&w, 4, "ports");
    end(&w);
    end(&w);
    error = meta_error(meta, &unsupported);
    g_assert_true(unsupported);
    g_assert_nonnull(strstr(error, "column \"ports\" is repeated"));
    g_free(error);
    g_byte_array_free(meta, TRUE);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/parquet/thrift/fields", test_thrift_fields);
    g_test_add_func("/parquet/thrift/bounds", test_thrift_bounds);
    g_test_add_func("/parquet/values/rle-hybrid", test_rle_hybrid);
    g_test_add_func("/parquet/values/plain", test_plain_values);
    g_test_add_func("/parquet/values/delta-binary-packed", test_delta_binary_packed);
    g_test_add_func("/parquet/values/byte-stream-split", test_byte_stream_split);
    g_test_add_func("/parquet/file/delta-byte-arrays", test_delta_byte_arrays);
    g_test_add_func("/parquet/codec/round-trip", test_codecs);
    g_test_add_func("/parquet/codec/bomb", test_codec_bomb);
    g_test_add_func("/parquet/file/table", test_file_table);
    g_test_add_func("/parquet/file/page-v2", test_file_page_v2);
    g_test_add_func("/parquet/file/footer-bounds", test_file_footer_bounds);
    g_test_add_func("/parquet/file/dictionary-index", test_file_dictionary_index);
    g_test_add_func("/parquet/file/truncated-page", test_file_truncated_page);
    g_test_add_func("/parquet/file/huge-sizes", test_file_huge_sizes);
    g_test_add_func("/parquet/schema/refusals", test_schema_refusals);
    return g_test_run();
}
