/* stat-sums.c
 * 64-bit sums behind statistics-tree nodes (stat-sums.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "stat-sums.h"
#include "counters.h"

static GHashTable *sums_by_tree;    /* stats_tree * -> (key -> guint64 *) */

void
stat_sums_init(stats_tree *st)
{
    if (!sums_by_tree)
        sums_by_tree = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_hash_table_destroy);
    g_hash_table_replace(sums_by_tree, st, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free));
}

void
stat_sums_cleanup(stats_tree *st)
{
    if (sums_by_tree)
        g_hash_table_remove(sums_by_tree, st);
}

int
stat_sums_add(stats_tree *st, const char *key, const char *name, int parent, gboolean with_children,
              guint64 amount, guint64 unit)
{
    GHashTable *sums = sums_by_tree ? g_hash_table_lookup(sums_by_tree, st) : NULL;

    if (!sums)
        return -1;
    guint64 *sum = g_hash_table_lookup(sums, key);
    if (!sum) {
        sum = g_new0(guint64, 1);
        g_hash_table_insert(sums, g_strdup(key), sum);
    }
    *sum = vpcshark_add_saturating(*sum, amount);
    return set_stat_node(st, name, parent, with_children, vpcshark_count_clamp(*sum / MAX(unit, 1)));
}
