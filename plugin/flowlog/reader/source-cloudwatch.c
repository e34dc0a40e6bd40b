/* source-cloudwatch.c
 * Flow records in CloudWatch Logs JSON (source-cloudwatch.h).
 *
 * One record per event; the event's message is the record, and the log
 * group, log stream, owner and timestamps travel with it as metadata.
 * The scanner of plugin/flowlog/cloudwatch/vpcflow-json.h cuts events out without
 * holding whole documents, so a gigabyte export opens in bounded memory.
 *
 * Positions for random access (see vpcflow_pos_pack()):
 *   (offset of an event or document object, 0)    the object, parsed again alone
 *   (offset of a Lambda payload's base64, k + 1)  its k-th frame, the payload inflated again
 *   (offset, JSON_ERROR_INDEX)                    a problem found while scanning, kept in memory
 * so no access rescans the file from its start.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "source-cloudwatch.h"
#include "text-reader.h"

#include "vpcflow-json.h"
#include "vpcflow-tokens.h"

#include <stddef.h>
#include <string.h>

#define JSON_ERROR_INDEX ((G_GUINT64_CONSTANT(1) << VPCFLOW_POS_LINE_BITS) - 1)
/* A file with more scanning problems than this is not worth reading on. */
#define JSON_ERRORS_MAX 100000
/* How much of an undecodable item a problem frame shows. */
#define PROBLEM_TEXT_MAX 4096
/* Read-ahead: large for a sequential pass, one event or so for random access. */
#define SEQUENTIAL_CHUNK (256 * 1024)
#define RANDOM_CHUNK     512

/* The document members that apply to the events of one events array. */
typedef struct {
    gint64   start, end;                /* the array's extent; end is G_MAXINT64 while open */
    vpcflow_json_context_t doc;
} json_context_t;

/* A frame that holds no record: a JSON error found while scanning. */
typedef struct {
    char    *problem;
} json_error_t;

/* A frame to be: an event (parsed) or a problem, with its context. */
typedef struct {
    vpcflow_json_event_t event;
    char    *problem;               /* set for a frame holding no record */
    GBytes  *raw;                   /* what the problem is about, cut short */
    vpcflow_json_context_t context; /* copied, or all NULL */
    gint64   payload_offset;        /* where its Lambda payload starts */
    guint    index;                 /* position within that payload */
} json_frame_t;

static void
json_frame_free(gpointer data)
{
    json_frame_t *frame = data;

    vpcflow_json_event_clear(&frame->event);
    g_free(frame->problem);
    if (frame->raw)
        g_bytes_unref(frame->raw);
    vpcflow_json_context_clear(&frame->context);
    g_free(frame);
}

static void
json_error_free(gpointer data)
{
    json_error_t *e = data;

    g_free(e->problem);
    g_free(e);
}

typedef struct {
    record_source_t base;
    format_table_t *formats;
    text_reader_t   sequential;
    text_reader_t   random;
    vpcflow_json_scanner_t scanner;
    gboolean        scan_ended;
    GArray         *contexts;           /* json_context_t, ascending starts */
    GHashTable     *errors;             /* offset -> json_error_t */
    GQueue         *pending;            /* frames of a Lambda payload still to hand out */
    json_frame_t   *current;            /* the frame the last record came from */
    gboolean        current_owned;      /* ... and it is ours to free */
    GPtrArray      *payload_frames;     /* random access: the frames of the last payload read */
    gint64          payload_frames_offset;
    GByteArray     *meta;               /* the current record's metadata */
} cloudwatch_source_t;

/* The document members for the events array holding offset, or NULL. */
static const vpcflow_json_context_t *
context_at(const cloudwatch_source_t *cw, gint64 offset)
{
    guint n = sorted_array_last_at_or_before(cw->contexts, offsetof(json_context_t, start), offset);

    if (n == 0)
        return NULL;
    const json_context_t *c = &g_array_index(cw->contexts, json_context_t, n - 1);
    return offset < c->end ? &c->doc : NULL;
}

static void
add_context(cloudwatch_source_t *cw, const vpcflow_json_scanner_t *s)
{
    json_context_t c;

    c.start = s->offset;
    c.end = G_MAXINT64;
    vpcflow_json_context_copy(&c.doc, &s->context);
    g_array_append_val(cw->contexts, c);
}

static void
meta_number(GByteArray *meta, vpcflow_meta_type_t type, gint64 value)
{
    char text[24];

    g_snprintf(text, sizeof text, "%" G_GINT64_FORMAT, value);
    vpcflow_meta_append(meta, type, text, strlen(text));
}

/* Hand out frame as the current record (freed at the next call if owned). */
static void
set_current(cloudwatch_source_t *cw, json_frame_t *frame, gboolean owned)
{
    if (cw->current && cw->current_owned)
        json_frame_free(cw->current);
    cw->current = frame;
    cw->current_owned = owned;
}

/* The record of an event, or of a problem (no record inside): its text and the export's metadata. */
static void
frame_record(cloudwatch_source_t *cw, gint64 offset, const json_frame_t *frame, vpcflow_record_t *record)
{
    const vpcflow_json_event_t *ev = &frame->event;
    const vpcflow_json_context_t *ctx = &frame->context;
    GByteArray *meta = cw->meta;

    memset(record, 0, sizeof *record);
    g_byte_array_set_size(meta, 0);
    vpcflow_json_event_meta(meta, ev, ctx);
    if (ev->has_timestamp) {
        record->has_event_time = TRUE;
        record->event_time_ms = ev->timestamp_ms;
    }
    meta_number(meta, VPCFLOW_META_OFFSET, offset);
    if (frame->problem)
        vpcflow_meta_append(meta, VPCFLOW_META_PROBLEM, frame->problem, strlen(frame->problem));
    record->meta = meta->data;
    record->meta_length = meta->len;

    if (frame->problem) {
        gsize len = 0;
        record->text = frame->raw ? g_bytes_get_data(frame->raw, &len) : "";
        record->length = len;
    } else {
        record->text = ev->message;
        record->length = vpcflow_line_trim_eol(ev->message, strlen(ev->message));
        const format_span_t *span = format_table_at(cw->formats, offset);
        if (span) {
            record->format = span->format;
            record->format_from = span->from;
        }
    }
    record->stream = ev->log_stream ? ev->log_stream : ctx->log_stream;
}

static json_frame_t *
problem_frame(const char *problem, const guint8 *raw, gsize raw_len)
{
    json_frame_t *frame = g_new0(json_frame_t, 1);

    frame->problem = g_strdup(problem);
    frame->raw = g_bytes_new(raw, MIN(raw_len, PROBLEM_TEXT_MAX));
    return frame;
}

/* An event or document object cut out by the scanner, as a frame. */
static json_frame_t *
object_frame(const vpcflow_json_scanner_t *s, const vpcflow_json_context_t *context)
{
    json_frame_t *frame;
    char *error = NULL;
    vpcflow_json_event_t ev;

    if (s->capture_cut)
        error = g_strdup_printf("it is larger than %d bytes", VPCFLOW_JSON_ITEM_MAX);
    else if (vpcflow_json_event_parse(s->capture->data, s->capture->len, s->item_depth, &ev, &error)) {
        frame = g_new0(json_frame_t, 1);
        frame->event = ev;
        vpcflow_json_context_copy(&frame->context, context);
        return frame;
    }
    char *problem = g_strdup_printf("the object at byte %" G_GINT64_FORMAT " is no CloudWatch Logs event: %s",
                                    s->item_offset, error);
    frame = problem_frame(problem, s->capture->data, s->capture->len);
    g_free(problem);
    g_free(error);
    return frame;
}

/*
 * The frames of a Lambda payload, in order: its events, and problems met
 * inside it. Sequential and random access both go through here, so the
 * k-th frame is the same either way.
 */
static GPtrArray *
payload_frames(const guint8 *base64, gsize len, gboolean cut)
{
    GPtrArray *frames = g_ptr_array_new_with_free_func(json_frame_free);
    char *error = NULL;
    GByteArray *json = NULL;

    if (cut)
        error = g_strdup_printf("the Lambda payload is larger than %d bytes", VPCFLOW_JSON_PAYLOAD_MAX);
    else
        json = vpcflow_json_payload_decode(base64, len, &error);
    if (!json) {
        g_ptr_array_add(frames, problem_frame(error, base64, len));
        g_free(error);
        return frames;
    }

    vpcflow_json_scanner_t s;
    vpcflow_json_context_t context;
    gboolean have_context = FALSE;
    gsize pos = 0;

    vpcflow_json_scanner_init(&s, 0);
    for (;;) {
        vpcflow_json_item_t item;
        if (pos < json->len)
            pos += vpcflow_json_scan(&s, json->data + pos, json->len - pos, &item);
        else if ((item = vpcflow_json_scan_end(&s)) == VPCFLOW_JSON_NONE)
            break;
        switch (item) {
        case VPCFLOW_JSON_CONTEXT:
            if (have_context)
                vpcflow_json_context_clear(&context);
            vpcflow_json_context_copy(&context, &s.context);
            have_context = TRUE;
            break;
        case VPCFLOW_JSON_EVENT:
        case VPCFLOW_JSON_DOCUMENT:
            g_ptr_array_add(frames, object_frame(&s, have_context ? &context : NULL));
            break;
        case VPCFLOW_JSON_PAYLOAD:
            g_ptr_array_add(frames, problem_frame("a Lambda payload inside a Lambda payload", NULL, 0));
            break;
        case VPCFLOW_JSON_ERROR:
            g_ptr_array_add(frames, problem_frame(s.error, NULL, 0));
            break;
        default:
            break;
        }
    }
    if (have_context)
        vpcflow_json_context_clear(&context);
    vpcflow_json_scanner_clear(&s);
    g_byte_array_free(json, TRUE);
    for (guint i = 0; i < frames->len; i++)
        ((json_frame_t *)g_ptr_array_index(frames, i))->index = i;
    return frames;
}

/* The messages of the first events; a file with a Lambda payload is claimed
 * even if its payload gives none (the frame then says why). */
static gboolean
cloudwatch_sample(record_source_t *source, FILE_T fh, record_sample_t *sample, int *err, gchar **err_info)
{
    cloudwatch_source_t *cw = (cloudwatch_source_t *)source;
    vpcflow_json_scanner_t s;
    gsize total = 0;

    vpcflow_json_scanner_init(&s, 0);
    while (sample->texts->len < RECORD_SAMPLE_RECORDS && total < RECORD_SAMPLE_BYTES) {
        const guint8 *data;
        gint64 at;
        vpcflow_json_item_t item;
        gsize len = text_reader_peek(&cw->sequential, fh, &data, &at, err, err_info);
        if (len == 0)
            break;
        gsize used = vpcflow_json_scan(&s, data, len, &item);
        text_reader_consume(&cw->sequential, used);
        total += used;

        GPtrArray *frames = NULL;
        if (item == VPCFLOW_JSON_EVENT || item == VPCFLOW_JSON_DOCUMENT) {
            frames = g_ptr_array_new_with_free_func(json_frame_free);
            g_ptr_array_add(frames, object_frame(&s, NULL));
        } else if (item == VPCFLOW_JSON_PAYLOAD) {
            sample->claim = TRUE;
            frames = payload_frames(s.capture->data, s.capture->len, s.capture_cut);
        }
        for (guint i = 0; frames && i < frames->len && sample->texts->len < RECORD_SAMPLE_RECORDS; i++) {
            json_frame_t *frame = g_ptr_array_index(frames, i);
            if (frame->event.message)
                record_sample_add(sample, frame->event.message,
                                  vpcflow_line_trim_eol(frame->event.message, strlen(frame->event.message)));
        }
        if (frames)
            g_ptr_array_free(frames, TRUE);
    }
    /* The sample may end inside a payload larger than itself. */
    sample->claim |= s.in_payload;
    /* Only a payload that gives no message at all makes the file ours without records. */
    sample->claim &= sample->texts->len == 0;
    vpcflow_json_scanner_clear(&s);
    /* A read error is the read loop's to report, where it happens. */
    g_free(*err_info);
    *err_info = NULL;
    *err = 0;
    return TRUE;
}

static void
cloudwatch_restart(record_source_t *source)
{
    cloudwatch_source_t *cw = (cloudwatch_source_t *)source;

    text_reader_restart(&cw->sequential, 0);
}

/* Remember a scanning problem so random access can show it again. */
static gboolean
keep_error(cloudwatch_source_t *cw, gint64 offset, const char *problem, int *err, gchar **err_info)
{
    if (g_hash_table_size(cw->errors) >= JSON_ERRORS_MAX) {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("vpcflow: more than %d JSON problems; stopped at byte %" G_GINT64_FORMAT
                                    " (is this a CloudWatch Logs export?)", JSON_ERRORS_MAX, offset);
        return FALSE;
    }
    json_error_t *e = g_new0(json_error_t, 1);
    e->problem = g_strdup(problem);
    gint64 *key = g_new(gint64, 1);
    *key = offset;
    g_hash_table_replace(cw->errors, key, e);
    return TRUE;
}

/* A problem as the current record. */
static void
error_record(cloudwatch_source_t *cw, gint64 offset, const char *problem, vpcflow_record_t *record)
{
    json_frame_t *frame = g_new0(json_frame_t, 1);

    frame->problem = g_strdup(problem);
    set_current(cw, frame, TRUE);
    frame_record(cw, offset, frame, record);
}

static gboolean
cloudwatch_next(record_source_t *source, FILE_T fh, vpcflow_record_t *record, gint64 *position, int *err,
                gchar **err_info)
{
    cloudwatch_source_t *cw = (cloudwatch_source_t *)source;
    vpcflow_json_scanner_t *s = &cw->scanner;

    for (;;) {
        json_frame_t *pending = g_queue_pop_head(cw->pending);
        if (pending) {
            *position = vpcflow_pos_pack(pending->payload_offset, pending->index + 1);
            set_current(cw, pending, TRUE);
            frame_record(cw, pending->payload_offset, pending, record);
            return TRUE;
        }

        const guint8 *data;
        gint64 at;
        vpcflow_json_item_t item;
        gsize len = text_reader_peek(&cw->sequential, fh, &data, &at, err, err_info);
        if (len == 0) {
            if (*err != 0) {
                char *cause = *err_info ? *err_info : g_strdup(wtap_strerror(*err));
                *err_info = g_strdup_printf("vpcflow: reading stopped at byte %" G_GINT64_FORMAT
                                            " of the uncompressed JSON: %s", at, cause);
                g_free(cause);
                if (*err == WTAP_ERR_SHORT_READ)
                    *err = WTAP_ERR_BAD_FILE;
                return FALSE;
            }
            if (cw->scan_ended || (item = vpcflow_json_scan_end(s)) == VPCFLOW_JSON_NONE)
                return FALSE;
            cw->scan_ended = TRUE;
            if (!keep_error(cw, s->document_offset, s->error, err, err_info))
                return FALSE;
            *position = vpcflow_pos_pack(s->document_offset, JSON_ERROR_INDEX);
            error_record(cw, s->document_offset, s->error, record);
            return TRUE;
        }
        text_reader_consume(&cw->sequential, vpcflow_json_scan(s, data, len, &item));

        switch (item) {
        case VPCFLOW_JSON_CONTEXT:
            add_context(cw, s);
            break;
        case VPCFLOW_JSON_EVENTS_END:
            if (cw->contexts->len > 0)
                g_array_index(cw->contexts, json_context_t, cw->contexts->len - 1).end = s->offset;
            break;
        case VPCFLOW_JSON_EVENT:
        case VPCFLOW_JSON_DOCUMENT: {
            json_frame_t *frame = object_frame(s, item == VPCFLOW_JSON_EVENT ? context_at(cw, s->item_offset) : NULL);
            *position = vpcflow_pos_pack(s->item_offset, 0);
            set_current(cw, frame, TRUE);
            frame_record(cw, s->item_offset, frame, record);
            return TRUE;
        }
        case VPCFLOW_JSON_PAYLOAD: {
            GPtrArray *frames = payload_frames(s->capture->data, s->capture->len, s->capture_cut);
            for (guint i = 0; i < frames->len; i++) {
                json_frame_t *frame = g_ptr_array_index(frames, i);
                frame->payload_offset = s->item_offset;
                g_queue_push_tail(cw->pending, frame);
            }
            /* The frames now belong to the queue; free only the array. */
            g_free(g_ptr_array_free(frames, FALSE));
            break;
        }
        case VPCFLOW_JSON_ERROR: {
            gint64 offset = s->offset - 1;      /* the byte that was wrong */
            if (!keep_error(cw, offset, s->error, err, err_info))
                return FALSE;
            *position = vpcflow_pos_pack(offset, JSON_ERROR_INDEX);
            error_record(cw, offset, s->error, record);
            return TRUE;
        }
        default:
            break;
        }
    }
}

/* Read the base64 text of a payload starting at the random position,
 * at most as much as the scanner keeps (*cut tells if there was more). */
static GByteArray *
read_payload_text(cloudwatch_source_t *cw, FILE_T fh, gboolean *cut, int *err, gchar **err_info)
{
    GByteArray *text = g_byte_array_new();
    gboolean escape = FALSE;

    *cut = FALSE;
    for (;;) {
        const guint8 *data;
        gint64 at;
        gsize len = text_reader_peek(&cw->random, fh, &data, &at, err, err_info);
        if (len == 0)
            break;
        for (gsize i = 0; i < len; i++) {
            if (!escape && data[i] == '"') {
                gsize room = VPCFLOW_JSON_PAYLOAD_MAX - text->len;
                *cut |= i > room;
                g_byte_array_append(text, data, (guint)MIN(i, room));
                text_reader_consume(&cw->random, i + 1);
                return text;
            }
            escape = !escape && data[i] == '\\';
        }
        gsize room = VPCFLOW_JSON_PAYLOAD_MAX - text->len;
        *cut |= len > room;
        g_byte_array_append(text, data, (guint)MIN(len, room));
        text_reader_consume(&cw->random, len);
    }
    g_byte_array_free(text, TRUE);
    if (*err == 0)
        *err = WTAP_ERR_SHORT_READ;
    return NULL;
}

/* Read the object starting at the random position, as the scanner cut it. */
static json_frame_t *
read_object(cloudwatch_source_t *cw, FILE_T fh, gint64 offset, int *err, gchar **err_info)
{
    vpcflow_json_scanner_t s;
    json_frame_t *frame = NULL;

    vpcflow_json_scanner_init(&s, offset);
    while (!frame) {
        const guint8 *data;
        gint64 at;
        vpcflow_json_item_t item;
        gsize len = text_reader_peek(&cw->random, fh, &data, &at, err, err_info);
        if (len == 0) {
            if (*err == 0)
                *err = WTAP_ERR_SHORT_READ;
            break;
        }
        text_reader_consume(&cw->random, vpcflow_json_scan(&s, data, len, &item));
        if (item == VPCFLOW_JSON_DOCUMENT)
            frame = object_frame(&s, context_at(cw, offset));
        else if (item != VPCFLOW_JSON_NONE) {
            *err = WTAP_ERR_BAD_FILE;
            *err_info = g_strdup_printf("vpcflow: no JSON object at byte %" G_GINT64_FORMAT, offset);
            break;
        }
    }
    vpcflow_json_scanner_clear(&s);
    return frame;
}

static gboolean
cloudwatch_at(record_source_t *source, FILE_T fh, gint64 position, vpcflow_record_t *record, int *err,
              gchar **err_info)
{
    cloudwatch_source_t *cw = (cloudwatch_source_t *)source;
    gint64 offset = vpcflow_pos_offset(position);
    guint64 index = vpcflow_pos_line(position);

    if (index == JSON_ERROR_INDEX) {
        json_error_t *e = g_hash_table_lookup(cw->errors, &offset);
        if (!e) {
            *err = WTAP_ERR_BAD_FILE;
            *err_info = g_strdup_printf("vpcflow: no record at byte %" G_GINT64_FORMAT, offset);
            return FALSE;
        }
        error_record(cw, offset, e->problem, record);
        return TRUE;
    }

    if (file_seek(fh, offset, SEEK_SET, err) == -1)
        return FALSE;
    text_reader_restart(&cw->random, offset);

    if (index == 0) {
        json_frame_t *frame = read_object(cw, fh, offset, err, err_info);
        if (!frame)
            return FALSE;
        set_current(cw, frame, TRUE);
        frame_record(cw, offset, frame, record);
        return TRUE;
    }

    /* The frames of the last payload are kept: inflating it again for each
     * of its frames made reading all of them (tshark -2, scrolling in the
     * GUI) quadratic: minutes for a payload of 50,000 events. */
    if (!cw->payload_frames || cw->payload_frames_offset != offset) {
        gboolean cut;
        GByteArray *text = read_payload_text(cw, fh, &cut, err, err_info);
        if (!text)
            return FALSE;
        set_current(cw, NULL, FALSE);
        if (cw->payload_frames)
            g_ptr_array_free(cw->payload_frames, TRUE);
        cw->payload_frames = payload_frames(text->data, text->len, cut);
        cw->payload_frames_offset = offset;
        g_byte_array_free(text, TRUE);
    }
    if (index - 1 >= cw->payload_frames->len) {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("vpcflow: the Lambda payload at byte %" G_GINT64_FORMAT " has no frame %"
                                    G_GUINT64_FORMAT, offset, index);
        return FALSE;
    }
    json_frame_t *frame = g_ptr_array_index(cw->payload_frames, index - 1);
    set_current(cw, frame, FALSE);
    frame_record(cw, offset, frame, record);
    return TRUE;
}

static void
cloudwatch_free(record_source_t *source)
{
    cloudwatch_source_t *cw = (cloudwatch_source_t *)source;

    set_current(cw, NULL, FALSE);
    text_reader_free(&cw->sequential);
    text_reader_free(&cw->random);
    vpcflow_json_scanner_clear(&cw->scanner);
    for (guint i = 0; i < cw->contexts->len; i++)
        vpcflow_json_context_clear(&g_array_index(cw->contexts, json_context_t, i).doc);
    g_array_free(cw->contexts, TRUE);
    g_hash_table_destroy(cw->errors);
    g_queue_free_full(cw->pending, json_frame_free);
    if (cw->payload_frames)
        g_ptr_array_free(cw->payload_frames, TRUE);
    g_byte_array_free(cw->meta, TRUE);
    g_free(cw);
}

static const record_source_ops_t cloudwatch_ops = {
    .sample = cloudwatch_sample, .restart = cloudwatch_restart, .next = cloudwatch_next, .at = cloudwatch_at,
    .free = cloudwatch_free,
};

record_source_t *
cloudwatch_source_new(format_table_t *formats)
{
    cloudwatch_source_t *cw = g_new0(cloudwatch_source_t, 1);

    cw->base.ops = &cloudwatch_ops;
    cw->base.time_in_ms = TRUE;         /* event times have milliseconds */
    cw->formats = formats;
    text_reader_init(&cw->sequential, SEQUENTIAL_CHUNK);
    text_reader_init(&cw->random, RANDOM_CHUNK);
    vpcflow_json_scanner_init(&cw->scanner, 0);
    cw->contexts = g_array_new(FALSE, FALSE, sizeof(json_context_t));
    cw->errors = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, json_error_free);
    cw->pending = g_queue_new();
    cw->meta = g_byte_array_new();
    return &cw->base;
}
