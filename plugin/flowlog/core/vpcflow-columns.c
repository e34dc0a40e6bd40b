/* vpcflow-columns.c
 * Flow records from rows of a table with named columns (vpcflow-columns.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-columns.h"

#include "vpcflow-fields.h"

#include <string.h>

/*
 * Names a table of other things may well have too ("version", "action",
 * "start", "bytes", "account_id", "instance_id", "region", ...) do not
 * tell a flow-log result; these do: the ends of a flow and what AWS says
 * of it.
 */
static gboolean
is_flow_name(int field)
{
    switch (field) {
    case VF_LOG_STATUS:
    case VF_FLOW_DIRECTION:
    case VF_TRAFFIC_PATH:
        return TRUE;
    default:
        return vpcflow_fields[field].type == VF_TYPE_ADDR || vpcflow_fields[field].type == VF_TYPE_PORT ||
               vpcflow_fields[field].type == VF_TYPE_TCP_FLAGS;
    }
}

/* A column name as a format name: characters a format cannot hold become '_'; an empty one is "column_<n>". */
static char *
column_name(const char *name, gsize length, guint index)
{
    if (length == 0)
        return g_strdup_printf("column_%u", index + 1);
    char *clean = g_strndup(name, length);
    for (gsize i = 0; i < length; i++) {
        if (!g_ascii_isalnum(clean[i]) && clean[i] != '-' && clean[i] != '_')
            clean[i] = '_';
    }
    return clean;
}

vpcflow_format_t *
vpcflow_columns_format(const char *const *names, const gsize *lengths, guint n, vpcflow_columns_census_t *census)
{
    if (census)
        memset(census, 0, sizeof *census);
    if (n == 0 || n > VPCFLOW_FORMAT_MAX_COLUMNS)
        return NULL;
    /* Taken as names, never as a format's syntax: a column may be called "parse". */
    char **clean = g_new0(char *, n + 1);
    for (guint c = 0; c < n; c++)
        clean[c] = column_name(names[c], lengths[c], c);
    vpcflow_format_t *format = vpcflow_format_from_names((const char *const *)clean, n);
    g_strfreev(clean);
    for (guint c = 0; census && c < format->n_columns; c++) {
        if (format->field[c] == VF_UNKNOWN)
            continue;
        census->known++;
        census->flow_names += is_flow_name(format->field[c]);
    }
    return format;
}

gboolean
vpcflow_columns_are_flow_result(const vpcflow_columns_census_t *census)
{
    return census->known >= 2 && census->flow_names >= 1;
}

/* n more bytes at the end of the row's text; the caller moves the length. */
static char *
row_room(vpcflow_row_t *row, gsize n)
{
    if (row->size - row->length < n + 1) {         /* + 1: the text ends in NUL */
        row->size = MAX(row->size * 2, row->length + n + 1);
        row->text = g_realloc(row->text, row->size);
    }
    return row->text + row->length;
}

/* Before a value: the separator; after it: its place. */
static void
value_begin(vpcflow_row_t *row)
{
    if (row->n_values > 0) {
        *row_room(row, 1) = ' ';
        row->length++;
    }
}

static void
value_end(vpcflow_row_t *row, gsize start)
{
    if (row->n_values < VPCFLOW_FORMAT_MAX_COLUMNS) {
        row->tokens[row->n_values].offset = (guint32)start;
        row->tokens[row->n_values].length = (guint32)(row->length - start);
    }
    row->n_values++;
    row->text[row->length] = '\0';
}

static void
add_bytes(vpcflow_row_t *row, const char *bytes, gsize n)
{
    value_begin(row);
    gsize start = row->length;
    memcpy(row_room(row, n), bytes, n);
    row->length += n;
    value_end(row, start);
}

void
vpcflow_row_begin(vpcflow_row_t *row)
{
    row->length = 0;
    row->n_values = 0;
    row->cut = FALSE;
    *row_room(row, 0) = '\0';
}

void
vpcflow_row_add_text(vpcflow_row_t *row, const guint8 *bytes, gsize length)
{
    static const char hex[] = "0123456789ABCDEF";

    if (length == 0 || (length == 4 && memcmp(bytes, "None", 4) == 0)) {
        add_bytes(row, "-", 1);
        return;
    }
    gsize n = MIN(length, VPCFLOW_COLUMN_VALUE_MAX);
    value_begin(row);
    gsize start = row->length;
    char *out = row_room(row, 3 * n);               /* each byte may become %XX */
    for (gsize i = 0; i < n; i++) {
        guint8 b = bytes[i];
        if (b > 0x20 && b != 0x7F) {
            *out++ = (char)b;
        } else {
            *out++ = '%';
            *out++ = hex[b >> 4];
            *out++ = hex[b & 0x0F];
        }
    }
    row->length = (gsize)(out - row->text);
    row->cut |= n < length;
    value_end(row, start);
}

const char *
vpcflow_decimal_text(char digits[VPCFLOW_DECIMAL_MAX], gint64 value, gsize *length)
{
    char *p = digits + VPCFLOW_DECIMAL_MAX;
    guint64 u = value < 0 ? 0 - (guint64)value : (guint64)value;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (value < 0)
        *--p = '-';
    *length = (gsize)(digits + VPCFLOW_DECIMAL_MAX - p);
    return p;
}

void
vpcflow_row_add_decimal(vpcflow_row_t *row, gint64 value)
{
    char digits[VPCFLOW_DECIMAL_MAX];
    gsize n;
    const char *text = vpcflow_decimal_text(digits, value, &n);

    add_bytes(row, text, n);
}

void
vpcflow_row_add_hex(vpcflow_row_t *row, const guint8 *bytes, gsize length)
{
    static const char hex[] = "0123456789abcdef";

    if (length == 0) {
        add_bytes(row, "-", 1);
        return;
    }
    gsize n = MIN(length, VPCFLOW_COLUMN_VALUE_MAX / 2);
    value_begin(row);
    gsize start = row->length;
    char *out = row_room(row, 2 * n);
    for (gsize i = 0; i < n; i++) {
        *out++ = hex[bytes[i] >> 4];
        *out++ = hex[bytes[i] & 0x0F];
    }
    row->length += 2 * n;
    row->cut |= n < length;
    value_end(row, start);
}

void
vpcflow_row_add_word(vpcflow_row_t *row, const char *word)
{
    if (word && *word)
        add_bytes(row, word, strlen(word));
    else
        add_bytes(row, "-", 1);
}

void
vpcflow_row_record(const vpcflow_row_t *row, vpcflow_record_t *record)
{
    gboolean kept = row->length <= VPCFLOW_RECORD_MAX;

    record->text = row->text;
    record->length = MIN(row->length, VPCFLOW_RECORD_MAX);
    if (kept) {
        record->tokens = row->tokens;
        record->n_tokens = row->n_values;
    }
    if (row->cut || !kept)
        record->flags |= VPCFLOW_FLAG_LINE_CUT;
}

void
vpcflow_row_free(vpcflow_row_t *row)
{
    g_free(row->text);
    row->text = NULL;
    row->length = row->size = 0;
}
