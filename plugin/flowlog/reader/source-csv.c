/* source-csv.c
 * Flow records from the rows of a CSV query result (source-csv.h).
 *
 *   "srcaddr","dstaddr","dstport","action","bytes","start","n"    <- header
 *   "10.0.1.10","203.0.113.7","443","ACCEPT","5200","1664194201","3"
 *
 * The header's column names are the format (vpcflow-columns.h: as for
 * Parquet, underscores or hyphens, unknown columns kept); a file is ours
 * only if they are those of a flow-log result
 * (vpcflow_columns_are_flow_result()). Results joined end to end (cat
 * a.csv b.csv) repeat the header: like a header line of concatenated text
 * exports, such a row is no record, and the rows after it take its
 * columns, which may be others. Each row becomes the text record
 * the other sources give: values separated by single spaces, "-" for an
 * empty value, blanks percent-encoded.
 *
 * Nothing is dropped: a row whose number of values is not the header's,
 * or a quoted value the file ends inside, is a frame that says so,
 * naming its line. A row spanning lines (a line break inside quotes) is
 * one record with the number of its first line. Blank lines are skipped,
 * as in text exports. Compressed files are read through wiretap's file
 * wrappers, as text is.
 *
 * Positions: vpcflow_pos_pack(offset of the row, its line number).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "source-csv.h"
#include "text-reader.h"

#include "vpcflow-columns.h"
#include "vpcflow-csv.h"

#include <string.h>

/* Read-ahead: large for a sequential pass, one row or so for random access. */
#define SEQUENTIAL_CHUNK (256 * 1024)
#define RANDOM_CHUNK     512

static const guint8 utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

/* A row as the splitter gave it, and whether the data ended with an error inside it. */
typedef struct {
    gint64   offset;        /* of its first byte, in the uncompressed text */
    gboolean partial;
} row_place_t;

typedef struct {
    record_source_t   base;
    format_table_t   *formats;      /* the headers' column names, from where each stands */
    text_reader_t     sequential;
    text_reader_t     random;
    vpcflow_csv_t     row;          /* sequential rows */
    vpcflow_csv_t     random_row;
    guint64           line_number;  /* lines read sequentially so far */
    vpcflow_row_t     text;         /* the current record */
    GByteArray       *meta;         /* ... and its metadata */
    GString          *problem;
} csv_source_t;

/* A header longer than this is no query result's (and a binary file is not read to its end). */
#define HEADER_BYTES_MAX (1024 * 1024)

/*
 * Split the next row off the text, reading at most limit bytes (0: no
 * limit). FALSE at the end of the data or past the limit (*err == 0) or
 * on an error before any byte of a row (*err set). An
 * error inside a row ends the row there (place->partial); the error
 * comes with the next call.
 */
static gboolean
read_row(text_reader_t *reader, vpcflow_csv_t *csv, FILE_T fh, guint64 limit, row_place_t *place, int *err,
         gchar **err_info)
{
    gboolean started = FALSE, complete = FALSE;

    place->partial = FALSE;
    vpcflow_csv_reset(csv);
    for (;;) {
        const guint8 *data;
        gint64 at;
        gsize avail = text_reader_peek(reader, fh, &data, &at, err, err_info);

        if (avail == 0) {
            if (!started)
                return FALSE;
            if (*err != 0) {
                g_free(*err_info);
                *err_info = NULL;
                *err = 0;
                place->partial = TRUE;
            }
            return vpcflow_csv_finish(csv);
        }
        if (!started)
            place->offset = at;
        started = TRUE;
        text_reader_consume(reader, vpcflow_csv_feed(csv, data, avail, &complete));
        if (complete)
            return TRUE;
        if (limit && csv->bytes > limit)
            return FALSE;
    }
}

/* Field f of the row, without the byte order mark the first one may have. */
static const guint8 *
field_bytes(const vpcflow_csv_t *csv, guint f, gboolean first_row, gsize *length)
{
    const guint8 *bytes = csv->values + csv->fields[f].offset;
    gsize n = csv->fields[f].length;

    if (first_row && f == 0 && n >= sizeof utf8_bom && memcmp(bytes, utf8_bom, sizeof utf8_bom) == 0) {
        bytes += sizeof utf8_bom;
        n -= sizeof utf8_bom;
    }
    *length = n;
    return bytes;
}

/* The format of a header row, if it is a flow-log result's. */
static vpcflow_format_t *
header_format(const vpcflow_csv_t *csv)
{
    if (csv->cut || csv->unclosed || csv->n_kept < 2)
        return NULL;
    const char **names = g_new(const char *, csv->n_kept);
    gsize *lengths = g_new(gsize, csv->n_kept);
    for (guint f = 0; f < csv->n_kept; f++)
        names[f] = (const char *)field_bytes(csv, f, TRUE, &lengths[f]);
    vpcflow_columns_census_t census;
    vpcflow_format_t *format = vpcflow_columns_format(names, lengths, csv->n_kept, &census);
    if (format && !vpcflow_columns_are_flow_result(&census)) {
        vpcflow_format_free(format);
        format = NULL;
    }
    g_free(names);
    g_free(lengths);
    return format;
}

/* The row in csv, starting on line line, as a record. */
static void
row_record(csv_source_t *cs, const vpcflow_csv_t *csv, const row_place_t *place, guint64 line,
           vpcflow_record_t *record)
{
    const vpcflow_format_t *format = format_table_at(cs->formats, place->offset)->format;

    vpcflow_row_begin(&cs->text);
    for (guint f = 0; f < csv->n_kept; f++) {
        gsize length;
        const guint8 *bytes = field_bytes(csv, f, place->offset == 0, &length);
        vpcflow_row_add_text(&cs->text, bytes, length);
    }

    g_string_truncate(cs->problem, 0);
    if (csv->unclosed)
        g_string_printf(cs->problem, "line %" G_GUINT64_FORMAT ", column %" G_GUINT64_FORMAT
                        ": the file ends inside this quoted value (truncated, or a quote is missing)",
                        line + csv->quote_line, csv->quote_field + 1);
    else if (csv->n_fields != format->n_columns)
        g_string_printf(cs->problem, "line %" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT
                        " values where the header names %u columns", line, csv->n_fields, format->n_columns);
    g_byte_array_set_size(cs->meta, 0);
    if (cs->problem->len)
        vpcflow_meta_append(cs->meta, VPCFLOW_META_CSV_PROBLEM, cs->problem->str, cs->problem->len);

    memset(record, 0, sizeof *record);
    vpcflow_row_record(&cs->text, record);
    record->format = format;
    record->format_from = VPCFLOW_FORMAT_FROM_HEADER;
    record->line = (guint32)MIN(line, G_MAXUINT32);
    record->line_length = (guint32)MIN(csv->bytes - csv->eol, G_MAXUINT32);
    record->flags |= (csv->cut ? VPCFLOW_FLAG_LINE_CUT : 0) | (place->partial ? VPCFLOW_FLAG_LINE_PARTIAL : 0);
    if (cs->meta->len) {
        record->meta = cs->meta->data;
        record->meta_length = cs->meta->len;
    }
}

/* The header row decides: column names of a flow-log result make the file ours. */
static gboolean
csv_sample(record_source_t *source, FILE_T fh, record_sample_t *sample, int *err, gchar **err_info)
{
    csv_source_t *cs = (csv_source_t *)source;
    row_place_t place;

    if (!read_row(&cs->sequential, &cs->row, fh, HEADER_BYTES_MAX, &place, err, err_info)) {
        g_free(*err_info);
        *err_info = NULL;
        *err = 0;
        return FALSE;
    }
    vpcflow_format_t *format = header_format(&cs->row);
    if (format)
        format_table_add(cs->formats, 0, format, VPCFLOW_FORMAT_FROM_HEADER);
    sample->claim = format != NULL;     /* the format is the header's, not found in record texts */
    return format != NULL;
}

static void
csv_restart(record_source_t *source)
{
    csv_source_t *cs = (csv_source_t *)source;

    text_reader_restart(&cs->sequential, 0);
    cs->line_number = 0;
}

static gboolean
csv_next(record_source_t *source, FILE_T fh, vpcflow_record_t *record, gint64 *position, int *err,
         gchar **err_info)
{
    csv_source_t *cs = (csv_source_t *)source;
    row_place_t place;

    for (;;) {
        if (!read_row(&cs->sequential, &cs->row, fh, 0, &place, err, err_info)) {
            if (*err != 0)
                text_reader_locate_error(err, err_info, cs->line_number, -1, "rows");
            return FALSE;
        }
        guint64 line = cs->line_number + 1;
        cs->line_number += cs->row.lines;
        if (line == 1 || vpcflow_csv_row_is_blank(&cs->row))
            continue;               /* the header, a blank line */
        vpcflow_format_t *header = header_format(&cs->row);
        if (header) {
            format_table_add(cs->formats, place.offset, header, VPCFLOW_FORMAT_FROM_HEADER);
            continue;               /* another result's header: its rows follow */
        }
        *position = vpcflow_pos_pack(place.offset, line);
        row_record(cs, &cs->row, &place, line, record);
        return TRUE;
    }
}

static gboolean
csv_at(record_source_t *source, FILE_T fh, gint64 position, vpcflow_record_t *record, int *err, gchar **err_info)
{
    csv_source_t *cs = (csv_source_t *)source;
    gint64 offset = vpcflow_pos_offset(position);
    row_place_t place;

    if (file_seek(fh, offset, SEEK_SET, err) == -1)
        return FALSE;
    text_reader_restart(&cs->random, offset);
    if (!read_row(&cs->random, &cs->random_row, fh, 0, &place, err, err_info)) {
        if (*err == 0)
            *err = WTAP_ERR_SHORT_READ;
        return FALSE;
    }
    row_record(cs, &cs->random_row, &place, vpcflow_pos_line(position), record);
    return TRUE;
}

static void
csv_free(record_source_t *source)
{
    csv_source_t *cs = (csv_source_t *)source;

    text_reader_free(&cs->sequential);
    text_reader_free(&cs->random);
    vpcflow_csv_free(&cs->row);
    vpcflow_csv_free(&cs->random_row);
    vpcflow_row_free(&cs->text);
    g_byte_array_free(cs->meta, TRUE);
    g_string_free(cs->problem, TRUE);
    g_free(cs);
}

static const record_source_ops_t csv_ops = {
    .sample = csv_sample, .restart = csv_restart, .next = csv_next, .at = csv_at, .free = csv_free,
};

record_source_t *
csv_source_new(format_table_t *formats)
{
    csv_source_t *cs = g_new0(csv_source_t, 1);

    cs->base.ops = &csv_ops;
    cs->formats = formats;
    text_reader_init(&cs->sequential, SEQUENTIAL_CHUNK);
    text_reader_init(&cs->random, RANDOM_CHUNK);
    vpcflow_csv_init(&cs->row);
    vpcflow_csv_init(&cs->random_row);
    cs->meta = g_byte_array_new();
    cs->problem = g_string_new(NULL);
    return &cs->base;
}
