/* vpcflow-columns.h
 * Flow records that come as rows of a table with named columns (Parquet
 * files, CSV query results): the column names make the record's format,
 * and each row becomes the text record the other sources give, so the
 * one record builder and everything after it work as for text exports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_COLUMNS_H
#define VPCFLOW_COLUMNS_H

#include <glib.h>

#include "vpcflow-format.h"
#include "vpcflow-record.h"

/* Longest value text kept in a record; longer ones are cut and the record flagged. */
#define VPCFLOW_COLUMN_VALUE_MAX 4096

/* What a table's column names say about it. */
typedef struct {
    guint known;        /* columns that are flow-log fields */
    guint flow_names;   /* ... of them, names only a flow record has (addresses, ports, log_status, ...) */
} vpcflow_columns_census_t;

/*
 * The format of a table's rows: its column names (n of them, each
 * names[c] of lengths[c] bytes) with underscores, hyphens or camelCase,
 * characters a format cannot hold turned into '_', an empty name called
 * "column_<n>". Unknown names are kept. NULL if n is 0 or above
 * VPCFLOW_FORMAT_MAX_COLUMNS. census, if not NULL, is filled in.
 */
vpcflow_format_t *vpcflow_columns_format(const char *const *names, const gsize *lengths, guint n,
                                         vpcflow_columns_census_t *census);

/*
 * Whether the columns are those of a flow-log query result, strictly
 * enough that an ordinary table with a "version" or "action" column is
 * not taken: at least two flow-log fields, one of them a name only a
 * flow record has.
 */
gboolean vpcflow_columns_are_flow_result(const vpcflow_columns_census_t *census);

/*
 * A row written as record text: its values in column order, separated by
 * single spaces, with where each one lies. The record builder then takes
 * those places instead of splitting the text again (a third of the cost
 * a table's row adds over a text line), and the text is written into a
 * buffer that only grows (GString's calls took a fifth of the reading time).
 */
typedef struct {
    char            *text;          /* NUL-terminated */
    gsize            length;
    gsize            size;
    vpcflow_token_t  tokens[VPCFLOW_FORMAT_MAX_COLUMNS];    /* the first values' places */
    guint            n_values;      /* values written, kept places or not */
    gboolean         cut;           /* a value was cut at VPCFLOW_COLUMN_VALUE_MAX */
} vpcflow_row_t;

/* Start a row (the buffer is kept from the last one). */
void vpcflow_row_begin(vpcflow_row_t *row);

/*
 * A text value: "-" when missing (empty, or "None", what pandas writes
 * for Python's None), else the bytes with blanks, control bytes and DEL
 * percent-encoded (as AWS does in tag values) so it stays one token, cut
 * at VPCFLOW_COLUMN_VALUE_MAX.
 */
void vpcflow_row_add_text(vpcflow_row_t *row, const guint8 *bytes, gsize length);

/* An integer in decimal (printf costs a third of the reading time of a file of numbers). */
void vpcflow_row_add_decimal(vpcflow_row_t *row, gint64 value);

/* Bytes in lower-case hexadecimal, cut at VPCFLOW_COLUMN_VALUE_MAX digits; "-" for none. */
void vpcflow_row_add_hex(vpcflow_row_t *row, const guint8 *bytes, gsize length);

/* A value that is one word already (a number printed by the caller, "true"), or "-" for a missing one. */
void vpcflow_row_add_word(vpcflow_row_t *row, const char *word);

/*
 * The row as a record's text and value places: text cut at
 * VPCFLOW_RECORD_MAX (then no places: the builder splits what the frame
 * keeps), flagged VPCFLOW_FLAG_LINE_CUT when it or a value was cut.
 * Other members of record are left alone.
 */
void vpcflow_row_record(const vpcflow_row_t *row, vpcflow_record_t *record);

/* Give back the row's buffer. */
void vpcflow_row_free(vpcflow_row_t *row);

/* An integer in decimal at the end of digits: where it starts, its length in *length. */
#define VPCFLOW_DECIMAL_MAX 24
const char *vpcflow_decimal_text(char digits[VPCFLOW_DECIMAL_MAX], gint64 value, gsize *length);

#endif /* VPCFLOW_COLUMNS_H */
