/* test-vpcflow-json.c
 * Unit tests of the CloudWatch Logs JSON scanner and event parser.
 * Inputs are written here; offsets and values are counted by hand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <gio/gio.h>
#include <glib.h>

#include "vpcflow-json.h"

typedef struct {
    vpcflow_json_item_t item;
    gint64 offset;
    char *text;             /* capture, or error */
    gboolean cut;
    char *stream, *group, *type;
} seen_t;

static void
seen_free(gpointer p)
{
    seen_t *s = p;
    g_free(s->text);
    g_free(s->stream);
    g_free(s->group);
    g_free(s->type);
    g_free(s);
}

/* Scan input in pieces of chunk bytes; collect every item. */
static GPtrArray *
scan_all(const char *input, gsize len, gsize chunk)
{
    vpcflow_json_scanner_t s;
    GPtrArray *items = g_ptr_array_new_with_free_func(seen_free);
    gsize pos = 0;

    vpcflow_json_scanner_init(&s, 0);
    while (pos < len) {
        gsize piece = MIN(chunk, len - pos);
        gsize used = 0;
        while (used < piece) {
            vpcflow_json_item_t item;
            used += vpcflow_json_scan(&s, (const guint8 *)input + pos + used, piece - used, &item);
            if (item == VPCFLOW_JSON_NONE)
                continue;
            seen_t *seen = g_new0(seen_t, 1);
            seen->item = item;
            seen->offset = s.item_offset;
            seen->cut = s.capture_cut;
            if (item == VPCFLOW_JSON_ERROR)
                seen->text = g_strdup(s.error);
            else if (item == VPCFLOW_JSON_CONTEXT) {
                seen->stream = g_strdup(s.context.log_stream);
                seen->group = g_strdup(s.context.log_group);
                seen->type = g_strdup(s.context.message_type);
            } else
                seen->text = g_strndup((const char *)s.capture->data, s.capture->len);
            g_ptr_array_add(items, seen);
        }
        pos += piece;
    }
    if (vpcflow_json_scan_end(&s) == VPCFLOW_JSON_ERROR) {
        seen_t *seen = g_new0(seen_t, 1);
        seen->item = VPCFLOW_JSON_ERROR;
        seen->text = g_strdup(s.error);
        g_ptr_array_add(items, seen);
    }
    vpcflow_json_scanner_clear(&s);
    return items;
}

#define ITEM(items, i) ((seen_t *)g_ptr_array_index((items), (i)))

static const char cli[] =
    "{\"events\": [\n"
    "  {\"logStreamName\": \"eni-1-all\", \"timestamp\": 1418530010000, \"message\": \"2 a {b} c\", \"eventId\": \"1\"},\n"
    "  {\"logStreamName\": \"eni-2-all\", \"timestamp\": 1418530011000, \"message\": \"x \\\"}\\\" y\"}\n"
    "], \"searchedLogStreams\": [], \"nextToken\": \"t\"}";

static void
test_cli_document(void)
{
    for (gsize chunk = 1; chunk <= sizeof cli; chunk = chunk * 3 + 1) {
        GPtrArray *items = scan_all(cli, strlen(cli), chunk);
        g_assert_cmpuint(items->len, ==, 4);
        g_assert_cmpint(ITEM(items, 3)->item, ==, VPCFLOW_JSON_EVENTS_END);
        g_assert_cmpint(ITEM(items, 0)->item, ==, VPCFLOW_JSON_CONTEXT);
        g_assert_cmpint(ITEM(items, 1)->item, ==, VPCFLOW_JSON_EVENT);
        g_assert_cmpint(ITEM(items, 1)->offset, ==, 15);    /* "{"events": [\n  " is 15 bytes */
        g_assert_true(g_str_has_prefix(ITEM(items, 1)->text, "{\"logStreamName\": \"eni-1-all\""));
        g_assert_true(g_str_has_suffix(ITEM(items, 1)->text, "\"eventId\": \"1\"}"));
        g_assert_cmpint(ITEM(items, 2)->item, ==, VPCFLOW_JSON_EVENT);
        /* braces and quotes inside a message do not end the event */
        g_assert_true(g_str_has_suffix(ITEM(items, 2)->text, "\"message\": \"x \\\"}\\\" y\"}"));
        g_ptr_array_free(items, TRUE);
    }
}

static const char subscription[] =
    "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"/aws/vpc/flow\\/logs\","
    "\"logStream\":\"eni-1235b8ca123456789\",\"subscriptionFilters\":[\"f\"],"
    "\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\"m1\"},{\"id\":\"2\",\"timestamp\":2,\"message\":\"m2\"}]}"
    "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\","
    "\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":3,\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}";

static void
test_subscription_documents_back_to_back(void)
{
    GPtrArray *items = scan_all(subscription, strlen(subscription), 7);

    g_assert_cmpuint(items->len, ==, 7);
    g_assert_cmpint(ITEM(items, 0)->item, ==, VPCFLOW_JSON_CONTEXT);
    g_assert_cmpstr(ITEM(items, 0)->group, ==, "/aws/vpc/flow/logs");     /* escape decoded */
    g_assert_cmpstr(ITEM(items, 0)->stream, ==, "eni-1235b8ca123456789");
    g_assert_cmpstr(ITEM(items, 0)->type, ==, "DATA_MESSAGE");
    g_assert_cmpstr(ITEM(items, 1)->text, ==, "{\"id\":\"1\",\"timestamp\":1,\"message\":\"m1\"}");
    g_assert_cmpstr(ITEM(items, 2)->text, ==, "{\"id\":\"2\",\"timestamp\":2,\"message\":\"m2\"}");
    g_assert_cmpint(ITEM(items, 3)->item, ==, VPCFLOW_JSON_EVENTS_END);
    g_assert_cmpint(ITEM(items, 4)->item, ==, VPCFLOW_JSON_CONTEXT);
    g_assert_cmpstr(ITEM(items, 4)->type, ==, "CONTROL_MESSAGE");
    g_assert_cmpstr(ITEM(items, 4)->stream, ==, "");
    g_assert_cmpint(ITEM(items, 5)->item, ==, VPCFLOW_JSON_EVENT);
    g_assert_cmpint(ITEM(items, 6)->item, ==, VPCFLOW_JSON_EVENTS_END);
    g_ptr_array_free(items, TRUE);
}

static void
test_ndjson_and_top_level_array(void)
{
    const char *ndjson = "{\"message\":\"2 a\"}\n{\"message\":\"2 b\",\"logStream\":\"s\"}\r\n";
    GPtrArray *items = scan_all(ndjson, strlen(ndjson), 5);

    g_assert_cmpuint(items->len, ==, 2);
    g_assert_cmpint(ITEM(items, 0)->item, ==, VPCFLOW_JSON_DOCUMENT);
    g_assert_cmpstr(ITEM(items, 0)->text, ==, "{\"message\":\"2 a\"}");
    g_assert_cmpint(ITEM(items, 1)->offset, ==, 18);
    g_ptr_array_free(items, TRUE);

    const char *array = "[ {\"message\":\"a\"}, {\"message\":\"b\"} ]\n";
    items = scan_all(array, strlen(array), 64);
    g_assert_cmpuint(items->len, ==, 2);
    g_assert_cmpstr(ITEM(items, 1)->text, ==, "{\"message\":\"b\"}");
    g_ptr_array_free(items, TRUE);
}

static void
test_lambda_payload(void)
{
    const char *lambda = "{\"awslogs\": {\"data\": \"SGVsbG8=\"}}";
    GPtrArray *items = scan_all(lambda, strlen(lambda), 3);

    g_assert_cmpuint(items->len, ==, 1);
    g_assert_cmpint(ITEM(items, 0)->item, ==, VPCFLOW_JSON_PAYLOAD);
    g_assert_cmpstr(ITEM(items, 0)->text, ==, "SGVsbG8=");
    g_assert_cmpint(ITEM(items, 0)->offset, ==, 22);
    g_ptr_array_free(items, TRUE);
}

static void
test_errors_and_recovery(void)
{
    const char *junk = "garbage {\"message\":\"a\"} more\n{\"message\":\"b\"}";
    GPtrArray *items = scan_all(junk, strlen(junk), 4);

    g_assert_cmpuint(items->len, ==, 4);
    g_assert_cmpint(ITEM(items, 0)->item, ==, VPCFLOW_JSON_ERROR);
    g_assert_cmpstr(ITEM(items, 0)->text, ==, "text outside any JSON document at byte 0");
    g_assert_cmpint(ITEM(items, 1)->item, ==, VPCFLOW_JSON_DOCUMENT);
    g_assert_cmpint(ITEM(items, 2)->item, ==, VPCFLOW_JSON_ERROR);
    g_assert_cmpint(ITEM(items, 3)->item, ==, VPCFLOW_JSON_DOCUMENT);
    g_assert_cmpstr(ITEM(items, 3)->text, ==, "{\"message\":\"b\"}");
    g_ptr_array_free(items, TRUE);

    const char *mismatch = "{\"a\":[}{\"message\":\"after\"}";
    items = scan_all(mismatch, strlen(mismatch), 100);
    g_assert_cmpuint(items->len, ==, 2);
    g_assert_cmpstr(ITEM(items, 0)->text, ==, "a closing bracket that does not match its opening one at byte 6");
    g_assert_cmpstr(ITEM(items, 1)->text, ==, "{\"message\":\"after\"}");
    g_ptr_array_free(items, TRUE);

    const char *open = "{\"message\":\"never closed";
    items = scan_all(open, strlen(open), 100);
    g_assert_cmpuint(items->len, ==, 1);
    g_assert_cmpstr(ITEM(items, 0)->text, ==, "the data ends inside the JSON document that starts at byte 0");
    g_ptr_array_free(items, TRUE);
}

static void
test_nesting_bomb_is_one_error(void)
{
    GString *bomb = g_string_new("{\"a\":");
    for (int i = 0; i < 100000; i++)
        g_string_append_c(bomb, '[');
    for (int i = 0; i < 100000; i++)
        g_string_append_c(bomb, ']');
    g_string_append(bomb, "}{\"message\":\"ok\"}");
    GPtrArray *items = scan_all(bomb->str, bomb->len, 4096);

    g_assert_cmpuint(items->len, ==, 2);
    g_assert_cmpint(ITEM(items, 0)->item, ==, VPCFLOW_JSON_ERROR);
    g_assert_nonnull(strstr(ITEM(items, 0)->text, "nested deeper than 64 levels"));
    g_assert_cmpstr(ITEM(items, 1)->text, ==, "{\"message\":\"ok\"}");
    g_ptr_array_free(items, TRUE);
    g_string_free(bomb, TRUE);
}

/* After an error the scanner skips to the next document, but it must
 * still see where strings end (found by fuzz/fuzz-json-scan.c). */
static void
test_strings_end_after_an_error(void)
{
    GString *doc = g_string_new("{\"a\":");
    for (int i = 0; i < 70; i++)
        g_string_append_c(doc, '[');
    for (int i = 0; i < 70; i++)
        g_string_append_c(doc, ']');
    g_string_append(doc, ",\"b\":\"}]\"}\n{\"message\":\"ok\"}");
    GPtrArray *items = scan_all(doc->str, doc->len, 7);

    g_assert_cmpuint(items->len, ==, 2);
    g_assert_cmpint(ITEM(items, 0)->item, ==, VPCFLOW_JSON_ERROR);
    g_assert_cmpint(ITEM(items, 1)->item, ==, VPCFLOW_JSON_DOCUMENT);
    g_assert_cmpstr(ITEM(items, 1)->text, ==, "{\"message\":\"ok\"}");
    g_ptr_array_free(items, TRUE);
    g_string_free(doc, TRUE);
}

static void
test_event_parse(void)
{
    const char *ev = "{\"logStreamName\":\"eni-1-all\",\"timestamp\":1418530010123,\"message\":\"2 a\\tb\","
                     "\"ingestionTime\":1418530070000,\"eventId\":\"3\"}";
    vpcflow_json_event_t e;
    char *error = NULL;

    g_assert_true(vpcflow_json_event_parse((const guint8 *)ev, strlen(ev), 1, &e, &error));
    g_assert_cmpstr(e.message, ==, "2 a\tb");
    g_assert_true(e.has_timestamp);
    g_assert_cmpint(e.timestamp_ms, ==, G_GINT64_CONSTANT(1418530010123));
    g_assert_cmpint(e.ingestion_time_ms, ==, G_GINT64_CONSTANT(1418530070000));
    g_assert_cmpstr(e.log_stream, ==, "eni-1-all");
    g_assert_cmpstr(e.event_id, ==, "3");
    vpcflow_json_event_clear(&e);

    const char *bad[] = { "{\"timestamp\":1}", "[1,2]", "{\"message\":", "{\"message\":5}" };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(vpcflow_json_event_parse((const guint8 *)bad[i], strlen(bad[i]), 1, &e, &error));
        g_assert_nonnull(error);
        g_free(error);
        error = NULL;
    }
    g_assert_false(vpcflow_json_event_parse((const guint8 *)ev, strlen(ev), 17, &e, &error));
    g_free(error);
    error = NULL;
    g_assert_false(vpcflow_json_event_parse((const guint8 *)"{\"message\":\"a\0b\"}", 17, 1, &e, &error));
    g_free(error);
}

static char *
gzip_base64(const guint8 *data, gsize len)
{
    GZlibCompressor *gz = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
    GByteArray *out = g_byte_array_new();
    guint8 buf[65536];
    gsize in = 0;

    for (;;) {
        gsize r = 0, w = 0;
        GConverterResult res = g_converter_convert(G_CONVERTER(gz), data + in, len - in, buf, sizeof buf,
                                                   G_CONVERTER_INPUT_AT_END, &r, &w, NULL);
        in += r;
        g_byte_array_append(out, buf, (guint)w);
        if (res == G_CONVERTER_FINISHED || res == G_CONVERTER_ERROR)
            break;
    }
    g_object_unref(gz);
    char *b64 = g_base64_encode(out->data, out->len);
    g_byte_array_free(out, TRUE);
    return b64;
}

static void
test_payload_decode(void)
{
    const char *json = "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[]}";
    char *b64 = gzip_base64((const guint8 *)json, strlen(json));
    char *error = NULL;
    GByteArray *out = vpcflow_json_payload_decode((const guint8 *)b64, strlen(b64), &error);

    g_assert_nonnull(out);
    g_assert_cmpmem(out->data, out->len, json, strlen(json));
    g_byte_array_free(out, TRUE);
    /* cut short */
    g_assert_null(vpcflow_json_payload_decode((const guint8 *)b64, strlen(b64) / 2 & ~3u, &error));
    g_free(error);
    error = NULL;
    g_free(b64);

    g_assert_null(vpcflow_json_payload_decode((const guint8 *)"not base64!", 11, &error));
    g_assert_cmpstr(error, ==, "the Lambda payload is not base64");
    g_free(error);
    error = NULL;

    /* Empty and one-character payloads (found by fuzz/fuzz-json-payload.c):
     * the scanner's empty capture has no buffer, and GLib's base64 decoder
     * refuses text shorter than 2 with a critical warning. */
    g_assert_null(vpcflow_json_payload_decode(NULL, 0, &error));
    g_assert_cmpstr(error, ==, "the Lambda payload is empty");
    g_free(error);
    error = NULL;
    g_assert_null(vpcflow_json_payload_decode((const guint8 *)"\\/", 2, &error));
    g_assert_cmpstr(error, ==, "the Lambda payload is too short to be gzip data");
    g_free(error);
    error = NULL;

    /* a gzip bomb: 80 MB of zeros */
    gsize big = 80 * 1024 * 1024;
    guint8 *zeros = g_malloc0(big);
    b64 = gzip_base64(zeros, big);
    g_free(zeros);
    g_assert_cmpuint(strlen(b64), <, 200000);
    g_assert_null(vpcflow_json_payload_decode((const guint8 *)b64, strlen(b64), &error));
    g_assert_nonnull(strstr(error, "inflates to more than"));
    g_free(error);
    g_free(b64);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json/cli-document", test_cli_document);
    g_test_add_func("/json/subscription-back-to-back", test_subscription_documents_back_to_back);
    g_test_add_func("/json/ndjson-and-top-level-array", test_ndjson_and_top_level_array);
    g_test_add_func("/json/lambda-payload", test_lambda_payload);
    g_test_add_func("/json/errors-and-recovery", test_errors_and_recovery);
    g_test_add_func("/json/nesting-bomb", test_nesting_bomb_is_one_error);
    g_test_add_func("/json/strings-end-after-an-error", test_strings_end_after_an_error);
    g_test_add_func("/json/event-parse", test_event_parse);
    g_test_add_func("/json/payload-decode", test_payload_decode);
    return g_test_run();
}
