/* vpcflow-csv.c
 * Splitting CSV text into rows of values (vpcflow-csv.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-csv.h"

#include <string.h>

enum {
    FIELD_START,        /* nothing of the field yet */
    UNQUOTED,           /* in a field that did not start with a quote */
    QUOTED,             /* inside quotes */
    QUOTE_SEEN,         /* a quote inside quotes: doubled, or the closing one */
    AFTER_QUOTE         /* after the closing quote, before the comma */
};

void
vpcflow_csv_init(vpcflow_csv_t *csv)
{
    memset(csv, 0, sizeof *csv);
    csv->buffer = g_byte_array_new();
    csv->spans = g_array_new(FALSE, FALSE, sizeof(vpcflow_csv_field_t));
    vpcflow_csv_reset(csv);
}

void
vpcflow_csv_free(vpcflow_csv_t *csv)
{
    g_byte_array_free(csv->buffer, TRUE);
    g_array_free(csv->spans, TRUE);
    memset(csv, 0, sizeof *csv);
}

void
vpcflow_csv_reset(vpcflow_csv_t *csv)
{
    g_byte_array_set_size(csv->buffer, 0);
    g_array_set_size(csv->spans, 0);
    csv->values = NULL;
    csv->fields = NULL;
    csv->n_kept = 0;
    csv->n_fields = 0;
    csv->cut = FALSE;
    csv->bytes = 0;
    csv->lines = 1;
    csv->unclosed = FALSE;
    csv->quote_field = 0;
    csv->quote_line = 0;
    csv->state = FIELD_START;
    csv->field_start = 0;
    csv->pending_cr = FALSE;
    csv->eol = 0;
    csv->complete = FALSE;
}

/* Keep a byte of the current field, if the row still has room for it. */
static inline void
keep(vpcflow_csv_t *csv, guint8 c)
{
    if (csv->spans->len >= VPCFLOW_CSV_FIELDS_MAX)
        return;                 /* the field itself is not kept: counted as cut when it ends */
    if (csv->buffer->len >= VPCFLOW_CSV_BYTES_MAX) {
        csv->cut = TRUE;
        return;
    }
    g_byte_array_append(csv->buffer, &c, 1);
}

static void
end_field(vpcflow_csv_t *csv)
{
    if (csv->spans->len < VPCFLOW_CSV_FIELDS_MAX) {
        vpcflow_csv_field_t span = { csv->field_start, csv->buffer->len - csv->field_start };
        g_array_append_val(csv->spans, span);
    } else {
        csv->cut = TRUE;
    }
    csv->n_fields++;
    csv->field_start = csv->buffer->len;
    csv->state = FIELD_START;
}

static void
end_row(vpcflow_csv_t *csv)
{
    end_field(csv);
    csv->values = csv->buffer->data;
    csv->fields = (const vpcflow_csv_field_t *)(void *)csv->spans->data;
    csv->n_kept = csv->spans->len;
    csv->complete = TRUE;
}

gsize
vpcflow_csv_feed(vpcflow_csv_t *csv, const guint8 *data, gsize length, gboolean *complete)
{
    *complete = FALSE;
    if (csv->complete)
        vpcflow_csv_reset(csv);

    for (gsize i = 0; i < length; i++) {
        guint8 c = data[i];
        csv->bytes++;
        if (csv->state == QUOTED) {
            if (c == '"')
                csv->state = QUOTE_SEEN;
            else
                keep(csv, c);
            csv->lines += c == '\n';
            continue;
        }
        if (csv->state == QUOTE_SEEN) {
            if (c == '"') {             /* a doubled quote: one quote of the value */
                keep(csv, c);
                csv->state = QUOTED;
                continue;
            }
            csv->state = AFTER_QUOTE;
        }
        /* Outside quotes: "\r\n" ends the row as "\n" does; a lone "\r" is kept. */
        if (csv->pending_cr) {
            csv->pending_cr = FALSE;
            if (c == '\n') {
                csv->eol = 2;
                end_row(csv);
                *complete = TRUE;
                return i + 1;
            }
            keep(csv, '\r');
        }
        switch (c) {
        case '\r':
            csv->pending_cr = TRUE;
            break;
        case '\n':
            csv->eol = 1;
            end_row(csv);
            *complete = TRUE;
            return i + 1;
        case ',':
            end_field(csv);
            break;
        case '"':
            if (csv->state == FIELD_START) {
                csv->state = QUOTED;
                csv->quote_field = csv->n_fields;
                csv->quote_line = csv->lines - 1;
                break;
            }
            keep(csv, c);               /* a quote inside a value that did not start with one */
            break;
        default:
            if (csv->state == FIELD_START)
                csv->state = UNQUOTED;
            keep(csv, c);
            break;
        }
    }
    return length;
}

gboolean
vpcflow_csv_finish(vpcflow_csv_t *csv)
{
    if (csv->complete || csv->bytes == 0)
        return FALSE;
    csv->unclosed = csv->state == QUOTED;
    csv->eol = csv->pending_cr;     /* a last "\r" is the end of the line */
    csv->pending_cr = FALSE;
    end_row(csv);
    return TRUE;
}

gboolean
vpcflow_csv_row_is_blank(const vpcflow_csv_t *csv)
{
    return csv->bytes == csv->eol;
}
