/* vpcflow-report.c
 * Grouped reports over flow records (see vpcflow-report.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report.h"
#include "vpcflow-fields.h"

#include <stdlib.h>
#include <string.h>

/* What list shows when no top= is given (the workshop's "limit 20"). */
#define LIST_DEFAULT_TOP 20
#define LIST_MAX_TOP 100000
#define KEY_SEPARATOR '\x1f'

typedef struct {
    char   **values;            /* the group's values of the by fields */
    char    *label;             /* the values joined, for displays */
    guint64  records;
    guint64  with_value;        /* records that had the value field */
    guint64  sum, min, max;
} group_t;

typedef struct {
    guint64  sort_value;
    char    *record;            /* the record text */
    vpcflow_format_t *format;   /* its column names */
    guint64  serial;            /* arrival order, for stable ties */
} listed_t;

struct vpcflow_report {
    vpcflow_report_op_t op;
    int         value_field;    /* catalogue index, VPCFLOW_REPORT_DURATION, or VF_UNKNOWN */
    int         by[VPCFLOW_REPORT_MAX_BY];
    guint       n_by;
    guint       top;
    gboolean    ascending;
    char       *filter;
    GHashTable *groups;         /* joined values -> group_t */
    GPtrArray  *listed;         /* listed_t, at most top, best first */
    guint64     records;
    group_t    *last;           /* the group the last record went to */
};

static const char *const op_names[] = { "count", "sum", "avg", "min", "max", "list" };

static void
group_free(gpointer data)
{
    group_t *g = data;

    g_strfreev(g->values);
    g_free(g->label);
    g_free(g);
}

static void
listed_free(gpointer data)
{
    listed_t *l = data;

    g_free(l->record);
    vpcflow_format_free(l->format);
    g_free(l);
}

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

static const char *
field_name(int field)
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
    if (strcmp(option, "sort=asc") == 0 || strcmp(option, "sort=desc") == 0) {
        r->ascending = option[5] == 'a';
        return TRUE;
    }
    /* A bare field name: the value field of sum/avg/min/max, the sort field of list. */
    int field = field_of(option);
    if (field == VF_UNKNOWN || r->value_field != VF_UNKNOWN || r->op == VPCFLOW_REPORT_COUNT) {
        *error = g_strdup_printf("\"%s\" is not understood here (expected by=, top=, sort=, filter=%s)", option,
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
            for (guint o = 0; o < G_N_ELEMENTS(op_names); o++) {
                if (strcmp(part, op_names[o]) == 0)
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
        *error = g_strdup_printf("%s needs a numeric field, such as bytes", op_names[r->op]);
        ok = FALSE;
    }
    if (!ok) {
        vpcflow_report_free(r);
        return NULL;
    }
    r->groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    r->listed = g_ptr_array_new_with_free_func(listed_free);
    return r;
}

void
vpcflow_report_free(vpcflow_report_t *r)
{
    if (!r)
        return;
    if (r->groups)
        g_hash_table_destroy(r->groups);
    if (r->listed)
        g_ptr_array_free(r->listed, TRUE);
    g_free(r->filter);
    g_free(r);
}

const char *
vpcflow_report_filter(const vpcflow_report_t *r)
{
    return r->filter;
}

void
vpcflow_report_reset(vpcflow_report_t *r)
{
    g_hash_table_remove_all(r->groups);
    g_ptr_array_set_size(r->listed, 0);
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

static void
add_listed(vpcflow_report_t *r, guint64 value, const char *record, const vpcflow_token_t *tokens,
           const vpcflow_format_t *format)
{
    guint n = r->listed->len;
    guint at = n;

    /* Sorted best first; a later record goes after equal ones. */
    while (at > 0) {
        listed_t *prev = g_ptr_array_index(r->listed, at - 1);
        if (r->ascending ? prev->sort_value <= value : prev->sort_value >= value)
            break;
        at--;
    }
    if (at >= r->top)
        return;
    if (format->n_columns == 0)
        return;
    listed_t *l = g_new0(listed_t, 1);
    gsize len = tokens[format->n_columns - 1].offset + tokens[format->n_columns - 1].length;
    l->sort_value = value;
    l->record = g_strndup(record, len);
    l->format = vpcflow_format_copy(format);
    l->serial = r->records;
    g_ptr_array_insert(r->listed, (gint)at, l);
    if (r->listed->len > r->top)
        g_ptr_array_remove_index(r->listed, r->listed->len - 1);
}

void
vpcflow_report_add(vpcflow_report_t *r, const char *record, const vpcflow_token_t *tokens,
                   const vpcflow_format_t *format)
{
    guint64 value = 0;
    gboolean has_value = r->value_field != VF_UNKNOWN && number_of(record, tokens, format, r->value_field, &value);

    r->records++;
    if (r->op == VPCFLOW_REPORT_LIST) {
        if (has_value)
            add_listed(r, value, record, tokens, format);
        return;
    }

    GString *key = g_string_new(NULL);
    const char *texts[VPCFLOW_REPORT_MAX_BY];
    gsize lens[VPCFLOW_REPORT_MAX_BY];
    for (guint b = 0; b < r->n_by; b++) {
        texts[b] = column_text(record, tokens, format, r->by[b], &lens[b]);
        /* A NUL byte ends a value (record text comes from the file, and
         * the key is a C string); the values are kept apart, not split
         * back out of the key, so there are always n_by of them. */
        if (!texts[b]) {
            texts[b] = "-";
            lens[b] = 1;
        }
        lens[b] = strnlen(texts[b], lens[b]);
        if (b)
            g_string_append_c(key, KEY_SEPARATOR);
        g_string_append_len(key, texts[b], (gssize)lens[b]);
    }
    group_t *g = g_hash_table_lookup(r->groups, key->str);
    if (!g) {
        g = g_new0(group_t, 1);
        g->values = g_new0(char *, r->n_by + 1);
        for (guint b = 0; b < r->n_by; b++)
            g->values[b] = g_strndup(texts[b], lens[b]);
        g->label = r->n_by ? g_strjoinv(" / ", g->values) : g_strdup("all");
        g_hash_table_insert(r->groups, g_string_free(key, FALSE), g);
    } else {
        g_string_free(key, TRUE);
    }
    r->last = g;
    g->records++;
    if (has_value) {
        g->min = g->with_value ? MIN(g->min, value) : value;
        g->max = g->with_value ? MAX(g->max, value) : value;
        g->with_value++;
        g->sum += value;
    }
}

/* The computed value of a group, for sorting and printing. */
static double
group_metric(const vpcflow_report_t *r, const group_t *g, gboolean *absent)
{
    *absent = FALSE;
    switch (r->op) {
    case VPCFLOW_REPORT_COUNT:
        return (double)g->records;
    case VPCFLOW_REPORT_SUM:
        return (double)g->sum;
    default:
        break;
    }
    if (!g->with_value) {
        *absent = TRUE;
        return 0;
    }
    if (r->op == VPCFLOW_REPORT_AVG)
        return (double)g->sum / (double)g->with_value;
    return (double)(r->op == VPCFLOW_REPORT_MIN ? g->min : g->max);
}

gboolean
vpcflow_report_last_group(const vpcflow_report_t *r, const char **label, double *value, gboolean *absent)
{
    if (!r->last)
        return FALSE;
    *label = r->last->label;
    *value = group_metric(r, r->last, absent);
    return TRUE;
}

gboolean
vpcflow_report_sums_bytes(const vpcflow_report_t *r)
{
    return r->op == VPCFLOW_REPORT_SUM && r->value_field == VF_BYTES;
}

static char *
metric_text(const vpcflow_report_t *r, const group_t *g)
{
    gboolean absent;
    double m = group_metric(r, g, &absent);

    if (absent)
        return g_strdup("-");
    switch (r->op) {
    case VPCFLOW_REPORT_COUNT:
        return g_strdup_printf("%" G_GUINT64_FORMAT, g->records);
    case VPCFLOW_REPORT_SUM:
        return g_strdup_printf("%" G_GUINT64_FORMAT, g->sum);
    case VPCFLOW_REPORT_AVG:
        return g_strdup_printf("%.1f", m);
    default:
        return g_strdup_printf("%" G_GUINT64_FORMAT, r->op == VPCFLOW_REPORT_MIN ? g->min : g->max);
    }
}

static int
compare_groups(gconstpointer a, gconstpointer b, gpointer data)
{
    const vpcflow_report_t *r = data;
    const group_t *ga = *(const group_t *const *)a, *gb = *(const group_t *const *)b;
    gboolean absent_a, absent_b;
    double ma = group_metric(r, ga, &absent_a), mb = group_metric(r, gb, &absent_b);

    if (absent_a != absent_b)
        return absent_a ? 1 : -1;           /* groups without a value last */
    if (ma != mb)
        return (ma < mb) == r->ascending ? -1 : 1;
    for (guint i = 0; ga->values[i] && gb->values[i]; i++) {
        int c = strcmp(ga->values[i], gb->values[i]);
        if (c)
            return c;
    }
    return 0;
}

/* Append rows of cells as a table: first row headings, numbers right-aligned. */
static void
append_table(GString *out, GPtrArray *rows, guint n_cols, guint right_from)
{
    gsize *width = g_new0(gsize, n_cols);

    for (guint r = 0; r < rows->len; r++) {
        char **cells = g_ptr_array_index(rows, r);
        for (guint c = 0; c < n_cols; c++)
            width[c] = MAX(width[c], (gsize)g_utf8_strlen(cells[c], -1));
    }
    for (guint r = 0; r < rows->len; r++) {
        char **cells = g_ptr_array_index(rows, r);
        for (guint c = 0; c < n_cols; c++) {
            gsize pad = width[c] - g_utf8_strlen(cells[c], -1);
            gboolean right = c >= right_from;
            if (c)
                g_string_append(out, "  ");
            if (right)
                g_string_append_printf(out, "%*s", (int)pad, "");
            g_string_append(out, cells[c]);
            if (!right && c + 1 < n_cols)
                g_string_append_printf(out, "%*s", (int)pad, "");
        }
        g_string_append_c(out, '\n');
        if (r == 0) {
            for (guint c = 0; c < n_cols; c++) {
                if (c)
                    g_string_append(out, "  ");
                for (gsize i = 0; i < width[c]; i++)
                    g_string_append_c(out, '-');
            }
            g_string_append_c(out, '\n');
        }
    }
    g_free(width);
}

static void
append_list(const vpcflow_report_t *r, GString *out)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    int present[256];
    guint n_present = 0;

    /* Columns: the known fields the listed records have, in AWS table order. */
    for (guint f = 0; f < vpcflow_field_count && n_present < G_N_ELEMENTS(present); f++) {
        for (guint i = 0; i < r->listed->len; i++) {
            if (vpcflow_format_column(((listed_t *)g_ptr_array_index(r->listed, i))->format, (int)f) >= 0) {
                present[n_present++] = (int)f;
                break;
            }
        }
    }
    char **head = g_new0(char *, n_present + 1);
    for (guint c = 0; c < n_present; c++)
        head[c] = g_strdup(vpcflow_fields[present[c]].name);
    g_ptr_array_add(rows, head);
    for (guint i = 0; i < r->listed->len; i++) {
        const listed_t *l = g_ptr_array_index(r->listed, i);
        vpcflow_token_t tokens[VPCFLOW_FORMAT_MAX_COLUMNS];
        guint n = vpcflow_tokenize(l->record, strlen(l->record), tokens, VPCFLOW_FORMAT_MAX_COLUMNS);
        char **cells = g_new0(char *, n_present + 1);
        for (guint c = 0; c < n_present; c++) {
            gsize len;
            int column = vpcflow_format_column(l->format, present[c]);
            /* A record kept up to a NUL byte has fewer columns than its format. */
            const char *text = column >= 0 && (guint)column < n ?
                               column_text(l->record, tokens, l->format, present[c], &len) : NULL;
            cells[c] = text ? g_strndup(text, len) : g_strdup("-");
        }
        g_ptr_array_add(rows, cells);
    }
    append_table(out, rows, n_present, n_present);
    g_ptr_array_free(rows, TRUE);
}

GString *
vpcflow_report_text(const vpcflow_report_t *r)
{
    GString *out = g_string_new(NULL);
    char *what = r->op == VPCFLOW_REPORT_COUNT ? g_strdup("count")
                 : g_strdup_printf("%s(%s)", op_names[r->op], field_name(r->value_field));

    g_string_append_printf(out, "VPC Flow Log report: %s", r->op == VPCFLOW_REPORT_LIST ? "records" : what);
    if (r->op == VPCFLOW_REPORT_LIST)
        g_string_append_printf(out, " sorted by %s", field_name(r->value_field));
    for (guint b = 0; b < r->n_by; b++)
        g_string_append_printf(out, "%s%s", b ? ", " : " by ", vpcflow_fields[r->by[b]].name);
    if (r->top)
        g_string_append_printf(out, "; top %u", r->top);
    g_string_append_printf(out, " (%s)\n", r->ascending ? "ascending" : "descending");
    if (r->filter)
        g_string_append_printf(out, "Filter: %s\n", r->filter);
    g_string_append_c(out, '\n');

    if (r->op == VPCFLOW_REPORT_LIST) {
        append_list(r, out);
        g_string_append_printf(out, "\n%u of %" G_GUINT64_FORMAT " records\n", r->listed->len, r->records);
        g_free(what);
        return out;
    }

    GPtrArray *groups = g_ptr_array_sized_new(g_hash_table_size(r->groups));
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, r->groups);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(groups, value);
    g_ptr_array_sort_with_data(groups, compare_groups, (gpointer)r);
    guint shown = r->top ? MIN(r->top, groups->len) : groups->len;

    GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    char **head = g_new0(char *, r->n_by + 2);
    for (guint b = 0; b < r->n_by; b++)
        head[b] = g_strdup(vpcflow_fields[r->by[b]].name);
    head[r->n_by] = g_strdup(what);
    g_ptr_array_add(rows, head);
    for (guint i = 0; i < shown; i++) {
        const group_t *g = g_ptr_array_index(groups, i);
        char **cells = g_new0(char *, r->n_by + 2);
        for (guint b = 0; b < r->n_by; b++)
            cells[b] = g_strdup(g->values[b]);
        cells[r->n_by] = metric_text(r, g);
        g_ptr_array_add(rows, cells);
    }
    append_table(out, rows, r->n_by + 1, r->n_by);
    g_string_append_printf(out, "\n%u of %u groups; %" G_GUINT64_FORMAT " records\n", shown, groups->len,
                           r->records);
    g_ptr_array_free(rows, TRUE);
    g_ptr_array_free(groups, TRUE);
    g_free(what);
    return out;
}
