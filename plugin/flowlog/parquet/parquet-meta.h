/* parquet-meta.h
 * The parts of a Parquet file's metadata that reading a flat table
 * needs: the footer (FileMetaData: schema, row groups, column chunks)
 * and page headers, decoded from Thrift with every size checked.
 *
 * Only flat schemas are read: a column inside a group, or a repeated
 * one (lists, maps, structs as Security Lake's OCSF tables have them),
 * is refused with a message naming it.
 *
 * Format: https://github.com/apache/parquet-format (parquet.thrift)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PARQUET_META_H
#define PARQUET_META_H

#include <glib.h>

/* Most columns a file may have (AWS has 72 flow-log fields). */
#define PARQUET_COLUMNS_MAX 1024

/* Physical types (parquet.thrift Type). */
typedef enum {
    PARQUET_BOOLEAN = 0,
    PARQUET_INT32 = 1,
    PARQUET_INT64 = 2,
    PARQUET_INT96 = 3,
    PARQUET_FLOAT = 4,
    PARQUET_DOUBLE = 5,
    PARQUET_BYTE_ARRAY = 6,
    PARQUET_FIXED_LEN_BYTE_ARRAY = 7
} parquet_type_t;

/* Codecs (CompressionCodec). */
typedef enum {
    PARQUET_UNCOMPRESSED = 0,
    PARQUET_SNAPPY = 1,
    PARQUET_GZIP = 2,
    PARQUET_LZO = 3,
    PARQUET_BROTLI = 4,
    PARQUET_LZ4 = 5,
    PARQUET_ZSTD = 6,
    PARQUET_LZ4_RAW = 7
} parquet_codec_t;

/* Encodings (Encoding). */
typedef enum {
    PARQUET_PLAIN = 0,
    PARQUET_PLAIN_DICTIONARY = 2,
    PARQUET_RLE = 3,
    PARQUET_BIT_PACKED = 4,
    PARQUET_DELTA_BINARY_PACKED = 5,
    PARQUET_DELTA_LENGTH_BYTE_ARRAY = 6,
    PARQUET_DELTA_BYTE_ARRAY = 7,
    PARQUET_RLE_DICTIONARY = 8,
    PARQUET_BYTE_STREAM_SPLIT = 9
} parquet_encoding_t;

/* Page types (PageType). */
typedef enum {
    PARQUET_DATA_PAGE = 0,
    PARQUET_INDEX_PAGE = 1,
    PARQUET_DICTIONARY_PAGE = 2,
    PARQUET_DATA_PAGE_V2 = 3
} parquet_page_type_t;

typedef struct {
    char          *name;
    parquet_type_t type;
    gint32         type_length;     /* FIXED_LEN_BYTE_ARRAY */
    gboolean       optional;        /* may be null (one definition level) */
} parquet_column_t;

/* Where one column of one row group lies. */
typedef struct {
    parquet_codec_t codec;
    gint64          num_values;
    gint64          start;          /* its first page (the dictionary page if any) */
    gint64          size;           /* total compressed size of its pages */
} parquet_chunk_t;

typedef struct {
    gint64           num_rows;
    parquet_chunk_t *chunks;        /* one per column */
} parquet_row_group_t;

typedef struct {
    guint                n_columns;
    parquet_column_t    *columns;
    gint64               num_rows;
    guint                n_row_groups;
    parquet_row_group_t *row_groups;
    char                *created_by; /* or NULL */
} parquet_meta_t;

/*
 * Decode a FileMetaData. NULL with *error set (g_free it) when it is
 * malformed, or when it describes what is not read (nested schema, more
 * than PARQUET_COLUMNS_MAX columns, columns in other files, encryption):
 * then *unsupported is TRUE.
 */
parquet_meta_t *parquet_meta_parse(const guint8 *data, gsize length, char **error, gboolean *unsupported);
void parquet_meta_free(parquet_meta_t *meta);

typedef struct {
    parquet_page_type_t type;
    gint32   uncompressed_size;
    gint32   compressed_size;
    gint32   num_values;
    parquet_encoding_t encoding;
    parquet_encoding_t level_encoding;  /* v1: of the definition levels */
    gint32   num_rows;                  /* v2 */
    gint32   definition_length;         /* v2: bytes of definition levels (not compressed) */
    gint32   repetition_length;         /* v2: bytes of repetition levels */
    gboolean is_compressed;             /* v2: whether the values are */
} parquet_page_header_t;

/*
 * Decode the page header at the start of data; *used is its length.
 * FALSE with *error set on a malformed header or a negative size.
 */
gboolean parquet_page_header_parse(const guint8 *data, gsize length, parquet_page_header_t *header, gsize *used,
                                   char **error);

const char *parquet_type_name(parquet_type_t type);
const char *parquet_codec_name(parquet_codec_t codec);
const char *parquet_encoding_name(parquet_encoding_t encoding);

#endif /* PARQUET_META_H */
