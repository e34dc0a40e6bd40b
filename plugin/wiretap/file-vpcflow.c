/* file-vpcflow.c
 * Wiretap reader for AWS VPC Flow Log exports: one frame per record.
 *
 * Input: text lines, optionally gzip/zstd/lz4 compressed (the wiretap
 * file wrappers decompress). An S3 export starts with a header line
 * naming the fields; CloudWatch Logs and Firehose deliveries have none.
 *
 *   version account-id interface-id srcaddr dstaddr srcport ... log-status   <- header
 *   2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 ...      <- record
 *
 * Each record becomes an Exported PDU frame for the "vpcflow" dissector
 * that carries the format with it (see plugin/lib/vpcflow-frame.h), so
 * records stay decodable after Save As pcapng or mergecap. The frame
 * time is the record's start. Nothing is dropped: header lines switch
 * the format, blank lines are skipped, every other line becomes a frame
 * and the dissector flags the ones that do not decode.
 *
 * Docs: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "file-vpcflow.h"
#include "line-reader.h"

#include "vpcflow-fields.h"
#include "vpcflow-format.h"
#include "vpcflow-frame.h"
#include "vpcflow-tokens.h"

#include <string.h>

/* How much of the start of a file the open routine looks at. */
#define SAMPLE_LINES 32
#define SAMPLE_BYTES (1024 * 1024)

/* Read-ahead: large for a sequential pass, one record or so for random access. */
#define SEQUENTIAL_CHUNK (256 * 1024)
#define RANDOM_CHUNK     512

/* A header line with at least this many known names is convincing alone. */
#define HEADER_CONVINCING_NAMES 3

static const guint8 utf8_bom[3] = { 0xEF, 0xBB, 0xBF };
static const char parquet_magic[4] = { 'P', 'A', 'R', '1' };

static int vpcflow_file_type_subtype = -1;

/* From offset on (until the next span) records use format. */
typedef struct {
    gint64                  offset;
    const vpcflow_format_t *format;     /* NULL when not known */
    vpcflow_source_t        source;
} format_span_t;

typedef struct {
    line_reader_t   sequential;
    line_reader_t   random;
    GHashTable     *formats;            /* text -> vpcflow_format_t, owned */
    GArray         *spans;              /* format_span_t, ascending offsets */
    guint64         line_number;        /* lines read sequentially so far */
} vpcflow_t;

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

/* The span a record at offset belongs to (binary search), or NULL. */
static const format_span_t *
span_at(const vpcflow_t *vf, gint64 offset)
{
    guint lo = 0, hi = vf->spans->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(vf->spans, format_span_t, mid).offset <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? NULL : &g_array_index(vf->spans, format_span_t, lo - 1);
}

/* Frame time: the record's start, if the format has one and it parses. */
static void
set_record_time(wtap_rec *rec, const vpcflow_format_t *format, const char *text, gsize len)
{
    vpcflow_token_t tokens[VPCFLOW_FORMAT_MAX_COLUMNS];
    gint64 secs;
    gint32 nsecs;
    gboolean in_ms;

    rec->presence_flags = 0;
    if (!format || format->column_of[VF_START] < 0)
        return;
    guint col = (guint)format->column_of[VF_START];
    guint n = vpcflow_tokenize(text, len, tokens, col + 1);
    if (n <= col ||
        !vpcflow_parse_time(text + tokens[col].offset, tokens[col].length, &secs, &nsecs, &in_ms))
        return;
    rec->presence_flags = WTAP_HAS_TS;
    rec->ts.secs = (time_t)secs;
    rec->ts.nsecs = nsecs;
    rec->tsprec = in_ms ? WTAP_TSPREC_MSEC : WTAP_TSPREC_SEC;
}

/* Turn one record line into a frame. */
static void
fill_record(wtap *wth, wtap_rec *rec, Buffer *buf, const format_span_t *span,
            const text_line_t *line, const char *text, gsize len, guint32 line_number)
{
    vpcflow_envelope_t env;
    const vpcflow_format_t *format = span ? span->format : NULL;

    memset(&env, 0, sizeof env);
    env.source = format ? span->source : VPCFLOW_SOURCE_NONE;
    env.flags = (line->cut ? VPCFLOW_FLAG_LINE_CUT : 0) | (line->partial ? VPCFLOW_FLAG_LINE_PARTIAL : 0);
    env.line = line_number;
    /* For a cut line, the skipped part (with its end of line) is counted too. */
    env.line_length = (guint32)MIN(len + (line->length - line->kept), G_MAXUINT32);
    if (format) {
        env.format = format->text;
        env.format_length = (guint16)strlen(format->text);
    }
    env.record = text;
    env.record_length = (guint32)len;

    gsize size = vpcflow_frame_size(&env);
    ws_buffer_clean(buf);
    ws_buffer_assure_space(buf, size);
    vpcflow_frame_store(ws_buffer_start_ptr(buf), &env);

    vpcshark_rec_setup_packet(rec, wth->file_encap);
    rec->rec_header.packet_header.caplen = (guint32)size;
    rec->rec_header.packet_header.len = (guint32)size;
    set_record_time(rec, format, text, len);
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

static vpcshark_bool
vpcflow_read(wtap *wth, wtap_rec *rec, VPCSHARK_READ_BUFFER_PARAM int *err, gchar **err_info, gint64 *data_offset)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    text_line_t line;

    for (;;) {
        if (!line_reader_next(&vf->sequential, wth->fh, &line, err, err_info)) {
            if (*err != 0)
                locate_error(err, err_info, vf->line_number, line.offset);
            return FALSE;
        }
        vf->line_number++;

        gsize len;
        const char *text = line_text(vf->sequential.line, &line, &len);
        if (is_blank_line(text, len))
            continue;

        vpcflow_format_t *header = vpcflow_format_from_header(text, len);
        if (header) {
            /* Records after this line use it (concatenated exports have several). */
            add_span(vf, line.offset + (gint64)line.length, intern_format(vf, header), VPCFLOW_SOURCE_HEADER);
            continue;
        }

        *data_offset = vpcflow_pos_pack(line.offset, vf->line_number);
        fill_record(wth, rec, VPCSHARK_REC_BUFFER(rec, buf), span_at(vf, line.offset), &line, text, len,
                    vpcflow_pos_line(*data_offset));
        return TRUE;
    }
}

static vpcshark_bool
vpcflow_seek_read(wtap *wth, gint64 position, wtap_rec *rec, VPCSHARK_READ_BUFFER_PARAM int *err, gchar **err_info)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    gint64 offset = vpcflow_pos_offset(position);
    text_line_t line;

    if (file_seek(wth->random_fh, offset, SEEK_SET, err) == -1)
        return FALSE;
    line_reader_restart(&vf->random, offset);
    if (!line_reader_next(&vf->random, wth->random_fh, &line, err, err_info)) {
        if (*err == 0)
            *err = WTAP_ERR_SHORT_READ;
        return FALSE;
    }
    gsize len;
    const char *text = line_text(vf->random.line, &line, &len);
    fill_record(wth, rec, VPCSHARK_REC_BUFFER(rec, buf), span_at(vf, offset), &line, text, len,
                vpcflow_pos_line(position));
    return TRUE;
}

/* Free what the reader state holds (not the state itself). */
static void
vpcflow_release(vpcflow_t *vf)
{
    line_reader_free(&vf->sequential);
    line_reader_free(&vf->random);
    g_hash_table_destroy(vf->formats);
    g_array_free(vf->spans, TRUE);
}

/* wtap_close() frees priv itself. */
static void
vpcflow_close(wtap *wth)
{
    vpcflow_release((vpcflow_t *)wth->priv);
}

/* The first lines of the file, for deciding whether it is ours. */
typedef struct {
    GPtrArray *lines;                   /* g_strndup'd record texts */
    GArray    *lengths;                 /* gsize */
    gboolean   binary;
} sample_t;

static void
sample_free(sample_t *sample)
{
    g_ptr_array_free(sample->lines, TRUE);
    g_array_free(sample->lengths, TRUE);
}

static gboolean
read_sample(wtap *wth, line_reader_t *reader, sample_t *sample, int *err, gchar **err_info)
{
    text_line_t line;
    gsize total = 0;

    sample->lines = g_ptr_array_new_with_free_func(g_free);
    sample->lengths = g_array_new(FALSE, FALSE, sizeof(gsize));
    sample->binary = FALSE;

    while (sample->lines->len < SAMPLE_LINES && total < SAMPLE_BYTES) {
        if (!line_reader_next(reader, wth->fh, &line, err, err_info))
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
        g_ptr_array_add(sample->lines, g_strndup(text, len));
        g_array_append_val(sample->lengths, len);
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
 * Decide from the first lines whether this is a flow log and with which
 * format its headerless records start. Returns FALSE if it is not ours.
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

static void
vpcflow_free(vpcflow_t *vf)
{
    vpcflow_release(vf);
    g_free(vf);
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

    vpcflow_t *vf = g_new0(vpcflow_t, 1);
    line_reader_init(&vf->sequential, SEQUENTIAL_CHUNK);
    line_reader_init(&vf->random, RANDOM_CHUNK);
    vf->formats = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)vpcflow_format_free);
    vf->spans = g_array_new(FALSE, FALSE, sizeof(format_span_t));

    if (!read_sample(wth, &vf->sequential, &sample, err, err_info)) {
        vpcflow_free(vf);
        return WTAP_OPEN_ERROR;
    }
    gboolean ours = choose_initial_format(vf, &sample);
    sample_free(&sample);
    if (!ours) {
        vpcflow_free(vf);
        return WTAP_OPEN_NOT_MINE;
    }
    if (file_seek(wth->fh, 0, SEEK_SET, err) == -1) {
        vpcflow_free(vf);
        return WTAP_OPEN_ERROR;
    }
    line_reader_restart(&vf->sequential, 0);

    wth->priv = vf;
    wth->file_type_subtype = vpcflow_file_type_subtype;
    wth->file_encap = WTAP_ENCAP_WIRESHARK_UPPER_PDU;
    wth->file_tsprec = WTAP_TSPREC_SEC;
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
        VPCFLOW_FILE_TYPE_NAME, OPEN_INFO_HEURISTIC, vpcflow_open, "log;txt;json;parquet", NULL, NULL
    };

    vpcflow_file_type_subtype = wtap_register_file_type_subtype(&vpcflow_info);
    wtap_register_open_info(&open_info, TRUE);
}
