/* test-vpcflow-report-sql.c
 * Unit tests of the Athena query of a report (sql=athena). The expected
 * SQL is written here by hand; tests/test_report_sql.py runs queries in
 * DuckDB against the reports tshark computes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "vpcflow-report.h"
#include "vpcflow-report-sql.h"

/* The query of a spec, or the message (prefixed "error: "). */
static char *
query(const char *spec)
{
    char *error = NULL;
    vpcflow_report_t *r = vpcflow_report_new(spec, &error);

    if (!r) {
        char *message = g_strconcat("error: ", error, NULL);
        g_free(error);
        return message;
    }
    g_assert_true(vpcflow_report_wants_sql(r));
    GString *sql = vpcflow_report_sql(r, &error);
    vpcflow_report_free(r);
    if (!sql) {
        char *message = g_strconcat("error: ", error, NULL);
        g_free(error);
        return message;
    }
    return g_string_free(sql, FALSE);
}

/* The SQL of a spec after its heading comment lines. */
static char *
body(const char *spec)
{
    char *sql = query(spec);
    const char *at = sql;

    while (g_str_has_prefix(at, "-- ") && strchr(at, '\n'))
        at = strchr(at, '\n') + 1;
    g_assert_true(g_str_has_prefix(at, "SELECT"));
    char *rest = g_strdup(at);
    g_free(sql);
    return rest;
}

static void
assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        g_error("expected \"%s\" in:\n%s", part, text);
}

static void
test_workshop_question_4(void)
{
    char *sql = body("sum,bytes,by=srcaddr,top=2,sql=athena,"
                     "filter=vpcflow.action == \"REJECT\" && vpcflow.protocol == 6 && vpcflow.dstport == 22");

    g_assert_cmpstr(sql, ==,
                    "SELECT\n"
                    "  COALESCE(srcaddr, '-') AS srcaddr,\n"
                    "  COALESCE(sum(bytes), 0) AS bytes\n"
                    "FROM vpc_flow_logs\n"
                    "WHERE action = 'REJECT' AND protocol = 6 AND dstport = 22\n"
                    "  -- AND \"date\" = DATE '2022-09-26'   -- your partition columns: Athena reads only those files\n"
                    "GROUP BY 1\n"
                    "ORDER BY 2 DESC NULLS LAST, 1\n"
                    "LIMIT 2;\n");
    g_free(sql);
}

static void
test_groups_of_numbers_are_text(void)
{
    char *sql = body("avg,duration,by=dstport;action,sort=asc,sql=athena,table=logs.flows");

    /* Grouped and tied by text, as the report is; "-" for none. */
    assert_contains(sql, "  COALESCE(CAST(dstport AS varchar), '-') AS dstport,\n"
                         "  COALESCE(action, '-') AS action,\n"
                         "  avg(CASE WHEN \"end\" >= start THEN \"end\" - start END) AS avg_duration\n"
                         "FROM logs.flows\n"
                         "  -- WHERE \"date\"");
    assert_contains(sql, "GROUP BY 1, 2\nORDER BY 3 ASC NULLS LAST, 1, 2;\n");
    g_free(sql);
}

static void
test_one_group_needs_records(void)
{
    char *sql = body("count,sql=athena");

    assert_contains(sql, "  count(*) AS \"count\"\nFROM vpc_flow_logs\n");
    assert_contains(sql, "HAVING count(*) > 0\nORDER BY 1 DESC NULLS LAST;\n");
    g_free(sql);
}

static void
test_list_keeps_records_with_the_value(void)
{
    char *sql = body("list,bytes,top=3,sort=asc,sql=athena,filter=vpcflow.log_status != \"OK\"");

    assert_contains(sql, "SELECT version, account_id, interface_id, srcaddr, ");
    assert_contains(sql, "start, \"end\", action, ");
    assert_contains(sql, ", flow_direction, traffic_path\nFROM vpc_flow_logs\n"
                         "WHERE bytes IS NOT NULL\n  AND NULLIF(log_status, '-') <> 'OK'\n");
    assert_contains(sql, "ORDER BY bytes ASC\nLIMIT 3;\n");
    g_free(sql);
}

static void
test_heading_says_what_report(void)
{
    char *sql = query("list,sql=athena,table=t");

    /* The report's heading, as the printed table has it. */
    g_assert_cmpstr(sql, ==, "-- VPC Flow Log report: records sorted by start; top 20 (descending)\n"
                             "-- over t, a table made by AWS's Athena DDL for VPC flow logs (versions 2 to 5)\n"
                             "SELECT version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, "
                             "packets, bytes, start, \"end\", action, log_status, vpc_id, subnet_id, instance_id, "
                             "tcp_flags, type, pkt_srcaddr, pkt_dstaddr, region, az_id, sublocation_type, "
                             "sublocation_id, pkt_src_aws_service, pkt_dst_aws_service, flow_direction, traffic_path\n"
                             "FROM t\n"
                             "WHERE start IS NOT NULL\n"
                             "  -- AND \"date\" = DATE '2022-09-26'   -- your partition columns: Athena reads only "
                             "those files\n"
                             "ORDER BY start DESC\n"
                             "LIMIT 20;\n");
    g_free(sql);
    /* A line break in the filter starts another comment line, not SQL. */
    sql = query("sum,bytes,by=srcaddr,top=2,sql=athena,filter=vpcflow.bytes\n> 1 &&\r\nvpcflow.packets > 1");
    g_assert_true(g_str_has_prefix(sql, "-- VPC Flow Log report: sum(bytes) by srcaddr; top 2 (descending)\n"
                                        "-- Filter: vpcflow.bytes\n-- > 1 &&\n-- vpcflow.packets > 1\n-- over "));
    g_free(sql);
}

/* An address as a number, for networks: worked out by hand from a.b.c.d = a*2^24 + b*2^16 + c*2^8 + d. */
#define DSTADDR_NUMBER                                                                                   \
    "try_cast(split_part(dstaddr, '.', 1) AS bigint) * 16777216 + "                                    \
    "try_cast(split_part(dstaddr, '.', 2) AS bigint) * 65536 + "                                       \
    "try_cast(split_part(dstaddr, '.', 3) AS bigint) * 256 + try_cast(split_part(dstaddr, '.', 4) AS bigint) * 1"

/* Each filter, and the WHERE it becomes. */
static const struct {
    const char *filter;
    const char *where;
} filters[] = {
    { "vpcflow.dstport == 22", "dstport = 22" },
    { "vpcflow.dstport eq 0x16", "dstport = 22" },
    { "vpcflow.bytes >= 10 and vpcflow.packets lt 3", "bytes >= 10 AND packets < 3" },
    { "vpcflow.action != \"REJECT\"", "NULLIF(action, '-') <> 'REJECT'" },
    { "vpcflow.action == \"it's\"", "action = 'it''s'" },
    { "vpcflow.action == \"-\"", "NULLIF(action, '-') = '-'" },
    { "vpcflow.flow_direction <= \"e\\\"\"", "NULLIF(flow_direction, '-') <= 'e\"'" },
    { "vpcflow.srcaddr == 10.0.0.1", "srcaddr = '10.0.0.1'" },
    { "vpcflow.srcaddr != 10.0.0.1",
      "(NULLIF(srcaddr, '-') <> '10.0.0.1' AND strpos(srcaddr, '.') > 0 AND strpos(srcaddr, ':') = 0)" },
    { "vpcflow.tcp_flags", "tcp_flags IS NOT NULL" },
    { "!vpcflow.instance_id", "NOT COALESCE(NULLIF(instance_id, '-') IS NOT NULL, FALSE)" },
    { "not (vpcflow.bytes > 5 || vpcflow.end)", "NOT COALESCE((bytes > 5 OR \"end\" IS NOT NULL), FALSE)" },
    { "vpcflow.dstport in {22, 80 443}", "dstport IN (22, 80, 443)" },
    { "vpcflow.type in {\"IPv4\" \"-\"}", "NULLIF(type, '-') IN ('IPv4', '-')" },
    { "(vpcflow.protocol == 6 || vpcflow.protocol == 17) && vpcflow.version == 5",
      "(protocol = 6 OR protocol = 17) AND version = 5" },
    { "vpcflow && vpcflow.start", "TRUE AND start IS NOT NULL" },
    /* The partition line ANDed after it binds to the whole filter. */
    { "vpcflow.dstport == 22 or vpcflow.dstport == 3389", "(dstport = 22 OR dstport = 3389)" },
    { "vpcflow.srcaddr == 172.16.0.0/12",
      "(try_cast(split_part(srcaddr, '.', 1) AS bigint) * 16777216 + try_cast(split_part(srcaddr, '.', 2) AS bigint) "
      "* 65536 + try_cast(split_part(srcaddr, '.', 3) AS bigint) * 256 + try_cast(split_part(srcaddr, '.', 4) AS "
      "bigint) * 1 BETWEEN 2886729728 AND 2887778303)" },
    { "vpcflow.dstaddr != 10.1.2.3/0", "(" DSTADDR_NUMBER " NOT BETWEEN 0 AND 4294967295)" },
    { "vpcflow.dstaddr ne 10.1.2.3/32", "(" DSTADDR_NUMBER " NOT BETWEEN 167838211 AND 167838211)" },
    { "vpcflow.srcport\n>\t1", "srcport > 1" },
    /* Times: Unix seconds worked out by hand (2022-09-26 12:10:01 UTC is 1664194201). */
    { "vpcflow.start >= \"2022-09-26 12:10:01Z\"", "start >= 1664194201 /* 2022-09-26 12:10:01 UTC */" },
    { "vpcflow.end < \"2022-09-26T12:10:01+02:00\"", "\"end\" < 1664187001 /* 2022-09-26 10:10:01 UTC */" },
    { "vpcflow.start > \"Sep 26, 2022 12:10:00.5 UTC\"", "start > 1664194200.5 /* 2022-09-26 12:10:00.5 UTC */" },
    { "vpcflow.start >= \"2022-09-26 12:10Z\"", "start >= 1664194200 /* 2022-09-26 12:10:00 UTC */" },
    { "vpcflow.start >= \"2022-9-26 9:10:01-0300\"", "start >= 1664194201 /* 2022-09-26 12:10:01 UTC */" },
    { "vpcflow.start >= \"2022-09-26T14:10:01+02\"", "start >= 1664194201 /* 2022-09-26 12:10:01 UTC */" },
    /* Sets: values in one IN list, ranges and networks ORed to it. */
    { "vpcflow.dstport in {1..5}", "dstport BETWEEN 1 AND 5" },
    { "vpcflow.dstport in {22, 1024..65535 80}", "(dstport IN (22, 80) OR dstport BETWEEN 1024 AND 65535)" },
    { "vpcflow.start in {\"2022-09-26 12:10:01Z\"..\"2022-09-26 13:10:01Z\"}",
      "start BETWEEN 1664194201 /* 2022-09-26 12:10:01 UTC */ AND 1664197801 /* 2022-09-26 13:10:01 UTC */" },
    { "vpcflow.dstaddr in {10.1.2.3, 10.0.0.0/8 192.168.0.1..192.168.0.9}",
      "(dstaddr IN ('10.1.2.3') OR (" DSTADDR_NUMBER " BETWEEN 167772160 AND 184549375) OR (" DSTADDR_NUMBER
      " BETWEEN 3232235521 AND 3232235529))" },
};

static void
test_filters(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(filters); i++) {
        char *spec = g_strconcat("count,sql=athena,filter=", filters[i].filter, NULL);
        char *sql = body(spec);
        char *where = g_strdup_printf("\nWHERE %s\n  -- AND \"date\"", filters[i].where);
        assert_contains(sql, where);
        g_free(where);
        g_free(sql);
        g_free(spec);
    }
}

/* What cannot be translated, and the words of the message. */
static const struct {
    const char *spec;
    const char *message;
} refused[] = {
    { "count,by=ecs-cluster-name,sql=athena",
      "sql=athena: by=: ecs-cluster-name is not a column of AWS's Athena table for flow logs" },
    { "max,packets-lost-mtu-exceeded,sql=athena", "sql=athena: max: packets-lost-mtu-exceeded is not a column" },
    { "count,sql=athena,filter=vpcflow.end > 5", "vpcflow.end is a time: write it in quotes" },
    { "count,sql=athena,filter=vpcflow.end > \"yesterday\"", "\"yesterday\" is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"2022-02-30 10:00:00Z\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"2022-09-26 10:00:00 EST\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"2022-09-26 10:00:00.1234567890Z\"", "is not a time translated" },
    { "count,sql=athena,filter=vpcflow.end > \"2022-09-26Z\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"1969-12-31 23:59:59.5Z\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"2022-09-26T10:00 UTC\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"Sep 26, 2022 10:00 UTC\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"Sep 26, 2022 10:00:00Z\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.end > \"2022-09-26 10:00:00+24\"", "is not a time translated here" },
    { "count,sql=athena,filter=vpcflow.action in {\"A\"..\"C\"}", "ranges of text are not translated" },
    { "count,sql=athena,filter=vpcflow.dstaddr in {10.0.0.1..10.0.1}", "is not a range of IPv4 addresses" },
    { "count,sql=athena,filter=vpcflow.dstport in {1..x}", "\"x\" is not a number" },
    { "count,sql=athena,filter=vpcflow.dstport in {1, 2", "the set is not closed by }" },
    { "count,sql=athena,filter=vpcflow.dstaddr == 10.0.0.0/33", "\"10.0.0.0/33\" is not an IPv4 network" },
    { "count,sql=athena,filter=vpcflow.dstaddr == 10.0.0/8", "is not an IPv4 network" },
    { "count,sql=athena,filter=vpcflow.dstaddr == 10.0.0.0/", "is not an IPv4 network" },
    { "count,sql=athena,filter=vpcflow.dstaddr > 10.0.0.0/8", "addresses are compared with == and != only" },
    { "count,sql=athena,filter=vpcflow.dstaddr == 2001:db8::1", "is not an IPv4 address" },
    { "count,sql=athena,filter=vpcflow.dstaddr >= 10.0.0.1", "addresses are compared with == and != only" },
    { "count,sql=athena,filter=vpcflow.srcaddr == \"10.0.0.1\"", "is an address: write it unquoted" },
    { "count,sql=athena,filter=vpcflow.action == REJECT", "vpcflow.action is text: quote the value" },
    { "count,sql=athena,filter=vpcflow.bytes == \"5\"", "vpcflow.bytes is a number" },
    { "count,sql=athena,filter=vpcflow.bytes == 012", "\"012\" is not a number in decimal or 0x hex" },
    { "count,sql=athena,filter=vpcflow.port == 22", "vpcflow.port has no column of its own" },
    { "count,sql=athena,filter=frame.number == 1", "\"frame.number\" is not a flow-log field" },
    { "count,sql=athena,filter=vpcflow.action matches \"R\"", "after vpcflow.action is not translated" },
    { "count,sql=athena,filter=vpcflow.bytes === 5", "after vpcflow.bytes is not translated" },
    { "count,sql=athena,filter=vpcflow.bytes > 1 && vpcflow.bytes < 9 || vpcflow.tcp_flags",
      "&& and || are mixed without parentheses" },
    { "count,sql=athena,filter=(vpcflow.bytes > 1", "a ( is not closed" },
    { "count,sql=athena,filter=vpcflow.action == \"R", "a string is not closed" },
    { "count,sql=athena,filter=vpcflow.action == \"\\x41\"", "the escape \\x is not translated" },
    { "count,sql=athena,filter=vpcflow.dstport in {}", "the set is empty" },
    { "count,sql=athena,filter=vpcflow.dstport ==", "a value is missing after vpcflow.dstport" },
    { "count,sql=athena,filter=vpcflow.dstport == 1 &&", "it ends where a test is expected" },
    { "count,sql=presto", "sql=: \"presto\" is not a dialect made here (only athena)" },
    { "count,sql=athena,table=1flows", "table=: \"1flows\" is not a table name" },
    { "count,sql=athena,table=a..b", "is not a table name" },
    { "count,sql=athena,table=a;b", "is not a table name" },
    { "count,table=flows", "table=: names the Athena table of sql=athena" },
};

static void
test_refusals(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
        char *sql = query(refused[i].spec);
        if (!g_str_has_prefix(sql, "error: ") || !strstr(sql, refused[i].message))
            g_error("%s: expected an error with \"%s\", got:\n%s", refused[i].spec, refused[i].message, sql);
        g_free(sql);
    }
}

static void
test_without_sql_nothing_changes(void)
{
    char *error = NULL;
    vpcflow_report_t *r = vpcflow_report_new("count,by=action", &error);

    g_assert_nonnull(r);
    g_assert_false(vpcflow_report_wants_sql(r));
    vpcflow_report_free(r);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report-sql/workshop-question-4", test_workshop_question_4);
    g_test_add_func("/report-sql/groups-of-numbers-are-text", test_groups_of_numbers_are_text);
    g_test_add_func("/report-sql/one-group-needs-records", test_one_group_needs_records);
    g_test_add_func("/report-sql/list-keeps-records-with-the-value", test_list_keeps_records_with_the_value);
    g_test_add_func("/report-sql/heading-says-what-report", test_heading_says_what_report);
    g_test_add_func("/report-sql/filters", test_filters);
    g_test_add_func("/report-sql/refusals", test_refusals);
    g_test_add_func("/report-sql/without-sql-nothing-changes", test_without_sql_nothing_changes);
    return g_test_run();
}
