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

/* Feed lines of a format to a new report; its text. */
static char *
run_lines(const char *spec, const char *names, const char *const *records, const gsize *lens, guint n)
{
    char *error = NULL;
    vpcflow_report_t *r = vpcflow_report_new(spec, &error);
    vpcflow_format_t *format = vpcflow_format_parse(names, strlen(names), &error);

    g_assert_null(error);
    for (guint i = 0; i < n; i++) {
        vpcflow_token_t tokens[8];
        gsize len = lens ? lens[i] : strlen(records[i]);
        g_assert_cmpuint(vpcflow_tokenize(records[i], len, tokens, 8), ==, format->n_columns);
        vpcflow_report_add(r, records[i], tokens, format);
    }
    GString *text = vpcflow_report_text(r);
    vpcflow_report_free(r);
    vpcflow_format_free(format);
    return g_string_free(text, FALSE);
}

static void
test_sums_do_not_wrap(void)
{
    /* 2^64 - 1 and 2 make 2^64 + 1; a 64-bit sum would have wrapped to 1
     * and put 10.0.0.1 below 10.0.0.2's 100. The sum column is 20 wide. */
    static const char *const records[] = {
        "10.0.0.1 18446744073709551615", "10.0.0.2 100", "10.0.0.1 2",
    };
    char *text = run_lines("sum,bytes,by=srcaddr", "srcaddr bytes", records, NULL, G_N_ELEMENTS(records));

    g_assert_nonnull(strstr(text, "10.0.0.1  18446744073709551617\n10.0.0.2  " "                 100\n"));
    g_free(text);
    /* the average of two values of 2^64 - 1 is 2^64 - 1 (a double prints it 2^64) */
    static const char *const same[] = { "10.0.0.1 18446744073709551615", "10.0.0.1 18446744073709551615" };
    text = run_lines("avg,bytes,by=srcaddr", "srcaddr bytes", same, NULL, G_N_ELEMENTS(same));
    g_assert_nonnull(strstr(text, "10.0.0.1  18446744073709551616.0\n"));
    g_free(text);
    text = run_lines("sum,bytes", "srcaddr bytes", same, NULL, G_N_ELEMENTS(same));
    g_assert_nonnull(strstr(text, "36893488147419103230\n"));     /* 2^65 - 2 */
    g_free(text);
}

static void
test_groups_are_texts(void)
{
    /* values group as written: another spelling of the same address or
     * number is another group, and prints as it was written */
    static const char *const records[] = {
        "10.0.0.1 443", "010.0.0.1 443", "10.0.0.1 0443", "2001:db8::1 443", "2001:DB8::1 443", "10.0.0.1 443",
    };
    char *text = run_lines("count,by=srcaddr;dstport", "srcaddr dstport", records, NULL, G_N_ELEMENTS(records));

    /* ties (count 1) by text, byte by byte: "0" < "1" < "2" */
    g_assert_nonnull(strstr(text,
                            "srcaddr      dstport  count\n"
                            "-----------  -------  -----\n"
                            "10.0.0.1     443          2\n"
                            "010.0.0.1    443          1\n"
                            "10.0.0.1     0443         1\n"
                            "2001:DB8::1  443          1\n"
                            "2001:db8::1  443          1\n"));
    g_assert_nonnull(strstr(text, "5 of 5 groups; 6 records"));
    g_free(text);
}

static void
test_separator_bytes_do_not_merge_groups(void)
{
    /* ("a\x1fb", "c") and ("a", "b\x1fc") are two groups, though both
     * joined with a \x1f read "a\x1fb\x1fc" */
    static const char *const records[] = { "a\x1f" "b c", "a b\x1f" "c" };
    char *text = run_lines("count,by=action;log_status", "action log-status", records, NULL, 2);

    g_assert_nonnull(strstr(text, "2 of 2 groups; 2 records"));
    g_free(text);
}

static void
test_values_end_at_nul(void)
{
    /* a NUL byte ends a value: "ab\0x" and "ab\0y" are both "ab" */
    static const char *const records[] = { "ab\0x 1", "ab\0y 2", "ab 4" };
    static const gsize lens[] = { 6, 6, 4 };
    char *text = run_lines("sum,bytes,by=action", "action bytes", records, lens, 3);

    /* "action" and "sum(bytes)" are 6 and 10 wide */
    g_assert_nonnull(strstr(text, "ab    " "  " "         7\n"));
    g_assert_nonnull(strstr(text, "1 of 1 groups; 3 records"));
    g_free(text);
}

static void
test_last_group(void)
{
    char *error = NULL;
    vpcflow_report_t *r = vpcflow_report_new("sum,bytes,by=srcaddr;flow_direction", &error);
    const char *label;
    double value;
    gboolean absent;

    g_assert_false(vpcflow_report_last_group(r, &label, &value, &absent));
    feed(r);
    /* the last line: 10.0.0.1 egress, 7 bytes */
    g_assert_true(vpcflow_report_last_group(r, &label, &value, &absent));
    g_assert_cmpstr(label, ==, "10.0.0.1 / egress");
    g_assert_cmpfloat(value, ==, 7);
    g_assert_false(absent);
    vpcflow_report_free(r);

    r = vpcflow_report_new("max,bytes", &error);
    feed(r);
    g_assert_true(vpcflow_report_last_group(r, &label, &value, &absent));
    g_assert_cmpstr(label, ==, "all");
    g_assert_cmpfloat(value, ==, 100);
    vpcflow_report_free(r);
}

static void
collect(const char *text, gsize len, void *data)
{
    g_string_append_len((GString *)data, text, (gssize)len);
    g_string_append_c((GString *)data, '|');
}

static gint
compare_texts(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_many_groups_in_pieces(void)
{
    /* 3,000 sources with 1..3 records each: expected order worked out
     * here as the sort of (count descending, address text); the longest
     * address, 10.2.99.9, makes the first column 9 wide */
    const guint n = 3000;
    char *error = NULL;
    const char *names = "srcaddr bytes";
    vpcflow_format_t *format = vpcflow_format_parse(names, strlen(names), &error);
    vpcflow_report_t *r = vpcflow_report_new("count,by=srcaddr", &error);
    GPtrArray *expected[4];

    for (guint c = 1; c <= 3; c++)
        expected[c] = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < n; i++) {
        char *line = g_strdup_printf("10.%u.%u.%u 1", i / 1000, (i / 10) % 100, i % 10);
        guint count = 1 + i % 3;
        vpcflow_token_t tokens[2];
        vpcflow_tokenize(line, strlen(line), tokens, 2);
        for (guint k = 0; k < count; k++)
            vpcflow_report_add(r, line, tokens, format);
        g_ptr_array_add(expected[count], g_strndup(line, tokens[0].length));
        g_free(line);
    }
    GString *rows = g_string_new(NULL);
    for (guint c = 3; c >= 1; c--) {
        g_ptr_array_sort(expected[c], compare_texts);
        for (guint i = 0; i < expected[c]->len; i++)
            g_string_append_printf(rows, "%-9s  %5u\n", (char *)g_ptr_array_index(expected[c], i), c);
        g_ptr_array_free(expected[c], TRUE);
    }

    GString *text = vpcflow_report_text(r);
    g_assert_nonnull(strstr(text->str, rows->str));
    g_assert_nonnull(strstr(text->str, "\n3000 of 3000 groups; 6000 records\n"));
    /* written in pieces, it is the same text */
    GString *pieces = g_string_new(NULL);
    vpcflow_report_write(r, collect, pieces);
    GString *joined = g_string_new(NULL);
    for (const char *p = pieces->str; *p; p++)
        if (*p != '|')
            g_string_append_c(joined, *p);
    g_assert_cmpstr(joined->str, ==, text->str);
    g_assert_nonnull(strchr(pieces->str, '|'));

    /* after a reset, no group; fed again, the same text */
    vpcflow_report_reset(r);
    GString *empty = vpcflow_report_text(r);
    g_assert_nonnull(strstr(empty->str, "0 of 0 groups; 0 records"));
    g_string_free(empty, TRUE);

    g_string_free(joined, TRUE);
    g_string_free(pieces, TRUE);
    g_string_free(text, TRUE);
    g_string_free(rows, TRUE);
    vpcflow_report_free(r);
    vpcflow_format_free(format);
}

typedef struct {
    char   *source;
    guint   value;          /* the group's average */
    gboolean absent;        /* no record of the group had bytes: no average */
} expected_row_t;

static gint
compare_expected(gconstpointer a, gconstpointer b)
{
    const expected_row_t *ea = a, *eb = b;

    if (ea->absent != eb->absent)
        return ea->absent ? 1 : -1;
    if (!ea->absent && ea->value != eb->value)
        return ea->value < eb->value ? -1 : 1;
    return strcmp(ea->source, eb->source);
}

static void
test_large_ascending_with_absent(void)
{
    /* 2,500 sources (enough for the radix sort), two records each: an
     * average of 0..9 (many ties) or no value at all ("-" twice). The
     * expected order is worked out here: values ascending, ties by text,
     * groups without a value last. */
    const guint n = 2500;
    char *error = NULL;
    const char *names = "srcaddr bytes";
    vpcflow_format_t *format = vpcflow_format_parse(names, strlen(names), &error);
    vpcflow_report_t *r = vpcflow_report_new("avg,bytes,by=srcaddr,sort=asc", &error);
    GArray *expected = g_array_new(FALSE, FALSE, sizeof(expected_row_t));

    for (guint i = 0; i < n; i++) {
        expected_row_t row = { g_strdup_printf("10.%u.%u.%u", i % 7, i / 70, i % 10), (i * 7) % 10, i % 11 == 0 };
        for (guint k = 0; k < 2; k++) {
            /* the two values average to row.value: value - 1 and value + 1, or value twice */
            guint v = row.value == 0 ? 0 : row.value + (k ? 1 : -1);
            char *line = row.absent ? g_strdup_printf("%s -", row.source) : g_strdup_printf("%s %u", row.source, v);
            vpcflow_token_t tokens[2];
            vpcflow_tokenize(line, strlen(line), tokens, 2);
            vpcflow_report_add(r, line, tokens, format);
            g_free(line);
        }
        g_array_append_val(expected, row);
    }
    g_array_sort(expected, compare_expected);
    /* distinct sources: 7 * 36 * 10 combinations hold 2,500 */
    GString *rows = g_string_new(NULL);
    for (guint i = 0; i < expected->len; i++) {
        expected_row_t *row = &g_array_index(expected, expected_row_t, i);
        if (row->absent)
            g_string_append_printf(rows, "%-9s  %10s\n", row->source, "-");
        else
            g_string_append_printf(rows, "%-9s  %8u.0\n", row->source, row->value);
        g_free(row->source);
    }
    GString *text = vpcflow_report_text(r);
    g_assert_nonnull(strstr(text->str, rows->str));
    g_assert_nonnull(strstr(text->str, "\n2500 of 2500 groups; 5000 records\n"));

    g_string_free(text, TRUE);
    g_string_free(rows, TRUE);
    g_array_free(expected, TRUE);
    vpcflow_report_free(r);
    vpcflow_format_free(format);
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
    g_test_add_func("/report/sums-do-not-wrap", test_sums_do_not_wrap);
    g_test_add_func("/report/groups-are-texts", test_groups_are_texts);
    g_test_add_func("/report/separator-bytes-do-not-merge-groups", test_separator_bytes_do_not_merge_groups);
    g_test_add_func("/report/values-end-at-nul", test_values_end_at_nul);
    g_test_add_func("/report/last-group", test_last_group);
    g_test_add_func("/report/many-groups-in-pieces", test_many_groups_in_pieces);
    g_test_add_func("/report/large-ascending-with-absent", test_large_ascending_with_absent);
    return g_test_run();
}
