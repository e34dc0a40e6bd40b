/* vpcflow-report-index.c
 * The open-addressing index of the report engine's tables (see
 * vpcflow-report-index.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-index.h"

#define FIRST_SLOTS 64

void
vpcflow_index_clear(vpcflow_index_t *index)
{
    g_free(index->slots);
    index->slots = NULL;
    index->n_slots = 0;
}

void
vpcflow_index_reserve(vpcflow_index_t *index, guint32 count)
{
    if ((guint64)(count + 1) * 4 <= (guint64)index->n_slots * 3)
        return;
    guint32 n = index->n_slots ? index->n_slots * 2 : FIRST_SLOTS;
    vpcflow_index_slot_t *slots = g_new0(vpcflow_index_slot_t, n);

    /* The stored hashes place every item again: no item is read. */
    for (guint32 i = 0; i < index->n_slots; i++) {
        if (!index->slots[i].item_plus_1)
            continue;
        guint32 at = index->slots[i].hash & (n - 1);
        while (slots[at].item_plus_1)
            at = (at + 1) & (n - 1);
        slots[at] = index->slots[i];
    }
    g_free(index->slots);
    index->slots = slots;
    index->n_slots = n;
}
