/* vpcflow-report-text.c
 * A report as text: a heading, the table of groups (or of records, for
 * list), and a count.
 *
 * Groups come in the order vpcflow-report-rank.c gives them; their
 * values are printed from their cells as each row is written.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-int.h"
#include "vpcflow-report-rank.h"
#include "vpcflow-report-table.h"
#include "vpcflow-fields.h"

#include <string.h>

/* Room for a computed value as text: a 128-bit sum, or an average ("%.1f" of at most 2^128). */
#define METRIC_TEXT_MAX 64

/* A group's computed value as text, into buf; its length. */
static gsize
metric_text(const vpcflow_report_t *r, const vpcflow_ranked_t *ranked, gboolean absent, char buf[METRIC_TEXT_MAX])
{
    const vpcflow_group_t *g = ranked->group;

    if (absent) {
        buf[0] = '-';
        return 1;
    }
    switch (r->op) {
    case VPCFLOW_REPORT_COUNT:
        return vpcflow_number_text(g->records, buf);
    case VPCFLOW_REPORT_SUM:
        return vpcflow_group_sum_text(g, buf);
    case VPCFLOW_REPORT_AVG:
        return MIN((gsize)g_snprintf(buf, METRIC_TEXT_MAX, "%.1f", ranked->metric), (gsize)METRIC_TEXT_MAX - 1);
    default:
        return vpcflow_number_text(r->op == VPCFLOW_REPORT_MIN ? g->min : g->max, buf);
    }
}

/* The cells of a table row: the group's values (printed into printed[]), then its computed value. */
static void
row_of(const vpcflow_report_t *r, const vpcflow_ranked_t *ranked, gboolean absent,
       char printed[][VPCFLOW_CELL_TEXT_MAX], char metric[METRIC_TEXT_MAX], const char **cells, gsize *lens)
{
    for (guint b = 0; b < r->n_by; b++)
        cells[b] = vpcflow_cell_text(r->strings, ranked->group->key[b], printed[b], &lens[b]);
    cells[r->n_by] = metric;
    lens[r->n_by] = metric_text(r, ranked, absent, metric);
}

/* The heading row: the by= fields, then what is computed. */
static void
heading_of(const vpcflow_report_t *r, const char *what, const char **cells, gsize *lens)
{
    for (guint b = 0; b < r->n_by; b++) {
        cells[b] = vpcflow_fields[r->by[b]].name;
        lens[b] = strlen(cells[b]);
    }
    cells[r->n_by] = what;
    lens[r->n_by] = strlen(what);
}

static void
write_groups(const vpcflow_report_t *r, vpcflow_sink_t *sink, const char *what)
{
    guint32 n = vpcflow_groups_count(r->groups);
    guint32 shown = r->top ? MIN(r->top, n) : n;
    guint32 with_value;
    vpcflow_ranked_t *ranked = vpcflow_report_rank(r, shown, &with_value);
    const char *cells[VPCFLOW_REPORT_MAX_BY + 1];
    gsize lens[VPCFLOW_REPORT_MAX_BY + 1];
    char printed[VPCFLOW_REPORT_MAX_BY][VPCFLOW_CELL_TEXT_MAX];
    char metric[METRIC_TEXT_MAX];
    vpcflow_table_t table;
    gboolean absent;

    /* Measured, then written: each row is printed twice rather than kept.
     * When every group is shown, they are measured in the order they lie
     * in memory, before ranking; a few top ones, after. */
    vpcflow_table_init(&table, r->n_by + 1, r->n_by);
    heading_of(r, what, cells, lens);
    vpcflow_table_measure(&table, cells, lens);
    for (guint32 i = 0; i < shown; i++) {
        vpcflow_ranked_t row = ranked[i];
        if (shown == n) {
            row.group = vpcflow_groups_get(r->groups, i);
            row.metric = vpcflow_report_metric(r, row.group, &absent);
        } else {
            absent = i >= with_value;
        }
        row_of(r, &row, absent, printed, metric, cells, lens);
        vpcflow_table_measure(&table, cells, lens);
    }
    heading_of(r, what, cells, lens);
    vpcflow_table_write(&table, sink, cells, lens);
    for (guint32 i = 0; i < shown; i++) {
        if (i + VPCFLOW_GROUP_PREFETCH_AHEAD < shown)
            vpcflow_group_prefetch(ranked[i + VPCFLOW_GROUP_PREFETCH_AHEAD].group);
        row_of(r, &ranked[i], i >= with_value, printed, metric, cells, lens);
        vpcflow_table_write(&table, sink, cells, lens);
    }
    vpcflow_table_clear(&table);
    g_string_append_printf(vpcflow_sink_text(sink), "\n%u of %u groups; %" G_GUINT64_FORMAT " records\n", shown,
                           n, r->records);
    g_free(ranked);
}

/* The cells of a listed record in the columns present; "-" for those it lacks. */
static void
listed_row(const vpcflow_listed_t *l, const int *present, guint n_present, const char **cells, gsize *lens)
{
    const vpcflow_format_t *format = vpcflow_listed_format(l);
    vpcflow_token_t tokens[VPCFLOW_FORMAT_MAX_COLUMNS];
    guint n = vpcflow_tokenize(l->record, strlen(l->record), tokens, VPCFLOW_FORMAT_MAX_COLUMNS);

    for (guint c = 0; c < n_present; c++) {
        int column = vpcflow_format_column(format, present[c]);
        /* A record kept up to a NUL byte has fewer columns than its format. */
        if (column >= 0 && (guint)column < n &&
            !vpcflow_token_is_absent(l->record + tokens[column].offset, tokens[column].length)) {
            cells[c] = l->record + tokens[column].offset;
            lens[c] = tokens[column].length;
        } else {
            cells[c] = "-";
            lens[c] = 1;
        }
    }
}

static void
write_list(const vpcflow_report_t *r, vpcflow_sink_t *sink)
{
    GPtrArray *listed = vpcflow_list_sorted(r->listed);
    int present[256];
    guint n_present = 0;

    /* Columns: the known fields the listed records have, in AWS table order. */
    for (guint f = 0; f < vpcflow_field_count && n_present < G_N_ELEMENTS(present); f++) {
        for (guint i = 0; i < listed->len; i++) {
            if (vpcflow_format_column(vpcflow_listed_format(g_ptr_array_index(listed, i)), (int)f) >= 0) {
                present[n_present++] = (int)f;
                break;
            }
        }
    }
    const char **cells = g_new(const char *, n_present + 1);
    gsize *lens = g_new(gsize, n_present + 1);
    vpcflow_table_t table;
    vpcflow_table_init(&table, n_present, n_present);
    for (guint pass = 0; pass < 2; pass++) {
        for (guint c = 0; c < n_present; c++) {
            cells[c] = vpcflow_fields[present[c]].name;
            lens[c] = strlen(cells[c]);
        }
        if (pass == 0)
            vpcflow_table_measure(&table, cells, lens);
        else
            vpcflow_table_write(&table, sink, cells, lens);
        for (guint i = 0; i < listed->len; i++) {
            listed_row(g_ptr_array_index(listed, i), present, n_present, cells, lens);
            if (pass == 0)
                vpcflow_table_measure(&table, cells, lens);
            else
                vpcflow_table_write(&table, sink, cells, lens);
        }
    }
    vpcflow_table_clear(&table);
    g_string_append_printf(vpcflow_sink_text(sink), "\n%u of %" G_GUINT64_FORMAT " records\n", listed->len,
                           r->records);
    g_free(cells);
    g_free(lens);
    g_ptr_array_free(listed, TRUE);
}

/* What a group report computes, as its column is headed: "count", "sum(bytes)". */
static char *
what_of(const vpcflow_report_t *r)
{
    return r->op == VPCFLOW_REPORT_COUNT
               ? g_strdup("count")
               : g_strdup_printf("%s(%s)", vpcflow_report_op_names[r->op], vpcflow_report_field_name(r->value_field));
}

void
vpcflow_report_heading(const vpcflow_report_t *r, GString *out)
{
    char *what = what_of(r);

    g_string_append_printf(out, "VPC Flow Log report: %s", r->op == VPCFLOW_REPORT_LIST ? "records" : what);
    if (r->op == VPCFLOW_REPORT_LIST)
        g_string_append_printf(out, " sorted by %s", vpcflow_report_field_name(r->value_field));
    for (guint b = 0; b < r->n_by; b++)
        g_string_append_printf(out, "%s%s", b ? ", " : " by ", vpcflow_fields[r->by[b]].name);
    if (r->top)
        g_string_append_printf(out, "; top %u", r->top);
    g_string_append_printf(out, " (%s)\n", r->ascending ? "ascending" : "descending");
    if (r->filter)
        g_string_append_printf(out, "Filter: %s\n", r->filter);
    g_free(what);
}

void
vpcflow_report_write(const vpcflow_report_t *r, vpcflow_report_write_t write, void *data)
{
    vpcflow_sink_t sink;
    vpcflow_sink_init(&sink, write, data);
    GString *out = vpcflow_sink_text(&sink);
    char *what = what_of(r);

    vpcflow_report_heading(r, out);
    g_string_append_c(out, '\n');

    if (r->op == VPCFLOW_REPORT_LIST)
        write_list(r, &sink);
    else
        write_groups(r, &sink, what);
    g_free(what);
    vpcflow_sink_finish(&sink);
}

static void
append_text(const char *text, gsize len, void *data)
{
    g_string_append_len((GString *)data, text, (gssize)len);
}

GString *
vpcflow_report_text(const vpcflow_report_t *r)
{
    GString *out = g_string_new(NULL);

    vpcflow_report_write(r, append_text, out);
    return out;
}
