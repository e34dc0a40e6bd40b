/* vpcflow-report-list.c
 * The records a list report keeps (see vpcflow-report-list.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-list.h"

#include <string.h>

/* A format copy with the number of kept records that use it. */
struct vpcflow_shared_format {
    vpcflow_format_t *format;
    guint             users;
};

struct vpcflow_list {
    guint             top;
    gboolean          ascending;
    vpcflow_listed_t *heap;     /* the worst kept at 0 */
    guint             n, size;  /* size grows to top as records come */
    GHashTable       *formats;  /* format text -> vpcflow_shared_format_t */
};

static void
shared_format_free(gpointer data)
{
    vpcflow_shared_format_t *f = data;

    vpcflow_format_free(f->format);
    g_free(f);
}

vpcflow_list_t *
vpcflow_list_new(guint top, gboolean ascending)
{
    vpcflow_list_t *l = g_new0(vpcflow_list_t, 1);

    l->top = top;
    l->ascending = ascending;
    l->formats = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, shared_format_free);
    return l;
}

void
vpcflow_list_clear(vpcflow_list_t *l)
{
    for (guint i = 0; i < l->n; i++)
        g_free(l->heap[i].record);
    g_free(l->heap);
    l->heap = NULL;
    l->n = l->size = 0;
    g_hash_table_remove_all(l->formats);
}

void
vpcflow_list_free(vpcflow_list_t *l)
{
    if (!l)
        return;
    vpcflow_list_clear(l);
    g_hash_table_destroy(l->formats);
    g_free(l);
}

const vpcflow_format_t *
vpcflow_listed_format(const vpcflow_listed_t *listed)
{
    return listed->format->format;
}

/* TRUE if a goes after b in the list. */
static gboolean
worse(const vpcflow_list_t *l, const vpcflow_listed_t *a, const vpcflow_listed_t *b)
{
    if (a->value != b->value)
        return l->ascending ? a->value > b->value : a->value < b->value;
    return a->serial > b->serial;
}

static void
swap(vpcflow_listed_t *a, vpcflow_listed_t *b)
{
    vpcflow_listed_t t = *a;

    *a = *b;
    *b = t;
}

static void
sift_up(vpcflow_list_t *l, guint i)
{
    while (i > 0 && worse(l, &l->heap[i], &l->heap[(i - 1) / 2])) {
        swap(&l->heap[i], &l->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void
sift_down(vpcflow_list_t *l, guint i)
{
    for (;;) {
        guint worst = i, left = 2 * i + 1, right = left + 1;
        if (left < l->n && worse(l, &l->heap[left], &l->heap[worst]))
            worst = left;
        if (right < l->n && worse(l, &l->heap[right], &l->heap[worst]))
            worst = right;
        if (worst == i)
            return;
        swap(&l->heap[i], &l->heap[worst]);
        i = worst;
    }
}

static void
release_format(vpcflow_list_t *l, vpcflow_shared_format_t *f)
{
    if (f && --f->users == 0)
        g_hash_table_remove(l->formats, f->format->text);
}

static vpcflow_shared_format_t *
share_format(vpcflow_list_t *l, const vpcflow_format_t *format)
{
    vpcflow_shared_format_t *f = g_hash_table_lookup(l->formats, format->text);

    if (!f) {
        f = g_new0(vpcflow_shared_format_t, 1);
        f->format = vpcflow_format_copy(format);
        g_hash_table_insert(l->formats, f->format->text, f);
    }
    f->users++;
    return f;
}

void
vpcflow_list_offer(vpcflow_list_t *l, guint64 value, guint64 serial, const char *record, gsize len,
                   const vpcflow_format_t *format)
{
    vpcflow_listed_t offered = { value, serial, NULL, 0, NULL };
    vpcflow_listed_t *slot;
    gboolean full = l->n == l->top;

    if (full) {
        if (!worse(l, &l->heap[0], &offered))
            return;
        slot = &l->heap[0];             /* the worst kept leaves */
    } else {
        if (l->n == l->size) {
            guint size = l->size ? MIN(l->size * 2, l->top) : MIN(16, l->top);
            l->heap = g_renew(vpcflow_listed_t, l->heap, size);
            memset(l->heap + l->size, 0, (size - l->size) * sizeof *l->heap);
            l->size = size;
        }
        slot = &l->heap[l->n++];
    }
    /* A record is text: it ends at a NUL byte, as C strings do. */
    const char *nul = memchr(record, '\0', len);
    if (nul)
        len = (gsize)(nul - record);
    if (slot->size < len + 1) {
        slot->size = len + 1;
        slot->record = g_realloc(slot->record, slot->size);
    }
    memcpy(slot->record, record, len);
    slot->record[len] = '\0';
    if (!slot->format || strcmp(slot->format->format->text, format->text) != 0) {
        vpcflow_shared_format_t *shared = share_format(l, format);
        release_format(l, slot->format);
        slot->format = shared;
    }
    slot->value = value;
    slot->serial = serial;
    if (full)
        sift_down(l, 0);
    else
        sift_up(l, l->n - 1);
}

static gint
compare_listed(gconstpointer a, gconstpointer b, gpointer data)
{
    const vpcflow_listed_t *la = *(const vpcflow_listed_t *const *)a;
    const vpcflow_listed_t *lb = *(const vpcflow_listed_t *const *)b;

    return worse(data, la, lb) ? 1 : worse(data, lb, la) ? -1 : 0;
}

GPtrArray *
vpcflow_list_sorted(const vpcflow_list_t *l)
{
    GPtrArray *sorted = g_ptr_array_sized_new(l->n);

    for (guint i = 0; i < l->n; i++)
        g_ptr_array_add(sorted, &l->heap[i]);
    g_ptr_array_sort_with_data(sorted, compare_listed, (gpointer)l);
    return sorted;
}
