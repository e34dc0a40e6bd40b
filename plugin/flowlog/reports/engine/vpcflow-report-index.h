/* vpcflow-report-index.h
 * The lookup part of the report engine's two tables (interned strings,
 * groups): an open-addressing index of (hash, item number) pairs with
 * linear probing, kept at most 3/4 full. A probe compares stored hashes
 * before its owner compares an item, so most misses touch no item.
 *
 * Use: vpcflow_index_reserve() before looking for an item that may be
 * new; walk the slots from vpcflow_index_first() with
 * vpcflow_index_next() while vpcflow_index_item() is not
 * VPCFLOW_INDEX_EMPTY; if the item is not found, vpcflow_index_put() it
 * in the empty slot the walk ended on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_INDEX_H
#define VPCFLOW_REPORT_INDEX_H

#include <glib.h>

#define VPCFLOW_INDEX_EMPTY G_MAXUINT32

typedef struct {
    guint32 hash;
    guint32 item_plus_1;        /* 0: empty */
} vpcflow_index_slot_t;

typedef struct {
    vpcflow_index_slot_t *slots;
    guint32               n_slots;  /* 0 or a power of 2 */
} vpcflow_index_t;

/* Forget every item; the memory goes back. */
void vpcflow_index_clear(vpcflow_index_t *index);

/* Make room for item number count (items are numbered from 0, in order). */
void vpcflow_index_reserve(vpcflow_index_t *index, guint32 count);

static inline guint32
vpcflow_index_first(const vpcflow_index_t *index, guint32 hash)
{
    return hash & (index->n_slots - 1);
}

static inline guint32
vpcflow_index_next(const vpcflow_index_t *index, guint32 at)
{
    return (at + 1) & (index->n_slots - 1);
}

/* The item of a slot whose hash is hash, VPCFLOW_INDEX_EMPTY at an empty
 * slot, or VPCFLOW_INDEX_EMPTY - 1 when the slot holds another hash. */
static inline guint32
vpcflow_index_item(const vpcflow_index_t *index, guint32 at, guint32 hash)
{
    const vpcflow_index_slot_t *slot = &index->slots[at];

    if (!slot->item_plus_1)
        return VPCFLOW_INDEX_EMPTY;
    return slot->hash == hash ? slot->item_plus_1 - 1 : VPCFLOW_INDEX_EMPTY - 1;
}

static inline void
vpcflow_index_put(vpcflow_index_t *index, guint32 at, guint32 hash, guint32 item)
{
    index->slots[at].hash = hash;
    index->slots[at].item_plus_1 = item + 1;
}

#endif /* VPCFLOW_REPORT_INDEX_H */
