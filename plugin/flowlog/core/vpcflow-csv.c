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
    csv->buffer = g_malloc(VPCFLOW_CSV_BYTES_MAX);
    csv->spans = g_array_new(FALSE, FALSE, sizeof(vpcflow_csv_field_t));
    vpcflow_csv_reset(csv);
}

void
vpcflow_csv_free(vpcflow_csv_t *csv)
{
    g_free(csv->buffer);
    g_array_free(csv->spans, TRUE);
    memset(csv, 0, sizeof *csv);
}

void
vpcflow_csv_reset(vpcflow_csv_t *csv)
{
    csv->used = 0;
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

/* Keep bytes of the current field, as far as the row has room for them. */
static inline void
keep(vpcflow_csv_t *csv, const guint8 *bytes, gsize n)
{
    if (csv->spans->len >= VPCFLOW_CSV_FIELDS_MAX)
        return;                 /* the field itself is not kept: counted as cut when it ends */
    if (n > VPCFLOW_CSV_BYTES_MAX - csv->used) {
        n = VPCFLOW_CSV_BYTES_MAX - csv->used;
        csv->cut = TRUE;
    }
    memcpy(csv->buffer + csv->used, bytes, n);
    csv->used += n;
}

static void
end_field(vpcflow_csv_t *csv)
{
    if (csv->spans->len < VPCFLOW_CSV_FIELDS_MAX) {
        vpcflow_csv_field_t span = { csv->field_start, csv->used - csv->field_start };
        g_array_append_val(csv->spans, span);
    } else {
        csv->cut = TRUE;
    }
    csv->n_fields++;
    csv->field_start = csv->used;
    csv->state = FIELD_START;
}

static void
end_row(vpcflow_csv_t *csv)
{
    end_field(csv);
    csv->values = csv->buffer;
    csv->fields = (const vpcflow_csv_field_t *)(void *)csv->spans->data;
    csv->n_kept = csv->spans->len;
    csv->complete = TRUE;
}

/* One byte that may change the state; TRUE if it ended the row. */
static gboolean
step(vpcflow_csv_t *csv, guint8 c)
{
    static const guint8 quote = '"', cr = '\r';

    csv->bytes++;
    if (csv->state == QUOTE_SEEN) {
        if (c == '"') {             /* a doubled quote: one quote of the value */
            keep(csv, &quote, 1);
            csv->state = QUOTED;
            return FALSE;
        }
        csv->state = AFTER_QUOTE;
    }
    /* Outside quotes: "\r\n" ends the row as "\n" does; a lone "\r" is kept. */
    if (csv->pending_cr) {
        csv->pending_cr = FALSE;
        if (c == '\n') {
            csv->eol = 2;
            end_row(csv);
            return TRUE;
        }
        keep(csv, &cr, 1);
    }
    switch (c) {
    case '\r':
        csv->pending_cr = TRUE;
        return FALSE;
    case '\n':
        csv->eol = 1;
        end_row(csv);
        return TRUE;
    case ',':
        end_field(csv);
        return FALSE;
    case '"':
        if (csv->state == FIELD_START) {
            csv->state = QUOTED;
            csv->quote_field = csv->n_fields;
            csv->quote_line = csv->lines - 1;
            return FALSE;
        }
        break;                      /* a quote inside a value that did not start with one */
    default:
        break;
    }
    if (csv->state == FIELD_START)
        csv->state = UNQUOTED;
    keep(csv, &c, 1);
    return FALSE;
}

/* Bytes that end a run of plain value bytes outside quotes. */
static inline gboolean
is_special(guint8 c)
{
    return c == ',' || c == '\n' || c == '\r' || c == '"';
}

gsize
vpcflow_csv_feed(vpcflow_csv_t *csv, const guint8 *data, gsize length, gboolean *complete)
{
    gsize i = 0;

    *complete = FALSE;
    if (csv->complete)
        vpcflow_csv_reset(csv);

    /* Runs of plain bytes are kept at once; only quotes, commas and line ends take a step. */
    while (i < length) {
        gsize end = i;
        if (csv->state == QUOTED) {
            const guint8 *q = memchr(data + i, '"', length - i);
            end = q ? (gsize)(q - data) : length;
            for (const guint8 *nl = data + i; (nl = memchr(nl, '\n', (gsize)(data + end - nl))) != NULL; nl++)
                csv->lines++;
            keep(csv, data + i, end - i);
            csv->bytes += end - i;
            i = end;
            if (q) {
                csv->state = QUOTE_SEEN;
                csv->bytes++;
                i++;
            }
            continue;
        }
        if (csv->state != QUOTE_SEEN && !csv->pending_cr) {
            while (end < length && !is_special(data[end]))
                end++;
            if (end > i) {
                if (csv->state == FIELD_START)
                    csv->state = UNQUOTED;
                keep(csv, data + i, end - i);
                csv->bytes += end - i;
                i = end;
                continue;
            }
        }
        if (step(csv, data[i++])) {
            *complete = TRUE;
            return i;
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
