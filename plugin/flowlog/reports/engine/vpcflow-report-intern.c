/* vpcflow-report-intern.c
 * Interned byte strings (see vpcflow-report-intern.h).
 *
 * Each string is stored in a block as its length (4 bytes), its bytes
 * and a NUL; an id indexes an array of pointers to those. Lookup goes
 * through the index of vpcflow-report-index.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-intern.h"
#include "vpcflow-report-hash.h"
#include "vpcflow-report-index.h"

#include <string.h>

/* Strings are copied into blocks: the first of FIRST_BLOCK bytes, each
 * next twice as large up to BLOCK_SIZE; a longer string gets its own. */
#define FIRST_BLOCK 1024
#define BLOCK_SIZE (64 * 1024)
#define FIRST_ENTRIES 64
#define LENGTH_SIZE sizeof(guint32)

struct vpcflow_intern {
    guint64     seed;
    GPtrArray  *blocks;         /* every block, to free them */
    char       *block;          /* the block being filled, or NULL */
    gsize       block_used, block_size;
    const char **entries;       /* per id: its length, bytes and NUL */
    guint32     n_entries, entries_size;
    vpcflow_index_t index;
};

vpcflow_intern_t *
vpcflow_intern_new(void)
{
    vpcflow_intern_t *s = g_new0(vpcflow_intern_t, 1);

    s->seed = vpcflow_hash_seed();
    s->blocks = g_ptr_array_new_with_free_func(g_free);
    return s;
}

void
vpcflow_intern_clear(vpcflow_intern_t *s)
{
    g_ptr_array_set_size(s->blocks, 0);
    s->block = NULL;
    s->block_used = s->block_size = 0;
    g_free(s->entries);
    s->entries = NULL;
    s->n_entries = s->entries_size = 0;
    vpcflow_index_clear(&s->index);
}

void
vpcflow_intern_free(vpcflow_intern_t *s)
{
    if (!s)
        return;
    vpcflow_intern_clear(s);
    g_ptr_array_free(s->blocks, TRUE);
    g_free(s);
}

/* A copy of the string in a block: its length, bytes and a NUL. */
static const char *
store(vpcflow_intern_t *s, const char *bytes, gsize len)
{
    gsize need = LENGTH_SIZE + len + 1;
    char *at;

    if (need > BLOCK_SIZE) {
        at = g_malloc(need);            /* a block of its own */
        g_ptr_array_add(s->blocks, at);
    } else {
        if (!s->block || s->block_used + need > s->block_size) {
            s->block_size = s->block_size ? MIN(s->block_size * 2, (gsize)BLOCK_SIZE) : FIRST_BLOCK;
            while (s->block_size < need)
                s->block_size *= 2;
            s->block = g_malloc(s->block_size);
            g_ptr_array_add(s->blocks, s->block);
            s->block_used = 0;
        }
        at = s->block + s->block_used;
        s->block_used += need;
    }
    guint32 len32 = (guint32)len;
    memcpy(at, &len32, LENGTH_SIZE);
    memcpy(at + LENGTH_SIZE, bytes, len);
    at[LENGTH_SIZE + len] = '\0';
    return at;
}

guint32
vpcflow_intern_add(vpcflow_intern_t *s, const char *bytes, gsize len)
{
    /* Values come from one line of at most 64 KiB; the length is kept in 32 bits. */
    len = MIN(len, (gsize)G_MAXUINT32);
    guint32 hash = vpcflow_hash_bytes(s->seed, bytes, len);
    guint32 at, id;

    vpcflow_index_reserve(&s->index, s->n_entries);
    for (at = vpcflow_index_first(&s->index, hash);
         (id = vpcflow_index_item(&s->index, at, hash)) != VPCFLOW_INDEX_EMPTY;
         at = vpcflow_index_next(&s->index, at)) {
        if (id == VPCFLOW_INDEX_EMPTY - 1)
            continue;
        guint32 entry_len;
        memcpy(&entry_len, s->entries[id], LENGTH_SIZE);
        if (entry_len == len && memcmp(s->entries[id] + LENGTH_SIZE, bytes, len) == 0)
            return id;
    }
    if (s->n_entries == s->entries_size) {
        s->entries_size = s->entries_size ? s->entries_size * 2 : FIRST_ENTRIES;
        s->entries = g_renew(const char *, s->entries, s->entries_size);
    }
    /* Ids stay below 2^32 - 2: each string costs more than 8 bytes, so
     * memory ends long before the ids do. */
    id = s->n_entries++;
    s->entries[id] = store(s, bytes, len);
    vpcflow_index_put(&s->index, at, hash, id);
    return id;
}

const char *
vpcflow_intern_get(const vpcflow_intern_t *s, guint32 id, gsize *len)
{
    guint32 entry_len;

    memcpy(&entry_len, s->entries[id], LENGTH_SIZE);
    *len = entry_len;
    return s->entries[id] + LENGTH_SIZE;
}

guint32
vpcflow_intern_count(const vpcflow_intern_t *s)
{
    return s->n_entries;
}
