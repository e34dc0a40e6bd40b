/* vpcflow-report-rank.c
 * Ranking the groups of a report (see vpcflow-report-rank.h).
 *
 * Groups are sorted by value alone first: numbers held in the ranking
 * itself, so the sort does not visit the groups. Only runs of equal
 * values (a count report of a million groups may be one run of 1s) are
 * then sorted by text: their values printed once, each followed by a
 * NUL, into a block freed after the run. Two such texts compare value by
 * value as strcmp() would when compared byte by byte; equal up to the
 * shorter's end, they are equal (both end with their last value's NUL).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-rank.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char      *values;    /* each value, then a NUL */
    gsize            len;
    vpcflow_group_t *group;
} by_text_t;

/* Ascending by the key: for a descending report the key is the value negated. */
static int
compare_keys(const void *a, const void *b)
{
    double ka = ((const vpcflow_ranked_t *)a)->metric, kb = ((const vpcflow_ranked_t *)b)->metric;

    return ka < kb ? -1 : ka > kb ? 1 : 0;
}

static int
compare_texts(const void *a, const void *b)
{
    const by_text_t *ta = a, *tb = b;
    int c = memcmp(ta->values, tb->values, MIN(ta->len, tb->len));

    return c ? c : ta->len < tb->len ? -1 : ta->len > tb->len ? 1 : 0;
}

/* Sort ranked[0..n) (equal values) by their groups' text. */
static void
sort_run_by_text(const vpcflow_report_t *r, vpcflow_ranked_t *ranked, guint32 n)
{
    by_text_t *texts = g_new(by_text_t, n);
    GString *block = g_string_new(NULL);
    char printed[VPCFLOW_CELL_TEXT_MAX];

    /* Offsets first: the block moves as it grows. */
    for (guint32 i = 0; i < n; i++) {
        gsize start = block->len;
        if (i + VPCFLOW_GROUP_PREFETCH_AHEAD < n)
            vpcflow_group_prefetch(ranked[i + VPCFLOW_GROUP_PREFETCH_AHEAD].group);
        for (guint b = 0; b < r->n_by; b++) {
            gsize len;
            const char *text = vpcflow_cell_text(r->strings, ranked[i].group->key[b], printed, &len);
            g_string_append_len(block, text, (gssize)len);
            g_string_append_c(block, '\0');
        }
        texts[i].values = GSIZE_TO_POINTER(start);
        texts[i].len = block->len - start;
        texts[i].group = ranked[i].group;
    }
    for (guint32 i = 0; i < n; i++)
        texts[i].values = block->str + GPOINTER_TO_SIZE(texts[i].values);
    qsort(texts, n, sizeof *texts, compare_texts);
    for (guint32 i = 0; i < n; i++)
        ranked[i].group = texts[i].group;
    g_string_free(block, TRUE);
    g_free(texts);
}

/* Sort ranked[0..n) by value, then the runs of equal values that start before needed by text. */
static void
sort_part(const vpcflow_report_t *r, vpcflow_ranked_t *ranked, guint32 n, guint32 needed)
{
    gboolean negated = !r->ascending;

    if (negated) {
        for (guint32 i = 0; i < n; i++)
            ranked[i].metric = -ranked[i].metric;
    }
    qsort(ranked, n, sizeof *ranked, compare_keys);
    if (negated) {
        for (guint32 i = 0; i < n; i++)
            ranked[i].metric = -ranked[i].metric;
    }
    for (guint32 start = 0, end; start < n && start < needed; start = end) {
        for (end = start + 1; end < n && ranked[end].metric == ranked[start].metric; end++)
            ;
        if (end - start > 1 && r->n_by)
            sort_run_by_text(r, ranked + start, end - start);
    }
}

vpcflow_ranked_t *
vpcflow_report_rank(const vpcflow_report_t *r, guint32 needed, guint32 *n_with_value)
{
    guint32 n = vpcflow_groups_count(r->groups);
    vpcflow_ranked_t *ranked = g_new(vpcflow_ranked_t, n ? n : 1);
    guint32 front = 0, back = n;

    /* With a value from the front, without from the back. */
    for (guint32 i = 0; i < n; i++) {
        vpcflow_group_t *g = vpcflow_groups_get(r->groups, i);
        gboolean absent;
        double metric = vpcflow_report_metric(r, g, &absent);
        vpcflow_ranked_t *slot = absent ? &ranked[--back] : &ranked[front++];
        slot->metric = metric;
        slot->group = g;
    }
    sort_part(r, ranked, front, needed);
    if (needed > front)
        sort_part(r, ranked + front, n - front, needed - front);
    *n_with_value = front;
    return ranked;
}
