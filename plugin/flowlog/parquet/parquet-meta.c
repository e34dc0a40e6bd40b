/* parquet-meta.c
 * Parquet footer and page headers (parquet-meta.h).
 *
 * Field ids are those of parquet.thrift; fields not needed are skipped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "parquet-meta.h"
#include "parquet-thrift.h"

#include <stddef.h>
#include <string.h>

/* Repetition types (FieldRepetitionType). */
#define REPETITION_REQUIRED 0
#define REPETITION_OPTIONAL 1
#define REPETITION_REPEATED 2

/* One SchemaElement, as far as it matters here. */
typedef struct {
    gboolean has_type;
    gint64   type;
    gint64   type_length;
    gint64   repetition;    /* -1 when not given */
    gint64   num_children;
    char    *name;
} schema_element_t;

static const char *const type_names[] = {
    "BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"
};
static const char *const codec_names[] = {
    "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"
};
static const char *const encoding_names[] = {
    "PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED",
    "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"
};

const char *
parquet_type_name(parquet_type_t type)
{
    return (guint)type < G_N_ELEMENTS(type_names) ? type_names[type] : "unknown type";
}

const char *
parquet_codec_name(parquet_codec_t codec)
{
    return (guint)codec < G_N_ELEMENTS(codec_names) ? codec_names[codec] : "unknown codec";
}

const char *
parquet_encoding_name(parquet_encoding_t encoding)
{
    return (guint)encoding < G_N_ELEMENTS(encoding_names) ? encoding_names[encoding] : "unknown encoding";
}

/* An i32 field as read (an out-of-range one becomes -1: invalid wherever it is checked). */
static gint32
int32_of(gint64 value)
{
    return value < G_MININT32 || value > G_MAXINT32 ? -1 : (gint32)value;
}

/* An enum field; values past any known one become 1000 (unknown, named so in messages). */
static int
enum_of(gint64 value)
{
    return value < 0 ? -1 : (int)MIN(value, 1000);
}

static char *
binary_string(thrift_reader_t *r, thrift_type_t type)
{
    gsize len;
    const guint8 *value = thrift_binary(r, type, &len);

    return value ? g_strndup((const char *)value, len) : NULL;
}

static void
schema_element_parse(thrift_reader_t *r, schema_element_t *e)
{
    thrift_struct_t s;
    thrift_type_t type;
    gint16 id;

    memset(e, 0, sizeof *e);
    e->repetition = -1;
    if (!thrift_struct_begin(r, &s))
        return;
    while (thrift_field(r, &s, &id, &type)) {
        switch (id) {
        case 1: e->has_type = TRUE; e->type = thrift_int(r, type); break;
        case 2: e->type_length = thrift_int(r, type); break;
        case 3: e->repetition = thrift_int(r, type); break;
        case 4: g_free(e->name); e->name = binary_string(r, type); break;
        case 5: e->num_children = thrift_int(r, type); break;
        default: thrift_skip(r, type); break;
        }
    }
    thrift_struct_end(r);
}

/*
 * The columns of a flat schema: a root group whose children are all
 * primitive and not repeated.
 */
static gboolean
schema_parse(thrift_reader_t *r, thrift_type_t type, parquet_meta_t *meta)
{
    thrift_type_t element;
    guint32 n = thrift_list(r, type, &element);
    schema_element_t e;

    if (!thrift_ok(r))
        return FALSE;
    if (element != THRIFT_STRUCT || n == 0) {
        thrift_fail(r, "the schema is empty");
        return FALSE;
    }
    if (n - 1 > PARQUET_COLUMNS_MAX) {
        thrift_refuse(r, "the schema has %u elements; vpcshark reads tables of at most %d columns", n - 1,
                    PARQUET_COLUMNS_MAX);
        return FALSE;
    }
    schema_element_parse(r, &e);
    g_free(e.name);
    gint64 root_children = e.num_children;
    if (!thrift_ok(r))
        return FALSE;

    meta->n_columns = n - 1;
    meta->columns = g_new0(parquet_column_t, meta->n_columns);
    for (guint i = 0; i < meta->n_columns && thrift_ok(r); i++) {
        parquet_column_t *c = &meta->columns[i];
        schema_element_parse(r, &e);
        c->name = e.name ? e.name : g_strdup("");
        if (!thrift_ok(r))
            break;
        if (e.num_children > 0 || !e.has_type)
            thrift_refuse(r, "column \"%s\" is a group (a struct, list or map): nested schemas are not supported, "
                        "vpcshark reads flat tables only", c->name);
        else if (e.repetition == REPETITION_REPEATED)
            thrift_refuse(r, "column \"%s\" is repeated (a list): nested schemas are not supported, "
                        "vpcshark reads flat tables only", c->name);
        else if (e.type < PARQUET_BOOLEAN || e.type > PARQUET_FIXED_LEN_BYTE_ARRAY)
            thrift_fail(r, "column \"%s\" has unknown physical type %" G_GINT64_FORMAT, c->name, e.type);
        else if (e.type == PARQUET_FIXED_LEN_BYTE_ARRAY && (e.type_length <= 0 || e.type_length > G_MAXINT32))
            thrift_fail(r, "column \"%s\" has fixed length %" G_GINT64_FORMAT, c->name, e.type_length);
        c->type = (parquet_type_t)e.type;
        c->type_length = (gint32)CLAMP(e.type_length, 0, G_MAXINT32);
        c->optional = e.repetition == REPETITION_OPTIONAL;
    }
    /* Children are listed after their group, so a nested schema met no group above only if it is malformed. */
    if (thrift_ok(r) && root_children != (gint64)meta->n_columns)
        thrift_refuse(r, "the schema is nested (its root has %" G_GINT64_FORMAT " children among %u elements): "
                      "vpcshark reads flat tables only", root_children, meta->n_columns);
    return thrift_ok(r);
}

/* Whether a column chunk's path_in_schema is the one name expected. */
static void
chunk_path_check(thrift_reader_t *r, thrift_type_t type, const parquet_column_t *column)
{
    thrift_type_t element;
    guint32 n = thrift_list(r, type, &element);
    gboolean same = n == 1;

    for (guint32 i = 0; i < n && thrift_ok(r); i++) {
        gsize len;
        const guint8 *name = thrift_binary(r, element, &len);
        same &= name && len == strlen(column->name) && memcmp(name, column->name, len) == 0;
    }
    if (thrift_ok(r) && !same)
        thrift_fail(r, "a column chunk's path does not name column \"%s\"", column->name);
}

static void
column_meta_parse(thrift_reader_t *r, const parquet_column_t *column, parquet_chunk_t *chunk)
{
    thrift_struct_t s;
    thrift_type_t type;
    gint16 id;
    gint64 data_offset = -1, dictionary_offset = -1, physical = -1;

    chunk->num_values = -1;
    chunk->size = -1;
    if (!thrift_struct_begin(r, &s))
        return;
    while (thrift_field(r, &s, &id, &type)) {
        switch (id) {
        case 1: physical = thrift_int(r, type); break;
        case 3: chunk_path_check(r, type, column); break;
        case 4: chunk->codec = (parquet_codec_t)enum_of(thrift_int(r, type)); break;
        case 5: chunk->num_values = thrift_int(r, type); break;
        case 7: chunk->size = thrift_int(r, type); break;
        case 9: data_offset = thrift_int(r, type); break;
        case 11: dictionary_offset = thrift_int(r, type); break;
        default: thrift_skip(r, type); break;
        }
    }
    thrift_struct_end(r);
    if (!thrift_ok(r))
        return;
    if (physical != column->type)
        thrift_fail(r, "column \"%s\" is %s in the schema but its chunk says %s", column->name,
                    parquet_type_name(column->type), parquet_type_name((parquet_type_t)physical));
    else if (chunk->num_values < 0 || chunk->size < 0 || data_offset < 0)
        thrift_fail(r, "column \"%s\" has a chunk with a missing or negative count, size or offset", column->name);
    /* Some writers put 0 for "no dictionary page". */
    chunk->start = dictionary_offset > 0 && dictionary_offset < data_offset ? dictionary_offset : data_offset;
}

static void
column_chunk_parse(thrift_reader_t *r, const parquet_column_t *column, parquet_chunk_t *chunk)
{
    thrift_struct_t s;
    thrift_type_t type;
    gint16 id;
    gboolean has_meta = FALSE;

    if (!thrift_struct_begin(r, &s))
        return;
    while (thrift_field(r, &s, &id, &type)) {
        if (id == 1) {
            gsize len;
            thrift_binary(r, type, &len);
            if (len > 0)
                thrift_refuse(r, "column \"%s\" is kept in another file, which vpcshark does not read", column->name);
        } else if (id == 3) {
            column_meta_parse(r, column, chunk);
            has_meta = TRUE;
        } else {
            thrift_skip(r, type);
        }
    }
    thrift_struct_end(r);
    if (thrift_ok(r) && !has_meta)
        thrift_refuse(r, "column \"%s\" has no readable metadata (is the file encrypted?)", column->name);
}

static void
row_group_parse(thrift_reader_t *r, const parquet_meta_t *meta, parquet_row_group_t *group)
{
    thrift_struct_t s;
    thrift_type_t type, element;
    gint16 id;
    guint32 n_chunks = 0;

    group->num_rows = -1;
    group->chunks = g_new0(parquet_chunk_t, meta->n_columns);
    if (!thrift_struct_begin(r, &s))
        return;
    while (thrift_field(r, &s, &id, &type)) {
        if (id == 1) {
            n_chunks = thrift_list(r, type, &element);
            if (thrift_ok(r) && n_chunks != meta->n_columns)
                thrift_fail(r, "a row group has %u column chunks for %u columns", n_chunks, meta->n_columns);
            for (guint32 i = 0; i < n_chunks && thrift_ok(r); i++)
                column_chunk_parse(r, &meta->columns[i], &group->chunks[i]);
        } else if (id == 3) {
            group->num_rows = thrift_int(r, type);
        } else {
            thrift_skip(r, type);
        }
    }
    thrift_struct_end(r);
    if (thrift_ok(r) && (group->num_rows < 0 || n_chunks != meta->n_columns))
        thrift_fail(r, "a row group has no row count or no column chunks");
}

static void
row_groups_parse(thrift_reader_t *r, thrift_type_t type, parquet_meta_t *meta)
{
    thrift_type_t element;
    guint32 n = thrift_list(r, type, &element);

    if (!thrift_ok(r))
        return;
    if (meta->columns == NULL) {
        thrift_fail(r, "the row groups come before the schema");
        return;
    }
    meta->row_groups = g_new0(parquet_row_group_t, n);
    for (guint32 i = 0; i < n && thrift_ok(r); i++) {
        meta->n_row_groups = i + 1;
        row_group_parse(r, meta, &meta->row_groups[i]);
    }
}

parquet_meta_t *
parquet_meta_parse(const guint8 *data, gsize length, char **error, gboolean *unsupported)
{
    parquet_meta_t *meta = g_new0(parquet_meta_t, 1);
    thrift_reader_t r;
    thrift_struct_t s;
    thrift_type_t type;
    gint16 id;

    meta->num_rows = -1;
    thrift_reader_init(&r, data, length);
    if (thrift_struct_begin(&r, &s)) {
        while (thrift_field(&r, &s, &id, &type)) {
            switch (id) {
            case 2: if (!meta->columns) schema_parse(&r, type, meta); else thrift_skip(&r, type); break;
            case 3: meta->num_rows = thrift_int(&r, type); break;
            case 4: if (!meta->row_groups) row_groups_parse(&r, type, meta); else thrift_skip(&r, type); break;
            case 6: g_free(meta->created_by); meta->created_by = binary_string(&r, type); break;
            default: thrift_skip(&r, type); break;
            }
        }
        thrift_struct_end(&r);
    }
    if (thrift_ok(&r) && (!meta->columns || meta->num_rows < 0))
        thrift_fail(&r, "the file metadata has no schema or no row count");
    if (!thrift_ok(&r)) {
        *error = g_strdup_printf("Parquet metadata: %s", r.error);
        *unsupported = r.unsupported;
        g_free(r.error);
        parquet_meta_free(meta);
        return NULL;
    }
    return meta;
}

void
parquet_meta_free(parquet_meta_t *meta)
{
    if (!meta)
        return;
    for (guint i = 0; i < meta->n_columns; i++)
        g_free(meta->columns[i].name);
    g_free(meta->columns);
    for (guint i = 0; i < meta->n_row_groups; i++)
        g_free(meta->row_groups[i].chunks);
    g_free(meta->row_groups);
    g_free(meta->created_by);
    g_free(meta);
}

/*
 * Page headers are read by table: each struct lists the fields kept and
 * where they go in parquet_page_header_t, whose members are all 32-bit
 * integers (counts, sizes, enums, a boolean).
 */
typedef enum {
    PAGE_INT32,         /* i32 count or size; out of range becomes -1 */
    PAGE_ENUM,          /* i32 enum; past the known values becomes 1000 */
    PAGE_BOOL,
    PAGE_STRUCT         /* a nested header struct, read into the same header */
} page_field_kind_t;

typedef struct page_struct page_struct_t;

typedef struct {
    gint16              id;
    page_field_kind_t   kind;
    gsize               offset;         /* of the member, for all kinds but PAGE_STRUCT */
    const page_struct_t *inner;         /* PAGE_STRUCT */
} page_field_t;

struct page_struct {
    const page_field_t *fields;
    guint               n_fields;
};

G_STATIC_ASSERT(sizeof(parquet_page_type_t) == sizeof(gint32) && sizeof(parquet_encoding_t) == sizeof(gint32) &&
                sizeof(gboolean) == sizeof(gint32));

#define PAGE_MEMBER(id, kind, member) { id, kind, offsetof(parquet_page_header_t, member), NULL }
#define PAGE_INNER(id, layout)        { id, PAGE_STRUCT, 0, &layout }

static const page_field_t data_page_v1_fields[] = {        /* DataPageHeader */
    PAGE_MEMBER(1, PAGE_INT32, num_values),
    PAGE_MEMBER(2, PAGE_ENUM, encoding),
    PAGE_MEMBER(3, PAGE_ENUM, level_encoding),
};
static const page_field_t data_page_v2_fields[] = {        /* DataPageHeaderV2 */
    PAGE_MEMBER(1, PAGE_INT32, num_values),
    PAGE_MEMBER(3, PAGE_INT32, num_rows),
    PAGE_MEMBER(4, PAGE_ENUM, encoding),
    PAGE_MEMBER(5, PAGE_INT32, definition_length),
    PAGE_MEMBER(6, PAGE_INT32, repetition_length),
    PAGE_MEMBER(7, PAGE_BOOL, is_compressed),
};
static const page_field_t dictionary_page_fields[] = {     /* DictionaryPageHeader */
    PAGE_MEMBER(1, PAGE_INT32, num_values),
    PAGE_MEMBER(2, PAGE_ENUM, encoding),
};
static const page_struct_t data_page_v1 = { data_page_v1_fields, G_N_ELEMENTS(data_page_v1_fields) };
static const page_struct_t data_page_v2 = { data_page_v2_fields, G_N_ELEMENTS(data_page_v2_fields) };
static const page_struct_t dictionary_page = { dictionary_page_fields, G_N_ELEMENTS(dictionary_page_fields) };

static const page_field_t page_header_fields[] = {         /* PageHeader */
    PAGE_MEMBER(1, PAGE_ENUM, type),
    PAGE_MEMBER(2, PAGE_INT32, uncompressed_size),
    PAGE_MEMBER(3, PAGE_INT32, compressed_size),
    PAGE_INNER(5, data_page_v1),
    PAGE_INNER(7, dictionary_page),
    PAGE_INNER(8, data_page_v2),
};
static const page_struct_t page_header = { page_header_fields, G_N_ELEMENTS(page_header_fields) };

static void
page_struct_parse(thrift_reader_t *r, const page_struct_t *layout, parquet_page_header_t *h)
{
    thrift_struct_t s;
    thrift_type_t type;
    gint16 id;

    if (!thrift_struct_begin(r, &s))
        return;
    while (thrift_field(r, &s, &id, &type)) {
        const page_field_t *f = NULL;
        for (guint i = 0; i < layout->n_fields && !f; i++)
            f = layout->fields[i].id == id ? &layout->fields[i] : NULL;
        if (!f) {
            thrift_skip(r, type);
            continue;
        }
        gint32 *member = (gint32 *)(void *)((guint8 *)h + f->offset);
        switch (f->kind) {
        case PAGE_INT32: *member = int32_of(thrift_int(r, type)); break;
        case PAGE_ENUM: *member = enum_of(thrift_int(r, type)); break;
        case PAGE_BOOL: *member = thrift_bool(r, type); break;
        case PAGE_STRUCT: page_struct_parse(r, f->inner, h); break;
        }
    }
    thrift_struct_end(r);
}

gboolean
parquet_page_header_parse(const guint8 *data, gsize length, parquet_page_header_t *h, gsize *used, char **error)
{
    thrift_reader_t r;

    memset(h, 0, sizeof *h);
    h->type = (parquet_page_type_t)-1;
    h->uncompressed_size = h->compressed_size = h->num_values = -1;
    h->is_compressed = TRUE;        /* the v2 default */
    thrift_reader_init(&r, data, length);
    page_struct_parse(&r, &page_header, h);
    if (thrift_ok(&r) && (h->uncompressed_size < 0 || h->compressed_size < 0))
        thrift_fail(&r, "a page header without its sizes, or with negative ones");
    else if (thrift_ok(&r) && h->type != PARQUET_INDEX_PAGE && h->num_values < 0)
        thrift_fail(&r, "a page header without its value count");
    else if (thrift_ok(&r) && h->type == PARQUET_DATA_PAGE_V2 &&
             (h->definition_length < 0 || h->repetition_length < 0 ||
              (gint64)h->definition_length + h->repetition_length > h->uncompressed_size ||
              (gint64)h->definition_length + h->repetition_length > h->compressed_size))
        thrift_fail(&r, "a version 2 data page whose level lengths do not fit the page");
    if (!thrift_ok(&r)) {
        *error = g_strdup_printf("page header: %s", r.error);
        g_free(r.error);
        return FALSE;
    }
    *used = r.pos;
    return TRUE;
}
