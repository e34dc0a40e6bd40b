/* fuzz-report.c
 * The report engine of tshark -z vpcflow,... (and the vpcflow.report
 * preference, which a shared profile can carry): its spec, then records
 * of any bytes accounted into groups and printed.
 *
 * Input: line 1 the spec (what follows "vpcflow,"), line 2 a format,
 * then records; a record goes in when it has the format's column count,
 * as the dissector taps only those. Checked: a report or an error, never
 * both; every group's label and the printed table are whole strings; a
 * reset report prints no group.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-format.h"
#include "vpcflow-report.h"
#include "vpcflow-tokens.h"

#define MAX_RECORDS 64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_lines_t lines;
    char *error = NULL;

    fuzz_lines_split(&lines, data, size, MAX_RECORDS + 2);
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
