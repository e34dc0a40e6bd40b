/* vpcflow-report-rank.h
 * The order a report prints its groups in: by computed value (ascending
 * or descending), groups without a value last, ties by the groups'
 * values as text, compared value by value as strcmp() does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_RANK_H
#define VPCFLOW_REPORT_RANK_H

#include "vpcflow-report-int.h"

typedef struct {
    double           metric;    /* the computed value (0 without one) */
    guint64          prefix;    /* the first 8 bytes of the group's text, for ties */
    vpcflow_group_t *group;
} vpcflow_ranked_t;

/*
 * Every group of the report, ranked; the first `needed` of them in
 * their exact places (the rest only ordered by value). The groups with
 * a value are the first *n_with_value. g_free() the array.
 */
vpcflow_ranked_t *vpcflow_report_rank(const vpcflow_report_t *report, guint32 needed, guint32 *n_with_value);

#endif /* VPCFLOW_REPORT_RANK_H */
