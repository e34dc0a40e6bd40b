/* source-parquet.c
 * Flow records from the rows of a Parquet file (source-parquet.h).
 *
 * Each column is a flow-log field, named with underscores (log_status,
 * as AWS and Athena write them) or hyphens, in any order and subset;
 * columns with other names are kept as unknown fields. A row becomes
 * the text record the other sources give: its values in column order,
 * separated by single spaces, "-" for a missing value, so the one record
 * builder and everything after it work as for text exports. The column
 * names are the record's format, as a header line is for text.
 *
 * Missing is a null, an empty string, or the string "None" (what pandas
 * writes for Python's None: the flowlogs-reader test file has it). A
 * value holding blanks or control bytes has them percent-encoded, as AWS
 * does in tag values, so it stays one token.
 *
 * Positions: row group << 32 | row within it; random access decodes
 * that row group again (the last one decoded is kept).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "source-parquet.h"

#include "parquet-file.h"
#include "vpcflow-columns.h"
#include "vpcflow-fields.h"

#include <string.h>

/* A decoded row group, for sequential or for random access. */
typedef struct {
    parquet_rows_t *rows;
    guint           group;
} loaded_group_t;

typedef struct {
    record_source_t   base;
    gint64            size;         /* of the file */
    parquet_meta_t   *meta;
    vpcflow_format_t *format;       /* the column names */
    guint64          *first_row;    /* per row group: rows before it */
    loaded_group_t    sequential;
    loaded_group_t    random;
    guint             group;        /* sequential cursor */
    guint32           row;
    vpcflow_row_t     text;         /* the current record */
    GByteArray       *items;        /* ... and its metadata */
} parquet_source_t;

/* Parquet reads through wiretap's file handle. */
static gboolean
fh_read(void *io, gint64 offset, guint8 *buffer, gsize length, char **error)
{
    FILE_T fh = io;
    int err = 0;
    gchar *info = NULL;

    if (file_seek(fh, offset, SEEK_SET, &err) == -1) {
        *error = g_strdup_printf("cannot go to byte %" G_GINT64_FORMAT ": %s", offset, wtap_strerror(err));
        return FALSE;
    }
    while (length > 0) {
        int n = file_read(buffer, (unsigned)MIN(length, G_MAXINT / 2), fh);
        if (n == 0) {
            *error = g_strdup_printf("the file ends at byte %" G_GINT64_FORMAT ", %" G_GSIZE_FORMAT
                                     " bytes short (truncated?)", offset, length);
            return FALSE;
        }
        if (n < 0) {
            err = file_error(fh, &info);
            *error = g_strdup_printf("reading at byte %" G_GINT64_FORMAT " failed: %s", offset,
                                     info ? info : wtap_strerror(err));
            g_free(info);
            return FALSE;
        }
        buffer += n;
        length -= (gsize)n;
        offset += n;
    }
    return TRUE;
}

static parquet_input_t
input_of(const parquet_source_t *ps, FILE_T fh)
{
    parquet_input_t in = { fh_read, fh, ps->size };
    return in;
}

/* The format of the file's records: its column names. NULL with a refusal if no column is a flow-log field. */
static vpcflow_format_t *
columns_format(const parquet_meta_t *meta, char **refusal)
{
    const char **names = g_new(const char *, meta->n_columns + 1);
    gsize *lengths = g_new(gsize, meta->n_columns + 1);
    vpcflow_columns_census_t census;

    for (guint c = 0; c < meta->n_columns; c++) {
        names[c] = meta->columns[c].name;
        lengths[c] = strlen(names[c]);
    }
    vpcflow_format_t *format = vpcflow_columns_format(names, lengths, meta->n_columns, &census);
    if (!format || census.known == 0) {
        GString *list = g_string_new(NULL);
        for (guint c = 0; c < meta->n_columns && list->len <= 200; c++)
            g_string_append_printf(list, "%s%s", c ? " " : "", names[c]);
        *refusal = g_strdup_printf("vpcflow: this Parquet file has no flow-log column (its columns: %.200s%s)",
                                   list->str, list->len > 200 ? " ..." : "");
        g_string_free(list, TRUE);
        if (format)
            vpcflow_format_free(format);
        format = NULL;
    }
    g_free(names);
    g_free(lengths);
    return format;
}

/* The shortest of 15 or 17 significant digits that reads back as the same double (72.702, not 72.701999999999998). */
static const char *
shortest_double(char buffer[G_ASCII_DTOSTR_BUF_SIZE], double d)
{
    g_ascii_formatd(buffer, G_ASCII_DTOSTR_BUF_SIZE, "%.15g", d);
    if (g_ascii_strtod(buffer, NULL) != d)
        g_ascii_formatd(buffer, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", d);
    return buffer;
}

/* One value as record text. */
static void
add_value(vpcflow_row_t *row, const parquet_column_t *column, const parquet_value_t *v)
{
    char number[G_ASCII_DTOSTR_BUF_SIZE];

    if (!v->present) {
        vpcflow_row_add_word(row, NULL);
        return;
    }
    switch (column->type) {
    case PARQUET_BOOLEAN:
        vpcflow_row_add_word(row, v->v.i ? "true" : "false");
        break;
    case PARQUET_INT32:
    case PARQUET_INT64:
        vpcflow_row_add_decimal(row, v->v.i);
        break;
    case PARQUET_FLOAT:
    case PARQUET_DOUBLE:
        vpcflow_row_add_word(row, shortest_double(number, v->v.d));
        break;
    case PARQUET_BYTE_ARRAY:
        vpcflow_row_add_text(row, v->v.bytes, v->length);
        break;
    default:            /* INT96, FIXED_LEN_BYTE_ARRAY */
        vpcflow_row_add_hex(row, v->v.bytes, v->length);
        break;
    }
}

static void
meta_number(parquet_source_t *ps, vpcflow_meta_type_t type, gint64 value)
{
    char digits[VPCFLOW_DECIMAL_MAX];
    gsize n;
    const char *text = vpcflow_decimal_text(digits, value, &n);

    vpcflow_meta_append(ps->items, type, text, n);
}

/* Row row of a decoded row group as a record. */
static void
row_record(parquet_source_t *ps, const parquet_rows_t *rows, guint group, guint32 row, vpcflow_record_t *record)
{
    vpcflow_row_begin(&ps->text);
    for (guint c = 0; c < rows->n_columns; c++)
        add_value(&ps->text, &ps->meta->columns[c], &rows->columns[c][row]);
    g_byte_array_set_size(ps->items, 0);
    meta_number(ps, VPCFLOW_META_ROW, (gint64)(ps->first_row[group] + row + 1));
    meta_number(ps, VPCFLOW_META_ROW_GROUP, group);

    memset(record, 0, sizeof *record);
    vpcflow_row_record(&ps->text, record);
    record->format = ps->format;
    record->format_from = VPCFLOW_FORMAT_FROM_HEADER;
    record->meta = ps->items->data;
    record->meta_length = ps->items->len;
}

/* Have row group group decoded in loaded (read with fh). */
static gboolean
load_group(parquet_source_t *ps, loaded_group_t *loaded, FILE_T fh, guint group, int *err, gchar **err_info)
{
    char *problem = NULL;

    if (loaded->rows && loaded->group == group)
        return TRUE;
    parquet_rows_free(loaded->rows);
    parquet_input_t in = input_of(ps, fh);
    loaded->rows = parquet_row_group_read(&in, ps->meta, group, &problem);
    loaded->group = group;
    if (!loaded->rows) {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("vpcflow: the Parquet file cannot be read from row %" G_GUINT64_FORMAT
                                    " on (%s); the %" G_GUINT64_FORMAT " rows before it were read",
                                    ps->first_row[group] + 1, problem, ps->first_row[group]);
        g_free(problem);
        return FALSE;
    }
    return TRUE;
}

/* The footer decides: a flat table with at least one flow-log column is ours. */
static gboolean
parquet_sample(record_source_t *source, FILE_T fh, record_sample_t *sample, int *err, gchar **err_info)
{
    parquet_source_t *ps = (parquet_source_t *)source;
    char *problem = NULL;
    gboolean unsupported;

    if (file_seek(fh, 0, SEEK_END, err) == -1)
        return FALSE;
    ps->size = file_tell(fh);
    parquet_input_t in = input_of(ps, fh);
    ps->meta = parquet_footer_read(&in, &problem, &unsupported);
    if (!ps->meta) {
        if (unsupported) {
            sample->refusal = g_strdup_printf("vpcflow: this Parquet file cannot be read: %s", problem);
        } else {
            *err = WTAP_ERR_BAD_FILE;
            *err_info = g_strdup_printf("vpcflow: %s", problem);
        }
        g_free(problem);
        return unsupported;
    }
    ps->format = columns_format(ps->meta, &sample->refusal);
    ps->first_row = g_new0(guint64, ps->meta->n_row_groups + 1);
    for (guint g = 0; g < ps->meta->n_row_groups; g++)
        ps->first_row[g + 1] = ps->first_row[g] + (guint64)ps->meta->row_groups[g].num_rows;
    sample->claim = TRUE;       /* the format is the schema's, not found in record texts */
    return TRUE;
}

static void
parquet_restart(record_source_t *source)
{
    parquet_source_t *ps = (parquet_source_t *)source;

    ps->group = 0;
    ps->row = 0;
}

static gboolean
parquet_next(record_source_t *source, FILE_T fh, vpcflow_record_t *record, gint64 *position, int *err,
             gchar **err_info)
{
    parquet_source_t *ps = (parquet_source_t *)source;

    *err = 0;
    for (; ps->group < ps->meta->n_row_groups; ps->group++, ps->row = 0) {
        if (ps->meta->row_groups[ps->group].num_rows == 0)
            continue;
        if (!load_group(ps, &ps->sequential, fh, ps->group, err, err_info))
            return FALSE;
        if (ps->row < ps->sequential.rows->n_rows) {
            *position = (gint64)ps->group << 32 | ps->row;
            row_record(ps, ps->sequential.rows, ps->group, ps->row++, record);
            return TRUE;
        }
    }
    /* Done: give the last row group's memory back. */
    parquet_rows_free(ps->sequential.rows);
    ps->sequential.rows = NULL;
    return FALSE;
}

static gboolean
parquet_at(record_source_t *source, FILE_T fh, gint64 position, vpcflow_record_t *record, int *err, gchar **err_info)
{
    parquet_source_t *ps = (parquet_source_t *)source;
    guint group = (guint)(position >> 32);
    guint32 row = (guint32)(position & G_MAXUINT32);

    if (group >= ps->meta->n_row_groups) {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("vpcflow: the Parquet file has no row group %u", group);
        return FALSE;
    }
    if (!load_group(ps, &ps->random, fh, group, err, err_info))
        return FALSE;
    if (row >= ps->random.rows->n_rows) {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("vpcflow: Parquet row group %u has no row %u", group, row);
        return FALSE;
    }
    row_record(ps, ps->random.rows, group, row, record);
    return TRUE;
}

static void
parquet_free(record_source_t *source)
{
    parquet_source_t *ps = (parquet_source_t *)source;

    parquet_rows_free(ps->sequential.rows);
    parquet_rows_free(ps->random.rows);
    parquet_meta_free(ps->meta);
    if (ps->format)
        vpcflow_format_free(ps->format);
    g_free(ps->first_row);
    vpcflow_row_free(&ps->text);
    g_byte_array_free(ps->items, TRUE);
    g_free(ps);
}

static const record_source_ops_t parquet_ops = {
    .sample = parquet_sample, .restart = parquet_restart, .next = parquet_next, .at = parquet_at,
    .free = parquet_free,
};

record_source_t *
parquet_source_new(void)
{
    parquet_source_t *ps = g_new0(parquet_source_t, 1);

    ps->base.ops = &parquet_ops;
    ps->items = g_byte_array_new();
    return &ps->base;
}
