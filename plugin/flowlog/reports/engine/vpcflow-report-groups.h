/* vpcflow-report-groups.h
 * The groups of a report: a key of cells (vpcflow-report-key.h) and what
 * has been accounted to it.
 *
 * Groups live in slabs of a fixed number of groups: no allocation per
 * group, and nothing moves as the table grows, so a group's address
 * stays valid until the table is cleared. They are found through an
 * open-addressing table of (hash, group number) pairs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_GROUPS_H
#define VPCFLOW_REPORT_GROUPS_H

#include <glib.h>

#include "vpcflow-report-key.h"

/* Room for the decimal text of a 128-bit number and its NUL. */
#define VPCFLOW_GROUP_NUMBER_TEXT_MAX 40

typedef struct {
    guint64 records;            /* records of the group */
    guint64 with_value;         /* of which had the value field */
    guint64 sum_low, sum_high;  /* sum of the values, 128 bits: it cannot wrap */
    guint64 min, max;
    vpcflow_cell_t key[];       /* one cell per by= field */
} vpcflow_group_t;

typedef struct vpcflow_groups vpcflow_groups_t;

/* A table of groups keyed by n_cells cells (0: one group for everything). */
vpcflow_groups_t *vpcflow_groups_new(guint n_cells);
void vpcflow_groups_free(vpcflow_groups_t *groups);

/* Forget every group; the memory goes back. */
void vpcflow_groups_clear(vpcflow_groups_t *groups);

/* The group of a key, made (with nothing accounted) when new. */
vpcflow_group_t *vpcflow_groups_find(vpcflow_groups_t *groups, const vpcflow_cell_t *key);

guint32 vpcflow_groups_count(const vpcflow_groups_t *groups);

/* Group number i, 0 <= i < vpcflow_groups_count(), in order of creation. */
vpcflow_group_t *vpcflow_groups_get(const vpcflow_groups_t *groups, guint32 i);

/*
 * Ask for a group's memory ahead of use: a report visits its groups in
 * ranked order, which is not the order they lie in, and each visit would
 * otherwise wait for memory. A hint only; compilers without it skip it.
 */
#if defined(__GNUC__) || defined(__clang__)
#define vpcflow_group_prefetch(g) __builtin_prefetch(g)
#else
#define vpcflow_group_prefetch(g) ((void)(g))
#endif

/* How far ahead of a walk through ranked groups to ask for them. */
#define VPCFLOW_GROUP_PREFETCH_AHEAD 8

/* Account one record to a group, with its value if it has one. */
static inline void
vpcflow_group_account(vpcflow_group_t *g, gboolean has_value, guint64 value)
{
    g->records++;
    if (!has_value)
        return;
    g->min = g->with_value ? MIN(g->min, value) : value;
    g->max = g->with_value ? MAX(g->max, value) : value;
    g->with_value++;
    g->sum_low += value;
    if (g->sum_low < value)
        g->sum_high++;          /* the carry */
}

/* The sum as a double (exact up to 2^53, as doubles are). */
double vpcflow_group_sum(const vpcflow_group_t *g);

/* The sum in decimal, into buf; returns its length. */
gsize vpcflow_group_sum_text(const vpcflow_group_t *g, char buf[VPCFLOW_GROUP_NUMBER_TEXT_MAX]);

#endif /* VPCFLOW_REPORT_GROUPS_H */
