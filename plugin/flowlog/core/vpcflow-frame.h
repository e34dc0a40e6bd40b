/* vpcflow-frame.h
 * The bytes of one flow-log frame, shared by the reader, the writer and
 * the dissector.
 *
 * A frame is an Exported PDU record (LINKTYPE_WIRESHARK_UPPER_PDU) naming
 * the "vpcflow" dissector, so that it can be saved as pcapng, merged
 * with other captures and reopened without the file reader. Its payload
 * is an envelope that carries everything needed to decode the record on
 * its own: the format (column names), where the line came from, and
 * metadata of the export it was taken from (log stream, event time).
 *
 *   Exported PDU options
 *      0  u16  tag 12 (dissector name)   u16  length 8   "vpcflow\0"
 *     12  u16  tag 0 (end of options)    u16  length 0
 *   Envelope (big-endian)
 *     16  'V' 'F'  magic
 *     18  u8   envelope version (1)
 *     19  u8   flags: bits 0-1 where the format came from, 0x04 line cut at the length
 *              limit, 0x08 the file ended inside the line
 *     20  u32  line number in the file, 0 if not known
 *     24  u32  length of the original line (without end of line)
 *     28  u16  F = length of the format text
 *     30  u16  M = length of the metadata
 *     32  F bytes  format: field names separated by single spaces
 *         M bytes  metadata: (u8 type, u16 length, value) items
 *         the rest: the record, as it appears in the file
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_FRAME_H
#define VPCFLOW_FRAME_H

#include <glib.h>

#define VPCFLOW_DISSECTOR_NAME     "vpcflow"
#define VPCFLOW_EPDU_PREFIX_LEN    16
#define VPCFLOW_ENVELOPE_HEADER_LEN 16
#define VPCFLOW_ENVELOPE_VERSION   1

/* Where the format of a frame came from. */
typedef enum {
    VPCFLOW_FORMAT_FROM_NONE = 0,        /* unknown: the vpcflow.format preference decides */
    VPCFLOW_FORMAT_FROM_HEADER = 1,      /* the file's header line */
    VPCFLOW_FORMAT_FROM_DETECTED = 2,    /* recognised from the shape of the values */
    VPCFLOW_FORMAT_FROM_CONFIGURED = 3   /* given by the user when the file was opened */
} vpcflow_format_from_t;

#define VPCFLOW_FLAG_FORMAT_FROM_MASK   0x03
#define VPCFLOW_FLAG_LINE_CUT      0x04
#define VPCFLOW_FLAG_LINE_PARTIAL  0x08

/* Metadata item types. */
typedef enum {
    VPCFLOW_META_LOG_GROUP = 1,     /* CloudWatch Logs group */
    VPCFLOW_META_LOG_STREAM = 2,    /* CloudWatch Logs stream (one per interface) */
    VPCFLOW_META_EVENT_TIME = 3,    /* event timestamp, ms since the epoch, decimal text */
    VPCFLOW_META_INGESTION_TIME = 4,/* ingestion timestamp, ms, decimal text */
    VPCFLOW_META_EVENT_ID = 5,
    VPCFLOW_META_LINE_PREFIX = 6,   /* text before the record on its line */
    VPCFLOW_META_OWNER = 7,         /* account that owns the log group */
    VPCFLOW_META_PROBLEM = 8,       /* the frame holds no record: what went wrong instead */
    VPCFLOW_META_MESSAGE_TYPE = 9,  /* CloudWatch subscription message type other than DATA_MESSAGE */
    VPCFLOW_META_OFFSET = 10,       /* byte offset of the item in the uncompressed file, decimal text */
    VPCFLOW_META_ROW = 11,          /* row of a table (Parquet) in the file, from 1, decimal text */
    VPCFLOW_META_ROW_GROUP = 12,    /* Parquet row group holding the row, from 0, decimal text */
    VPCFLOW_META_CSV_PROBLEM = 13   /* the CSV row is not one record: what is wrong, where */
} vpcflow_meta_type_t;

typedef struct {
    vpcflow_format_from_t format_from;
    guint8        flags;            /* VPCFLOW_FLAG_LINE_* */
    guint32       line;
    guint32       line_length;
    const char   *format;
    guint16       format_length;
    const guint8 *meta;
    guint16       meta_length;
    const char   *record;
    guint32       record_length;
} vpcflow_envelope_t;

/* Bytes a frame for env takes, Exported PDU options included. */
gsize vpcflow_frame_size(const vpcflow_envelope_t *env);

/* Write the frame for env to out, which has vpcflow_frame_size() bytes. */
void vpcflow_frame_store(guint8 *out, const vpcflow_envelope_t *env);

/*
 * Find the payload of an Exported PDU record and tell whether it is for
 * the vpcflow dissector. Walks the options, so records exported by
 * Wireshark itself (with more options) are understood too.
 */
gboolean vpcflow_epdu_payload(const guint8 *data, gsize len, gsize *payload_offset);

/* Parse an envelope (the payload); pointers in env point into data. */
gboolean vpcflow_envelope_parse(const guint8 *data, gsize len, vpcflow_envelope_t *env);

/* Append one metadata item; values longer than 65535 bytes are cut. */
void vpcflow_meta_append(GByteArray *meta, vpcflow_meta_type_t type, const void *value, gsize len);

/*
 * Iterate metadata: *offset starts at 0. Returns FALSE at the end or on
 * an item that runs past the end.
 */
gboolean vpcflow_meta_next(const guint8 *meta, gsize len, gsize *offset,
                           guint8 *type, const guint8 **value, guint16 *value_len);

/*
 * The reader's record position. A record is found again from its byte
 * offset; the line number rides along in the same 64-bit value so that
 * random access gives the line without rescanning the file. Offsets
 * below 64 GiB and line numbers below 2^26 are packed; beyond that only
 * the offset is kept (bit 62 set) and the line number is lost.
 */
#define VPCFLOW_POS_OFFSET_BITS 36
#define VPCFLOW_POS_LINE_BITS   26
#define VPCFLOW_POS_RAW_FLAG    (G_GINT64_CONSTANT(1) << 62)

static inline gint64
vpcflow_pos_pack(gint64 offset, guint64 line)
{
    if (offset < (G_GINT64_CONSTANT(1) << VPCFLOW_POS_OFFSET_BITS) &&
        line < (G_GUINT64_CONSTANT(1) << VPCFLOW_POS_LINE_BITS))
        return (gint64)(line << VPCFLOW_POS_OFFSET_BITS) | offset;
    return VPCFLOW_POS_RAW_FLAG | offset;
}

static inline gint64
vpcflow_pos_offset(gint64 pos)
{
    if (pos & VPCFLOW_POS_RAW_FLAG)
        return pos & ~VPCFLOW_POS_RAW_FLAG;
    return pos & ((G_GINT64_CONSTANT(1) << VPCFLOW_POS_OFFSET_BITS) - 1);
}

static inline guint32
vpcflow_pos_line(gint64 pos)
{
    if (pos & VPCFLOW_POS_RAW_FLAG)
        return 0;
    return (guint32)((guint64)pos >> VPCFLOW_POS_OFFSET_BITS);
}

#endif /* VPCFLOW_FRAME_H */
