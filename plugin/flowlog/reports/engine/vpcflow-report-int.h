/* vpcflow-report-int.h
 * The inside of a report, shared by its parts: vpcflow-report.c (the
 * spec and the accounting of records), vpcflow-report-text.c (the
 * printed table) and vpcflow-report-sql.c (the query for Athena).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_INT_H
#define VPCFLOW_REPORT_INT_H

#include "vpcflow-report.h"
#include "vpcflow-report-groups.h"
#include "vpcflow-report-intern.h"
#include "vpcflow-report-list.h"

struct vpcflow_report {
    vpcflow_report_op_t op;
    int         value_field;    /* catalogue index, VPCFLOW_REPORT_DURATION, or VF_UNKNOWN */
    int         by[VPCFLOW_REPORT_MAX_BY];
    guint       n_by;
    guint       top;
    gboolean    ascending;
    char       *filter;
    gboolean    sql;            /* sql=athena: print the query, compute nothing */
    char       *table;          /* table=: the Athena table, or NULL for AWS's name */
    vpcflow_intern_t *strings;  /* by= values that cells do not hold */
    vpcflow_groups_t *groups;
    vpcflow_list_t   *listed;   /* list: the records kept */
    guint64     records;
    vpcflow_group_t  *last;     /* the group the last record went to */
    GString    *label;          /* the last group's label, made on demand */
};

extern const char *const vpcflow_report_op_names[];

/* The computed value of a group, for sorting and displays; *absent when it has none. */
double vpcflow_report_metric(const vpcflow_report_t *report, const vpcflow_group_t *group, gboolean *absent);

/* The lines that head a report (what it computes, by what, top, order,
 * filter), each ending in a newline: the printed table's and the query's. */
void vpcflow_report_heading(const vpcflow_report_t *report, GString *out);

/* The name of the value field ("duration" included). */
const char *vpcflow_report_field_name(int field);

#endif /* VPCFLOW_REPORT_INT_H */
