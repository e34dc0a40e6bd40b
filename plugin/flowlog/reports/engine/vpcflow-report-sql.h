/* vpcflow-report-sql.h
 * A report as the query Athena (Trino) runs for it: -z vpcflow,...,sql=athena.
 *
 * The query reads the table of AWS's documented Athena DDL for VPC flow
 * logs (versions 2 to 5, underscored column names, int/bigint/string),
 * named vpc_flow_logs unless table= names another. It gives the rows the
 * report prints, in the same order: a "-" or missing value (a string
 * "-" in a text table, NULL in Parquet or an int column) groups as "-"
 * and fails every comparison, as an absent field does in a display
 * filter.
 *
 * The filter= display filter is translated when it is made of
 * vpcflow.<field> comparisons (==, !=, <, <=, >, >=, in {...}) with
 * numbers, quoted strings, IPv4 addresses and networks, or quoted times
 * (made Unix seconds, local ones in this machine's zone, as the display
 * filter reads them); sets with ranges and networks; field presence, !,
 * and && or || (parenthesised when mixed). Anything else is refused with
 * a message naming the option and why.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_SQL_H
#define VPCFLOW_REPORT_SQL_H

#include <glib.h>

#include "vpcflow-report.h"

/* The name of the table when table= gives none: AWS's DDL's. */
#define VPCFLOW_REPORT_SQL_TABLE "vpc_flow_logs"

/* The query of a report, or NULL with *error saying what cannot be translated. */
GString *vpcflow_report_sql(const vpcflow_report_t *report, char **error);

#endif /* VPCFLOW_REPORT_SQL_H */
