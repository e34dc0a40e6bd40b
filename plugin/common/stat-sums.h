/* stat-sums.h
 * Statistics-tree nodes that add up 64-bit amounts (bytes). A tree's
 * counters are int: a node fed with increase_stat_node() wraps after
 * 2 GiB. These keep each node's exact sum in 64 bits, per tree, and set
 * the node to it in the tree's unit (bytes, KiB), clamped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_STAT_SUMS_H
#define VPCSHARK_STAT_SUMS_H

#include "epan-compat.h"

#include <epan/stats_tree.h>

/* Start and end the sums of a tree (its init and cleanup callbacks). */
void stat_sums_init(stats_tree *st);
void stat_sums_cleanup(stats_tree *st);

/*
 * Add amount to the node called name under parent; key names the node
 * among all of the tree's (e.g. its path). The node shows the sum
 * divided by unit. Returns the node's id, or -1 if the tree has no sums.
 */
int stat_sums_add(stats_tree *st, const char *key, const char *name, int parent, gboolean with_children,
                  guint64 amount, guint64 unit);

#endif /* VPCSHARK_STAT_SUMS_H */
