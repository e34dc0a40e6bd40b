/* vpcflow-report-groups.c
 * The groups of a report (see vpcflow-report-groups.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-groups.h"
#include "vpcflow-report-hash.h"
#include "vpcflow-report-index.h"

#include <string.h>

/* Groups per slab: small enough that a report of ten groups stays small. */
#define SLAB_SHIFT 8
#define SLAB_GROUPS (1u << SLAB_SHIFT)

struct vpcflow_groups {
    guint       n_cells;
    gsize       stride;         /* bytes per group, its cells included */
    guint64     seed;
    GPtrArray  *slabs;          /* SLAB_GROUPS groups each */
    guint32     count;
    vpcflow_index_t index;      /* hash of the key -> group number */
};

vpcflow_groups_t *
vpcflow_groups_new(guint n_cells)
{
    vpcflow_groups_t *t = g_new0(vpcflow_groups_t, 1);

    t->n_cells = n_cells;
    t->stride = sizeof(vpcflow_group_t) + n_cells * sizeof(vpcflow_cell_t);
    t->seed = vpcflow_hash_seed();
    t->slabs = g_ptr_array_new_with_free_func(g_free);
    return t;
}

void
vpcflow_groups_clear(vpcflow_groups_t *t)
{
    g_ptr_array_set_size(t->slabs, 0);
    t->count = 0;
    vpcflow_index_clear(&t->index);
}

void
vpcflow_groups_free(vpcflow_groups_t *t)
{
    if (!t)
        return;
    vpcflow_groups_clear(t);
    g_ptr_array_free(t->slabs, TRUE);
    g_free(t);
}

guint32
vpcflow_groups_count(const vpcflow_groups_t *t)
{
    return t->count;
}

vpcflow_group_t *
vpcflow_groups_get(const vpcflow_groups_t *t, guint32 i)
{
    char *slab = g_ptr_array_index(t->slabs, i >> SLAB_SHIFT);

    return (vpcflow_group_t *)(slab + (i & (SLAB_GROUPS - 1)) * t->stride);
}

static guint32
hash_key(const vpcflow_groups_t *t, const vpcflow_cell_t *key)
{
    guint64 h = t->seed;

    for (guint c = 0; c < t->n_cells; c++)
        h = vpcflow_hash_word(h, key[c]);
    return vpcflow_hash_finish(h);
}

static vpcflow_group_t *
new_group(vpcflow_groups_t *t, const vpcflow_cell_t *key)
{
    if ((t->count & (SLAB_GROUPS - 1)) == 0)
        g_ptr_array_add(t->slabs, g_malloc(SLAB_GROUPS * t->stride));
    /* Group numbers stay below 2^32 - 2: a group takes 48 bytes and
     * more, so memory ends long before the numbers do. */
    vpcflow_group_t *g = vpcflow_groups_get(t, t->count++);
    memset(g, 0, sizeof *g);
    memcpy(g->key, key, t->n_cells * sizeof(vpcflow_cell_t));
    return g;
}

vpcflow_group_t *
vpcflow_groups_find(vpcflow_groups_t *t, const vpcflow_cell_t *key)
{
    guint32 hash = hash_key(t, key);
    guint32 at, i;

    vpcflow_index_reserve(&t->index, t->count);
    for (at = vpcflow_index_first(&t->index, hash);
         (i = vpcflow_index_item(&t->index, at, hash)) != VPCFLOW_INDEX_EMPTY;
         at = vpcflow_index_next(&t->index, at)) {
        if (i == VPCFLOW_INDEX_EMPTY - 1)
            continue;
        vpcflow_group_t *g = vpcflow_groups_get(t, i);
        if (memcmp(g->key, key, t->n_cells * sizeof(vpcflow_cell_t)) == 0)
            return g;
    }
    vpcflow_index_put(&t->index, at, hash, t->count);
    return new_group(t, key);
}

double
vpcflow_group_sum(const vpcflow_group_t *g)
{
    return (double)g->sum_high * 18446744073709551616.0 + (double)g->sum_low;
}

gsize
vpcflow_group_sum_text(const vpcflow_group_t *g, char buf[VPCFLOW_GROUP_NUMBER_TEXT_MAX])
{
    /* The 128-bit number as four 32-bit limbs, most significant first,
     * divided by 10 until nothing is left: one digit a round. */
    guint32 limb[4] = { (guint32)(g->sum_high >> 32), (guint32)g->sum_high, (guint32)(g->sum_low >> 32),
                        (guint32)g->sum_low };
    char digits[VPCFLOW_GROUP_NUMBER_TEXT_MAX];
    gsize n = 0;
    gboolean left;

    if (!g->sum_high) {
        n = vpcflow_number_text(g->sum_low, buf);
        buf[n] = '\0';
        return n;
    }
    do {
        guint64 rest = 0;
        left = FALSE;
        for (guint i = 0; i < 4; i++) {
            guint64 part = rest << 32 | limb[i];
            limb[i] = (guint32)(part / 10);
            rest = part % 10;
            left |= limb[i] != 0;
        }
        digits[n++] = (char)('0' + rest);
    } while (left);
    for (gsize i = 0; i < n; i++)
        buf[i] = digits[n - 1 - i];
    buf[n] = '\0';
    return n;
}
