/* cwl-api.c
 * FilterLogEvents requests and response pages (cwl-api.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "cwl-api.h"

#include <string.h>

/* A JSON string literal of text. */
static void
append_json_string(GString *out, const char *text)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(out, "\\u%04x", *p);
        else
            g_string_append_c(out, (char)*p);
    }
    g_string_append_c(out, '"');
}

char *
cwl_filter_request(const cwl_query_t *q)
{
    GString *out = g_string_new("{\"logGroupName\":");

    append_json_string(out, q->log_group);
    if (q->log_streams && q->log_streams[0]) {
        g_string_append(out, ",\"logStreamNames\":[");
        for (guint i = 0; q->log_streams[i]; i++) {
            if (i)
                g_string_append_c(out, ',');
            append_json_string(out, q->log_streams[i]);
        }
        g_string_append_c(out, ']');
    }
    if (q->filter_pattern && *q->filter_pattern) {
        g_string_append(out, ",\"filterPattern\":");
        append_json_string(out, q->filter_pattern);
    }
    g_string_append_printf(out, ",\"startTime\":%" G_GINT64_FORMAT, q->start_ms);
    /* AWS always interleaves streams now and ignores this; emulators
     * (moto) otherwise hand out one stream after another. */
    g_string_append(out, ",\"interleaved\":true");
    if (q->limit)
        g_string_append_printf(out, ",\"limit\":%u", q->limit);
    if (q->next_token) {
        g_string_append(out, ",\"nextToken\":");
        append_json_string(out, q->next_token);
    }
    g_string_append_c(out, '}');
    return g_string_free(out, FALSE);
}

static void
event_free(gpointer data)
{
    vpcflow_json_event_clear(data);
    g_free(data);
}

static void
note_problem(cwl_page_t *page, char *problem)
{
    if (page->problems++ == 0)
        page->first_problem = problem;
    else
        g_free(problem);
}

/* The text of the first <tag>...</tag> in an XML body, or NULL. */
static char *
xml_element(const guint8 *body, gsize len, const char *tag)
{
    char *open = g_strdup_printf("<%s>", tag);
    char *close = g_strdup_printf("</%s>", tag);
    char *text = NULL;
    const char *start = g_strstr_len((const char *)body, (gssize)len, open);

    if (start) {
        start += strlen(open);
        const char *end = g_strstr_len(start, (gssize)(len - (gsize)(start - (const char *)body)), close);
        if (end && end - start < 1024)
            text = g_strndup(start, end - start);
    }
    g_free(open);
    g_free(close);
    return text;
}

/* Errors some endpoints give in the XML of the query protocol
 * (<ErrorResponse><Error><Code>..</Code><Message>..</Message>). */
static void
xml_error(const guint8 *body, gsize len, cwl_page_t *page)
{
    if (memchr(body, '\0', len))
        return;
    char *code = xml_element(body, len, "Code");
    if (!code)
        return;
    g_free(page->error_message);
    page->error_type = code;
    page->error_message = xml_element(body, len, "Message");
}

void
cwl_page_parse(const guint8 *body, gsize len, cwl_page_t *page)
{
    vpcflow_json_scanner_t s;
    gsize pos = 0;
    gboolean response = FALSE;

    memset(page, 0, sizeof *page);
    page->events = g_ptr_array_new_with_free_func(event_free);
    vpcflow_json_scanner_init(&s, 0);
    for (;;) {
        vpcflow_json_item_t item;
        if (pos < len)
            pos += vpcflow_json_scan(&s, body + pos, len - pos, &item);
        else if ((item = vpcflow_json_scan_end(&s)) == VPCFLOW_JSON_NONE)
            break;
        switch (item) {
        case VPCFLOW_JSON_CONTEXT:
            response = TRUE;
            break;
        case VPCFLOW_JSON_EVENT: {
            vpcflow_json_event_t *ev = g_new0(vpcflow_json_event_t, 1);
            char *error = NULL;
            if (s.capture_cut)
                note_problem(page, g_strdup_printf("an event is larger than %d bytes", VPCFLOW_JSON_ITEM_MAX));
            else if (vpcflow_json_event_parse(s.capture->data, s.capture->len, s.item_depth, ev, &error)) {
                g_ptr_array_add(page->events, ev);
                continue;
            } else
                note_problem(page, error);
            g_free(ev);
            break;
        }
        case VPCFLOW_JSON_DOCUMENT: {
            /* No events array: an error ({"__type": ..., "message": ...}) or an empty page. */
            vpcflow_json_event_t doc;
            char *error = NULL;
            response = TRUE;
            /* The first error document of a body is the one reported. */
            if (s.context.error_type && !page->error_type) {
                page->error_type = g_strdup(s.context.error_type);
                g_free(page->error_message);
                page->error_message = NULL;
                if (!s.capture_cut && vpcflow_json_event_parse(s.capture->data, s.capture->len, s.item_depth, &doc,
                                                               &error)) {
                    page->error_message = g_strdup(doc.message);
                    vpcflow_json_event_clear(&doc);
                }
                g_free(error);
            }
            break;
        }
        case VPCFLOW_JSON_ERROR:
            if (!page->error_message)
                page->error_message = g_strdup_printf("the response is not valid JSON: %s", s.error);
            break;
        default:
            break;
        }
        /* The document's own members: read once it has been scanned whole. */
        if (s.context.next_token && !page->next_token)
            page->next_token = g_strdup(s.context.next_token);
        if (s.context.error_type && !page->error_type)
            page->error_type = g_strdup(s.context.error_type);
    }
    if (s.context.next_token && !page->next_token)
        page->next_token = g_strdup(s.context.next_token);
    if (s.context.error_type && !page->error_type)
        page->error_type = g_strdup(s.context.error_type);
    if (!response && !page->error_type)
        xml_error(body, len, page);
    if (!response && !page->error_message && !page->error_type)
        page->error_message = g_strdup("the response holds no JSON object");
    if (page->next_token && !*page->next_token) {
        g_free(page->next_token);
        page->next_token = NULL;
    }
    vpcflow_json_scanner_clear(&s);
}

void
cwl_page_clear(cwl_page_t *page)
{
    if (page->events)
        g_ptr_array_free(page->events, TRUE);
    g_free(page->next_token);
    g_free(page->error_type);
    g_free(page->error_message);
    g_free(page->first_problem);
    memset(page, 0, sizeof *page);
}

gboolean
cwl_error_is_transient(const char *type)
{
    static const char *const transient[] = {
        "ThrottlingException", "ServiceUnavailableException", "LimitExceededException",
        "RequestLimitExceeded", "TooManyRequestsException",
    };

    if (!type)
        return FALSE;
    /* Some services prefix the type: "com.amazonaws.logs#ThrottlingException". */
    const char *hash = strrchr(type, '#');
    if (hash)
        type = hash + 1;
    for (gsize i = 0; i < G_N_ELEMENTS(transient); i++)
        if (strcmp(type, transient[i]) == 0)
            return TRUE;
    return FALSE;
}

gboolean
cwl_parse_start_time(const char *text, gint64 now_ms, gint64 *start_ms, char **error)
{
    static const struct {
        char   unit;
        gint64 ms;
    } units[] = { { 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 }, { 'd', 86400000 } };

    if (!text || !*text || g_ascii_strcasecmp(text, "now") == 0) {
        *start_ms = now_ms;
        return TRUE;
    }
    if (text[0] == '-') {
        char *end;
        guint64 n = g_ascii_strtoull(text + 1, &end, 10);
        for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
            if (end != text + 1 && end[0] == units[i].unit && end[1] == '\0' && n <= (guint64)(G_MAXINT64 / units[i].ms / 2)) {
                *start_ms = now_ms - (gint64)n * units[i].ms;
                return TRUE;
            }
        }
    } else if (g_ascii_isdigit(text[0]) && strspn(text, "0123456789") == strlen(text) && strlen(text) <= 15) {
        *start_ms = g_ascii_strtoll(text, NULL, 10);
        return TRUE;
    } else {
        GTimeZone *utc = g_time_zone_new_utc();
        GDateTime *t = g_date_time_new_from_iso8601(text, utc);
        g_time_zone_unref(utc);
        if (t) {
            *start_ms = g_date_time_to_unix(t) * 1000 + g_date_time_get_microsecond(t) / 1000;
            g_date_time_unref(t);
            return TRUE;
        }
    }
    *error = g_strdup_printf("\"%s\" is no start time (now, -15m, -2h, -1d, or ISO 8601 as 2024-05-01T10:00:00Z)",
                             text);
    return FALSE;
}

void
cwl_seen_init(cwl_seen_t *seen)
{
    seen->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void
cwl_seen_clear(cwl_seen_t *seen)
{
    if (seen->ids)
        g_hash_table_destroy(seen->ids);
    seen->ids = NULL;
}

gboolean
cwl_seen_add(cwl_seen_t *seen, const char *id, gint64 time_ms)
{
    if (g_hash_table_contains(seen->ids, id))
        return FALSE;
    gint64 *t = g_new(gint64, 1);
    *t = time_ms;
    g_hash_table_insert(seen->ids, g_strdup(id), t);
    return TRUE;
}

static gboolean
older_than(gpointer key, gpointer value, gpointer start)
{
    (void)key;
    return *(gint64 *)value < *(gint64 *)start;
}

void
cwl_seen_forget_before(cwl_seen_t *seen, gint64 start_ms)
{
    g_hash_table_foreach_remove(seen->ids, older_than, &start_ms);
}

guint
cwl_seen_count(const cwl_seen_t *seen)
{
    return g_hash_table_size(seen->ids);
}
