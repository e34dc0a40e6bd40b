/* vpcflow-report-sql-int.h
 * The parts of the Athena query of a report (vpcflow-report-sql.h): the
 * table's columns (vpcflow-report-sql.c) and the translation of filter=
 * (vpcflow-report-sql-filter.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_SQL_INT_H
#define VPCFLOW_REPORT_SQL_INT_H

#include <glib.h>

typedef enum {
    SQL_INT,
    SQL_BIGINT,
    SQL_STRING
} sql_type_t;

typedef struct {
    int         field;
    const char *column;         /* as the query writes it ("end" is a reserved word) */
    sql_type_t  type;
} athena_column_t;

/* The column of a flow-log field in AWS's table, or NULL when it has none. */
const athena_column_t *vpcflow_athena_column(int field);

/* A display filter as a SQL condition, appended to sql (in parentheses when its top level is
 * OR, so that a condition ANDed after it binds to all of it); FALSE with *error when it
 * cannot be translated. */
gboolean vpcflow_sql_filter(const char *filter, GString *sql, char **error);

#endif /* VPCFLOW_REPORT_SQL_INT_H */
