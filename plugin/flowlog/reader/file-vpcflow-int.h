/* file-vpcflow-int.h
 * What the parts of the flow-log reader share: the reader state, and
 * turning one record (from a text line or a JSON event) into a frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_FILE_VPCFLOW_INT_H
#define VPCSHARK_FILE_VPCFLOW_INT_H

#include "file-vpcflow.h"
#include "text-reader.h"

#include "vpcflow-format.h"
#include "vpcflow-frame.h"
#include "vpcflow-json.h"

#include <string.h>

/* What the file is. */
typedef enum {
    VPCFLOW_SHAPE_TEXT,         /* records one per line (S3, Firehose, headerless) */
    VPCFLOW_SHAPE_TEXT_STAMPED, /* CloudWatch Logs export to S3: "<ISO time> <record>" */
    VPCFLOW_SHAPE_JSON          /* CloudWatch Logs JSON (CLI, subscription, Lambda, NDJSON) */
} vpcflow_file_shape_t;

/* From offset on (until the next span) records use format. */
typedef struct {
    gint64                  offset;
    const vpcflow_format_t *format;     /* NULL when not known */
    vpcflow_source_t        source;
} format_span_t;

/* The document members that apply to the events of one events array. */
typedef struct {
    gint64   start, end;                /* the array's extent; end is G_MAXINT64 while open */
    vpcflow_json_context_t doc;
} json_context_t;

/* A frame that holds no record: a JSON error found while scanning. */
typedef struct {
    char    *problem;
} json_error_t;

typedef struct {
    vpcflow_file_shape_t shape;
    text_reader_t   sequential;
    text_reader_t   random;
    GHashTable     *formats;            /* text -> vpcflow_format_t, owned */
    GHashTable     *interfaces;         /* interface or stream name -> interface id + 1 */
    GArray         *spans;              /* format_span_t, ascending offsets */
    guint64         line_number;        /* lines read sequentially so far */

    /* JSON */
    vpcflow_json_scanner_t scanner;
    GArray         *contexts;           /* json_context_t, ascending starts */
    GHashTable     *errors;             /* offset -> json_error_t */
    GQueue         *pending;            /* events of a Lambda payload still to hand out */
    GPtrArray      *payload_frames;     /* random access: the frames of the last payload read */
    gint64          payload_frames_offset;
    gboolean        scan_ended;
} vpcflow_t;

/* One record, wherever it came from. */
typedef struct {
    const char  *text;                  /* the record (no end of line) */
    gsize        length;
    guint32      line;                  /* line number, 0 if none */
    guint32      line_length;           /* whole original line, if it was cut */
    guint8       flags;                 /* VPCFLOW_FLAG_LINE_* */
    GByteArray  *meta;                  /* vpcflow_meta_append() items, or NULL */
    gboolean     has_event_time;        /* CloudWatch timestamp, for records without start */
    gint64       event_time_ms;
    const char  *stream;                /* CloudWatch log stream, or NULL */
} vpcflow_record_t;

/*
 * Index + 1 of the last element of array (sorted by the gint64 member at
 * key_offset) whose key is at most value; 0 if there is none.
 */
static inline guint
vpcflow_last_at_or_before(const GArray *array, gsize key_offset, gint64 value)
{
    gsize size = g_array_get_element_size((GArray *)array);
    guint lo = 0, hi = array->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        gint64 key;
        memcpy(&key, array->data + mid * size + key_offset, sizeof key);
        if (key <= value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Build the frame for a record, with the format in force at its offset. */
void vpcflow_fill_record(wtap *wth, wtap_rec *rec, Buffer *buf, const format_span_t *span,
                         const vpcflow_record_t *record);

/* The format span a record at offset belongs to, or NULL. */
const format_span_t *vpcflow_span_at(const vpcflow_t *vf, gint64 offset);

/* Messages of the first events of a JSON file, for recognising the format;
 * *lambda tells whether a Lambda payload ({"awslogs":{"data":...}}) was met. */
void vpcflow_json_sample(wtap *wth, text_reader_t *reader, GPtrArray *lines, GArray *lengths, gsize max_bytes,
                         gboolean *lambda);

vpcshark_bool vpcflow_json_read(wtap *wth, wtap_rec *rec, Buffer *buf, int *err, gchar **err_info,
                                gint64 *data_offset);
vpcshark_bool vpcflow_json_seek_read(wtap *wth, gint64 position, wtap_rec *rec, Buffer *buf, int *err,
                                     gchar **err_info);
void vpcflow_json_init(vpcflow_t *vf);
void vpcflow_json_release(vpcflow_t *vf);

#endif /* VPCSHARK_FILE_VPCFLOW_INT_H */
