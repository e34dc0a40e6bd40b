/* fuzz-json-scan.c
 * The streaming CloudWatch JSON scanner, fed the same bytes three ways:
 * whole, one byte at a time, and in chunks of sizes drawn from the first
 * input byte (file reads end anywhere).
 *
 * Checked:
 *   - all three ways give the same items (kind, offset, bytes, errors,
 *     context), so where a read ends never changes what is found;
 *   - offsets add up and never run ahead of the data; captures are
 *     bounded and, when not cut, are exactly the input bytes at the
 *     item's offset, ending where the scanner stopped;
 *   - one byte at a time, the scanner's "inside a string" state agrees
 *     with a ten-line JSON string lexer, whatever error came before;
 *   - the events and documents found go through the event parser, and
 *     Lambda payloads through the payload decoder.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-json.h"

/* The scanner keeps context values (logGroup, ...) up to this long. */
#define CONTEXT_VALUE_MAX 1024

typedef struct {
    vpcflow_json_item_t kind;
    gint64   offset;            /* item_offset, or the scanner's offset for ERROR/CONTEXT/END */
    GBytes  *bytes;             /* capture, or error text, or context joined */
    gboolean cut;
    guint    depth;
} item_t;

static void
item_free(gpointer p)
{
    item_t *item = p;
    if (item->bytes)
        g_bytes_unref(item->bytes);
    g_free(item);
}

static char *
context_text(const vpcflow_json_context_t *c)
{
    const char *parts[4] = { c->log_group, c->log_stream, c->owner, c->message_type };

    for (guint i = 0; i < 4; i++)
        FUZZ_CHECK(!parts[i] || strlen(parts[i]) <= CONTEXT_VALUE_MAX);
    return g_strdup_printf("%s|%s|%s|%s", parts[0] ? parts[0] : "(none)", parts[1] ? parts[1] : "(none)",
                           parts[2] ? parts[2] : "(none)", parts[3] ? parts[3] : "(none)");
}

/* Check an item against the input and record it. */
static void
note_item(GPtrArray *items, const vpcflow_json_scanner_t *s, vpcflow_json_item_t kind,
          const uint8_t *data, gsize size)
{
    item_t *item = g_new0(item_t, 1);

    item->kind = kind;
    item->offset = s->offset;
    switch (kind) {
    case VPCFLOW_JSON_EVENT:
    case VPCFLOW_JSON_DOCUMENT:
    case VPCFLOW_JSON_PAYLOAD: {
        guint limit = kind == VPCFLOW_JSON_PAYLOAD ? VPCFLOW_JSON_PAYLOAD_MAX : VPCFLOW_JSON_ITEM_MAX;
        /* The byte that completes the item is the last consumed; a
         * payload's capture stops before its closing quote. */
        gint64 end = kind == VPCFLOW_JSON_PAYLOAD ? s->offset - 1 : s->offset;
        FUZZ_CHECK(s->capture->len <= limit);
        FUZZ_CHECK(s->item_offset >= 0 && s->item_offset <= end);
        if (!s->capture_cut) {
            FUZZ_CHECK(s->item_offset + (gint64)s->capture->len == end);
            FUZZ_CHECK(s->capture->len == 0 ||
                       memcmp(s->capture->data, data + s->item_offset, s->capture->len) == 0);
        } else {
            FUZZ_CHECK(s->capture->len == limit);
        }
        if (kind != VPCFLOW_JSON_PAYLOAD) {
            FUZZ_CHECK(s->capture->len >= 2);
            FUZZ_CHECK(s->capture->data[0] == '{');
        }
        item->offset = s->item_offset;
        item->bytes = g_bytes_new(s->capture->data, s->capture->len);
        item->cut = s->capture_cut;
        item->depth = s->item_depth;
        break;
    }
    case VPCFLOW_JSON_ERROR:
        FUZZ_CHECK(memchr(s->error, '\0', sizeof s->error) != NULL);
        FUZZ_CHECK(s->error[0] != '\0');
        item->bytes = g_bytes_new(s->error, strlen(s->error));
        break;
    case VPCFLOW_JSON_CONTEXT: {
        char *text = context_text(&s->context);
        item->bytes = g_bytes_new_take(text, strlen(text));
        break;
    }
    default:
        break;
    }
    FUZZ_CHECK(s->offset <= (gint64)size);
    g_ptr_array_add(items, item);
}

/* A JSON string lexer that knows nothing of our scanner. */
typedef struct {
    gboolean in_string, escape;
} lexer_t;

static void
lexer_byte(lexer_t *l, guint8 c, gboolean in_container)
{
    if (l->in_string) {
        if (l->escape)
            l->escape = FALSE;
        else if (c == '\\')
            l->escape = TRUE;
        else if (c == '"')
            l->in_string = FALSE;
    } else if (c == '"' && in_container) {
        l->in_string = TRUE;
    }
}

/*
 * Scan data in pieces: chunk 0 means all at once, 1 one byte at a time
 * (with the lexer check), else sizes drawn from seed.
 */
static GPtrArray *
scan(const uint8_t *data, gsize size, guint chunk, guint32 seed)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(item_free);
    vpcflow_json_scanner_t s;
    lexer_t lexer = { FALSE, FALSE };
    gsize pos = 0;

    vpcflow_json_scanner_init(&s, 0);
    while (pos < size) {
        gsize piece = size - pos;
        if (chunk == 1) {
            piece = 1;
        } else if (chunk > 1) {
            seed = seed * 1103515245u + 12345u;
            piece = MIN(piece, 1 + (seed >> 16) % chunk);
        }
        gsize end = pos + piece;
        while (pos < end) {
            vpcflow_json_item_t kind;
            gboolean in_container = s.depth > 0;
            if (chunk == 1)
                FUZZ_CHECK(s.in_string == lexer.in_string);
            gsize used = vpcflow_json_scan(&s, data + pos, end - pos, &kind);
            FUZZ_CHECK(used <= end - pos);
            FUZZ_CHECK(kind == VPCFLOW_JSON_NONE ? used == end - pos : used > 0);
            if (chunk == 1)
                lexer_byte(&lexer, data[pos], in_container);
            pos += used;
            FUZZ_CHECK(s.offset == (gint64)pos);
            if (kind != VPCFLOW_JSON_NONE)
                note_item(items, &s, kind, data, size);
        }
    }
    vpcflow_json_item_t kind = vpcflow_json_scan_end(&s);
    FUZZ_CHECK(kind == VPCFLOW_JSON_NONE || kind == VPCFLOW_JSON_ERROR);
    if (kind == VPCFLOW_JSON_ERROR) {
        note_item(items, &s, kind, data, size);
        FUZZ_CHECK(vpcflow_json_scan_end(&s) == VPCFLOW_JSON_NONE);
    }
    vpcflow_json_scanner_clear(&s);
    return items;
}

static void
check_same(const GPtrArray *a, const GPtrArray *b)
{
    FUZZ_CHECK(a->len == b->len);
    for (guint i = 0; i < a->len; i++) {
        const item_t *x = g_ptr_array_index(a, i), *y = g_ptr_array_index(b, i);
        FUZZ_CHECK(x->kind == y->kind);
        FUZZ_CHECK(x->offset == y->offset);
        FUZZ_CHECK(x->cut == y->cut);
        FUZZ_CHECK(x->depth == y->depth);
        FUZZ_CHECK((x->bytes == NULL) == (y->bytes == NULL));
        FUZZ_CHECK(!x->bytes || g_bytes_equal(x->bytes, y->bytes));
    }
}

/* What the reader does with the items. */
static void
use_items(const GPtrArray *items, gboolean inside_payload)
{
    for (guint i = 0; i < items->len; i++) {
        const item_t *item = g_ptr_array_index(items, i);
        gsize len;
        const guint8 *bytes = item->bytes ? g_bytes_get_data(item->bytes, &len) : NULL;

        if ((item->kind == VPCFLOW_JSON_EVENT || item->kind == VPCFLOW_JSON_DOCUMENT) && !item->cut) {
            vpcflow_json_event_t event;
            char *error = NULL;
            char *exact = fuzz_copy(bytes, len);
            gboolean ok = vpcflow_json_event_parse((const guint8 *)exact, len, item->depth, &event, &error);
            FUZZ_CHECK(ok ? event.message != NULL && error == NULL : error != NULL && event.message == NULL);
            vpcflow_json_event_clear(&event);
            g_free(error);
            free(exact);
        } else if (item->kind == VPCFLOW_JSON_PAYLOAD && !item->cut && !inside_payload) {
            char *error = NULL;
            char *exact = fuzz_copy(bytes, len);
            GByteArray *json = vpcflow_json_payload_decode((const guint8 *)exact, len, &error);
            FUZZ_CHECK((json == NULL) != (error == NULL));
            if (json) {
                FUZZ_CHECK(json->len <= VPCFLOW_JSON_INFLATED_MAX);
                GPtrArray *inner = scan(json->data, json->len, 0, 0);
                use_items(inner, TRUE);
                g_ptr_array_free(inner, TRUE);
                g_byte_array_free(json, TRUE);
            }
            g_free(error);
            free(exact);
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    guint8 seed = fuzz_take_byte(&in);
    uint8_t *json = (uint8_t *)fuzz_copy(in.data, in.size);

    GPtrArray *whole = scan(json, in.size, 0, 0);
    GPtrArray *bytewise = scan(json, in.size, 1, 0);
    GPtrArray *chunked = scan(json, in.size, 2 + seed % 61, seed);
    check_same(whole, bytewise);
    check_same(whole, chunked);
    use_items(whole, FALSE);

    g_ptr_array_free(whole, TRUE);
    g_ptr_array_free(bytewise, TRUE);
    g_ptr_array_free(chunked, TRUE);
    free(json);
    return 0;
}
