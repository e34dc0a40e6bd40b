/* record-source.h
 * What every input shape of the reader provides: a source of flow
 * records. A source knows how its shape is laid out in the file (text
 * lines, CloudWatch Logs JSON events, ...) and yields records with their
 * metadata; it knows nothing of frames. The file type (file-vpcflow.c)
 * turns each record into a frame with the one record builder
 * (vpcflow-record.h), whatever source it came from.
 *
 * A source reads sequentially (next) and finds a record again from the
 * position next gave for it (at). What a record points to stays valid
 * until the source's next call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_RECORD_SOURCE_H
#define VPCSHARK_RECORD_SOURCE_H

#include "wtap-compat.h"

#include "format-table.h"
#include "vpcflow-record.h"

/* The first records of a file, for deciding whether it is a flow log and in which format. */
typedef struct {
    GPtrArray *texts;           /* g_strndup'd record texts */
    GArray    *lengths;         /* gsize */
    gboolean   claim;           /* ours even if no record tells (a payload that gives none: its frame says why) */
    char      *refusal;         /* ours, but it cannot be read: why (g_free'd) */
} record_sample_t;

/* How many records the sample takes, and from how much of the file. */
#define RECORD_SAMPLE_RECORDS 32
#define RECORD_SAMPLE_BYTES   (1024 * 1024)

typedef struct record_source record_source_t;

/* What a source does; each source has one constant table of these. */
typedef struct {
    /*
     * Read the first records into sample, from the start of fh. FALSE
     * when the file is not of this shape (*err == 0) or could not be
     * read at all (*err set).
     */
    gboolean (*sample)(record_source_t *source, FILE_T fh, record_sample_t *sample, int *err, gchar **err_info);

    /* Read from the start again (fh is back at offset 0). */
    void (*restart)(record_source_t *source);

    /*
     * The next record and its position. FALSE at the end (*err == 0) or
     * on an error (*err, *err_info set, naming where).
     */
    gboolean (*next)(record_source_t *source, FILE_T fh, vpcflow_record_t *record, gint64 *position, int *err,
                     gchar **err_info);

    /* The record at a position next gave, read from fh (the random-access handle). */
    gboolean (*at)(record_source_t *source, FILE_T fh, gint64 position, vpcflow_record_t *record, int *err,
                   gchar **err_info);

    void (*free)(record_source_t *source);
} record_source_ops_t;

/* The part every source's state starts with. */
struct record_source {
    const record_source_ops_t *ops;
    gboolean time_in_ms;        /* its records' times have milliseconds (else whole seconds) */
};

void record_sample_init(record_sample_t *sample);
void record_sample_clear(record_sample_t *sample);
void record_sample_add(record_sample_t *sample, const char *text, gsize len);

#endif /* VPCSHARK_RECORD_SOURCE_H */
