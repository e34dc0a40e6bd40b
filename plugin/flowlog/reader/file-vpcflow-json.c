/* file-vpcflow-json.c
 * Reading flow logs out of CloudWatch Logs JSON: the output of
 * "aws logs filter-log-events" / "get-log-events" (pages may be
 * concatenated), subscription-filter payloads (gzip'd, back to back as
 * Firehose writes them to S3), the Lambda form {"awslogs":{"data":...}},
 * and newline-delimited {"message": ...} documents.
 *
 * One frame per event; the event's message is the record, and the log
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

#include "file-vpcflow-int.h"

#include "vpcflow-tokens.h"

#include <stddef.h>
#include <string.h>

#define JSON_ERROR_INDEX ((G_GUINT64_CONSTANT(1) << VPCFLOW_POS_LINE_BITS) - 1)
/* A file with more scanning problems than this is not worth reading on. */
#define JSON_ERRORS_MAX 100000
/* How much of an undecodable item a problem frame shows. */
#define PROBLEM_TEXT_MAX 4096
/* Events of the first part of a file used to recognise the format. */
#define SAMPLE_EVENTS 32

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

void
vpcflow_json_init(vpcflow_t *vf)
{
    vpcflow_json_scanner_init(&vf->scanner, 0);
    vf->contexts = g_array_new(FALSE, FALSE, sizeof(json_context_t));
    vf->errors = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, json_error_free);
    vf->pending = g_queue_new();
}

void
vpcflow_json_release(vpcflow_t *vf)
{
    vpcflow_json_scanner_clear(&vf->scanner);
    for (guint i = 0; i < vf->contexts->len; i++)
        vpcflow_json_context_clear(&g_array_index(vf->contexts, json_context_t, i).doc);
    g_array_free(vf->contexts, TRUE);
    g_hash_table_destroy(vf->errors);
    g_queue_free_full(vf->pending, json_frame_free);
    if (vf->payload_frames)
        g_ptr_array_free(vf->payload_frames, TRUE);
}

/* The document members for the events array holding offset, or NULL. */
static const vpcflow_json_context_t *
context_at(const vpcflow_t *vf, gint64 offset)
{
    guint n = vpcflow_last_at_or_before(vf->contexts, offsetof(json_context_t, start), offset);

    if (n == 0)
        return NULL;
    const json_context_t *c = &g_array_index(vf->contexts, json_context_t, n - 1);
    return offset < c->end ? &c->doc : NULL;
}

static void
add_context(vpcflow_t *vf, const vpcflow_json_scanner_t *s)
{
    json_context_t c;

    c.start = s->offset;
    c.end = G_MAXINT64;
    vpcflow_json_context_copy(&c.doc, &s->context);
    g_array_append_val(vf->contexts, c);
}

static void
meta_string(GByteArray *meta, vpcflow_meta_type_t type, const char *value)
{
    if (value && *value)
        vpcflow_meta_append(meta, type, value, strlen(value));
}

static void
meta_number(GByteArray *meta, vpcflow_meta_type_t type, gint64 value)
{
    char text[24];

    g_snprintf(text, sizeof text, "%" G_GINT64_FORMAT, value);
    vpcflow_meta_append(meta, type, text, strlen(text));
}

/* Build the frame of an event, or of a problem (no record inside). */
static void
fill_json_frame(wtap *wth, wtap_rec *rec, Buffer *buf, vpcflow_t *vf, gint64 offset, const json_frame_t *frame)
{
    const vpcflow_json_event_t *ev = &frame->event;
    const vpcflow_json_context_t *ctx = &frame->context;
    GByteArray *meta = g_byte_array_new();
    vpcflow_record_t record;

    memset(&record, 0, sizeof record);
    meta_string(meta, VPCFLOW_META_LOG_GROUP, ev->log_group ? ev->log_group : ctx->log_group);
    meta_string(meta, VPCFLOW_META_LOG_STREAM, ev->log_stream ? ev->log_stream : ctx->log_stream);
    meta_string(meta, VPCFLOW_META_OWNER, ctx->owner);
    if (ctx->message_type && strcmp(ctx->message_type, "DATA_MESSAGE") != 0)
        meta_string(meta, VPCFLOW_META_MESSAGE_TYPE, ctx->message_type);
    if (ev->has_timestamp) {
        meta_number(meta, VPCFLOW_META_EVENT_TIME, ev->timestamp_ms);
        record.has_event_time = TRUE;
        record.event_time_ms = ev->timestamp_ms;
    }
    if (ev->has_ingestion_time)
        meta_number(meta, VPCFLOW_META_INGESTION_TIME, ev->ingestion_time_ms);
    meta_string(meta, VPCFLOW_META_EVENT_ID, ev->event_id);
    meta_number(meta, VPCFLOW_META_OFFSET, offset);
    meta_string(meta, VPCFLOW_META_PROBLEM, frame->problem);

    if (frame->problem) {
        gsize len = 0;
        record.text = frame->raw ? g_bytes_get_data(frame->raw, &len) : "";
        record.length = len;
    } else {
        record.text = ev->message;
        record.length = vpcflow_line_trim_eol(ev->message, strlen(ev->message));
    }
    record.meta = meta;
    record.stream = ev->log_stream ? ev->log_stream : ctx->log_stream;
    vpcflow_fill_record(wth, rec, buf, frame->problem ? NULL : vpcflow_span_at(vf, offset), &record);
    g_byte_array_free(meta, TRUE);
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

/* Remember a scanning problem so random access can show it again. */
static gboolean
keep_error(vpcflow_t *vf, gint64 offset, const char *problem, int *err, gchar **err_info)
{
    if (g_hash_table_size(vf->errors) >= JSON_ERRORS_MAX) {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("vpcflow: more than %d JSON problems; stopped at byte %" G_GINT64_FORMAT
                                    " (is this a CloudWatch Logs export?)", JSON_ERRORS_MAX, offset);
        return FALSE;
    }
    json_error_t *e = g_new0(json_error_t, 1);
    e->problem = g_strdup(problem);
    gint64 *key = g_new(gint64, 1);
    *key = offset;
    g_hash_table_replace(vf->errors, key, e);
    return TRUE;
}

static void
fill_error(wtap *wth, wtap_rec *rec, Buffer *buf, vpcflow_t *vf, gint64 offset, const char *problem)
{
    json_frame_t frame;

    memset(&frame, 0, sizeof frame);
    frame.problem = (char *)problem;
    fill_json_frame(wth, rec, buf, vf, offset, &frame);
}

vpcshark_bool
vpcflow_json_read(wtap *wth, wtap_rec *rec, Buffer *buf, int *err, gchar **err_info, gint64 *data_offset)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    vpcflow_json_scanner_t *s = &vf->scanner;

    for (;;) {
        json_frame_t *pending = g_queue_pop_head(vf->pending);
        if (pending) {
            *data_offset = vpcflow_pos_pack(pending->payload_offset, pending->index + 1);
            fill_json_frame(wth, rec, buf, vf, pending->payload_offset, pending);
            json_frame_free(pending);
            return TRUE;
        }

        const guint8 *data;
        gint64 at;
        vpcflow_json_item_t item;
        gsize len = text_reader_peek(&vf->sequential, wth->fh, &data, &at, err, err_info);
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
            if (vf->scan_ended || (item = vpcflow_json_scan_end(s)) == VPCFLOW_JSON_NONE)
                return FALSE;
            vf->scan_ended = TRUE;
            if (!keep_error(vf, s->document_offset, s->error, err, err_info))
                return FALSE;
            *data_offset = vpcflow_pos_pack(s->document_offset, JSON_ERROR_INDEX);
            fill_error(wth, rec, buf, vf, s->document_offset, s->error);
            return TRUE;
        }
        text_reader_consume(&vf->sequential, vpcflow_json_scan(s, data, len, &item));

        switch (item) {
        case VPCFLOW_JSON_CONTEXT:
            add_context(vf, s);
            break;
        case VPCFLOW_JSON_EVENTS_END:
            if (vf->contexts->len > 0)
                g_array_index(vf->contexts, json_context_t, vf->contexts->len - 1).end = s->offset;
            break;
        case VPCFLOW_JSON_EVENT:
        case VPCFLOW_JSON_DOCUMENT: {
            json_frame_t *frame = object_frame(s, item == VPCFLOW_JSON_EVENT ? context_at(vf, s->item_offset) : NULL);
            *data_offset = vpcflow_pos_pack(s->item_offset, 0);
            fill_json_frame(wth, rec, buf, vf, s->item_offset, frame);
            json_frame_free(frame);
            return TRUE;
        }
        case VPCFLOW_JSON_PAYLOAD: {
            GPtrArray *frames = payload_frames(s->capture->data, s->capture->len, s->capture_cut);
            for (guint i = 0; i < frames->len; i++) {
                json_frame_t *frame = g_ptr_array_index(frames, i);
                frame->payload_offset = s->item_offset;
                g_queue_push_tail(vf->pending, frame);
            }
            /* The frames now belong to the queue; free only the array. */
            g_free(g_ptr_array_free(frames, FALSE));
            break;
        }
        case VPCFLOW_JSON_ERROR: {
            gint64 offset = s->offset - 1;      /* the byte that was wrong */
            if (!keep_error(vf, offset, s->error, err, err_info))
                return FALSE;
            *data_offset = vpcflow_pos_pack(offset, JSON_ERROR_INDEX);
            fill_error(wth, rec, buf, vf, offset, s->error);
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
read_payload_text(vpcflow_t *vf, FILE_T fh, gboolean *cut, int *err, gchar **err_info)
{
    GByteArray *text = g_byte_array_new();
    gboolean escape = FALSE;

    *cut = FALSE;
    for (;;) {
        const guint8 *data;
        gint64 at;
        gsize len = text_reader_peek(&vf->random, fh, &data, &at, err, err_info);
        if (len == 0)
            break;
        for (gsize i = 0; i < len; i++) {
            if (!escape && data[i] == '"') {
                gsize room = VPCFLOW_JSON_PAYLOAD_MAX - text->len;
                *cut |= i > room;
                g_byte_array_append(text, data, (guint)MIN(i, room));
                text_reader_consume(&vf->random, i + 1);
                return text;
            }
            escape = !escape && data[i] == '\\';
        }
        gsize room = VPCFLOW_JSON_PAYLOAD_MAX - text->len;
        *cut |= len > room;
        g_byte_array_append(text, data, (guint)MIN(len, room));
        text_reader_consume(&vf->random, len);
    }
    g_byte_array_free(text, TRUE);
    if (*err == 0)
        *err = WTAP_ERR_SHORT_READ;
    return NULL;
}

/* Read the object starting at the random position, as the scanner cut it. */
static json_frame_t *
read_object(vpcflow_t *vf, FILE_T fh, gint64 offset, int *err, gchar **err_info)
{
    vpcflow_json_scanner_t s;
    json_frame_t *frame = NULL;

    vpcflow_json_scanner_init(&s, offset);
    while (!frame) {
        const guint8 *data;
        gint64 at;
        vpcflow_json_item_t item;
        gsize len = text_reader_peek(&vf->random, fh, &data, &at, err, err_info);
        if (len == 0) {
            if (*err == 0)
                *err = WTAP_ERR_SHORT_READ;
            break;
        }
        text_reader_consume(&vf->random, vpcflow_json_scan(&s, data, len, &item));
        if (item == VPCFLOW_JSON_DOCUMENT)
            frame = object_frame(&s, context_at(vf, offset));
        else if (item != VPCFLOW_JSON_NONE) {
            *err = WTAP_ERR_BAD_FILE;
            *err_info = g_strdup_printf("vpcflow: no JSON object at byte %" G_GINT64_FORMAT, offset);
            break;
        }
    }
    vpcflow_json_scanner_clear(&s);
    return frame;
}

vpcshark_bool
vpcflow_json_seek_read(wtap *wth, gint64 position, wtap_rec *rec, Buffer *buf, int *err, gchar **err_info)
{
    vpcflow_t *vf = (vpcflow_t *)wth->priv;
    gint64 offset = vpcflow_pos_offset(position);
    guint64 index = vpcflow_pos_line(position);

    if (index == JSON_ERROR_INDEX) {
        json_error_t *e = g_hash_table_lookup(vf->errors, &offset);
        if (!e) {
            *err = WTAP_ERR_BAD_FILE;
            *err_info = g_strdup_printf("vpcflow: no record at byte %" G_GINT64_FORMAT, offset);
            return FALSE;
        }
        fill_error(wth, rec, buf, vf, offset, e->problem);
        return TRUE;
    }

    if (file_seek(wth->random_fh, offset, SEEK_SET, err) == -1)
        return FALSE;
    text_reader_restart(&vf->random, offset);

    if (index == 0) {
        json_frame_t *frame = read_object(vf, wth->random_fh, offset, err, err_info);
        if (!frame)
            return FALSE;
        fill_json_frame(wth, rec, buf, vf, offset, frame);
        json_frame_free(frame);
        return TRUE;
    }

    /* The frames of the last payload are kept: inflating it again for each
     * of its frames made reading all of them (tshark -2, scrolling in the
     * GUI) quadratic: minutes for a payload of 50,000 events. */
    if (!vf->payload_frames || vf->payload_frames_offset != offset) {
        gboolean cut;
        GByteArray *text = read_payload_text(vf, wth->random_fh, &cut, err, err_info);
        if (!text)
            return FALSE;
        if (vf->payload_frames)
            g_ptr_array_free(vf->payload_frames, TRUE);
        vf->payload_frames = payload_frames(text->data, text->len, cut);
        vf->payload_frames_offset = offset;
        g_byte_array_free(text, TRUE);
    }
    GPtrArray *frames = vf->payload_frames;
    gboolean found = index - 1 < frames->len;
    if (found) {
        json_frame_t *frame = g_ptr_array_index(frames, index - 1);
        fill_json_frame(wth, rec, buf, vf, offset, frame);
    } else {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("vpcflow: the Lambda payload at byte %" G_GINT64_FORMAT " has no frame %"
                                    G_GUINT64_FORMAT, offset, index);
    }
    return found;
}

void
vpcflow_json_sample(wtap *wth, text_reader_t *reader, GPtrArray *lines, GArray *lengths, gsize max_bytes,
                    gboolean *lambda)
{
    vpcflow_json_scanner_t s;
    gsize total = 0;
    int err = 0;
    gchar *err_info = NULL;

    vpcflow_json_scanner_init(&s, 0);
    while (lines->len < SAMPLE_EVENTS && total < max_bytes) {
        const guint8 *data;
        gint64 at;
        vpcflow_json_item_t item;
        gsize len = text_reader_peek(reader, wth->fh, &data, &at, &err, &err_info);
        if (len == 0)
            break;
        gsize used = vpcflow_json_scan(&s, data, len, &item);
        text_reader_consume(reader, used);
        total += used;

        GPtrArray *frames = NULL;
        if (item == VPCFLOW_JSON_EVENT || item == VPCFLOW_JSON_DOCUMENT) {
            frames = g_ptr_array_new_with_free_func(json_frame_free);
            g_ptr_array_add(frames, object_frame(&s, NULL));
        } else if (item == VPCFLOW_JSON_PAYLOAD) {
            *lambda = TRUE;
            frames = payload_frames(s.capture->data, s.capture->len, s.capture_cut);
        }
        for (guint i = 0; frames && i < frames->len && lines->len < SAMPLE_EVENTS; i++) {
            json_frame_t *frame = g_ptr_array_index(frames, i);
            if (!frame->event.message)
                continue;
            gsize mlen = vpcflow_line_trim_eol(frame->event.message, strlen(frame->event.message));
            g_ptr_array_add(lines, g_strndup(frame->event.message, mlen));
            g_array_append_val(lengths, mlen);
        }
        if (frames)
            g_ptr_array_free(frames, TRUE);
    }
    /* The sample may end inside a payload larger than itself. */
    *lambda |= s.in_payload;
    g_free(err_info);
    vpcflow_json_scanner_clear(&s);
}
