/* cloudwatch-capture.c
 * The poll loop (cloudwatch-capture.h).
 *
 * Each poll asks for events from a start time and follows nextToken to
 * the last page. Events come late (ingestion delay), so the next poll
 * starts OVERLAP_MS before the newest event seen, and event ids already
 * delivered are skipped; ids older than that start are forgotten, which
 * bounds memory by the events of the overlap. Throttling and a service
 * that is briefly unavailable are waited out with doubling pauses, each
 * announced on stderr; anything else the API refuses ends the capture
 * with its error code, which Wireshark shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "cloudwatch-capture.h"
#include "cwl-api.h"
#include "cwl-http.h"
#include "aws-credentials.h"
#include "pcapng-writer.h"

#include "vpcflow-format.h"
#include "vpcflow-json.h"
#include "vpcflow-record.h"
#include "vpcflow-tokens.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define PROGRAM "vpcflow-cloudwatch"
/* Late events are looked for this far back from the newest one seen. */
#define OVERLAP_MS (5 * 60 * 1000)
/* Pauses after throttling: doubling from the first to the last. */
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS   60000
/* Transient errors in a row before giving up. */
#define TRANSIENT_MAX    12
/* Messages judged for the format before it is left to the dissector. */
#define DETECT_SAMPLE    32
/* Credentials that expire are fetched again this long before. */
#define REFRESH_MARGIN_MS (5 * 60 * 1000)

static volatile sig_atomic_t stop_requested;

static void
on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct {
    const cloudwatch_capture_options_t *opt;
    FILE          *out;
    cwl_http_t    *http;
    aws_credentials_t creds;
    cwl_seen_t     seen;
    GHashTable    *interfaces;        /* stream -> interface id + 1 */
    guint          n_interfaces;
    const vpcflow_format_t *format;   /* detected layout, or NULL */
    guint          judged;            /* messages looked at for it */
    GByteArray    *meta, *frame;
    gint64         newest_ms;
    guint64        delivered;
} capture_t;

static gint64
now_ms(void)
{
    return g_get_real_time() / 1000;
}

/* Sleep ms, waking early when asked to stop. */
static void
pause_ms(gint64 ms)
{
    gint64 until = g_get_monotonic_time() + ms * 1000;

    while (!stop_requested && g_get_monotonic_time() < until)
        g_usleep(MIN(100000, until - g_get_monotonic_time()));
}

static gboolean
get_credentials(capture_t *cap)
{
    char *error = NULL;

    aws_http_t http = { cwl_http_credentials_request, cap->http };

    aws_credentials_clear(&cap->creds);
    if (!aws_credentials_find(cap->opt->profile, 0, &http, &cap->creds, &error)) {
        fprintf(stderr, PROGRAM ": %s\n", error);
        g_free(error);
        return FALSE;
    }
    return TRUE;
}

/* The pcapng interface of a log stream, described when first met. */
static gboolean
interface_of(capture_t *cap, const char *stream, guint32 *id)
{
    const char *name = stream && *stream ? stream : "(no log stream)";
    gpointer found = g_hash_table_lookup(cap->interfaces, name);

    if (found) {
        *id = GPOINTER_TO_UINT(found) - 1;
        return TRUE;
    }
    char *description = g_strdup_printf("CloudWatch Logs %s, stream %s", cap->opt->log_group, name);
    gboolean ok = pcapng_write_interface(cap->out, PCAPNG_LINKTYPE_WIRESHARK_UPPER_PDU, PCAPNG_MAX_PACKET, name,
                                         description);
    g_free(description);
    *id = cap->n_interfaces++;
    g_hash_table_insert(cap->interfaces, g_strdup(name), GUINT_TO_POINTER(*id + 1));
    return ok;
}

/* Recognise the layout from the first messages, as the file reader does from a file's first lines. */
static void
detect_format(capture_t *cap, const GPtrArray *events)
{
    const char *texts[DETECT_SAMPLE];
    gsize lengths[DETECT_SAMPLE];
    guint n = 0;

    if (cap->format || cap->judged >= DETECT_SAMPLE)
        return;
    for (guint i = 0; i < events->len && n < DETECT_SAMPLE; i++) {
        const vpcflow_json_event_t *ev = g_ptr_array_index(events, i);
        texts[n] = ev->message;
        lengths[n] = vpcflow_line_trim_eol(ev->message, strlen(ev->message));
        n++;
    }
    if (n == 0)
        return;
    cap->judged += n;
    const vpcflow_layout_t *layout = vpcflow_layout_detect(texts, lengths, n);
    if (layout)
        cap->format = layout->format;
}

static gboolean
write_event(capture_t *cap, const vpcflow_json_event_t *ev)
{
    vpcflow_record_t record;
    vpcflow_record_facts_t facts;
    vpcflow_json_context_t context = { .log_group = (char *)cap->opt->log_group };
    guint32 interface_id;

    memset(&record, 0, sizeof record);
    g_byte_array_set_size(cap->meta, 0);
    vpcflow_json_event_meta(cap->meta, ev, &context);
    record.text = ev->message;
    record.length = vpcflow_line_trim_eol(ev->message, strlen(ev->message));
    record.format = cap->format;
    record.format_from = cap->format ? VPCFLOW_FORMAT_FROM_DETECTED : VPCFLOW_FORMAT_FROM_NONE;
    record.meta = cap->meta->data;
    record.meta_length = cap->meta->len;
    record.has_event_time = ev->has_timestamp;
    record.event_time_ms = ev->timestamp_ms;
    record.stream = ev->log_stream;
    vpcflow_record_facts(&record, &facts);

    gsize size = vpcflow_record_frame_size(&record);
    g_byte_array_set_size(cap->frame, (guint)size);
    vpcflow_record_frame_store(cap->frame->data, &record);
    if (!interface_of(cap, ev->log_stream, &interface_id))
        return FALSE;
    guint64 ts_ns = facts.has_time ? (guint64)facts.secs * 1000000000u + (guint64)facts.nsecs
                                   : (guint64)now_ms() * 1000000u;
    cap->delivered++;
    return pcapng_write_packet(cap->out, interface_id, ts_ns, cap->frame->data, size, NULL, 0, (guint32)size);
}

/* Why the API said no: its code and message, where the credentials came from, the profile. */
static void
report_refusal(const capture_t *cap, long status, const cwl_page_t *page)
{
    if (status == 200 && !page->error_type) {
        fprintf(stderr, PROGRAM ": CloudWatch Logs gave an unreadable answer to FilterLogEvents on log group \"%s\": %s\n",
                cap->opt->log_group, page->error_message);
        return;
    }
    fprintf(stderr, PROGRAM ": CloudWatch Logs refused FilterLogEvents on log group \"%s\" (HTTP %ld", cap->opt->log_group,
            status);
    if (page->error_type)
        fprintf(stderr, ", %s", page->error_type);
    fprintf(stderr, "): %s; credentials from %s, AWS profile \"%s\"\n",
            page->error_message ? page->error_message : "no message", cap->creds.source,
            aws_profile_name(cap->opt->profile));
}

/* One poll: every page from start_ms on. FALSE when the capture must end. */
static gboolean
poll_once(capture_t *cap, gint64 start_ms, gboolean *first)
{
    char *token = NULL;
    guint transient = 0;
    gint64 backoff = BACKOFF_FIRST_MS;

    /* "continue" asks again for the same page, after a pause. */
    while (!stop_requested) {
        if (cap->creds.expires_ms && cap->creds.expires_ms - REFRESH_MARGIN_MS < now_ms() && !get_credentials(cap))
            return FALSE;
        cwl_query_t query = {
            .log_group = cap->opt->log_group,
            .log_streams = cap->opt->log_streams,
            .filter_pattern = cap->opt->filter_pattern,
            .start_ms = start_ms,
            .next_token = token,
            .limit = cap->opt->page_limit,
        };
        char *body = cwl_filter_request(&query);
        GByteArray *response = NULL;
        char *error = NULL;
        long status = cwl_http_call(cap->http, &cap->creds, CWL_TARGET_FILTER_LOG_EVENTS, body,
                                    (volatile const int *)&stop_requested, &response, &error);
        g_free(body);
        if (stop_requested) {
            g_free(error);
            if (response)
                g_byte_array_free(response, TRUE);
            break;
        }
        if (status == 0) {
            /* No answer: fatal before the first page (a wrong endpoint), waited out after. */
            fprintf(stderr, PROGRAM ": no answer from CloudWatch Logs: %s\n", error);
            g_free(error);
            if (*first || ++transient > TRANSIENT_MAX) {
                g_free(token);
                return FALSE;
            }
            pause_ms(backoff);
            backoff = MIN(backoff * 2, BACKOFF_MAX_MS);
            continue;
        }
        cwl_page_t page;
        cwl_page_parse(response->data, response->len, &page);
        g_byte_array_free(response, TRUE);
        if (status != 200 || page.error_type || page.error_message) {
            gboolean retry = (cwl_error_is_transient(page.error_type) || status == 429 || status >= 500) &&
                             ++transient <= TRANSIENT_MAX;
            if (retry) {
                fprintf(stderr, PROGRAM ": %s from CloudWatch Logs; waiting %.1f s before asking again\n",
                        page.error_type ? page.error_type : "HTTP error", backoff / 1000.0);
                fflush(stderr);
                cwl_page_clear(&page);
                pause_ms(backoff);
                backoff = MIN(backoff * 2, BACKOFF_MAX_MS);
                continue;
            }
            report_refusal(cap, status, &page);
            cwl_page_clear(&page);
            g_free(token);
            return FALSE;
        }
        *first = FALSE;
        transient = 0;
        backoff = BACKOFF_FIRST_MS;
        if (page.problems)
            fprintf(stderr, PROGRAM ": skipped %u unreadable events of a page: %s\n", page.problems,
                    page.first_problem);
        detect_format(cap, page.events);
        for (guint i = 0; i < page.events->len; i++) {
            const vpcflow_json_event_t *ev = g_ptr_array_index(page.events, i);
            gint64 t = ev->has_timestamp ? ev->timestamp_ms : start_ms;
            /* An event without an id cannot be told apart: delivered each time it comes. */
            if (ev->event_id && !cwl_seen_add(&cap->seen, ev->event_id, t))
                continue;
            cap->newest_ms = MAX(cap->newest_ms, t);
            if (!write_event(cap, ev)) {
                cwl_page_clear(&page);
                g_free(token);
                return FALSE;
            }
        }
        g_free(token);
        token = g_strdup(page.next_token);
        cwl_page_clear(&page);
        if (fflush(cap->out) != 0 || !token)
            break;
    }
    g_free(token);
    return !ferror(cap->out);
}

int
cloudwatch_capture_run(const cloudwatch_capture_options_t *opt)
{
    capture_t cap = { .opt = opt };
    struct sigaction sa = { .sa_handler = on_stop };
    int status = 1;

    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A closed fifo is a write error, not a signal. */
    signal(SIGPIPE, SIG_IGN);

    /* Credentials first (an instance's come over HTTP): a capture without them never opens its output. */
    cap.http = cwl_http_new(opt->endpoint, opt->region);
    if (!get_credentials(&cap)) {
        cwl_http_free(cap.http);
        return 1;
    }
    cap.out = fopen(opt->output, "wb");
    if (!cap.out) {
        fprintf(stderr, PROGRAM ": cannot open %s: %s\n", opt->output, g_strerror(errno));
        aws_credentials_clear(&cap.creds);
        cwl_http_free(cap.http);
        return 1;
    }
    cwl_seen_init(&cap.seen);
    cap.interfaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cap.meta = g_byte_array_new();
    cap.frame = g_byte_array_new();
    cap.newest_ms = opt->start_ms;

    gboolean first = TRUE;
    if (pcapng_write_section(cap.out, "vpcflow-cloudwatch " VPCSHARK_VERSION) && fflush(cap.out) == 0) {
        while (!stop_requested) {
            gint64 start = MAX(opt->start_ms, cap.newest_ms - OVERLAP_MS);
            if (!poll_once(&cap, start, &first))
                break;
            cwl_seen_forget_before(&cap.seen, MAX(opt->start_ms, cap.newest_ms - OVERLAP_MS));
            pause_ms((gint64)opt->poll_seconds * 1000);
        }
        /* Stopped by request, or the reader went away: both are a normal end. */
        status = stop_requested || ferror(cap.out) ? 0 : 1;
    }
    if (g_getenv("VPCFLOW_CLOUDWATCH_STATS"))
        fprintf(stderr, PROGRAM ": delivered %" G_GUINT64_FORMAT " events; %u event ids remembered\n",
                cap.delivered, cwl_seen_count(&cap.seen));
    fclose(cap.out);
    g_byte_array_free(cap.meta, TRUE);
    g_byte_array_free(cap.frame, TRUE);
    g_hash_table_destroy(cap.interfaces);
    cwl_seen_clear(&cap.seen);
    cwl_http_free(cap.http);
    aws_credentials_clear(&cap.creds);
    return status;
}
