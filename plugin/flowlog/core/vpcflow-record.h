/* vpcflow-record.h
 * The one record builder: whatever source a flow record comes from (a
 * text line, a CloudWatch Logs event, a Parquet or CSV row), it
 * becomes a frame here, and the facts a capture file needs about the
 * frame (its time, its capture interface) are read here.
 *
 * A source yields a vpcflow_record_t: the record's text, the format in
 * force for it and what the export says around it (metadata). The
 * builder knows nothing of files or of Wireshark; the file reader and
 * the live sources wrap what it gives.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_RECORD_H
#define VPCFLOW_RECORD_H

#include <glib.h>

#include "vpcflow-format.h"
#include "vpcflow-frame.h"
#include "vpcflow-tokens.h"

/* Longest record kept whole in a frame; longer ones keep their start and are flagged. */
#define VPCFLOW_RECORD_MAX 65536

/* One record as a source yields it; pointers stay the source's. */
typedef struct {
    const char   *text;             /* the record, without end of line */
    gsize         length;
    const vpcflow_format_t *format; /* NULL when not known (the dissector asks) */
    vpcflow_format_from_t   format_from;
    guint32       line;             /* line number in the file, 0 if none */
    guint32       line_length;      /* the whole original line, if it was cut; else 0 */
    guint8        flags;            /* VPCFLOW_FLAG_LINE_* */
    const guint8 *meta;             /* vpcflow_meta_append() items, or NULL */
    gsize         meta_length;
    gboolean      has_event_time;   /* CloudWatch Logs time, for a record without start */
    gint64        event_time_ms;
    const char   *stream;           /* CloudWatch Logs stream, or NULL */
    /* Where each value lies in text, for a source that wrote the text value
     * by value (a Parquet row) and so knows what vpcflow_tokenize() would
     * find; NULL: the builder splits the text itself. */
    const vpcflow_token_t *tokens;
    guint         n_tokens;
} vpcflow_record_t;

/* What a capture file says about a record's frame besides its bytes. */
typedef struct {
    gboolean      has_time;
    gint64        secs;
    gint32        nsecs;
    gboolean      time_in_ms;       /* the time has milliseconds */
    const char   *where;            /* the capture interface's name, or NULL */
    gsize         where_length;
} vpcflow_record_facts_t;

/* Bytes the frame of record takes. */
gsize vpcflow_record_frame_size(const vpcflow_record_t *record);

/* Write the frame of record to out, which has vpcflow_record_frame_size() bytes. */
void vpcflow_record_frame_store(guint8 *out, const vpcflow_record_t *record);

/*
 * The frame's time and interface: time is the record's start if it has
 * one that parses, else the CloudWatch Logs event time; the interface is
 * where the record was seen (vpcflow_record_where()), else the log stream.
 */
void vpcflow_record_facts(const vpcflow_record_t *record, vpcflow_record_facts_t *facts);

/*
 * The column that says where a record was seen, for its capture
 * interface and its summary: the first present of interface-id,
 * tgw-attachment-id and resource-id (a regional NAT gateway's record may
 * hold "-" as interface-id and its own id in resource-id: docs/aws-facts.md
 * says how far that is confirmed). -1 if none is there or
 * the record does not have the format's columns (tokens: n of them).
 */
int vpcflow_record_where(const vpcflow_format_t *format, const char *text, const vpcflow_token_t *tokens, guint n);

#endif /* VPCFLOW_RECORD_H */
