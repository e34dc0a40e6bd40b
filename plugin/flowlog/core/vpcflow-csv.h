/* vpcflow-csv.h
 * Splitting CSV text into rows of values, as query engines write their
 * results (Athena, Trino, DuckDB): fields separated by commas, rows by
 * "\n" or "\r\n", a field in double quotes may hold commas, line breaks
 * and doubled quotes ("" for one ").
 *
 * The splitter is fed bytes as they come and says where each row ends,
 * so a row may span lines and reads. Memory is bounded whatever the
 * input: a row keeps at most VPCFLOW_CSV_BYTES_MAX bytes of values and
 * VPCFLOW_CSV_FIELDS_MAX fields; beyond, values are counted, not kept,
 * and the row says it was cut.
 *
 * Lenient where no meaning is lost: a quote inside an unquoted value,
 * or text after a closing quote, is kept as it is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_CSV_H
#define VPCFLOW_CSV_H

#include <glib.h>

#include "vpcflow-format.h"
#include "vpcflow-record.h"

#define VPCFLOW_CSV_BYTES_MAX  VPCFLOW_RECORD_MAX
#define VPCFLOW_CSV_FIELDS_MAX (VPCFLOW_FORMAT_MAX_COLUMNS + 1)

typedef struct {
    gsize    offset;        /* in the row's values */
    gsize    length;
} vpcflow_csv_field_t;

typedef struct {
    /* The row, once vpcflow_csv_feed() or vpcflow_csv_finish() said it is complete. */
    const guint8 *values;       /* the kept values, back to back */
    const vpcflow_csv_field_t *fields;
    guint    n_kept;            /* fields kept */
    guint64  n_fields;          /* fields in the row, kept or not */
    gboolean cut;               /* some value bytes or fields were not kept */
    guint64  bytes;             /* bytes of the row in the text, end of line included */
    guint64  lines;             /* lines it spans (line breaks inside quotes + 1) */
    gboolean unclosed;          /* the text ended inside a quoted value (finish only) */
    guint64  quote_field;       /* ... of this field (from 0) */
    guint64  quote_line;        /* ... opened on this line of the row (from 0) */

    /* State of the splitter. */
    guint8     *buffer;         /* VPCFLOW_CSV_BYTES_MAX bytes */
    gsize       used;
    GArray     *spans;          /* vpcflow_csv_field_t */
    int         state;
    gsize       field_start;    /* in buffer */
    gboolean    pending_cr;     /* a "\r" outside quotes, kept only if no "\n" follows */
    guint       eol;            /* bytes of the complete row's end of line */
    gboolean    complete;       /* a complete row is in csv */
} vpcflow_csv_t;

void vpcflow_csv_init(vpcflow_csv_t *csv);
void vpcflow_csv_free(vpcflow_csv_t *csv);

/* Forget the row begun: the next byte fed starts a row. */
void vpcflow_csv_reset(vpcflow_csv_t *csv);

/*
 * Feed text. Returns how many bytes were used; *complete tells whether a
 * row ended (at its end of line, the last byte used): it is then in csv
 * until the next feed. Bytes not used start the next row.
 */
gsize vpcflow_csv_feed(vpcflow_csv_t *csv, const guint8 *data, gsize length, gboolean *complete);

/*
 * The text ended: complete the row begun, if any (a last row without an
 * end of line, or one whose quoted value was never closed: unclosed).
 * FALSE if no byte of a row was fed.
 */
gboolean vpcflow_csv_finish(vpcflow_csv_t *csv);

/* Whether the complete row is a blank line (no byte before its end of line). */
gboolean vpcflow_csv_row_is_blank(const vpcflow_csv_t *csv);

#endif /* VPCFLOW_CSV_H */
