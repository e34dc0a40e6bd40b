/* vpcflow-json.h
 * Finding flow records in the JSON that CloudWatch Logs hands out:
 *
 *   aws logs filter-log-events / get-log-events:
 *       {"events":[{"logStreamName":"eni-..","timestamp":..,"message":"2 ...",..},..],"nextToken":".."}
 *   subscription-filter payloads (Kinesis, Firehose to S3, often gzip'd
 *   and back to back):
 *       {"messageType":"DATA_MESSAGE","owner":"..","logGroup":"..","logStream":"..",
 *        "subscriptionFilters":[..],"logEvents":[{"id":"..","timestamp":..,"message":"2 ..."},..]}
 *   the Lambda form, whose data is base64 of a gzip'd payload:
 *       {"awslogs":{"data":"H4sI..."}}
 *   newline-delimited JSON, one {"message":"2 ..."} per line.
 *
 * Files can be large (one CLI document of a million events), so the
 * scanner below never holds a whole document: it follows the structure
 * byte by byte (strings, nesting, member names) and cuts out one item at
 * a time: an event object, a small top-level document, the base64 text
 * of a Lambda payload. Each item is then parsed with Wireshark's own JSON
 * parser (wsutil/wsjson.h). Nothing here trusts the input: captures are
 * bounded, nesting is counted and never recursed into.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_JSON_H
#define VPCFLOW_JSON_H

#include <glib.h>

/* Largest event or document cut out whole; larger ones are flagged. */
#define VPCFLOW_JSON_ITEM_MAX       (1024 * 1024)
/* Largest Lambda payload (base64 text), and its size once inflated. */
#define VPCFLOW_JSON_PAYLOAD_MAX    (16 * 1024 * 1024)
#define VPCFLOW_JSON_INFLATED_MAX   (64 * 1024 * 1024)
/* Deeper nesting than this is reported, not followed. */
#define VPCFLOW_JSON_MAX_DEPTH      64
/* Items nested deeper than this are not handed to the parser. */
#define VPCFLOW_JSON_ITEM_MAX_DEPTH 16

typedef enum {
    VPCFLOW_JSON_NONE = 0,
    VPCFLOW_JSON_CONTEXT,       /* an events array begins: context describes its document */
    VPCFLOW_JSON_EVENTS_END,    /* that events array ends */
    VPCFLOW_JSON_EVENT,         /* an object of an events array, in capture */
    VPCFLOW_JSON_DOCUMENT,      /* a top-level object without an events array, in capture */
    VPCFLOW_JSON_PAYLOAD,       /* the base64 text of {"awslogs":{"data":...}}, in capture */
    VPCFLOW_JSON_ERROR          /* error says what and where; scanning resumes at the next document */
} vpcflow_json_item_t;

/* Members of a document that apply to all its events (NULL when absent). */
typedef struct {
    char *log_group;
    char *log_stream;
    char *owner;
    char *message_type;
    char *next_token;       /* nextToken of an API response: more pages follow */
    char *error_type;       /* __type of an API error response */
} vpcflow_json_context_t;

/* Copy (from may be NULL: all members NULL) and free the members. */
void vpcflow_json_context_copy(vpcflow_json_context_t *to, const vpcflow_json_context_t *from);
void vpcflow_json_context_clear(vpcflow_json_context_t *context);

typedef struct {
    /* Results, valid after vpcflow_json_scan() returned an item. */
    gint64                 item_offset;     /* where the item starts */
    GByteArray            *capture;         /* its bytes (escapes kept) */
    gboolean               capture_cut;     /* it was longer than the limit */
    guint                  item_depth;      /* deepest nesting inside the item */
    vpcflow_json_context_t context;
    char                   error[200];

    /* Scanner state. */
    gint64     offset;                      /* offset of the next byte */
    guint64    depth;                       /* open containers (counted even past the limit) */
    gboolean   in_string, escape;
    gboolean   skipping;                    /* after an error: until the next document */
    gboolean   top_array;                   /* inside a top-level [ ... ] of documents */
    guint8     kind[4];                     /* '{' or '[' for depths 1..3 */
    gboolean   expect_key[3];               /* in the objects at depths 1 and 2 */
    char       key[3][24];                  /* member name being read / last read, depths 1, 2 */
    guint      key_len[3];
    gboolean   key_long[3];
    int        string_role;                 /* what the current string is (see .c) */
    GString   *value;                       /* a context member's value being read */
    gboolean   events_array;                /* depth 2 is an events array */
    gboolean   in_event, in_payload;
    gboolean   container;                   /* this document holds events or a payload */
    GByteArray *document;                   /* the current top-level document, while small */
    gboolean   document_cut;
    gint64     document_offset;
    guint      document_depth;
    guint      capture_limit;
} vpcflow_json_scanner_t;

void vpcflow_json_scanner_init(vpcflow_json_scanner_t *s, gint64 offset);
void vpcflow_json_scanner_clear(vpcflow_json_scanner_t *s);

/*
 * Scan data (which starts at the scanner's offset). Stops right after the
 * byte that completes an item and returns the number of bytes consumed
 * with *item set; or consumes everything and sets *item to NONE.
 */
gsize vpcflow_json_scan(vpcflow_json_scanner_t *s, const guint8 *data, gsize len, vpcflow_json_item_t *item);

/* At the end of the data: an ERROR item if a document was left open. */
vpcflow_json_item_t vpcflow_json_scan_end(vpcflow_json_scanner_t *s);

/* One CloudWatch Logs event (or a {"message": ...} document). */
typedef struct {
    char    *message;           /* decoded */
    gboolean has_timestamp, has_ingestion_time;
    gint64   timestamp_ms, ingestion_time_ms;
    char    *log_stream;        /* logStreamName (CLI) or logStream */
    char    *log_group;
    char    *event_id;          /* eventId (CLI) or id (subscription) */
} vpcflow_json_event_t;

/*
 * Parse an event object cut out by the scanner. FALSE with *error (g_free
 * it) when it is not valid JSON, not an object, or has no string
 * "message" member.
 */
gboolean vpcflow_json_event_parse(const guint8 *json, gsize len, guint depth, vpcflow_json_event_t *event,
                                  char **error);
void vpcflow_json_event_clear(vpcflow_json_event_t *event);

/*
 * The metadata of an event's frame (vpcflow-frame.h items appended to
 * meta): log group and stream (the event's own, else its document's),
 * owner, message type other than DATA_MESSAGE, event and ingestion times
 * and event id. The file reader and the live extcap both build frames
 * with it, so a live frame carries what a frame of the same event read
 * from a file carries.
 */
void vpcflow_json_event_meta(GByteArray *meta, const vpcflow_json_event_t *event,
                             const vpcflow_json_context_t *context);

/*
 * Decode the base64 text of a Lambda payload (JSON string escapes
 * included) and inflate the gzip inside. NULL with *error on failure or
 * when the result would pass VPCFLOW_JSON_INFLATED_MAX.
 */
GByteArray *vpcflow_json_payload_decode(const guint8 *text, gsize len, char **error);

/* Decode JSON string escapes of a captured string value (in place, NUL-terminated). */
gboolean vpcflow_json_unescape(char *text);

#endif /* VPCFLOW_JSON_H */
