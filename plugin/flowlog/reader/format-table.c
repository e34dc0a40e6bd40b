/* format-table.c
 * The formats of one file and where each applies (format-table.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "format-table.h"

#include <stddef.h>
#include <string.h>

void
format_table_init(format_table_t *table)
{
    table->formats = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)vpcflow_format_free);
    table->spans = g_array_new(FALSE, FALSE, sizeof(format_span_t));
}

void
format_table_clear(format_table_t *table)
{
    if (table->formats)
        g_hash_table_destroy(table->formats);
    if (table->spans)
        g_array_free(table->spans, TRUE);
    table->formats = NULL;
    table->spans = NULL;
}

/* Keep one copy of each format; returns the stored one. */
static const vpcflow_format_t *
intern(format_table_t *table, vpcflow_format_t *format)
{
    const vpcflow_format_t *known = g_hash_table_lookup(table->formats, format->text);

    if (known) {
        vpcflow_format_free(format);
        return known;
    }
    g_hash_table_insert(table->formats, format->text, format);
    return format;
}

void
format_table_add(format_table_t *table, gint64 offset, vpcflow_format_t *format, vpcflow_format_from_t from)
{
    const vpcflow_format_t *stored = intern(table, format);

    if (table->spans->len > 0) {
        const format_span_t *last = &g_array_index(table->spans, format_span_t, table->spans->len - 1);
        if (last->format == stored && last->from == from)
            return;
    }
    format_span_t span = { offset, stored, from };
    g_array_append_val(table->spans, span);
}

const format_span_t *
format_table_at(const format_table_t *table, gint64 offset)
{
    guint n = sorted_array_last_at_or_before(table->spans, offsetof(format_span_t, offset), offset);

    return n == 0 ? NULL : &g_array_index(table->spans, format_span_t, n - 1);
}

guint
sorted_array_last_at_or_before(const GArray *array, gsize key_offset, gint64 value)
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
