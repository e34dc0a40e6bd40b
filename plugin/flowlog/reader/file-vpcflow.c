/* file-vpcflow.c
 * Wiretap reader for AWS VPC Flow Log exports: one frame per record.
 *
 * Input: text, optionally gzip/zstd/lz4 compressed (the wiretap file
 * wrappers decompress). An S3 export starts with a header line naming
 * the fields; CloudWatch Logs and Firehose deliveries have none:
 *
 *   version account-id interface-id srcaddr dstaddr srcport ... log-status   <- header
 *   2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 ...      <- record
 *
 * A CloudWatch Logs export to S3 puts the event time before each record
 * ("2018-09-22T20:28:14.000Z 2 123456789010 ..."); the JSON shapes of
 * CloudWatch Logs are read by file-vpcflow-json.c.
 *
 * Each record becomes an Exported PDU frame for the "vpcflow" dissector
 * that carries the format with it (see plugin/flowlog/core/vpcflow-frame.h), so
 * records stay decodable after Save As pcapng or mergecap. The frame
 * time is the record's start. Nothing is dropped: header lines switch
 * the format, blank lines are skipped, every other line becomes a frame
 * and the dissector flags the ones that do not decode.
 *
 * Docs: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "file-vpcflow-int.h"

#include "vpcflow-fields.h"
#include "vpcflow-tokens.h"

#include <stddef.h>
#include <string.h>

/* How much of the start of a file the open routine looks at. */
#define SAMPLE_LINES 32
#define SAMPLE_BYTES (1024 * 1024)

/* Read-ahead: large for a sequential pass, one record or so for random access. */
#define SEQUENTIAL_CHUNK (256 * 1024)
#define RANDOM_CHUNK     512

/* A header line with at least this many known names is convincing alone. */
#define HEADER_CONVINCING_NAMES 3

/* Interfaces (one per ENI or log stream) beyond this share interface 0. */
#define INTERFACES_MAX 10000

/* "2018-09-22T20:28:14.000Z " */
#define STAMP_MIN_LEN 20
#define STAMP_MAX_LEN 30

static const guint8 utf8_bom[3] = { 0xEF, 0xBB, 0xBF };
static const char parquet_magic[4] = { 'P', 'A', 'R', '1' };

static int vpcflow_file_type_subtype = -1;

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

/* Keep one copy of each format; returns the stored one. */
static const vpcflow_format_t *
intern_format(vpcflow_t *vf, vpcflow_format_t *format)
{
    const vpcflow_format_t *known = g_hash_table_lookup(vf->formats, format->text);

    if (known) {
        vpcflow_format_free(format);
        return known;
    }
    g_hash_table_insert(vf->formats, format->text, format);
    return format;
}

static void
add_span(vpcflow_t *vf, gint64 offset, const vpcflow_format_t *format, vpcflow_source_t source)
{
    if (vf->spans->len > 0) {
        const format_span_t *last = &g_array_index(vf->spans, format_span_t, vf->spans->len - 1);
        if (last->format == format && last->source == source)
            return;
    }
    format_span_t span = { offset, format, source };
    g_array_append_val(vf->spans, span);
}

const format_span_t *
vpcflow_span_at(const vpcflow_t *vf, gint64 offset)
{
    guint n = vpcflow_last_at_or_before(vf->spans, offsetof(format_span_t, offset), offset);

    return n == 0 ? NULL : &g_array_index(vf->spans, format_span_t, n - 1);
}

/* Frame time: the record's start if the format has one and it parses,
 * else the CloudWatch Logs event time. */
static void
set_record_time(wtap_rec *rec, const char *text, const vpcflow_token_t *start, const vpcflow_record_t *record)
{
    gint64 secs;
    gint32 nsecs;
    gboolean in_ms;

    rec->presence_flags = 0;
    if (start && vpcflow_parse_time(text + start->offset, start->length, &secs, &nsecs, &in_ms)) {
        rec->presence_flags = WTAP_HAS_TS;
        rec->ts.secs = (time_t)secs;
        rec->ts.nsecs = nsecs;
        rec->tsprec = in_ms ? WTAP_TSPREC_MSEC : WTAP_TSPREC_SEC;
    } else if (record->has_event_time) {
        rec->presence_flags = WTAP_HAS_TS;
        rec->ts.secs = (time_t)(record->event_time_ms / 1000);
        rec->ts.nsecs = (int)(record->event_time_ms % 1000) * 1000000;
        rec->tsprec = WTAP_TSPREC_MSEC;
    }
}

/*
 * The capture interface of a record: one per network interface (or log
 * stream), named after it, added as the file reveals them, as pcapng
 * files add interfaces while they are read.
 */
static guint32
interface_for(wtap *wth, vpcflow_t *vf, const char *name, gsize len)
{
    if (len == 0 || vpcflow_token_is_absent(name, len))
        return 0;
    char *key = g_strndup(name, len);
    gpointer known = g_hash_table_lookup(vf->interfaces, key);
    if (known || g_hash_table_size(vf->interfaces) >= INTERFACES_MAX) {
        g_free(key);
        return known ? GPOINTER_TO_UINT(known) - 1 : 0;
    }

    wtap_block_t idb = wtap_block_create(WTAP_BLOCK_IF_ID_AND_INFO);
    wtapng_if_descr_mandatory_t *mand = (wtapng_if_descr_mandatory_t *)wtap_block_get_mandatory_data(idb);
    gboolean ms = wth->file_tsprec == WTAP_TSPREC_MSEC;
    mand->wtap_encap = wth->file_encap;
    mand->tsprecision = wth->file_tsprec;
    mand->time_units_per_second = ms ? 1000 : 1;
    mand->snap_len = WTAP_MAX_PACKET_SIZE_STANDARD;
    wtap_block_add_uint8_option(idb, OPT_IDB_TSRESOL, ms ? 3 : 0);
    wtap_block_add_string_option(idb, OPT_IDB_NAME, key, len);
    g_array_append_val(wth->interface_data, idb);

    guint32 id = wth->interface_data->len - 1;
    g_hash_table_insert(vf->interfaces, key, GUINT_TO_POINTER(id + 1));
    return id;
}

void
vpcflow_fill_record(wtap *wth, wtap_rec *rec, Buffer *buf, const format_span_t *span,
                    const vpcflow_record_t *record)
{
    vpcflow_envelope_t env;
    const vpcflow_format_t *format = span ? span->format : NULL;

    memset(&env, 0, sizeof env);
    env.source = format ? span->source : VPCFLOW_SOURCE_NONE;
    env.flags = record->flags;
    env.line = record->line;
    env.line_length = record->line_length ? record->line_length : (guint32)MIN(record->length, G_MAXUINT32);
    if (format) {
        env.format = format->text;
        env.format_length = (guint16)MIN(strlen(format->text), G_MAXUINT16);
    }
    if (record->meta) {
        env.meta = record->meta->data;
        env.meta_length = (guint16)MIN(record->meta->len, G_MAXUINT16);
    }
    env.record = record->text;
    env.record_length = (guint32)MIN(record->length, TEXT_READER_LINE_MAX);

    gsize size = vpcflow_frame_size(&env);
    ws_buffer_clean(buf);
    ws_buffer_assure_space(buf, size);
    vpcflow_frame_store(ws_buffer_start_ptr(buf), &env);

    vpcshark_rec_setup_packet(rec, wth->file_encap);
    rec->rec_header.packet_header.caplen = (guint32)size;
    rec->rec_header.packet_header.len = (guint32)size;

    /* The columns the frame itself needs: start for its time, the interface for its interface. */
    vpcflow_token_t tokens[VPCFLOW_FORMAT_MAX_COLUMNS];
    int start = format ? format->column_of[VF_START] : -1;
    int where = format ? format->column_of[VF_INTERFACE_ID] : -1;
    if (format && where < 0)
        where = format->column_of[vpcflow_field_lookup("tgw-attachment-id", 17)];
    guint n = vpcflow_tokenize(record->text, record->length, tokens, (guint)MAX(MAX(start, where) + 1, 0));
    set_record_time(rec, record->text, start >= 0 && (guint)start < n ? &tokens[start] : NULL, record);

    guint32 id = 0;
    if (where >= 0 && (guint)where < n && (!format || n == format->n_columns))
        id = interface_for(wth, (vpcflow_t *)wth->priv, record->text + tokens[where].offset, tokens[where].length);
    else if (record->stream)
        id = interface_for(wth, (vpcflow_t *)wth->priv, record->stream, strlen(record->stream));
    rec->rec_header.packet_header.interface_id = id;
    rec->presence_flags |= WTAP_HAS_INTERFACE_ID;
}

/* A line as a record; the export time of a stamped line goes in the metadata. */
static void
fill_line(wtap *wth, wtap_rec *rec, Buffer *buf, const vpcflow_t *vf, const text_line_t *line,
          const char *text, gsize len, guint32 line_number)
{
    vpcflow_record_t record;
    GByteArray *meta = NULL;

    memset(&record, 0, sizeof record);
    if (vf->shape == VPCFLOW_SHAPE_TEXT_STAMPED) {
        gsize prefix = time_stamp_prefix(text, len, &record.event_time_ms);
        if (prefix) {
            char ms[24];
            meta = g_byte_array_new();
            vpcflow_meta_append(meta, VPCFLOW_META_LINE_PREFIX, text, prefix - 1);
            g_snprintf(ms, sizeof ms, "%" G_GINT64_FORMAT, record.event_time_ms);
            vpcflow_meta_append(meta, VPCFLOW_META_EVENT_TIME, ms, strlen(ms));
            record.has_event_time = TRUE;
            text += prefix;
            len -= prefix;
        }
    }
    record.text = text;
    record.length = len;
    record.line = line_number;
    /* The whole line as in the file, a part cut off included, without its end of line. */
    record.line_length = (guint32)MIN(line->length - line->eol, G_MAXUINT32);
    record.flags = (line->cut ? VPCFLOW_FLAG_LINE_CUT : 0) | (line->partial ? VPCFLOW_FLAG_LINE_PARTIAL : 0);
    record.meta = meta;
    vpcflow_fill_record(wth, rec, buf, vpcflow_span_at(vf, line->offset), &record);
    if (meta)
        g_byte_array_free(meta, TRUE);
}

/* Put the position into a read error, and name short reads for what they are. */
static void
locate_error(int *err, gchar **err_info, guint64 line_number, gint64 offset)
{
    const char *what = *err_info ? *err_info : wtap_strerror(*err);
    gchar *located;

    if (*err == WTAP_ERR_SHORT_READ) {
        located = g_strdup_printf("vpcflow: the file ends in the middle of its compressed data, "
                                  "after line %" G_GUINT64_FORMAT " (byte %" G_GINT64_FORMAT
                                  " of the uncompressed text); the lines before it were read",
                                  line_number, offset);
        *err = WTAP_ERR_BAD_FILE;
    } else {
        located = g_strdup_printf("vpcflow: after line %" G_GUINT64_FORMAT " (byte %" G_GINT64_FORMAT
                                  " of the uncompressed text): %s", line_number, offset, what);
    }
    g_free(*err_info);
    *err_info = located;
}

/* The text after a time stamp, if the file has them. */
static const char *
record_part(const vpcflow_t *vf, const char *text, gsize *len)
{
    gint64 ms;
    gsize prefix = vf->shape == VPCFLOW_SHAPE_TEXT_STAMPED ? time_stamp_prefix(text, *len, &ms) : 0;

    *len -= prefix;
    return text + prefix;
}

static vpcshark_bool
vpcflow_read(wtap *wth, wtap_rec *rec, VPCSHARK_READ_BUFFER_PARAM int *err, gchar **err_info, gint64 *data_offset)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    text_line_t line;

    if (vf->shape == VPCFLOW_SHAPE_JSON)
        return vpcflow_json_read(wth, rec, VPCSHARK_REC_BUFFER(rec, buf), err, err_info, data_offset);

    for (;;) {
        if (!text_reader_next_line(&vf->sequential, wth->fh, &line, err, err_info)) {
            if (*err != 0)
                locate_error(err, err_info, vf->line_number, line.offset);
            return FALSE;
        }
        vf->line_number++;

        gsize len;
        const char *text = line_text(vf->sequential.line, &line, &len);
        if (is_blank_line(text, len))
            continue;

        gsize rest = len;
        const char *content = record_part(vf, text, &rest);
        vpcflow_format_t *header = vpcflow_format_from_header(content, rest);
        if (header) {
            /* Records after this line use it (concatenated exports have several). */
            add_span(vf, line.offset + (gint64)line.length, intern_format(vf, header), VPCFLOW_SOURCE_HEADER);
            continue;
        }

        *data_offset = vpcflow_pos_pack(line.offset, vf->line_number);
        fill_line(wth, rec, VPCSHARK_REC_BUFFER(rec, buf), vf, &line, text, len, vpcflow_pos_line(*data_offset));
        return TRUE;
    }
}

static vpcshark_bool
vpcflow_seek_read(wtap *wth, gint64 position, wtap_rec *rec, VPCSHARK_READ_BUFFER_PARAM int *err, gchar **err_info)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    gint64 offset = vpcflow_pos_offset(position);
    text_line_t line;

    if (vf->shape == VPCFLOW_SHAPE_JSON)
        return vpcflow_json_seek_read(wth, position, rec, VPCSHARK_REC_BUFFER(rec, buf), err, err_info);

    if (file_seek(wth->random_fh, offset, SEEK_SET, err) == -1)
        return FALSE;
    text_reader_restart(&vf->random, offset);
    if (!text_reader_next_line(&vf->random, wth->random_fh, &line, err, err_info)) {
        if (*err == 0)
            *err = WTAP_ERR_SHORT_READ;
        return FALSE;
    }
    gsize len;
    const char *text = line_text(vf->random.line, &line, &len);
    fill_line(wth, rec, VPCSHARK_REC_BUFFER(rec, buf), vf, &line, text, len, vpcflow_pos_line(position));
    return TRUE;
}

/* Free what the reader state holds (not the state itself). */
static void
vpcflow_release(vpcflow_t *vf)
{
    text_reader_free(&vf->sequential);
    text_reader_free(&vf->random);
    g_hash_table_destroy(vf->formats);
    g_hash_table_destroy(vf->interfaces);
    g_array_free(vf->spans, TRUE);
    vpcflow_json_release(vf);
}

/* wtap_close() frees priv itself. */
static void
vpcflow_close(wtap *wth)
{
    vpcflow_release((vpcflow_t *)wth->priv);
}

static void
vpcflow_free(vpcflow_t *vf)
{
    vpcflow_release(vf);
    g_free(vf);
}

/* The first records of the file, for deciding whether it is ours. */
typedef struct {
    GPtrArray *lines;                   /* g_strndup'd record texts */
    GArray    *lengths;                 /* gsize */
    gboolean   binary;
    guint      stamped;                 /* lines that start with a time stamp */
} sample_t;

static void
sample_init(sample_t *sample)
{
    sample->lines = g_ptr_array_new_with_free_func(g_free);
    sample->lengths = g_array_new(FALSE, FALSE, sizeof(gsize));
    sample->binary = FALSE;
    sample->stamped = 0;
}

static void
sample_free(sample_t *sample)
{
    g_ptr_array_free(sample->lines, TRUE);
    g_array_free(sample->lengths, TRUE);
}

static void
sample_add(sample_t *sample, const char *text, gsize len)
{
    g_ptr_array_add(sample->lines, g_strndup(text, len));
    g_array_append_val(sample->lengths, len);
}

/* The first non-blank character of the file (after a byte order mark). */
static int
first_character(wtap *wth)
{
    guint8 head[64];
    int n = file_read(head, sizeof head, wth->fh);
    int i = 0;

    if (n >= 3 && memcmp(head, utf8_bom, sizeof utf8_bom) == 0)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    return i < n ? head[i] : -1;
}

static gboolean
read_text_sample(wtap *wth, text_reader_t *reader, sample_t *sample, int *err, gchar **err_info)
{
    text_line_t line;
    gsize total = 0;

    while (sample->lines->len < SAMPLE_LINES && total < SAMPLE_BYTES) {
        if (!text_reader_next_line(reader, wth->fh, &line, err, err_info))
            break;
        gsize len;
        const char *text = line_text(reader->line, &line, &len);
        total += line.kept;
        /* Judge binary-ness on the first line only: a broken line later is flagged, not fatal. */
        if (sample->lines->len == 0 && !is_text(text, len)) {
            sample->binary = TRUE;
            break;
        }
        if (is_blank_line(text, len))
            continue;
        gint64 ms;
        gsize prefix = time_stamp_prefix(text, len, &ms);
        sample->stamped += prefix > 0;
        sample_add(sample, text, len);
        if (line.partial)
            break;
    }
    if (*err != 0 && sample->lines->len == 0)
        return FALSE;
    /* An error after some lines is left for the read loop to report. */
    g_free(*err_info);
    *err_info = NULL;
    *err = 0;
    return TRUE;
}

/* CloudWatch export lines: most start with a time stamp; judge what follows it. */
static void
strip_time_stamps(sample_t *sample)
{
    for (guint i = 0; i < sample->lines->len; i++) {
        char *text = g_ptr_array_index(sample->lines, i);
        gsize *len = &g_array_index(sample->lengths, gsize, i);
        gint64 ms;
        gsize prefix = time_stamp_prefix(text, *len, &ms);
        memmove(text, text + prefix, *len - prefix + 1);
        *len -= prefix;
    }
}

/*
 * A header line opens the file if it names enough known fields, or if
 * the lines after it have as many columns (so a text file whose first
 * line happens to be "start end" is not taken).
 */
static gboolean
header_is_convincing(const vpcflow_format_t *header, const sample_t *sample)
{
    guint known = 0;

    for (guint c = 0; c < header->n_columns; c++)
        known += header->field[c] != VF_UNKNOWN;
    if (known >= HEADER_CONVINCING_NAMES)
        return TRUE;
    return sample->lines->len == 1 ||
           vpcflow_format_matches_lines(header, (const char *const *)sample->lines->pdata + 1,
                                        (const gsize *)(void *)sample->lengths->data + 1,
                                        sample->lines->len - 1);
}

/* The format a user gave for headerless files, if it fits these lines. */
static vpcflow_format_t *
configured_format(const sample_t *sample)
{
    const char *spec = g_getenv(VPCFLOW_FORMAT_ENV);
    char *error = NULL;

    if (!spec || !*spec)
        return NULL;
    vpcflow_format_t *format = vpcflow_format_parse(spec, strlen(spec), &error);
    if (!format) {
        ws_warning("vpcflow: ignoring %s: %s", VPCFLOW_FORMAT_ENV, error);
        g_free(error);
        return NULL;
    }
    if (!vpcflow_format_matches_lines(format, (const char *const *)sample->lines->pdata,
                                      (const gsize *)(void *)sample->lengths->data, sample->lines->len)) {
        vpcflow_format_free(format);
        return NULL;
    }
    return format;
}

/*
 * Decide from the first records whether this is a flow log and with
 * which format its headerless records start. FALSE if it is not ours.
 */
static gboolean
choose_initial_format(vpcflow_t *vf, const sample_t *sample)
{
    const char *const *lines = (const char *const *)sample->lines->pdata;
    const gsize *lengths = (const gsize *)(void *)sample->lengths->data;
    guint n = sample->lines->len;

    if (n == 0 || sample->binary)
        return FALSE;

    vpcflow_format_t *header = vpcflow_format_from_header(lines[0], lengths[0]);
    if (header) {
        gboolean convincing = header_is_convincing(header, sample);
        vpcflow_format_free(header);
        return convincing;              /* the read loop takes the header itself */
    }

    vpcflow_format_t *configured = configured_format(sample);
    if (configured) {
        add_span(vf, 0, intern_format(vf, configured), VPCFLOW_SOURCE_CONFIGURED);
        return TRUE;
    }

    const vpcflow_layout_t *layout = vpcflow_layout_detect(lines, lengths, n);
    if (layout) {
        add_span(vf, 0, intern_format(vf, vpcflow_format_copy(layout->format)), VPCFLOW_SOURCE_DETECTED);
        return TRUE;
    }

    /* Records of a format nobody told us: the dissector asks for it. */
    return vpcflow_lines_look_like_records(lines, lengths, n);
}

/* Parquet exports are binary; say so instead of "unknown format". */
static gboolean
is_parquet(wtap *wth)
{
    char magic[sizeof parquet_magic];

    return file_read(magic, sizeof magic, wth->fh) == (int)sizeof magic &&
           memcmp(magic, parquet_magic, sizeof magic) == 0;
}

/*
 * The loader sets these before calling an open routine; if they read
 * differently, our declaration of struct wtap does not match the
 * running Wireshark and touching it would corrupt memory.
 */
static gboolean
wtap_layout_is_sane(const wtap *wth)
{
    return wth->fh != NULL && wth->pathname != NULL && wth->priv == NULL &&
           wth->file_encap == WTAP_ENCAP_UNKNOWN && wth->file_tsprec == WTAP_TSPREC_USEC;
}

static vpcflow_t *
vpcflow_new(void)
{
    vpcflow_t *vf = g_new0(vpcflow_t, 1);

    text_reader_init(&vf->sequential, SEQUENTIAL_CHUNK);
    text_reader_init(&vf->random, RANDOM_CHUNK);
    vf->formats = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)vpcflow_format_free);
    vf->interfaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    vf->spans = g_array_new(FALSE, FALSE, sizeof(format_span_t));
    vpcflow_json_init(vf);
    return vf;
}

static wtap_open_return_val
vpcflow_open(wtap *wth, int *err, gchar **err_info)
{
    sample_t sample;

    if (!wtap_layout_is_sane(wth)) {
        ws_warning("vpcflow: struct wtap as declared for Wireshark %d.%d does not match the running "
                   "library; flow-log reading is disabled. Rebuild the plugin against this Wireshark.",
                   WIRESHARK_VERSION_MAJOR, WIRESHARK_VERSION_MINOR);
        return WTAP_OPEN_NOT_MINE;
    }

    if (is_parquet(wth)) {
        *err = WTAP_ERR_UNSUPPORTED;
        *err_info = g_strdup("vpcflow: this is a Parquet flow log; Parquet is not supported (yet). "
                             "Create the flow log with the plain-text file format, or convert the file "
                             "to text (one record per line, header first)");
        return WTAP_OPEN_ERROR;
    }
    if (file_seek(wth->fh, 0, SEEK_SET, err) == -1)
        return WTAP_OPEN_ERROR;
    int first = first_character(wth);
    gboolean json = first == '{' || first == '[';
    if (file_seek(wth->fh, 0, SEEK_SET, err) == -1)
        return WTAP_OPEN_ERROR;

    vpcflow_t *vf = vpcflow_new();
    sample_init(&sample);
    gboolean ours;
    if (json) {
        vf->shape = VPCFLOW_SHAPE_JSON;
        gboolean lambda = FALSE;
        vpcflow_json_sample(wth, &vf->sequential, sample.lines, sample.lengths, SAMPLE_BYTES, &lambda);
        /* A Lambda event whose payload gives no message at all (it does not
         * decode, or inflates past the limit) is still ours: its frame says why. */
        ours = choose_initial_format(vf, &sample) || (lambda && sample.lines->len == 0);
    } else if (!read_text_sample(wth, &vf->sequential, &sample, err, err_info)) {
        sample_free(&sample);
        vpcflow_free(vf);
        return WTAP_OPEN_ERROR;
    } else {
        if (sample.stamped * 2 > sample.lines->len) {
            vf->shape = VPCFLOW_SHAPE_TEXT_STAMPED;
            strip_time_stamps(&sample);
        }
        /* A header we cannot take: say so, not "not a capture file". */
        guint width = sample.lines->len ? vpcflow_header_width(g_ptr_array_index(sample.lines, 0),
                                                                g_array_index(sample.lengths, gsize, 0)) : 0;
        if (width > VPCFLOW_FORMAT_MAX_COLUMNS) {
            *err = WTAP_ERR_UNSUPPORTED;
            /* (Only its first TEXT_READER_LINE_MAX bytes were counted.) */
            *err_info = g_strdup_printf("vpcflow: the header line names more than %d fields, the most vpcshark reads",
                                        VPCFLOW_FORMAT_MAX_COLUMNS);
            sample_free(&sample);
            vpcflow_free(vf);
            return WTAP_OPEN_ERROR;
        }
        ours = choose_initial_format(vf, &sample);
    }
    sample_free(&sample);
    if (!ours) {
        vpcflow_free(vf);
        return WTAP_OPEN_NOT_MINE;
    }
    if (file_seek(wth->fh, 0, SEEK_SET, err) == -1) {
        vpcflow_free(vf);
        return WTAP_OPEN_ERROR;
    }
    text_reader_restart(&vf->sequential, 0);

    wth->priv = vf;
    wth->file_type_subtype = vpcflow_file_type_subtype;
    wth->file_encap = WTAP_ENCAP_WIRESHARK_UPPER_PDU;
    /* CloudWatch event times have milliseconds; records' start only seconds. */
    wth->file_tsprec = vf->shape == VPCFLOW_SHAPE_TEXT ? WTAP_TSPREC_SEC : WTAP_TSPREC_MSEC;
    wth->snapshot_length = 0;
    wth->subtype_read = vpcflow_read;
    wth->subtype_seek_read = vpcflow_seek_read;
    wth->subtype_close = vpcflow_close;
    wtap_add_generated_idb(wth);
    return WTAP_OPEN_MINE;
}

static const struct supported_block_type vpcflow_blocks_supported[] = {
    /* One flow record per packet block, no options of our own. */
    { WTAP_BLOCK_PACKET, MULTIPLE_BLOCKS_SUPPORTED, NO_OPTIONS_SUPPORTED }
};

static const struct file_type_subtype_info vpcflow_info = {
    VPCFLOW_FILE_TYPE_DESCRIPTION, VPCFLOW_FILE_TYPE_NAME, "log", "log.gz;txt",
    FALSE, BLOCKS_SUPPORTED(vpcflow_blocks_supported),
    vpcflow_dump_can_write_encap, vpcflow_dump_open, NULL
};

void
wtap_register_vpcflow(void)
{
    /* Tried before the stock heuristic readers: the VWR and JSON readers
     * would otherwise take (and then fail on) flow-log text. */
    struct open_info open_info = {
        VPCFLOW_FILE_TYPE_NAME, OPEN_INFO_HEURISTIC, vpcflow_open, "log;txt;json;gz;parquet", NULL, NULL
    };

    vpcflow_file_type_subtype = wtap_register_file_type_subtype(&vpcflow_info);
    wtap_register_open_info(&open_info, TRUE);
}
