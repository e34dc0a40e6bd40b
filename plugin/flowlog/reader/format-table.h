/* format-table.h
 * The formats of one file and where each applies: a source adds a span
 * when it meets a header line (concatenated exports have several) or
 * when the open routine recognises a headerless layout; every record
 * takes the format of the span it lies in.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_FORMAT_TABLE_H
#define VPCSHARK_FORMAT_TABLE_H

#include <glib.h>

#include "vpcflow-format.h"
#include "vpcflow-frame.h"

typedef struct {
    GHashTable *formats;        /* text -> vpcflow_format_t, owned */
    GArray     *spans;          /* format_span_t, ascending offsets */
} format_table_t;

/* From offset on (until the next span) records use format. */
typedef struct {
    gint64                  offset;
    const vpcflow_format_t *format;
    vpcflow_format_from_t   from;
} format_span_t;

void format_table_init(format_table_t *table);
void format_table_clear(format_table_t *table);

/* Records from offset on use format (taken over: the table keeps one copy of each). */
void format_table_add(format_table_t *table, gint64 offset, vpcflow_format_t *format, vpcflow_format_from_t from);

/* The span a record at offset lies in, or NULL before the first. */
const format_span_t *format_table_at(const format_table_t *table, gint64 offset);

/*
 * Index + 1 of the last element of array (sorted by the gint64 member at
 * key_offset) whose key is at most value; 0 if there is none.
 */
guint sorted_array_last_at_or_before(const GArray *array, gsize key_offset, gint64 value);

#endif /* VPCSHARK_FORMAT_TABLE_H */
