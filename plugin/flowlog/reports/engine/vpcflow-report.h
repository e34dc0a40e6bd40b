/* vpcflow-report.h
 * Grouped reports over flow records: what CloudWatch Logs Insights'
 * "stats sum(bytes) by srcAddr, dstAddr | sort ... | limit N" answers,
 * for tshark -z vpcflow,... (plugin/flowlog/reports/vpcflow-report-tap.c).
 *
 *   vpcflow,<op>[,<field>][,by=<field>;<field>...][,top=<N>][,sort=asc|desc]
 *          [,sql=athena[,table=<name>]][,filter=<display filter>]
 *
 *   op     count, sum, avg, min or max of a numeric field over each group,
 *          or list: the records themselves, sorted by the field (default start)
 *   by     fields whose values make a group ("-" is a value like any other)
 *   top    keep the first N groups (records) after sorting
 *   sort   desc (default) or asc, by the computed value; ties by group
 *   filter a display filter applied first; it must come last, as it may
 *          contain commas
 *   sql    athena: the report is not computed; vpcflow-report-sql.h makes
 *          the query Athena runs for it (table: the table it reads)
 *
 * Field names are vpcflow field names in any spelling (bytes,
 * flow_direction, flow-direction, srcAddr). Memory grows with the number
 * of groups (or N records for list), not with the number of records:
 * a group of two addresses takes about 75 bytes, and 55 more while the
 * table is printed; a record that joins a known group allocates nothing
 * (vpcflow-report-groups.h, vpcflow-report-key.h; measured by
 * bench/report_engine.py).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_H
#define VPCFLOW_REPORT_H

#include <glib.h>

#include "vpcflow-format.h"
#include "vpcflow-tokens.h"

#define VPCFLOW_REPORT_MAX_BY 16

typedef enum {
    VPCFLOW_REPORT_COUNT,
    VPCFLOW_REPORT_SUM,
    VPCFLOW_REPORT_AVG,
    VPCFLOW_REPORT_MIN,
    VPCFLOW_REPORT_MAX,
    VPCFLOW_REPORT_LIST
} vpcflow_report_op_t;

/* The special value field "duration" (end - start, seconds). */
#define VPCFLOW_REPORT_DURATION (-2)

typedef struct vpcflow_report vpcflow_report_t;

/* Parse a -z argument (the part after "vpcflow,"). NULL with *error on a mistake. */
vpcflow_report_t *vpcflow_report_new(const char *spec, char **error);
void vpcflow_report_free(vpcflow_report_t *report);

/* The display filter of the spec, or NULL. */
const char *vpcflow_report_filter(const vpcflow_report_t *report);

/* TRUE when the spec asks for the query (sql=athena) rather than the report. */
gboolean vpcflow_report_wants_sql(const vpcflow_report_t *report);

/* Forget all records (a new pass over the capture). */
void vpcflow_report_reset(vpcflow_report_t *report);

/* Account one record given as text split into columns of a format. */
void vpcflow_report_add(vpcflow_report_t *report, const char *record, const vpcflow_token_t *tokens,
                        const vpcflow_format_t *format);

/*
 * After vpcflow_report_add(): the group the record went to (its values
 * joined by " / ", "all" without by=) and the group's value now, for
 * displays that update per record. FALSE for list reports. The label is
 * the report's: valid until the next call.
 */
gboolean vpcflow_report_last_group(const vpcflow_report_t *report, const char **label, double *value,
                                   gboolean *absent);

/* TRUE if the report sums the bytes field (displays may show it in KiB). */
gboolean vpcflow_report_sums_bytes(const vpcflow_report_t *report);

/* Where the text of a report goes, a piece at a time. */
typedef void (*vpcflow_report_write_t)(const char *text, gsize len, void *data);

/* The report as text (a table), in pieces of a few KiB to write(). */
void vpcflow_report_write(const vpcflow_report_t *report, vpcflow_report_write_t write, void *data);

/* The same text in one string. */
GString *vpcflow_report_text(const vpcflow_report_t *report);

#endif /* VPCFLOW_REPORT_H */
