/* vpcflow-report-table.h
 * Text tables as reports print them: a heading row, a rule of dashes,
 * then the rows; each column as wide as its widest cell in characters,
 * columns two spaces apart, text left-aligned and numbers right-aligned.
 *
 * A table is measured in a first pass over its rows and written in a
 * second, in pieces to a sink, so that nothing holds a whole report of a
 * million groups as text at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_TABLE_H
#define VPCFLOW_REPORT_TABLE_H

#include <glib.h>

#include "vpcflow-report.h"

/* Text gathered up to a few KiB, then handed to a writer. */
typedef struct {
    GString                *buffer;
    vpcflow_report_write_t  write;
    void                   *data;
} vpcflow_sink_t;

void vpcflow_sink_init(vpcflow_sink_t *sink, vpcflow_report_write_t write, void *data);

/* Hand over what is left and free the buffer. */
void vpcflow_sink_finish(vpcflow_sink_t *sink);

/* The buffer to append to; call vpcflow_sink_flush() now and then. */
static inline GString *
vpcflow_sink_text(vpcflow_sink_t *sink)
{
    return sink->buffer;
}

/* Hand the buffer over once it is large enough. */
void vpcflow_sink_flush(vpcflow_sink_t *sink);

typedef struct {
    guint   n_cols;
    guint   right_from;         /* columns from this one on are right-aligned */
    gsize  *width;              /* per column, in characters */
    guint   rows_written;
} vpcflow_table_t;

void vpcflow_table_init(vpcflow_table_t *table, guint n_cols, guint right_from);
void vpcflow_table_clear(vpcflow_table_t *table);

/* First pass: a row's cells (n_cols of them, each lens[c] bytes), the heading first. */
void vpcflow_table_measure(vpcflow_table_t *table, const char *const *cells, const gsize *lens);

/* Second pass: the same rows in the same order; the rule follows the heading. */
void vpcflow_table_write(vpcflow_table_t *table, vpcflow_sink_t *sink, const char *const *cells, const gsize *lens);

#endif /* VPCFLOW_REPORT_TABLE_H */
