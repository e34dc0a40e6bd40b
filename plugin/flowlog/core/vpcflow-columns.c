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

gboolean
vpcflow_columns_append_value(GString *out, const guint8 *bytes, gsize length)
{
    static const char hex[] = "0123456789ABCDEF";

    if (length == 0 || (length == 4 && memcmp(bytes, "None", 4) == 0)) {
        g_string_append_c(out, '-');
        return TRUE;
    }
    gsize n = MIN(length, VPCFLOW_COLUMN_VALUE_MAX);
    gsize plain = 0;        /* start of the bytes not yet appended */
    for (gsize i = 0; i < n; i++) {
        if (bytes[i] > 0x20 && bytes[i] != 0x7F)
            continue;
        char escape[3] = { '%', hex[bytes[i] >> 4], hex[bytes[i] & 0x0F] };
        g_string_append_len(out, (const char *)bytes + plain, (gssize)(i - plain));
        g_string_append_len(out, escape, sizeof escape);
        plain = i + 1;
    }
    g_string_append_len(out, (const char *)bytes + plain, (gssize)(n - plain));
    return n == length;
}

void
vpcflow_columns_append_decimal(GString *out, gint64 value)
{
    char digits[24];
    char *p = digits + sizeof digits;
    guint64 u = value < 0 ? 0 - (guint64)value : (guint64)value;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (value < 0)
        *--p = '-';
    g_string_append_len(out, p, digits + sizeof digits - p);
}
