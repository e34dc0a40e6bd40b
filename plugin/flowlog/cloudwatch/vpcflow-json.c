/* vpcflow-json.c
 * Finding flow records in CloudWatch Logs JSON (see vpcflow-json.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-json.h"
#include "vpcflow-frame.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <wsutil/wsjson.h>

/* Longest value kept for a document member such as logGroup. */
#define CONTEXT_VALUE_MAX 1024

/* What the string being read is. */
enum {
    STRING_OTHER,
    STRING_KEY,             /* a member name at depth 1 or 2 */
    STRING_CONTEXT,         /* the value of logGroup, logStream, owner or messageType */
    STRING_PAYLOAD          /* the base64 data of a Lambda event */
};

void
vpcflow_json_scanner_init(vpcflow_json_scanner_t *s, gint64 offset)
{
    memset(s, 0, sizeof *s);
    s->offset = offset;
    s->capture = g_byte_array_new();
    s->document = g_byte_array_new();
    s->value = g_string_new(NULL);
}

/* Free the strings fields point to and set them to NULL. */
static void
free_strings(char **const fields[], gsize n)
{
    for (gsize i = 0; i < n; i++) {
        g_free(*fields[i]);
        *fields[i] = NULL;
    }
}

void
vpcflow_json_context_clear(vpcflow_json_context_t *c)
{
    char **const fields[] = { &c->log_group, &c->log_stream, &c->owner, &c->message_type, &c->next_token,
                              &c->error_type };

    free_strings(fields, G_N_ELEMENTS(fields));
}

void
vpcflow_json_context_copy(vpcflow_json_context_t *to, const vpcflow_json_context_t *from)
{
    memset(to, 0, sizeof *to);
    if (!from)
        return;
    to->log_group = g_strdup(from->log_group);
    to->log_stream = g_strdup(from->log_stream);
    to->owner = g_strdup(from->owner);
    to->message_type = g_strdup(from->message_type);
    to->next_token = g_strdup(from->next_token);
    to->error_type = g_strdup(from->error_type);
}

void
vpcflow_json_scanner_clear(vpcflow_json_scanner_t *s)
{
    vpcflow_json_context_clear(&s->context);
    g_byte_array_free(s->capture, TRUE);
    g_byte_array_free(s->document, TRUE);
    g_string_free(s->value, TRUE);
    memset(s, 0, sizeof *s);
}

static gboolean
key_is(const vpcflow_json_scanner_t *s, guint depth, const char *name)
{
    return !s->key_long[depth] && s->key_len[depth] == strlen(name) &&
           memcmp(s->key[depth], name, s->key_len[depth]) == 0;
}

static char **
context_slot(vpcflow_json_scanner_t *s)
{
    if (key_is(s, 1, "logGroup"))
        return &s->context.log_group;
    if (key_is(s, 1, "logStream"))
        return &s->context.log_stream;
    if (key_is(s, 1, "owner"))
        return &s->context.owner;
    if (key_is(s, 1, "messageType"))
        return &s->context.message_type;
    if (key_is(s, 1, "nextToken"))
        return &s->context.next_token;
    if (key_is(s, 1, "__type"))
        return &s->context.error_type;
    return NULL;
}

static void
start_document(vpcflow_json_scanner_t *s)
{
    vpcflow_json_context_clear(&s->context);
    memset(s->kind, 0, sizeof s->kind);
    memset(s->key_len, 0, sizeof s->key_len);
    memset(s->key_long, 0, sizeof s->key_long);
    s->events_array = FALSE;
    s->in_event = FALSE;
    s->in_payload = FALSE;
    s->container = FALSE;
    s->document_cut = FALSE;
    s->document_offset = s->offset;
    s->document_depth = 0;
    g_byte_array_set_size(s->document, 0);
}

static void
start_item(vpcflow_json_scanner_t *s, guint limit)
{
    g_byte_array_set_size(s->capture, 0);
    s->capture_cut = FALSE;
    s->item_offset = s->offset;
    s->item_depth = 0;
    s->capture_limit = limit;
}

static vpcflow_json_item_t
fail(vpcflow_json_scanner_t *s, const char *what)
{
    g_snprintf(s->error, sizeof s->error, "%s at byte %" G_GINT64_FORMAT, what, s->offset);
    s->skipping = TRUE;
    s->in_event = FALSE;
    s->in_payload = FALSE;
    return VPCFLOW_JSON_ERROR;
}

static inline void
keep(GByteArray *buf, gboolean *cut, guint limit, guint8 c)
{
    if (buf->len < limit)
        g_byte_array_append(buf, &c, 1);
    else
        *cut = TRUE;
}

/* A byte inside a string. */
static vpcflow_json_item_t
string_byte(vpcflow_json_scanner_t *s, guint8 c)
{
    gboolean ends = FALSE;

    if (s->escape)
        s->escape = FALSE;
    else if (c == '\\')
        s->escape = TRUE;
    else if (c == '"')
        ends = TRUE;

    /* Strings end while skipping too, or the rest of the data is one string. */
    if (ends)
        s->in_string = FALSE;
    if (s->skipping)
        return VPCFLOW_JSON_NONE;
    if (ends) {
        if (s->string_role == STRING_CONTEXT) {
            char **slot = context_slot(s);
            if (slot && !*slot) {
                *slot = g_strndup(s->value->str, s->value->len);
                vpcflow_json_unescape(*slot);
            }
        } else if (s->string_role == STRING_PAYLOAD) {
            s->in_payload = FALSE;
            return VPCFLOW_JSON_PAYLOAD;
        }
        return VPCFLOW_JSON_NONE;
    }
    switch (s->string_role) {
    case STRING_KEY: {
        guint d = s->depth;
        if (s->key_len[d] < sizeof s->key[d])
            s->key[d][s->key_len[d]++] = (char)c;
        else
            s->key_long[d] = TRUE;
        break;
    }
    case STRING_CONTEXT:
        if (s->value->len < CONTEXT_VALUE_MAX)
            g_string_append_c(s->value, (char)c);
        break;
    case STRING_PAYLOAD:
        keep(s->capture, &s->capture_cut, s->capture_limit, c);
        break;
    default:
        break;
    }
    return VPCFLOW_JSON_NONE;
}

static void
start_string(vpcflow_json_scanner_t *s)
{
    guint64 d = s->depth;

    s->in_string = TRUE;
    s->string_role = STRING_OTHER;
    if (s->skipping || d < 1 || d > 2 || s->kind[d] != '{')
        return;
    if (s->expect_key[d]) {
        s->string_role = STRING_KEY;
        s->key_len[d] = 0;
        s->key_long[d] = FALSE;
    } else if (d == 1 && context_slot(s)) {
        s->string_role = STRING_CONTEXT;
        g_string_truncate(s->value, 0);
    } else if (d == 2 && key_is(s, 1, "awslogs") && key_is(s, 2, "data")) {
        s->string_role = STRING_PAYLOAD;
        s->in_payload = TRUE;
        s->container = TRUE;
        start_item(s, VPCFLOW_JSON_PAYLOAD_MAX);
        s->item_offset = s->offset + 1;     /* after the quote */
    }
}

static vpcflow_json_item_t
open_container(vpcflow_json_scanner_t *s, guint8 c)
{
    s->depth++;
    if (s->skipping)
        return VPCFLOW_JSON_NONE;
    if (s->depth > VPCFLOW_JSON_MAX_DEPTH)
        return fail(s, "JSON nested deeper than " G_STRINGIFY(VPCFLOW_JSON_MAX_DEPTH) " levels");
    if (s->depth < G_N_ELEMENTS(s->kind))
        s->kind[s->depth] = c;
    if (s->depth <= 2 && c == '{')
        s->expect_key[s->depth] = TRUE;
    s->document_depth = MAX(s->document_depth, (guint)s->depth);
    if (s->in_event)
        s->item_depth = MAX(s->item_depth, (guint)s->depth - 2);

    if (s->depth == 2 && s->kind[1] == '{') {
        if (c == '[' && (key_is(s, 1, "events") || key_is(s, 1, "logEvents"))) {
            s->events_array = TRUE;
            s->container = TRUE;
            return VPCFLOW_JSON_CONTEXT;
        }
        if (c == '{' && key_is(s, 1, "awslogs"))
            s->container = TRUE;
    }
    if (s->depth == 3 && c == '{' && s->events_array && s->kind[2] == '[') {
        s->in_event = TRUE;
        start_item(s, VPCFLOW_JSON_ITEM_MAX);
        s->item_depth = 1;
    }
    return VPCFLOW_JSON_NONE;
}

static vpcflow_json_item_t
close_container(vpcflow_json_scanner_t *s, guint8 c)
{
    gboolean mismatch = !s->skipping && s->depth < G_N_ELEMENTS(s->kind) &&
                        s->kind[s->depth] != (c == '}' ? '{' : '[');

    /* After a mismatch the nesting is unknown: give up the document and
     * start again at the next one. */
    if (mismatch) {
        s->depth = 0;
        return fail(s, "a closing bracket that does not match its opening one");
    }
    s->depth--;
    if (s->skipping) {
        if (s->depth == 0)
            s->skipping = FALSE;        /* the broken document is over */
        return VPCFLOW_JSON_NONE;
    }
    if (s->in_event && s->depth == 2) {
        s->in_event = FALSE;
        return VPCFLOW_JSON_EVENT;
    }
    if (s->depth == 1 && s->events_array) {
        s->events_array = FALSE;
        return VPCFLOW_JSON_EVENTS_END;
    }
    if (s->depth == 0 && !s->container)
        return VPCFLOW_JSON_DOCUMENT;
    return VPCFLOW_JSON_NONE;
}

/* Between documents: whitespace, a document, or a top-level array of them
 * (aws logs ... --query events prints one); anything else is an error. */
static vpcflow_json_item_t
between_documents(vpcflow_json_scanner_t *s, guint8 c)
{
    switch (c) {
    case ' ': case '\t': case '\r': case '\n':
        return VPCFLOW_JSON_NONE;
    case '{':
        s->skipping = FALSE;
        start_document(s);
        return open_container(s, c);
    default:
        break;
    }
    if (s->skipping)
        return VPCFLOW_JSON_NONE;               /* until the next document */
    if (c == '[' && !s->top_array)
        s->top_array = TRUE;
    else if (c == ']' && s->top_array)
        s->top_array = FALSE;
    else if (!(c == ',' && s->top_array))
        return fail(s, "text outside any JSON document");
    return VPCFLOW_JSON_NONE;
}

/* One byte outside strings, inside a document. */
static vpcflow_json_item_t
structure_byte(vpcflow_json_scanner_t *s, guint8 c)
{
    if (s->depth == 0)
        return between_documents(s, c);
    switch (c) {
    case '"':
        start_string(s);
        return VPCFLOW_JSON_NONE;
    case '{': case '[':
        return open_container(s, c);
    case '}': case ']':
        return close_container(s, c);
    case ':': case ',':
        if (!s->skipping && s->depth <= 2 && s->kind[s->depth] == '{')
            s->expect_key[s->depth] = c == ',';
        return VPCFLOW_JSON_NONE;
    default:
        return VPCFLOW_JSON_NONE;
    }
}

gsize
vpcflow_json_scan(vpcflow_json_scanner_t *s, const guint8 *data, gsize len, vpcflow_json_item_t *item)
{
    *item = VPCFLOW_JSON_NONE;
    for (gsize i = 0; i < len; i++) {
        guint8 c = data[i];
        gboolean in_document = s->depth > 0 || (c == '{' && !s->in_string);
        vpcflow_json_item_t found;

        if (s->in_string)
            found = string_byte(s, c);
        else
            found = structure_byte(s, c);

        /* Keep the bytes of a small top-level document and of the event. */
        if (in_document && !s->skipping && !s->container)
            keep(s->document, &s->document_cut, VPCFLOW_JSON_ITEM_MAX, c);
        if ((s->in_event || found == VPCFLOW_JSON_EVENT) && !s->skipping)
            keep(s->capture, &s->capture_cut, s->capture_limit, c);

        s->offset++;
        if (found == VPCFLOW_JSON_DOCUMENT) {
            /* Hand the document over as the item. */
            GByteArray *swap = s->capture;
            s->capture = s->document;
            s->document = swap;
            s->capture_cut = s->document_cut;
            s->item_offset = s->document_offset;
            s->item_depth = s->document_depth;
        }
        if (found != VPCFLOW_JSON_NONE) {
            *item = found;
            return i + 1;
        }
    }
    return len;
}

vpcflow_json_item_t
vpcflow_json_scan_end(vpcflow_json_scanner_t *s)
{
    if (s->depth == 0 || s->skipping)
        return VPCFLOW_JSON_NONE;
    g_snprintf(s->error, sizeof s->error, "the data ends inside the JSON document that starts at byte %" G_GINT64_FORMAT,
               s->document_offset);
    s->skipping = TRUE;
    return VPCFLOW_JSON_ERROR;
}

gboolean
vpcflow_json_unescape(char *text)
{
    return json_decode_string_inplace(text);
}

void
vpcflow_json_event_clear(vpcflow_json_event_t *event)
{
    char **const fields[] = { &event->message, &event->log_stream, &event->log_group, &event->event_id };

    free_strings(fields, G_N_ELEMENTS(fields));
    memset(event, 0, sizeof *event);
}

/* A string member, decoded; NULL if absent or not a string. */
static char *
string_member(char *buf, jsmntok_t *object, const char *name)
{
    char *value = json_get_string(buf, object, name);
    return value ? g_strdup(value) : NULL;
}

/* A whole-number member (JSON numbers are doubles; ms timestamps fit). */
static gboolean
integer_member(char *buf, jsmntok_t *object, const char *name, gint64 *value)
{
    gdouble d;

    /* json_get_double() tests errno without clearing it first. */
    errno = 0;
    if (!json_get_double(buf, object, name, &d) || !(d > 0) || d > 9.0e15)
        return FALSE;
    *value = (gint64)d;
    return TRUE;
}

gboolean
vpcflow_json_event_parse(const guint8 *json, gsize len, guint depth, vpcflow_json_event_t *event, char **error)
{
    memset(event, 0, sizeof *event);
    /* wsjson's member lookups recurse into nested values. */
    if (depth > VPCFLOW_JSON_ITEM_MAX_DEPTH) {
        *error = g_strdup("the event is nested too deeply to be a CloudWatch Logs event");
        return FALSE;
    }
    if (memchr(json, '\0', len)) {
        *error = g_strdup("the event contains a NUL byte");
        return FALSE;
    }
    char *buf = g_strndup((const char *)json, len);
    int n = json_parse(buf, NULL, 0);
    if (n <= 0) {
        *error = g_strdup("the event is not valid JSON");
        g_free(buf);
        return FALSE;
    }
    jsmntok_t *tokens = g_new(jsmntok_t, n);
    gboolean ok = json_parse(buf, tokens, n) == n && tokens[0].type == JSMN_OBJECT;
    if (ok) {
        event->message = string_member(buf, tokens, "message");
        event->has_timestamp = integer_member(buf, tokens, "timestamp", &event->timestamp_ms);
        event->has_ingestion_time = integer_member(buf, tokens, "ingestionTime", &event->ingestion_time_ms);
        event->log_stream = string_member(buf, tokens, "logStreamName");
        if (!event->log_stream)
            event->log_stream = string_member(buf, tokens, "logStream");
        event->log_group = string_member(buf, tokens, "logGroup");
        event->event_id = string_member(buf, tokens, "eventId");
        if (!event->event_id)
            event->event_id = string_member(buf, tokens, "id");
        if (!event->message) {
            *error = g_strdup("the event has no \"message\" text");
            ok = FALSE;
        }
    } else {
        *error = g_strdup("the event is not a JSON object");
    }
    g_free(tokens);
    g_free(buf);
    if (!ok)
        vpcflow_json_event_clear(event);
    return ok;
}

GByteArray *
vpcflow_json_payload_decode(const guint8 *text, gsize len, char **error)
{
    char *b64;
    gsize raw_len = 0;

    /* An empty capture may have no buffer at all (text is NULL). */
    if (len == 0) {
        *error = g_strdup("the Lambda payload is empty");
        return NULL;
    }
    b64 = g_strndup((const char *)text, len);
    if (memchr(text, '\0', len) || !vpcflow_json_unescape(b64)) {
        *error = g_strdup("the Lambda payload is not a valid JSON string");
        g_free(b64);
        return NULL;
    }
    for (const char *p = b64; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '+' && *p != '/' && *p != '=' && !g_ascii_isspace(*p)) {
            *error = g_strdup("the Lambda payload is not base64");
            g_free(b64);
            return NULL;
        }
    }
    /* g_base64_decode_inplace() fails (with a critical warning) on less. */
    if (strlen(b64) < 2) {
        *error = g_strdup("the Lambda payload is too short to be gzip data");
        g_free(b64);
        return NULL;
    }
    guint8 *raw = g_base64_decode_inplace(b64, &raw_len);

    GZlibDecompressor *gunzip = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    GByteArray *out = g_byte_array_new();
    guint8 chunk[16384];
    gsize in_off = 0;
    GError *gerr = NULL;

    for (;;) {
        gsize read = 0, written = 0;
        GConverterResult r = g_converter_convert(G_CONVERTER(gunzip), raw + in_off, raw_len - in_off,
                                                 chunk, sizeof chunk, G_CONVERTER_INPUT_AT_END,
                                                 &read, &written, &gerr);
        if (r == G_CONVERTER_ERROR) {
            *error = g_strdup_printf("the Lambda payload does not inflate: %s", gerr->message);
            g_clear_error(&gerr);
            g_byte_array_free(out, TRUE);
            out = NULL;
            break;
        }
        in_off += read;
        if (out->len + written > VPCFLOW_JSON_INFLATED_MAX) {
            *error = g_strdup_printf("the Lambda payload inflates to more than %d bytes", VPCFLOW_JSON_INFLATED_MAX);
            g_byte_array_free(out, TRUE);
            out = NULL;
            break;
        }
        g_byte_array_append(out, chunk, (guint)written);
        if (r == G_CONVERTER_FINISHED)
            break;
        if (read == 0 && written == 0) {
            *error = g_strdup("the Lambda payload's gzip data is cut short");
            g_byte_array_free(out, TRUE);
            out = NULL;
            break;
        }
    }
    g_object_unref(gunzip);
    g_free(b64);
    return out;
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

void
vpcflow_json_event_meta(GByteArray *meta, const vpcflow_json_event_t *ev, const vpcflow_json_context_t *ctx)
{
    static const vpcflow_json_context_t none;

    if (!ctx)
        ctx = &none;
    meta_string(meta, VPCFLOW_META_LOG_GROUP, ev->log_group ? ev->log_group : ctx->log_group);
    meta_string(meta, VPCFLOW_META_LOG_STREAM, ev->log_stream ? ev->log_stream : ctx->log_stream);
    meta_string(meta, VPCFLOW_META_OWNER, ctx->owner);
    if (ctx->message_type && strcmp(ctx->message_type, "DATA_MESSAGE") != 0)
        meta_string(meta, VPCFLOW_META_MESSAGE_TYPE, ctx->message_type);
    if (ev->has_timestamp)
        meta_number(meta, VPCFLOW_META_EVENT_TIME, ev->timestamp_ms);
    if (ev->has_ingestion_time)
        meta_number(meta, VPCFLOW_META_INGESTION_TIME, ev->ingestion_time_ms);
    meta_string(meta, VPCFLOW_META_EVENT_ID, ev->event_id);
}
