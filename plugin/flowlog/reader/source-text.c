/* source-text.c
 * Flow records one per line (source-text.h).
 *
 *   version account-id interface-id srcaddr dstaddr srcport ... log-status   <- header
 *   2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 ...      <- record
 *
 * A CloudWatch Logs export to S3 puts the event time before each record
 * ("2018-09-22T20:28:14.000Z 2 123456789010 ..."); it goes into the
 * record's metadata. Nothing is dropped: header lines switch the format,
 * blank lines are skipped, every other line is a record (the dissector
 * flags the ones that do not decode), cut or partial lines say so.
 *
 * Positions: vpcflow_pos_pack(offset of the line, line number), so random
 * access reads one line and still knows its number.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "source-text.h"
#include "text-reader.h"

#include "vpcflow-tokens.h"

#include <string.h>

/* Read-ahead: large for a sequential pass, one record or so for random access. */
#define SEQUENTIAL_CHUNK (256 * 1024)
#define RANDOM_CHUNK     512

/* "2018-09-22T20:28:14.000Z " */
#define STAMP_MIN_LEN 20
#define STAMP_MAX_LEN 30

static const guint8 utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

typedef struct {
    record_source_t base;
    format_table_t *formats;
    gboolean        stamped;        /* lines start with the export's event time */
    text_reader_t   sequential;
    text_reader_t   random;
    guint64         line_number;    /* lines read sequentially so far */
    GByteArray     *meta;           /* the current record's metadata */
} text_source_t;

/* The record text of a line: no end of line, no byte order mark. */
static const char *
line_text(const char *buf, const text_line_t *line, gsize *len)
{
    gsize n = vpcflow_line_trim_eol(buf, line->kept);

    if (line->offset == 0 && n >= sizeof utf8_bom && memcmp(buf, utf8_bom, sizeof utf8_bom) == 0) {
        buf += sizeof utf8_bom;
        n -= sizeof utf8_bom;
    }
    *len = n;
    return buf;
}

static gboolean
is_blank_line(const char *text, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        if (text[i] != ' ' && text[i] != '\t')
            return FALSE;
    }
    return TRUE;
}

/* Text has no NUL or other control bytes (UTF-8 is fine). */
static gboolean
is_text(const char *text, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        guchar c = (guchar)text[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return FALSE;
    }
    return TRUE;
}

/* Length of a leading "<ISO 8601 UTC time> " and its time, or 0. */
static gsize
time_stamp_prefix(const char *text, gsize len, gint64 *ms)
{
    const char *space = memchr(text, ' ', MIN(len, STAMP_MAX_LEN + 1));

    if (!space || (gsize)(space - text) < STAMP_MIN_LEN ||
        !vpcflow_parse_iso8601(text, (gsize)(space - text), ms))
        return 0;
    return (gsize)(space - text) + 1;
}

/* A line as a record; the export time of a stamped line goes in the metadata. */
static void
line_record(text_source_t *ts, const text_line_t *line, const char *text, gsize len, guint32 line_number,
            vpcflow_record_t *record)
{
    memset(record, 0, sizeof *record);
    g_byte_array_set_size(ts->meta, 0);
    if (ts->stamped) {
        gsize prefix = time_stamp_prefix(text, len, &record->event_time_ms);
        if (prefix) {
            char ms[24];
            vpcflow_meta_append(ts->meta, VPCFLOW_META_LINE_PREFIX, text, prefix - 1);
            g_snprintf(ms, sizeof ms, "%" G_GINT64_FORMAT, record->event_time_ms);
            vpcflow_meta_append(ts->meta, VPCFLOW_META_EVENT_TIME, ms, strlen(ms));
            record->has_event_time = TRUE;
            text += prefix;
            len -= prefix;
        }
    }
    const format_span_t *span = format_table_at(ts->formats, line->offset);
    if (span) {
        record->format = span->format;
        record->format_from = span->from;
    }
    record->text = text;
    record->length = len;
    record->line = line_number;
    /* The whole line as in the file, a part cut off included, without its end of line. */
    record->line_length = (guint32)MIN(line->length - line->eol, G_MAXUINT32);
    record->flags = (line->cut ? VPCFLOW_FLAG_LINE_CUT : 0) | (line->partial ? VPCFLOW_FLAG_LINE_PARTIAL : 0);
    if (ts->meta->len > 0) {
        record->meta = ts->meta->data;
        record->meta_length = ts->meta->len;
    }
}

/*
 * The first lines, with time stamps taken off when most lines have one
 * (a CloudWatch Logs export). A first line that is not text, or a header
 * naming more fields than we read, decides at once.
 */
static gboolean
text_sample(record_source_t *source, FILE_T fh, record_sample_t *sample, int *err, gchar **err_info)
{
    text_source_t *ts = (text_source_t *)source;
    text_line_t line;
    gsize total = 0;
    guint stamped = 0;

    while (sample->texts->len < RECORD_SAMPLE_RECORDS && total < RECORD_SAMPLE_BYTES) {
        if (!text_reader_next_line(&ts->sequential, fh, &line, err, err_info))
            break;
        gsize len;
        const char *text = line_text(ts->sequential.line, &line, &len);
        total += line.kept;
        /* Judge binary-ness on the first line only: a broken line later is flagged, not fatal. */
        if (sample->texts->len == 0 && !is_text(text, len))
            return FALSE;
        if (is_blank_line(text, len))
            continue;
        gint64 ms;
        stamped += time_stamp_prefix(text, len, &ms) > 0;
        record_sample_add(sample, text, len);
        if (line.partial)
            break;
    }
    if (*err != 0 && sample->texts->len == 0)
        return FALSE;
    /* An error after some lines is left for the read loop to report. */
    g_free(*err_info);
    *err_info = NULL;
    *err = 0;

    if (stamped * 2 > sample->texts->len) {
        ts->stamped = TRUE;
        ts->base.time_in_ms = TRUE;
        for (guint i = 0; i < sample->texts->len; i++) {
            char *text = g_ptr_array_index(sample->texts, i);
            gsize *len = &g_array_index(sample->lengths, gsize, i);
            gint64 ms;
            gsize prefix = time_stamp_prefix(text, *len, &ms);
            memmove(text, text + prefix, *len - prefix + 1);
            *len -= prefix;
        }
    }

    /* A header we cannot take: say so, not "not a capture file". (Only
     * its first VPCFLOW_RECORD_MAX bytes were counted.) */
    guint width = sample->texts->len ? vpcflow_header_width(g_ptr_array_index(sample->texts, 0),
                                                             g_array_index(sample->lengths, gsize, 0)) : 0;
    if (width > VPCFLOW_FORMAT_MAX_COLUMNS)
        sample->refusal = g_strdup_printf("vpcflow: the header line names more than %d fields, the most vpcshark reads",
                                          VPCFLOW_FORMAT_MAX_COLUMNS);
    return TRUE;
}

static void
text_restart(record_source_t *source)
{
    text_source_t *ts = (text_source_t *)source;

    text_reader_restart(&ts->sequential, 0);
    ts->line_number = 0;
}

static gboolean
text_next(record_source_t *source, FILE_T fh, vpcflow_record_t *record, gint64 *position, int *err,
          gchar **err_info)
{
    text_source_t *ts = (text_source_t *)source;
    text_line_t line;

    for (;;) {
        if (!text_reader_next_line(&ts->sequential, fh, &line, err, err_info)) {
            if (*err != 0)
                text_reader_locate_error(err, err_info, ts->line_number, line.offset, "lines");
            return FALSE;
        }
        ts->line_number++;

        gsize len;
        const char *text = line_text(ts->sequential.line, &line, &len);
        if (is_blank_line(text, len))
            continue;

        gint64 ms;
        gsize prefix = ts->stamped ? time_stamp_prefix(text, len, &ms) : 0;
        vpcflow_format_t *header = vpcflow_format_from_header(text + prefix, len - prefix);
        if (header) {
            /* Records after this line use it (concatenated exports have several). */
            format_table_add(ts->formats, line.offset + (gint64)line.length, header, VPCFLOW_FORMAT_FROM_HEADER);
            continue;
        }

        *position = vpcflow_pos_pack(line.offset, ts->line_number);
        line_record(ts, &line, text, len, vpcflow_pos_line(*position), record);
        return TRUE;
    }
}

static gboolean
text_at(record_source_t *source, FILE_T fh, gint64 position, vpcflow_record_t *record, int *err, gchar **err_info)
{
    text_source_t *ts = (text_source_t *)source;
    gint64 offset = vpcflow_pos_offset(position);
    text_line_t line;

    if (file_seek(fh, offset, SEEK_SET, err) == -1)
        return FALSE;
    text_reader_restart(&ts->random, offset);
    if (!text_reader_next_line(&ts->random, fh, &line, err, err_info)) {
        if (*err == 0)
            *err = WTAP_ERR_SHORT_READ;
        return FALSE;
    }
    gsize len;
    const char *text = line_text(ts->random.line, &line, &len);
    line_record(ts, &line, text, len, vpcflow_pos_line(position), record);
    return TRUE;
}

static void
text_free(record_source_t *source)
{
    text_source_t *ts = (text_source_t *)source;

    text_reader_free(&ts->sequential);
    text_reader_free(&ts->random);
    g_byte_array_free(ts->meta, TRUE);
    g_free(ts);
}

static const record_source_ops_t text_ops = {
    .sample = text_sample, .restart = text_restart, .next = text_next, .at = text_at, .free = text_free,
};

record_source_t *
text_source_new(format_table_t *formats)
{
    text_source_t *ts = g_new0(text_source_t, 1);

    ts->base.ops = &text_ops;
    ts->formats = formats;
    text_reader_init(&ts->sequential, SEQUENTIAL_CHUNK);
    text_reader_init(&ts->random, RANDOM_CHUNK);
    ts->meta = g_byte_array_new();
    return &ts->base;
}
