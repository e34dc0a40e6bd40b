/* mirror-dedup.c
 * The duplicate window: a ring of the packets seen in the last window
 * (oldest first) and an open-addressing index from fingerprint to ring
 * slot. Expiry pops the ring's head, so the work per packet is constant
 * and nothing is allocated per packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mirror-dedup.h"

#include <string.h>

#define INITIAL_SLOTS 1024u
#define EMPTY 0u /* index cells hold slot number + 1 */

typedef struct {
    guint64 fingerprint;
    guint64 source;
    gint64 ts_ns;
    guint32 frame;
} slot_t;

struct mirror_dedup {
    gint64 window_ns;
    guint max_slots;

    slot_t *ring;
    guint ring_cap;
    guint head;     /* oldest slot */
    guint count;    /* slots in use (live or superseded) */

    guint32 *index; /* open addressing, linear probing */
    guint index_mask;
    guint live;     /* fingerprints in the index */
};

static guint
ideal_cell(const mirror_dedup_t *dd, guint64 fingerprint)
{
    /* Fingerprints are already well mixed hashes. */
    return (guint)(fingerprint ^ (fingerprint >> 32)) & dd->index_mask;
}

/* Cell holding fingerprint, or the empty cell where it would go. */
static guint
find_cell(const mirror_dedup_t *dd, guint64 fingerprint)
{
    guint cell = ideal_cell(dd, fingerprint);

    while (dd->index[cell] != EMPTY && dd->ring[dd->index[cell] - 1].fingerprint != fingerprint) {
        cell = (cell + 1) & dd->index_mask;
    }
    return cell;
}

/* Removes a cell, moving later cells of the same probe run back so that
 * every entry stays reachable from its ideal cell. */
static void
remove_cell(mirror_dedup_t *dd, guint hole)
{
    guint next = hole;

    dd->index[hole] = EMPTY;
    dd->live--;
    for (;;) {
        guint ideal;

        next = (next + 1) & dd->index_mask;
        if (dd->index[next] == EMPTY) {
            return;
        }
        ideal = ideal_cell(dd, dd->ring[dd->index[next] - 1].fingerprint);
        /* Can the entry at next move into the hole? Only if its ideal
         * cell is not strictly between the hole and next (cyclically). */
        if ((next > hole && (ideal <= hole || ideal > next)) ||
            (next < hole && ideal <= hole && ideal > next)) {
            dd->index[hole] = dd->index[next];
            dd->index[next] = EMPTY;
            hole = next;
        }
    }
}

static void
build_index(mirror_dedup_t *dd)
{
    guint cells = 1;
    guint i;

    while (cells < dd->ring_cap * 2) {
        cells <<= 1;
    }
    g_free(dd->index);
    dd->index = g_new0(guint32, cells);
    dd->index_mask = cells - 1;
    dd->live = 0;
    /* Oldest first: a later slot with the same fingerprint supersedes. */
    for (i = 0; i < dd->count; i++) {
        guint slot = (dd->head + i) % dd->ring_cap;
        guint cell = find_cell(dd, dd->ring[slot].fingerprint);

        if (dd->index[cell] == EMPTY) {
            dd->live++;
        }
        dd->index[cell] = slot + 1;
    }
}

mirror_dedup_t *
mirror_dedup_new(gint64 window_ns, guint max_entries)
{
    mirror_dedup_t *dd = g_new0(mirror_dedup_t, 1);

    dd->window_ns = window_ns < 0 ? 0 : window_ns;
    dd->max_slots = MAX(max_entries, 16u);
    dd->ring_cap = MIN(INITIAL_SLOTS, dd->max_slots);
    dd->ring = g_new0(slot_t, dd->ring_cap);
    build_index(dd);
    return dd;
}

void
mirror_dedup_free(mirror_dedup_t *dd)
{
    if (dd == NULL) {
        return;
    }
    g_free(dd->ring);
    g_free(dd->index);
    g_free(dd);
}

guint
mirror_dedup_size(const mirror_dedup_t *dd)
{
    return dd->live;
}

guint
mirror_dedup_capacity(const mirror_dedup_t *dd)
{
    return dd->ring_cap;
}

/* Forgets the oldest slot. */
static void
pop_head(mirror_dedup_t *dd)
{
    slot_t *old = &dd->ring[dd->head];
    guint cell = find_cell(dd, old->fingerprint);

    /* Superseded slots are no longer in the index. */
    if (dd->index[cell] == dd->head + 1) {
        remove_cell(dd, cell);
    }
    dd->head = (dd->head + 1) % dd->ring_cap;
    dd->count--;
}

static void
grow(mirror_dedup_t *dd)
{
    guint cap = MIN(dd->ring_cap * 2, dd->max_slots);
    slot_t *ring = g_new(slot_t, cap);
    guint i;

    for (i = 0; i < dd->count; i++) {
        ring[i] = dd->ring[(dd->head + i) % dd->ring_cap];
    }
    g_free(dd->ring);
    dd->ring = ring;
    dd->ring_cap = cap;
    dd->head = 0;
    build_index(dd);
}

static gboolean
within(gint64 a, gint64 b, gint64 window)
{
    /* Unsigned, so that hostile timestamps cannot overflow. */
    guint64 d = a > b ? (guint64)a - (guint64)b : (guint64)b - (guint64)a;

    return d <= (guint64)window;
}

guint32
mirror_dedup_check(mirror_dedup_t *dd, guint64 fingerprint, guint64 source, gint64 ts_ns, guint32 frame)
{
    gint64 oldest = ts_ns < G_MININT64 + dd->window_ns ? G_MININT64 : ts_ns - dd->window_ns;
    guint cell;
    slot_t *slot;

    /* Forget what fell out of the window (in arrival order; timestamps
     * that go backwards only delay this, the cap still holds). */
    while (dd->count > 0 && dd->ring[dd->head].ts_ns < oldest) {
        pop_head(dd);
    }

    cell = find_cell(dd, fingerprint);
    if (dd->index[cell] != EMPTY) {
        slot = &dd->ring[dd->index[cell] - 1];
        if (within(slot->ts_ns, ts_ns, dd->window_ns) && slot->source != source) {
            return slot->frame;
        }
    }

    /* Remember this packet as the copy later ones are compared with. */
    if (dd->count == dd->ring_cap) {
        if (dd->ring_cap < dd->max_slots) {
            grow(dd);
        } else {
            pop_head(dd);
        }
        cell = find_cell(dd, fingerprint);
    }
    {
        guint pos = (dd->head + dd->count) % dd->ring_cap;

        dd->ring[pos].fingerprint = fingerprint;
        dd->ring[pos].source = source;
        dd->ring[pos].ts_ns = ts_ns;
        dd->ring[pos].frame = frame;
        dd->count++;
        if (dd->index[cell] == EMPTY) {
            dd->live++;
        }
        dd->index[cell] = pos + 1;
    }
    return 0;
}
