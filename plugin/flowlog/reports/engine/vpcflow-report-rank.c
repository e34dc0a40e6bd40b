/* vpcflow-report-rank.c
 * Ranking the groups of a report (see vpcflow-report-rank.h).
 *
 * A group's text, for ties, is its values each followed by a NUL: two
 * such texts compare value by value as strcmp() would when compared
 * byte by byte, and equal up to the shorter's end they are equal (both
 * end with their last value's NUL).
 *
 * Groups are sorted by value first: numbers held in the ranking itself,
 * so the sort does not visit the groups (which lie in the order they
 * were made, and are slow to reach in any other), a byte at a time
 * (radix sort) when there are many. Runs of equal values are then sorted
 * by the first 8 bytes of the text, also held in the ranking (taken
 * while the groups are read in their own order); only runs of equal
 * prefixes need the whole text, printed into a block freed after the
 * run. A count report of a million groups may be one run of 1s.
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

#define PREFIX_SIZE 8

/* Below this many groups a comparison sort is as quick. */
#define RADIX_MIN 1024
#define RADIX_PASSES 8

/* A value's bits as a number that orders as the value does (flipped for
 * a descending report): the sign bit set for positive values, every bit
 * flipped for negative ones. Values are never NaN. */
static guint64
order_key(double metric, gboolean descending)
{
    guint64 bits;

    memcpy(&bits, &metric, sizeof bits);
    bits = (bits >> 63) ? ~bits : bits | G_GUINT64_CONSTANT(0x8000000000000000);
    return descending ? ~bits : bits;
}

static int
compare_ascending(const void *a, const void *b)
{
    double ka = ((const vpcflow_ranked_t *)a)->metric, kb = ((const vpcflow_ranked_t *)b)->metric;

    return ka < kb ? -1 : ka > kb ? 1 : 0;
}

static int
compare_descending(const void *a, const void *b)
{
    return compare_ascending(b, a);
}

static int
compare_prefixes(const void *a, const void *b)
{
    guint64 pa = ((const vpcflow_ranked_t *)a)->prefix, pb = ((const vpcflow_ranked_t *)b)->prefix;

    return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/* The first bytes of a group's text as a big-endian number (0 after its
 * end): numbers compare as the texts' first bytes do. */
static guint64
prefix_of(const vpcflow_report_t *r, const vpcflow_group_t *g)
{
    char printed[VPCFLOW_CELL_TEXT_MAX];
    guint64 prefix = 0;
    guint used = 0;

    for (guint b = 0; b < r->n_by && used < PREFIX_SIZE; b++) {
        gsize len;
        const char *text = vpcflow_cell_text(r->strings, g->key[b], printed, &len);
        for (gsize i = 0; i <= len && used < PREFIX_SIZE; i++, used++)
            prefix |= (guint64)(i < len ? (guchar)text[i] : 0) << (8 * (PREFIX_SIZE - 1 - used));
    }
    return prefix;
}

/* Least significant byte first; a byte all keys share costs no pass. */
static void
radix_sort(vpcflow_ranked_t *ranked, guint32 n, gboolean descending)
{
    guint32 count[RADIX_PASSES][256];
    vpcflow_ranked_t *from = ranked, *to = g_new(vpcflow_ranked_t, n);

    memset(count, 0, sizeof count);
    for (guint32 i = 0; i < n; i++) {
        guint64 key = order_key(ranked[i].metric, descending);
        for (guint p = 0; p < RADIX_PASSES; p++)
            count[p][(key >> (8 * p)) & 0xff]++;
    }
    for (guint p = 0; p < RADIX_PASSES; p++) {
        if (count[p][(order_key(from[0].metric, descending) >> (8 * p)) & 0xff] == n)
            continue;
        guint32 at[256], sum = 0;
        for (guint b = 0; b < 256; b++) {
            at[b] = sum;
            sum += count[p][b];
        }
        for (guint32 i = 0; i < n; i++)
            to[at[(order_key(from[i].metric, descending) >> (8 * p)) & 0xff]++] = from[i];
        vpcflow_ranked_t *swap = from;
        from = to;
        to = swap;
    }
    if (from != ranked) {
        memcpy(ranked, from, n * sizeof *ranked);
        to = from;
    }
    g_free(to);
}

static int
compare_texts(const void *a, const void *b)
{
    const by_text_t *ta = a, *tb = b;
    int c = memcmp(ta->values, tb->values, MIN(ta->len, tb->len));

    return c ? c : ta->len < tb->len ? -1 : ta->len > tb->len ? 1 : 0;
}

/* Sort ranked[0..n) (equal values and prefixes) by their groups' text. */
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

/* Sort ranked[0..n) (equal values) by text: by prefix, then runs of equal prefixes by the whole text. */
static void
sort_run(const vpcflow_report_t *r, vpcflow_ranked_t *ranked, guint32 n)
{
    qsort(ranked, n, sizeof *ranked, compare_prefixes);
    for (guint32 start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && ranked[end].prefix == ranked[start].prefix; end++)
            ;
        if (end - start > 1)
            sort_run_by_text(r, ranked + start, end - start);
    }
}

/* Sort ranked[0..n) by value, then the runs of equal values that start before needed by text. */
static void
sort_part(const vpcflow_report_t *r, vpcflow_ranked_t *ranked, guint32 n, guint32 needed)
{
    if (n >= RADIX_MIN)
        radix_sort(ranked, n, !r->ascending);
    else
        qsort(ranked, n, sizeof *ranked, r->ascending ? compare_ascending : compare_descending);
    for (guint32 start = 0, end; start < n && start < needed; start = end) {
        for (end = start + 1; end < n && ranked[end].metric == ranked[start].metric; end++)
            ;
        if (end - start > 1 && r->n_by)
            sort_run(r, ranked + start, end - start);
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
        slot->prefix = prefix_of(r, g);
        slot->group = g;
    }
    sort_part(r, ranked, front, needed);
    if (needed > front)
        sort_part(r, ranked + front, n - front, needed - front);
    *n_with_value = front;
    return ranked;
}
