/* cwl-api.h
 * CloudWatch Logs FilterLogEvents, as the live extcap calls it: the
 * request body, and what a response page holds (events, the next page's
 * token, or an error). Responses are read with the file reader's scanner
 * (vpcflow-json.h), so a live event is parsed exactly like the same event
 * in an exported file, and a hostile page meets the same limits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_CWL_API_H
#define VPCSHARK_CWL_API_H

#include <glib.h>

#include "vpcflow-json.h"

#define CWL_TARGET_FILTER_LOG_EVENTS "Logs_20140328.FilterLogEvents"
#define CWL_CONTENT_TYPE             "application/x-amz-json-1.1"
/* A page is at most 1 MB of events (AWS); this leaves room for escapes. */
#define CWL_RESPONSE_MAX             (8 * 1024 * 1024)

typedef struct {
    const char  *log_group;
    const char *const *log_streams;     /* NULL-terminated, or NULL: every stream */
    const char  *filter_pattern;        /* or NULL */
    gint64       start_ms;
    const char  *next_token;            /* or NULL: the first page */
    guint        limit;                 /* events per page, 0: the API's default */
} cwl_query_t;

/* The JSON body of a FilterLogEvents request (g_free it). */
char *cwl_filter_request(const cwl_query_t *query);

/* One response page. */
typedef struct {
    GPtrArray *events;          /* vpcflow_json_event_t *, in the page's order */
    char      *next_token;      /* NULL on the last page */
    char      *error_type;      /* __type of an error response ("ThrottlingException"), or NULL */
    char      *error_message;   /* its message, or what is wrong with the page */
    guint      problems;        /* events that could not be read (skipped) */
    char      *first_problem;
} cwl_page_t;

/*
 * Read a response body. An error response fills error_type and
 * error_message; a body that is no response at all sets error_message
 * alone. Never fails otherwise: unreadable events are counted.
 */
void cwl_page_parse(const guint8 *body, gsize len, cwl_page_t *page);
void cwl_page_clear(cwl_page_t *page);

/* A retryable error: throttling or the service being unavailable. */
gboolean cwl_error_is_transient(const char *error_type);

/*
 * A start time: "now", "-15m" (s, m, h, d before now), milliseconds
 * since the epoch, or ISO 8601 ("2024-05-01T10:00:00Z"; UTC when no zone
 * is given). now_ms: the present. FALSE with *error when unreadable.
 */
gboolean cwl_parse_start_time(const char *text, gint64 now_ms, gint64 *start_ms, char **error);

/*
 * Remembers the event ids already delivered, so overlapping polls do not
 * deliver an event twice. Ids are kept with their event time and dropped
 * once older than the window the next poll asks for: memory is bounded
 * by the events of that window.
 */
typedef struct {
    GHashTable *ids;            /* id -> event time (ms), in a gint64 */
} cwl_seen_t;

void cwl_seen_init(cwl_seen_t *seen);
void cwl_seen_clear(cwl_seen_t *seen);
/* TRUE if id is new (it is then remembered). */
gboolean cwl_seen_add(cwl_seen_t *seen, const char *id, gint64 time_ms);
/* Forget ids of events before start_ms (no poll asks for them again). */
void cwl_seen_forget_before(cwl_seen_t *seen, gint64 start_ms);
guint cwl_seen_count(const cwl_seen_t *seen);

#endif
