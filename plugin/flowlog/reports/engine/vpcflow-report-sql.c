/* vpcflow-report-sql.c
 * The Athena (Trino) query of a report (see vpcflow-report-sql.h).
 *
 * What the report does, and the SQL that does the same:
 *   group by text, "-" for none    COALESCE(col, '-'), CAST(col AS varchar) for numbers
 *   count: records                 count(*)
 *   sum: 0 for a group of "-"      COALESCE(sum(x), 0)
 *   avg, min, max: "-", last       NULL, NULLS LAST
 *   no by=: one group, none when   HAVING count(*) > 0
 *     no record passed the filter
 *   ties by the groups' text       ORDER BY the group columns (binary order, as memcmp)
 *   absent field fails a test      NULL fails; NOT(x) is NOT COALESCE(x, FALSE),
 *                                  "-" in a string column is NULLIF(col, '-')
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-sql.h"
#include "vpcflow-report-sql-int.h"
#include "vpcflow-report-int.h"
#include "vpcflow-fields.h"

/* AWS's DDL (Athena user guide, "Create a table for Amazon VPC flow logs"):
 * the fields of versions 2 to 5, in this order and with these types. */
static const athena_column_t athena_columns[] = {
    { VF_VERSION,             "version",             SQL_INT },
    { VF_ACCOUNT_ID,          "account_id",          SQL_STRING },
    { VF_INTERFACE_ID,        "interface_id",        SQL_STRING },
    { VF_SRCADDR,             "srcaddr",             SQL_STRING },
    { VF_DSTADDR,             "dstaddr",             SQL_STRING },
    { VF_SRCPORT,             "srcport",             SQL_INT },
    { VF_DSTPORT,             "dstport",             SQL_INT },
    { VF_PROTOCOL,            "protocol",            SQL_BIGINT },
    { VF_PACKETS,             "packets",             SQL_BIGINT },
    { VF_BYTES,               "bytes",               SQL_BIGINT },
    { VF_START,               "start",               SQL_BIGINT },
    { VF_END,                 "\"end\"",             SQL_BIGINT },
    { VF_ACTION,              "action",              SQL_STRING },
    { VF_LOG_STATUS,          "log_status",          SQL_STRING },
    { VF_VPC_ID,              "vpc_id",              SQL_STRING },
    { VF_SUBNET_ID,           "subnet_id",           SQL_STRING },
    { VF_INSTANCE_ID,         "instance_id",         SQL_STRING },
    { VF_TCP_FLAGS,           "tcp_flags",           SQL_INT },
    { VF_TYPE,                "type",                SQL_STRING },
    { VF_PKT_SRCADDR,         "pkt_srcaddr",         SQL_STRING },
    { VF_PKT_DSTADDR,         "pkt_dstaddr",         SQL_STRING },
    { VF_REGION,              "region",              SQL_STRING },
    { VF_AZ_ID,               "az_id",               SQL_STRING },
    { VF_SUBLOCATION_TYPE,    "sublocation_type",    SQL_STRING },
    { VF_SUBLOCATION_ID,      "sublocation_id",      SQL_STRING },
    { VF_PKT_SRC_AWS_SERVICE, "pkt_src_aws_service", SQL_STRING },
    { VF_PKT_DST_AWS_SERVICE, "pkt_dst_aws_service", SQL_STRING },
    { VF_FLOW_DIRECTION,      "flow_direction",      SQL_STRING },
    { VF_TRAFFIC_PATH,        "traffic_path",        SQL_INT },
};

/* end - start, as the report's "duration": none when end is before start. */
#define DURATION_SQL "CASE WHEN \"end\" >= start THEN \"end\" - start END"

/* What the user adds so that Athena reads only some files (AWS's DDL partitions by "date"). */
#define PARTITION_HINT "\"date\" = DATE '2022-09-26'   -- your partition columns: Athena reads only those files"

const athena_column_t *
vpcflow_athena_column(int field)
{
    for (guint i = 0; i < G_N_ELEMENTS(athena_columns); i++) {
        if (athena_columns[i].field == field)
            return &athena_columns[i];
    }
    return NULL;
}

static gboolean
need_column(int field, const char *option, const athena_column_t **column, char **error)
{
    if (field == VPCFLOW_REPORT_DURATION)
        return TRUE;
    if (!(*column = vpcflow_athena_column(field))) {
        *error = g_strdup_printf("sql=athena: %s: %s is not a column of AWS's Athena table for flow logs "
                                 "(the fields of versions 2 to 5)", option, vpcflow_fields[field].name);
        return FALSE;
    }
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* The query                                                            */

/* A value column (the report's field) as SQL. */
static void
append_value(GString *sql, int field, const athena_column_t *column)
{
    g_string_append(sql, field == VPCFLOW_REPORT_DURATION ? DURATION_SQL : column->column);
}

/* The WHERE clause: the filter and what the report needs, with room for the partitions. */
static gboolean
append_where(const vpcflow_report_t *r, const char *needed, GString *sql, char **error)
{
    const char *c = r->filter;
    while (c && g_ascii_isspace(*c))
        c++;
    gboolean has_filter = c && *c;
    GString *filter = g_string_new(NULL);

    if (has_filter && !vpcflow_sql_filter(r->filter, filter, error)) {
        g_string_free(filter, TRUE);
        return FALSE;
    }
    if (needed && has_filter)
        g_string_append_printf(sql, "WHERE %s\n  AND %s\n", needed, filter->str);
    else if (needed || has_filter)
        g_string_append_printf(sql, "WHERE %s\n", needed ? needed : filter->str);
    g_string_append_printf(sql, "  %s " PARTITION_HINT "\n", needed || has_filter ? "-- AND" : "-- WHERE");
    g_string_free(filter, TRUE);
    return TRUE;
}

/* The report's own heading, as comment lines (a line break in the filter starts another:
 * in SQL a comment ends at either). */
static void
append_heading(const vpcflow_report_t *r, GString *sql)
{
    GString *heading = g_string_new(NULL);

    vpcflow_report_heading(r, heading);
    char **lines = g_strsplit_set(heading->str, "\r\n", -1);
    for (char **line = lines; *line; line++) {
        if (**line)
            g_string_append_printf(sql, "-- %s\n", *line);
    }
    g_strfreev(lines);
    g_string_free(heading, TRUE);
    g_string_append_printf(sql, "-- over %s, a table made by AWS's Athena DDL for VPC flow logs (versions 2 to 5)\n",
                           r->table ? r->table : VPCFLOW_REPORT_SQL_TABLE);
}

static gboolean
list_sql(const vpcflow_report_t *r, GString *sql, char **error)
{
    const athena_column_t *sorted = NULL;
    const char *table = r->table ? r->table : VPCFLOW_REPORT_SQL_TABLE;

    if (!need_column(r->value_field, "list", &sorted, error))
        return FALSE;
    g_string_append(sql, "SELECT ");
    for (guint i = 0; i < G_N_ELEMENTS(athena_columns); i++)
        g_string_append_printf(sql, "%s%s", i ? ", " : "", athena_columns[i].column);
    g_string_append_printf(sql, "\nFROM %s\n", table);
    /* The report lists only records with a value to sort by. */
    char *needed = r->value_field == VPCFLOW_REPORT_DURATION ? g_strdup("\"end\" >= start")
                                                             : g_strdup_printf("%s IS NOT NULL", sorted->column);
    gboolean ok = append_where(r, needed, sql, error);
    g_free(needed);
    if (!ok)
        return FALSE;
    g_string_append(sql, "ORDER BY ");
    append_value(sql, r->value_field, sorted);
    g_string_append_printf(sql, " %s\nLIMIT %u;\n", r->ascending ? "ASC" : "DESC", r->top);
    return TRUE;
}

static gboolean
groups_sql(const vpcflow_report_t *r, GString *sql, char **error)
{
    const athena_column_t *by[VPCFLOW_REPORT_MAX_BY], *value = NULL;
    const char *table = r->table ? r->table : VPCFLOW_REPORT_SQL_TABLE;
    const char *name = vpcflow_report_op_names[r->op];

    for (guint b = 0; b < r->n_by; b++) {
        if (!need_column(r->by[b], "by=", &by[b], error))
            return FALSE;
    }
    if (r->op != VPCFLOW_REPORT_COUNT && !need_column(r->value_field, name, &value, error))
        return FALSE;

    g_string_append(sql, "SELECT\n");
    for (guint b = 0; b < r->n_by; b++) {
        /* Grouped and ordered as the report does: by the value's text, "-" for none. */
        if (by[b]->type == SQL_STRING)
            g_string_append_printf(sql, "  COALESCE(%s, '-')", by[b]->column);
        else
            g_string_append_printf(sql, "  COALESCE(CAST(%s AS varchar), '-')", by[b]->column);
        g_string_append_printf(sql, " AS %s,\n", by[b]->column);
    }
    const char *field_name = r->op == VPCFLOW_REPORT_COUNT ? "" : vpcflow_report_field_name(r->value_field);
    char *alias = g_strdelimit(g_strdup(field_name), "-", '_');
    switch (r->op) {
    case VPCFLOW_REPORT_COUNT:
        g_string_append(sql, "  count(*) AS \"count\"\n");
        break;
    case VPCFLOW_REPORT_SUM:
        /* Named as the field: a sum's result opens as one record per group. */
        g_string_append(sql, "  COALESCE(sum(");
        append_value(sql, r->value_field, value);
        g_string_append_printf(sql, "), 0) AS %s\n", r->value_field == VF_END ? "\"end\"" : alias);
        break;
    default:
        g_string_append_printf(sql, "  %s(", name);
        append_value(sql, r->value_field, value);
        g_string_append_printf(sql, ") AS %s_%s\n", name, alias);
        break;
    }
    g_free(alias);
    g_string_append_printf(sql, "FROM %s\n", table);
    if (!append_where(r, NULL, sql, error))
        return FALSE;
    if (r->n_by) {
        g_string_append(sql, "GROUP BY ");
        for (guint b = 0; b < r->n_by; b++)
            g_string_append_printf(sql, "%s%u", b ? ", " : "", b + 1);
        g_string_append_c(sql, '\n');
    } else {
        /* The report has no group when no record came. */
        g_string_append(sql, "HAVING count(*) > 0\n");
    }
    g_string_append_printf(sql, "ORDER BY %u %s NULLS LAST", r->n_by + 1, r->ascending ? "ASC" : "DESC");
    for (guint b = 0; b < r->n_by; b++)
        g_string_append_printf(sql, ", %u", b + 1);
    if (r->top)
        g_string_append_printf(sql, "\nLIMIT %u", r->top);
    g_string_append(sql, ";\n");
    return TRUE;
}

GString *
vpcflow_report_sql(const vpcflow_report_t *r, char **error)
{
    GString *sql = g_string_new(NULL);

    append_heading(r, sql);
    if (!(r->op == VPCFLOW_REPORT_LIST ? list_sql(r, sql, error) : groups_sql(r, sql, error))) {
        g_string_free(sql, TRUE);
        return NULL;
    }
    return sql;
}
