/* test-vpcflow-report.c
 * Unit tests of the report engine behind tshark -z vpcflow,...
 * Inputs and answers are written here by hand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "vpcflow-report.h"

static const char *const lines[] = {
    "10.0.0.1 443 100 ingress",
    "10.0.0.2 443 50 egress",
    "10.0.0.1 22 - ingress",
    "10.0.0.1 443 7 egress",
};

static void
feed(vpcflow_report_t *r)
{
    char *error = NULL;
    const char *names = "srcaddr dstport bytes flow-direction";
    vpcflow_format_t *format = vpcflow_format_parse(names, strlen(names), &error);

    for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
        vpcflow_token_t tokens[8];
        vpcflow_tokenize(lines[i], strlen(lines[i]), tokens, 8);
        vpcflow_report_add(r, lines[i], tokens, format);
    }
    vpcflow_format_free(format);
}

static char *
run(const char *spec)
{
    char *error = NULL;
    vpcflow_report_t *r = vpcflow_report_new(spec, &error);

    g_assert_null(error);
    feed(r);
    GString *text = vpcflow_report_text(r);
    vpcflow_report_free(r);
    return g_string_free(text, FALSE);
}

static void
test_sum_by_source(void)
{
    char *text = run("sum,bytes,by=srcaddr");

    /* 10.0.0.1: 100 + 7 (the "-" adds nothing); 10.0.0.2: 50 */
    g_assert_nonnull(strstr(text, "srcaddr   sum(bytes)\n"));
    g_assert_nonnull(strstr(text, "10.0.0.1         107\n10.0.0.2          50\n"));
    g_assert_nonnull(strstr(text, "2 of 2 groups; 4 records"));
    g_free(text);
}

static void
test_count_two_keys_top(void)
{
    char *text = run("count,by=srcaddr;dstport,top=1");

    g_assert_nonnull(strstr(text, "10.0.0.1  443          2\n"));
    g_assert_nonnull(strstr(text, "1 of 3 groups; 4 records"));
    g_free(text);
}

static void
test_ascending_and_ties(void)
{
    /* both directions have two records: ties go by value, egress first */
    char *text = run("count,by=flow_direction,sort=asc");

    /* "flow-direction" is 14 wide, "count" 5: 8 + 2 + 4 spaces after "egress" */
    g_assert_nonnull(strstr(text, "egress              2\ningress             2\n"));
    g_free(text);
}

static void
test_list_latest(void)
{
    char *text = run("list,bytes,top=2");

    /* sorted by bytes, descending: 100 then 50; the "-" record is not listed */
    char *first = strstr(text, "10.0.0.1");
    char *second = strstr(text, "10.0.0.2");
    g_assert_nonnull(first);
    g_assert_nonnull(second);
    g_assert_true(first < second);
    g_assert_nonnull(strstr(text, "2 of 4 records"));
    g_free(text);
}

static void
test_filter_keeps_commas(void)
{
    char *error = NULL;
    vpcflow_report_t *r = vpcflow_report_new("count,by=srcaddr,filter=vpcflow.dstport in {22, 443}", &error);

    g_assert_nonnull(r);
    g_assert_cmpstr(vpcflow_report_filter(r), ==, "vpcflow.dstport in {22, 443}");
    vpcflow_report_free(r);
}

static void
test_mistakes(void)
{
    const char *bad[] = { "", "sum", "count,bytes", "avg,action", "max,bytes,top=x", "count,by=",
                          "count,by=srcaddr;nope", "list,top=100001", "mean,bytes" };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *error = NULL;
        g_assert_null(vpcflow_report_new(bad[i], &error));
        g_assert_nonnull(error);
        g_free(error);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/sum-by-source", test_sum_by_source);
    g_test_add_func("/report/count-two-keys-top", test_count_two_keys_top);
    g_test_add_func("/report/ascending-and-ties", test_ascending_and_ties);
    g_test_add_func("/report/list-latest", test_list_latest);
    g_test_add_func("/report/filter-keeps-commas", test_filter_keeps_commas);
    g_test_add_func("/report/mistakes", test_mistakes);
    return g_test_run();
}
