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
 * Append one value as a record token: "-" when missing (empty, or
 * "None", what pandas writes for Python's None), else the bytes with
 * blanks, control bytes and DEL percent-encoded (as AWS does in tag
 * values) so it stays one token, cut at VPCFLOW_COLUMN_VALUE_MAX.
 * FALSE if it was cut.
 */
gboolean vpcflow_columns_append_value(GString *out, const guint8 *bytes, gsize length);

/* Append an integer in decimal (printf costs a third of the reading time of a file of numbers). */
void vpcflow_columns_append_decimal(GString *out, gint64 value);

#endif /* VPCFLOW_COLUMNS_H */
