/* vpcflow-report-table.c
 * Text tables of the reports (see vpcflow-report-table.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-table.h"

/* The writer gets pieces of about this size. */
#define SINK_PIECE (64 * 1024)

void
vpcflow_sink_init(vpcflow_sink_t *sink, vpcflow_report_write_t write, void *data)
{
    sink->buffer = g_string_new(NULL);
    sink->write = write;
    sink->data = data;
}

static void
hand_over(vpcflow_sink_t *sink)
{
    if (sink->buffer->len)
        sink->write(sink->buffer->str, sink->buffer->len, sink->data);
    g_string_truncate(sink->buffer, 0);
}

void
vpcflow_sink_flush(vpcflow_sink_t *sink)
{
    if (sink->buffer->len >= SINK_PIECE)
        hand_over(sink);
}

void
vpcflow_sink_finish(vpcflow_sink_t *sink)
{
    hand_over(sink);
    g_string_free(sink->buffer, TRUE);
    sink->buffer = NULL;
}

void
vpcflow_table_init(vpcflow_table_t *t, guint n_cols, guint right_from)
{
    t->n_cols = n_cols;
    t->right_from = right_from;
    t->width = g_new0(gsize, n_cols ? n_cols : 1);
    t->rows_written = 0;
}

void
vpcflow_table_clear(vpcflow_table_t *t)
{
    g_free(t->width);
    t->width = NULL;
}

/* Characters, as UTF-8 counts them; never past len, whatever the bytes.
 * Most cells (addresses, numbers, ids) are ASCII: a byte each. */
static gsize
characters(const char *text, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        if ((guchar)text[i] >= 0x80)
            return (gsize)g_utf8_strlen(text, (gssize)len);
    }
    return len;
}

void
vpcflow_table_measure(vpcflow_table_t *t, const char *const *cells, const gsize *lens)
{
    for (guint c = 0; c < t->n_cols; c++)
        t->width[c] = MAX(t->width[c], characters(cells[c], lens[c]));
}

static void
append_spaces(GString *out, gsize n)
{
    for (gsize i = 0; i < n; i++)
        g_string_append_c(out, ' ');
}

void
vpcflow_table_write(vpcflow_table_t *t, vpcflow_sink_t *sink, const char *const *cells, const gsize *lens)
{
    GString *out = vpcflow_sink_text(sink);

    for (guint c = 0; c < t->n_cols; c++) {
        gsize pad = t->width[c] - characters(cells[c], lens[c]);
        gboolean right = c >= t->right_from;
        if (c)
            g_string_append(out, "  ");
        if (right)
            append_spaces(out, pad);
        g_string_append_len(out, cells[c], (gssize)lens[c]);
        if (!right && c + 1 < t->n_cols)
            append_spaces(out, pad);
    }
    g_string_append_c(out, '\n');
    if (t->rows_written++ == 0) {
        for (guint c = 0; c < t->n_cols; c++) {
            if (c)
                g_string_append(out, "  ");
            for (gsize i = 0; i < t->width[c]; i++)
                g_string_append_c(out, '-');
        }
        g_string_append_c(out, '\n');
    }
    vpcflow_sink_flush(sink);
}
