/* test-vpcflow-csv.c
 * Unit tests of the CSV row splitter (plugin/flowlog/core/vpcflow-csv.c)
 * and of the table-column helpers CSV results and Parquet share
 * (vpcflow-columns.c). Expected values are worked out by hand from
 * RFC 4180 and the shapes Athena and DuckDB write.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "vpcflow-columns.h"
#include "vpcflow-csv.h"

/* Split text fed in pieces of step bytes (0: all at once); the rows as "a|b|c" strings, "!" ending a cut or unclosed one. */
static GPtrArray *
split(const char *text, gsize length, gsize step)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
    vpcflow_csv_t csv;
    gsize at = 0;

    vpcflow_csv_init(&csv);
    for (;;) {
        gsize piece = MIN(step ? step : length, length - at);
        gboolean complete = FALSE;
        gsize used = piece ? vpcflow_csv_feed(&csv, (const guint8 *)text + at, piece, &complete) : 0;
        at += used;
        if (!complete && at == length)
            complete = vpcflow_csv_finish(&csv);
        if (!complete) {
            if (at == length)
                break;
            continue;
        }
        GString *row = g_string_new(NULL);
        for (guint f = 0; f < csv.n_kept; f++)
            g_string_append_printf(row, "%s%.*s", f ? "|" : "", (int)csv.fields[f].length,
                                    (const char *)csv.values + csv.fields[f].offset);
        g_string_append_printf(row, " (%" G_GUINT64_FORMAT " fields, %" G_GUINT64_FORMAT " lines, %" G_GUINT64_FORMAT
                               " bytes%s%s%s)", csv.n_fields, csv.lines, csv.bytes, csv.cut ? ", cut" : "",
                               csv.unclosed ? ", unclosed" : "", vpcflow_csv_row_is_blank(&csv) ? ", blank" : "");
        g_ptr_array_add(rows, g_string_free(row, FALSE));
        if (at == length && csv.complete && !vpcflow_csv_finish(&csv))
            break;
    }
    vpcflow_csv_free(&csv);
    return rows;
}

/* The rows are the same whether the text comes at once or byte by byte. */
static void
check_rows(const char *text, const char *const *expected)
{
    for (gsize step = 0; step <= 3; step++) {
        GPtrArray *rows = split(text, strlen(text), step);
        guint n = g_strv_length((char **)expected);
        for (guint i = 0; i < MIN(n, rows->len); i++)
            g_assert_cmpstr(g_ptr_array_index(rows, i), ==, expected[i]);
        g_assert_cmpuint(rows->len, ==, n);
        g_ptr_array_free(rows, TRUE);
    }
}

static void
test_plain_and_quoted(void)
{
    /* Athena: every value quoted, null as nothing; DuckDB: quotes where needed. */
    const char *text = "\"srcaddr\",\"bytes\",\"note\"\n"
                       "\"10.0.0.1\",,\"a \"\"b\"\", c\"\n"
                       "10.0.0.2,5,plain\n";
    const char *const rows[] = {
        "srcaddr|bytes|note (3 fields, 1 lines, 25 bytes)",
        "10.0.0.1||a \"b\", c (3 fields, 1 lines, 25 bytes)",
        "10.0.0.2|5|plain (3 fields, 1 lines, 17 bytes)",
        NULL
    };
    check_rows(text, rows);
}

static void
test_line_breaks(void)
{
    /* "\r\n" ends a row like "\n"; inside quotes line breaks are values and the row spans lines;
     * a lone "\r" outside quotes is kept; a last row needs no end of line. */
    const char *text = "a,\"x\r\ny\nz\"\r\n"
                       "\r\n"
                       "b\rc,d\n"
                       "e,f";
    const char *const rows[] = {
        "a|x\r\ny\nz (2 fields, 3 lines, 12 bytes)",
        " (1 fields, 1 lines, 2 bytes, blank)",
        "b\rc|d (2 fields, 1 lines, 6 bytes)",
        "e|f (2 fields, 1 lines, 3 bytes)",
        NULL
    };
    check_rows(text, rows);
}

static void
test_lenient_quotes(void)
{
    /* A quote inside an unquoted value, text after a closing quote: kept as written. */
    const char *const rows[] = { "ab\"c|xy\"z|\" (3 fields, 1 lines, 17 bytes)", NULL };
    check_rows("ab\"c,\"x\"y\"z,\"\"\"\"\n", rows);
}

static void
test_unclosed_quote(void)
{
    /* The file ends inside the quoted value of the third field, opened on the row's second line. */
    const char *text = "1,\"two\nlines\",\"never\nclosed,3\n";
    vpcflow_csv_t csv;
    gboolean complete;

    vpcflow_csv_init(&csv);
    g_assert_cmpuint(vpcflow_csv_feed(&csv, (const guint8 *)text, strlen(text), &complete), ==, strlen(text));
    g_assert_false(complete);
    g_assert_true(vpcflow_csv_finish(&csv));
    g_assert_true(csv.unclosed);
    g_assert_cmpuint(csv.quote_field, ==, 2);
    g_assert_cmpuint(csv.quote_line, ==, 1);
    g_assert_cmpuint(csv.lines, ==, 4);
    g_assert_cmpuint(csv.n_fields, ==, 3);
    g_assert_false(vpcflow_csv_finish(&csv));
    vpcflow_csv_free(&csv);
}

static void
test_bounds(void)
{
    /* Fields beyond VPCFLOW_CSV_FIELDS_MAX and bytes beyond VPCFLOW_CSV_BYTES_MAX are counted, not kept. */
    GString *many = g_string_new(NULL);
    for (guint i = 0; i < 100000; i++)
        g_string_append(many, "1,");
    g_string_append(many, "1\nnext\n");
    GPtrArray *rows = split(many->str, many->len, 4096);
    g_assert_cmpuint(rows->len, ==, 2);
    g_assert_true(g_str_has_suffix(g_ptr_array_index(rows, 0), " (100001 fields, 1 lines, 200002 bytes, cut)"));
    g_assert_cmpstr(g_ptr_array_index(rows, 1), ==, "next (1 fields, 1 lines, 5 bytes)");
    g_ptr_array_free(rows, TRUE);

    vpcflow_csv_t csv;
    gboolean complete;
    vpcflow_csv_init(&csv);
    vpcflow_csv_feed(&csv, (const guint8 *)many->str, many->len, &complete);
    g_assert_true(complete);
    g_assert_cmpuint(csv.n_kept, ==, VPCFLOW_CSV_FIELDS_MAX);

    GString *big = g_string_new("\"");
    for (guint i = 0; i < 3 * VPCFLOW_CSV_BYTES_MAX; i++)
        g_string_append(big, i % 2 ? "\"\"" : ",");
    g_string_append(big, "\",z\n");
    vpcflow_csv_feed(&csv, (const guint8 *)big->str, big->len, &complete);
    g_assert_true(complete);
    g_assert_true(csv.cut);
    g_assert_cmpuint(csv.n_fields, ==, 2);
    g_assert_cmpuint(csv.fields[0].length, ==, VPCFLOW_CSV_BYTES_MAX);
    g_assert_cmpuint(csv.fields[1].length, ==, 0);     /* no room left for it */
    g_assert_cmpuint(csv.used, <=, VPCFLOW_CSV_BYTES_MAX);
    vpcflow_csv_free(&csv);
    g_string_free(big, TRUE);
    g_string_free(many, TRUE);
}

/* Census of a header given as names separated by commas. */
static gboolean
is_flow_result(const char *header, vpcflow_columns_census_t *census)
{
    gchar **names = g_strsplit(header, ",", -1);
    guint n = g_strv_length(names);
    gsize *lengths = g_new(gsize, n);
    for (guint i = 0; i < n; i++)
        lengths[i] = strlen(names[i]);
    vpcflow_format_t *format = vpcflow_columns_format((const char *const *)names, lengths, n, census);
    g_assert_nonnull(format);
    g_assert_cmpuint(format->n_columns, ==, n);
    vpcflow_format_free(format);
    g_free(lengths);
    g_strfreev(names);
    return vpcflow_columns_are_flow_result(census);
}

static void
test_flow_result_names(void)
{
    vpcflow_columns_census_t census;

    g_assert_true(is_flow_result("srcaddr,dstaddr,dstport,action,bytes,n", &census));
    g_assert_cmpuint(census.known, ==, 5);
    g_assert_cmpuint(census.flow_names, ==, 3);
    g_assert_true(is_flow_result("log-status,interface-id", &census));
    g_assert_true(is_flow_result("tcp_flags,packets", &census));
    /* Names, not a format's syntax: "parse" starts a Logs Insights statement for vpcflow_format_parse(). */
    g_assert_true(is_flow_result("parse,srcaddr,dstaddr", &census));
    g_assert_cmpuint(census.known, ==, 2);
    /* Generic words alone, an inventory, one flow-log column: not a flow-log result. */
    g_assert_false(is_flow_result("id,name,version,action,start,end,bytes", &census));
    g_assert_cmpuint(census.known, ==, 5);
    g_assert_cmpuint(census.flow_names, ==, 0);
    g_assert_false(is_flow_result("instance_id,vpc_id,subnet_id,account_id,region,az_id,type", &census));
    g_assert_false(is_flow_result("srcaddr,total", &census));
}

/* The row's places must be the ones vpcflow_tokenize() finds in its text. */
static void
assert_places_are_tokens(const vpcflow_row_t *row)
{
    vpcflow_token_t split[16];
    guint n = vpcflow_tokenize(row->text, row->length, split, G_N_ELEMENTS(split));

    g_assert_cmpuint(n, ==, row->n_values);
    for (guint i = 0; i < MIN(n, G_N_ELEMENTS(split)); i++) {
        g_assert_cmpuint(row->tokens[i].offset, ==, split[i].offset);
        g_assert_cmpuint(row->tokens[i].length, ==, split[i].length);
    }
}

static void
test_values_as_tokens(void)
{
    vpcflow_row_t *row = g_new0(vpcflow_row_t, 1);
    vpcflow_record_t record;

    vpcflow_row_begin(row);
    vpcflow_row_add_text(row, (const guint8 *)"", 0);
    vpcflow_row_add_text(row, (const guint8 *)"None", 4);
    vpcflow_row_add_text(row, (const guint8 *)"a b\nc\x7f", 6);
    vpcflow_row_add_decimal(row, G_MININT64);
    vpcflow_row_add_hex(row, (const guint8 *)"\x01\xab", 2);
    vpcflow_row_add_hex(row, NULL, 0);
    vpcflow_row_add_word(row, "true");
    vpcflow_row_add_word(row, NULL);
    g_assert_cmpstr(row->text, ==, "- - a%20b%0Ac%7F -9223372036854775808 01ab - true -");
    g_assert_cmpuint(row->length, ==, strlen(row->text));
    g_assert_cmpuint(row->tokens[2].offset, ==, 4);
    g_assert_cmpuint(row->tokens[2].length, ==, 12);
    assert_places_are_tokens(row);
    memset(&record, 0, sizeof record);
    vpcflow_row_record(row, &record);
    g_assert_true(record.tokens == row->tokens && record.n_tokens == 8 && record.flags == 0);

    /* a value past the limit is cut and the record flagged; its places still hold */
    GString *value = g_string_new(NULL);
    for (guint i = 0; i < VPCFLOW_COLUMN_VALUE_MAX + 10; i++)
        g_string_append_c(value, 'v');
    vpcflow_row_begin(row);
    vpcflow_row_add_word(row, "x");
    vpcflow_row_add_text(row, (const guint8 *)value->str, value->len);
    g_assert_true(row->cut);
    g_assert_cmpuint(row->length, ==, 2 + VPCFLOW_COLUMN_VALUE_MAX);
    assert_places_are_tokens(row);
    memset(&record, 0, sizeof record);
    vpcflow_row_record(row, &record);
    g_assert_true(record.tokens != NULL && (record.flags & VPCFLOW_FLAG_LINE_CUT));

    /* a row longer than a frame keeps: cut, and no places (the builder splits what is kept) */
    vpcflow_row_begin(row);
    for (guint i = 0; i < 20; i++)
        vpcflow_row_add_text(row, (const guint8 *)value->str, VPCFLOW_COLUMN_VALUE_MAX);
    g_assert_cmpuint(row->length, >, VPCFLOW_RECORD_MAX);
    memset(&record, 0, sizeof record);
    vpcflow_row_record(row, &record);
    g_assert_true(record.tokens == NULL && record.length == VPCFLOW_RECORD_MAX &&
                  (record.flags & VPCFLOW_FLAG_LINE_CUT));
    g_string_free(value, TRUE);
    vpcflow_row_free(row);
    g_free(row);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/csv/plain-and-quoted", test_plain_and_quoted);
    g_test_add_func("/csv/line-breaks", test_line_breaks);
    g_test_add_func("/csv/lenient-quotes", test_lenient_quotes);
    g_test_add_func("/csv/unclosed-quote", test_unclosed_quote);
    g_test_add_func("/csv/bounds", test_bounds);
    g_test_add_func("/columns/flow-result-names", test_flow_result_names);
    g_test_add_func("/columns/values-as-tokens", test_values_as_tokens);
    return g_test_run();
}
