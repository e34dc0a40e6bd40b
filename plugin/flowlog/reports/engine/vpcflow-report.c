/* vpcflow-report.c
 * Grouped reports over flow records (see vpcflow-report.h): the spec,
 * and the accounting of each record into its group. The text is made by
 * vpcflow-report-text.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-int.h"
#include "vpcflow-fields.h"

#include <string.h>

/* What list shows when no top= is given (the workshop's "limit 20"). */
#define LIST_DEFAULT_TOP 20
#define LIST_MAX_TOP 100000

const char *const vpcflow_report_op_names[] = { "count", "sum", "avg", "min", "max", "list" };

static gboolean
is_numeric(int field)
{
    if (field == VPCFLOW_REPORT_DURATION)
        return TRUE;
    switch (vpcflow_fields[field].type) {
    case VF_TYPE_UINT:
    case VF_TYPE_PORT:
    case VF_TYPE_PROTOCOL:
    case VF_TYPE_COUNT:
    case VF_TYPE_TIME:
    case VF_TYPE_TCP_FLAGS:
        return TRUE;
    default:
        return FALSE;
    }
}

static int
field_of(const char *name)
{
    if (g_ascii_strcasecmp(name, "duration") == 0)
        return VPCFLOW_REPORT_DURATION;
    return vpcflow_field_lookup(name, strlen(name));
}

const char *
vpcflow_report_field_name(int field)
{
    return field == VPCFLOW_REPORT_DURATION ? "duration" : vpcflow_fields[field].name;
}

static gboolean
parse_by(vpcflow_report_t *r, const char *list, char **error)
{
    char **names = g_strsplit(list, ";", -1);
    gboolean ok = TRUE;

    if (!names[0]) {
        *error = g_strdup("by=: name at least one field");
        ok = FALSE;
    }
    for (char **n = names; *n && ok; n++) {
        char *name = g_strstrip(*n);
        int field = *name ? vpcflow_field_lookup(name, strlen(name)) : VF_UNKNOWN;
        if (field == VF_UNKNOWN) {
            *error = g_strdup_printf("by=: \"%s\" is not a flow-log field", name);
            ok = FALSE;
        } else if (r->n_by == VPCFLOW_REPORT_MAX_BY) {
            *error = g_strdup_printf("by=: at most %d fields", VPCFLOW_REPORT_MAX_BY);
            ok = FALSE;
        } else {
            r->by[r->n_by++] = field;
        }
    }
    g_strfreev(names);
    return ok;
}

/* A table name as Athena takes it unquoted: [database.]table, letters, digits and underscores. */
static gboolean
parse_table(vpcflow_report_t *r, const char *name, char **error)
{
    guint dots = 0;
    gboolean ok = g_ascii_isalpha(name[0]) || name[0] == '_';

    for (const char *c = name; *c && ok; c++) {
        if (*c == '.')
            ok = ++dots == 1 && c[1] && c[-1] != '.';
        else
            ok = g_ascii_isalnum(*c) || *c == '_';
    }
    if (!ok) {
        *error = g_strdup_printf("table=: \"%s\" is not a table name ([database.]table of letters, digits and _)",
                                 name);
        return FALSE;
    }
    g_free(r->table);
    r->table = g_strdup(name);
    return TRUE;
}

static gboolean
parse_option(vpcflow_report_t *r, const char *option, char **error)
{
    if (g_str_has_prefix(option, "by="))
        return parse_by(r, option + 3, error);
    if (g_str_has_prefix(option, "top=")) {
        char *end;
        gint64 n = g_ascii_strtoll(option + 4, &end, 10);
        if (*end || n < 1 || n > LIST_MAX_TOP) {
            *error = g_strdup_printf("top=: \"%s\" is not a number from 1 to %d", option + 4, LIST_MAX_TOP);
            return FALSE;
        }
        r->top = (guint)n;
        return TRUE;
    }
    if (g_str_has_prefix(option, "sql=")) {
        if (strcmp(option + 4, "athena") != 0) {
            *error = g_strdup_printf("sql=: \"%s\" is not a dialect made here (only athena)", option + 4);
            return FALSE;
        }
        r->sql = TRUE;
        return TRUE;
    }
    if (g_str_has_prefix(option, "table="))
        return parse_table(r, option + 6, error);
    if (strcmp(option, "sort=asc") == 0 || strcmp(option, "sort=desc") == 0) {
        r->ascending = option[5] == 'a';
        return TRUE;
    }
    /* A bare field name: the value field of sum/avg/min/max, the sort field of list. */
    int field = field_of(option);
    if (field == VF_UNKNOWN || r->value_field != VF_UNKNOWN || r->op == VPCFLOW_REPORT_COUNT) {
        *error = g_strdup_printf("\"%s\" is not understood here (expected by=, top=, sort=, sql=, table=, filter=%s)", option,
                                 r->op == VPCFLOW_REPORT_COUNT ? "" : " or one numeric field");
        return FALSE;
    }
    if (!is_numeric(field)) {
        *error = g_strdup_printf("\"%s\" is not a numeric field", option);
        return FALSE;
    }
    r->value_field = field;
    return TRUE;
}

vpcflow_report_t *
vpcflow_report_new(const char *spec, char **error)
{
    vpcflow_report_t *r = g_new0(vpcflow_report_t, 1);
    char *text = g_strdup(spec);
    char *filter = strstr(text, "filter=");
    gboolean ok = TRUE;

    r->value_field = VF_UNKNOWN;
    r->op = (vpcflow_report_op_t)-1;
    /* The filter runs to the end: it may hold commas. */
    if (filter && (filter == text || filter[-1] == ',')) {
        r->filter = g_strdup(filter + 7);
        *filter = '\0';
    }
    char **parts = g_strsplit(text, ",", -1);
    for (char **p = parts; *p && ok; p++) {
        char *part = g_strstrip(*p);
        if (!*part)
            continue;
        if ((int)r->op < 0) {
            for (guint o = 0; o < G_N_ELEMENTS(vpcflow_report_op_names); o++) {
                if (strcmp(part, vpcflow_report_op_names[o]) == 0)
                    r->op = (vpcflow_report_op_t)o;
            }
            if ((int)r->op < 0) {
                *error = g_strdup_printf("\"%s\" is not count, sum, avg, min, max or list", part);
                ok = FALSE;
            }
            continue;
        }
        ok = parse_option(r, part, error);
    }
    g_strfreev(parts);
    g_free(text);

    if (ok && r->table && !r->sql) {
        *error = g_strdup("table=: names the Athena table of sql=athena, which is not asked for");
        ok = FALSE;
    }
    if (ok && (int)r->op < 0) {
        *error = g_strdup("say what to compute: count, sum, avg, min, max or list");
        ok = FALSE;
    }
    if (ok && r->op == VPCFLOW_REPORT_LIST) {
        if (r->value_field == VF_UNKNOWN)
            r->value_field = VF_START;
        if (!r->top)
            r->top = LIST_DEFAULT_TOP;
    } else if (ok && r->op != VPCFLOW_REPORT_COUNT && r->value_field == VF_UNKNOWN) {
        *error = g_strdup_printf("%s needs a numeric field, such as bytes", vpcflow_report_op_names[r->op]);
        ok = FALSE;
    }
    if (!ok) {
        vpcflow_report_free(r);
        return NULL;
    }
    r->strings = vpcflow_intern_new();
    r->groups = vpcflow_groups_new(r->n_by);
    if (r->op == VPCFLOW_REPORT_LIST)
        r->listed = vpcflow_list_new(r->top, r->ascending);
    r->label = g_string_new(NULL);
    return r;
}

void
vpcflow_report_free(vpcflow_report_t *r)
{
    if (!r)
        return;
    vpcflow_groups_free(r->groups);
    vpcflow_intern_free(r->strings);
    vpcflow_list_free(r->listed);
    if (r->label)
        g_string_free(r->label, TRUE);
    g_free(r->filter);
    g_free(r->table);
    g_free(r);
}

const char *
vpcflow_report_filter(const vpcflow_report_t *r)
{
    return r->filter;
}

gboolean
vpcflow_report_wants_sql(const vpcflow_report_t *r)
{
    return r->sql;
}

void
vpcflow_report_reset(vpcflow_report_t *r)
{
    vpcflow_groups_clear(r->groups);
    vpcflow_intern_clear(r->strings);
    if (r->listed)
        vpcflow_list_clear(r->listed);
    r->records = 0;
    r->last = NULL;
}

/* The text of a field's column, or NULL when absent or "-". */
static const char *
column_text(const char *record, const vpcflow_token_t *tokens, const vpcflow_format_t *format, int field,
            gsize *len)
{
    int c = vpcflow_format_column(format, field);

    if (c < 0)
        return NULL;
    const char *text = record + tokens[c].offset;
    *len = tokens[c].length;
    return vpcflow_token_is_absent(text, *len) ? NULL : text;
}

static gboolean
number_of(const char *record, const vpcflow_token_t *tokens, const vpcflow_format_t *format, int field,
          guint64 *value)
{
    gsize len;
    const char *text;
    gint64 secs;
    gint32 nsecs;
    gboolean ms;

    if (field == VPCFLOW_REPORT_DURATION) {
        guint64 start, end;
        if (!number_of(record, tokens, format, VF_START, &start) || !number_of(record, tokens, format, VF_END, &end) ||
            end < start)
            return FALSE;
        *value = end - start;
        return TRUE;
    }
    if (!(text = column_text(record, tokens, format, field, &len)))
        return FALSE;
    if (vpcflow_fields[field].type == VF_TYPE_TIME) {
        if (!vpcflow_parse_time(text, len, &secs, &nsecs, &ms) || secs < 0)
            return FALSE;
        *value = (guint64)secs;
        return TRUE;
    }
    return vpcflow_parse_uint64(text, len, value);
}

void
vpcflow_report_add(vpcflow_report_t *r, const char *record, const vpcflow_token_t *tokens,
                   const vpcflow_format_t *format)
{
    guint64 value = 0;
    gboolean has_value = r->value_field != VF_UNKNOWN && number_of(record, tokens, format, r->value_field, &value);

    r->records++;
    if (r->op == VPCFLOW_REPORT_LIST) {
        /* The record's text runs to the end of its last column. */
        if (has_value && format->n_columns > 0) {
            const vpcflow_token_t *last = &tokens[format->n_columns - 1];
            vpcflow_list_offer(r->listed, value, r->records, record, (gsize)last->offset + last->length, format);
        }
        return;
    }

    vpcflow_cell_t key[VPCFLOW_REPORT_MAX_BY];
    for (guint b = 0; b < r->n_by; b++) {
        gsize len;
        const char *text = column_text(record, tokens, format, r->by[b], &len);
        if (!text) {
            text = "-";
            len = 1;
        }
        /* A NUL byte ends a value: record text comes from the file, and
         * a value is text. */
        const char *nul = memchr(text, '\0', len);
        key[b] = vpcflow_cell_pack(r->strings, text, nul ? (gsize)(nul - text) : len);
    }
    r->last = vpcflow_groups_find(r->groups, key);
    vpcflow_group_account(r->last, has_value, value);
}

double
vpcflow_report_metric(const vpcflow_report_t *r, const vpcflow_group_t *g, gboolean *absent)
{
    *absent = FALSE;
    switch (r->op) {
    case VPCFLOW_REPORT_COUNT:
        return (double)g->records;
    case VPCFLOW_REPORT_SUM:
        return vpcflow_group_sum(g);
    default:
        break;
    }
    if (!g->with_value) {
        *absent = TRUE;
        return 0;
    }
    if (r->op == VPCFLOW_REPORT_AVG)
        return vpcflow_group_sum(g) / (double)g->with_value;
    return (double)(r->op == VPCFLOW_REPORT_MIN ? g->min : g->max);
}

gboolean
vpcflow_report_last_group(const vpcflow_report_t *r, const char **label, double *value, gboolean *absent)
{
    char buf[VPCFLOW_CELL_TEXT_MAX];

    if (!r->last)
        return FALSE;
    g_string_truncate(r->label, 0);
    for (guint b = 0; b < r->n_by; b++) {
        gsize len;
        const char *text = vpcflow_cell_text(r->strings, r->last->key[b], buf, &len);
        if (b)
            g_string_append(r->label, " / ");
        g_string_append_len(r->label, text, (gssize)len);
    }
    if (!r->n_by)
        g_string_append(r->label, "all");
    *label = r->label->str;
    *value = vpcflow_report_metric(r, r->last, absent);
    return TRUE;
}

gboolean
vpcflow_report_sums_bytes(const vpcflow_report_t *r)
{
    return r->op == VPCFLOW_REPORT_SUM && r->value_field == VF_BYTES;
}
