/* fuzz-report.c
 * The report engine of tshark -z vpcflow,... (and the vpcflow.report
 * preference, which a shared profile can carry): its spec, then records
 * of any bytes accounted into groups and printed.
 *
 * Input: line 1 the spec (what follows "vpcflow,"), line 2 a format,
 * then records; a record goes in when it has the format's column count,
 * as the dissector taps only those. Checked: a report or an error, never
 * both; every group's label and the printed table are whole strings; the
 * table written in pieces is the same text; a reset report prints no
 * group; its Athena query (sql=athena) is SQL or a message, never both. And the packing of values into group keys, on every token of
 * every record: a key prints back its value, and two values share a key
 * only when they are the same text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-format.h"
#include "vpcflow-report.h"
#include "vpcflow-report-sql.h"
#include "vpcflow-report-key.h"
#include "vpcflow-tokens.h"

#define MAX_RECORDS 64
#define MAX_TOKENS 64

/* A value as a group has it: up to any NUL byte. */
static gsize
value_length(const char *text, gsize len)
{
    const char *nul = memchr(text, '\0', len);

    return nul ? (gsize)(nul - text) : len;
}

/* Every token of every line packed; its cell against those of the tokens before it. */
static void
check_cells(const fuzz_lines_t *lines)
{
    vpcflow_intern_t *strings = vpcflow_intern_new();
    /* text -> cell, and cell -> text, of the tokens seen */
    GHashTable *cell_of = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, g_free);
    GHashTable *text_of = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)g_bytes_unref);

    for (guint i = 0; i < lines->count; i++) {
        vpcflow_token_t tokens[MAX_TOKENS];
        guint n = MIN(vpcflow_tokenize(lines->line[i], lines->length[i], tokens, MAX_TOKENS), MAX_TOKENS);
        for (guint t = 0; t < n; t++) {
            const char *text = lines->line[i] + tokens[t].offset;
            gsize len = value_length(text, tokens[t].length);
            vpcflow_cell_t cell = vpcflow_cell_pack(strings, text, len);
            char buf[VPCFLOW_CELL_TEXT_MAX];
            gsize printed_len;
            const char *printed = vpcflow_cell_text(strings, cell, buf, &printed_len);
            FUZZ_CHECK(printed_len == len && memcmp(printed, text, len) == 0);

            GBytes *bytes = g_bytes_new(text, len);
            const vpcflow_cell_t *known_cell = g_hash_table_lookup(cell_of, bytes);
            GBytes *known_text = g_hash_table_lookup(text_of, &cell);
            if (known_cell) {
                FUZZ_CHECK(*known_cell == cell);
                g_bytes_unref(bytes);
                continue;
            }
            FUZZ_CHECK(known_text == NULL);     /* a new text, so a new cell */
            g_hash_table_insert(cell_of, g_bytes_ref(bytes), g_memdup2(&cell, sizeof cell));
            g_hash_table_insert(text_of, g_memdup2(&cell, sizeof cell), bytes);
        }
    }
    g_hash_table_destroy(cell_of);
    g_hash_table_destroy(text_of);
    vpcflow_intern_free(strings);
}

static void
append_piece(const char *text, gsize len, void *data)
{
    FUZZ_CHECK(len > 0);
    g_string_append_len((GString *)data, text, (gssize)len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_lines_t lines;
    char *error = NULL;

    fuzz_lines_split(&lines, data, size, MAX_RECORDS + 2);
    check_cells(&lines);
    if (lines.count < 2) {
        fuzz_lines_free(&lines);
        return 0;
    }
    char *spec = g_strndup(lines.line[0], lines.length[0]);
    vpcflow_report_t *report = vpcflow_report_new(spec, &error);
    FUZZ_CHECK((report == NULL) != (error == NULL));
    g_free(error);
    error = NULL;
    vpcflow_format_t *format = vpcflow_format_parse(lines.line[1], lines.length[1], &error);
    g_free(error);

    if (report) {
        /* The query of any report (sql=athena): SQL or a message, never both. */
        char *why = NULL;
        GString *sql = vpcflow_report_sql(report, &why);
        FUZZ_CHECK((sql == NULL) != (why == NULL));
        FUZZ_CHECK(!sql || strlen(sql->str) == sql->len);
        if (sql)
            g_string_free(sql, TRUE);
        g_free(why);
    }
    if (report && format) {
        const char *filter = vpcflow_report_filter(report);
        FUZZ_CHECK(!filter || strlen(filter) <= lines.length[0]);
        vpcflow_token_t *tokens = g_new(vpcflow_token_t, format->n_columns);
        for (guint pass = 0; pass < 2; pass++) {
            for (guint i = 2; i < lines.count; i++) {
                guint n = vpcflow_tokenize(lines.line[i], lines.length[i], tokens, format->n_columns);
                if (n != format->n_columns)
                    continue;
                vpcflow_report_add(report, lines.line[i], tokens, format);
                const char *label = NULL;
                double value;
                gboolean absent;
                if (vpcflow_report_last_group(report, &label, &value, &absent))
                    FUZZ_CHECK(label != NULL && strlen(label) < 1024 * 1024);
            }
            GString *text = vpcflow_report_text(report);
            FUZZ_CHECK(text != NULL && strlen(text->str) == text->len);
            GString *pieces = g_string_new(NULL);
            vpcflow_report_write(report, append_piece, pieces);
            FUZZ_CHECK(g_string_equal(pieces, text));
            g_string_free(pieces, TRUE);
            g_string_free(text, TRUE);
            (void)vpcflow_report_sums_bytes(report);
            vpcflow_report_reset(report);
        }
        g_free(tokens);
    }
    vpcflow_format_free(format);
    vpcflow_report_free(report);
    g_free(spec);
    fuzz_lines_free(&lines);
    return 0;
}
