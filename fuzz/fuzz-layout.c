/* fuzz-layout.c
 * Recognising a headerless file from its first lines, as the reader's
 * open routine does: known layouts by the shape of their values, a
 * user-given format's fit, and "records of a format we were not told".
 *
 * The input is the sample: up to 32 lines. Checked: a detected layout is
 * one of the known ones and most lines have its column count; a format
 * only "matches" lines most of which have its column count.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-format.h"
#include "vpcflow-tokens.h"

/* The reader samples this many lines. */
#define SAMPLE_LINES 32

static guint
lines_with_columns(const fuzz_lines_t *lines, guint columns)
{
    guint n = 0;

    for (guint i = 0; i < lines->count; i++)
        n += vpcflow_tokenize(lines->line[i], lines->length[i], NULL, 0) == columns;
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_lines_t lines;
    guint count;
    const vpcflow_layout_t *known = vpcflow_layouts(&count);

    fuzz_lines_split(&lines, data, size, SAMPLE_LINES);
    const char *const *text = (const char *const *)lines.line;

    const vpcflow_layout_t *layout = vpcflow_layout_detect(text, lines.length, lines.count);
    if (layout) {
        FUZZ_CHECK(layout >= known && layout < known + count);
        FUZZ_CHECK(lines_with_columns(&lines, layout->format->n_columns) * 2 >= lines.count);
    }

    /* Every known layout, and the first line read as a user's format. */
    for (guint l = 0; l < count; l++) {
        gboolean matches = vpcflow_format_matches_lines(known[l].format, text, lines.length, lines.count);
        FUZZ_CHECK(matches == (lines.count > 0 &&
                               lines_with_columns(&lines, known[l].format->n_columns) * 2 > lines.count));
    }
    if (lines.count > 0) {
        char *error = NULL;
        vpcflow_format_t *format = vpcflow_format_parse(text[0], lines.length[0], &error);
        if (format) {
            gboolean matches = vpcflow_format_matches_lines(format, text + 1, lines.length + 1, lines.count - 1);
            guint others = lines_with_columns(&lines, format->n_columns) -
                           (vpcflow_tokenize(text[0], lines.length[0], NULL, 0) == format->n_columns);
            FUZZ_CHECK(matches == (lines.count > 1 && others * 2 > lines.count - 1));
            vpcflow_format_free(format);
        }
        g_free(error);
    }

    (void)vpcflow_lines_look_like_records(text, lines.length, lines.count);
    FUZZ_CHECK(!vpcflow_lines_look_like_records(text, lines.length, 0));
    fuzz_lines_free(&lines);
    return 0;
}
