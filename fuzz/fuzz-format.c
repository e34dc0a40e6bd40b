/* fuzz-format.c
 * Format parsing: the vpcflow.format preference (any text a user can
 * type, in the AWS ${}, plain and Logs Insights forms) and header-line
 * detection, on the same bytes.
 *
 * Checked: exactly one of a format and an error comes back; a format is
 * consistent (known names map to their field, each field's column is its
 * first one, the text is the names joined); parsing a format's own text
 * gives it back; a header's format parses to the same fields.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-fields.h"
#include "vpcflow-format.h"
#include "vpcflow-tokens.h"

static void
check_format(const vpcflow_format_t *format)
{
    FUZZ_CHECK(format->n_columns >= 1 && format->n_columns <= VPCFLOW_FORMAT_MAX_COLUMNS);
    FUZZ_CHECK(format->name[format->n_columns] == NULL);

    for (guint c = 0; c < format->n_columns; c++) {
        const char *name = format->name[c];
        FUZZ_CHECK(name != NULL && name[0] != '\0');
        for (const char *p = name; *p; p++)
            FUZZ_CHECK(g_ascii_isalnum(*p) || *p == '-' || *p == '_');
        int field = format->field[c];
        FUZZ_CHECK(field == vpcflow_field_lookup(name, strlen(name)));
        if (field != VF_UNKNOWN) {
            int first = format->column_of[field];
            FUZZ_CHECK(first >= 0 && (guint)first <= c);
            FUZZ_CHECK(format->field[first] == field);
        }
    }
    for (guint f = 0; f < vpcflow_field_count; f++) {
        int c = vpcflow_format_column(format, (int)f);
        FUZZ_CHECK(c >= -1 && c < (int)format->n_columns);
        if (c >= 0)
            FUZZ_CHECK(format->field[c] == (int)f);
    }
    char *joined = g_strjoinv(" ", format->name);
    FUZZ_CHECK(strcmp(joined, format->text) == 0);
    g_free(joined);
}

/* Same columns, as fields (names may be spelled differently). */
static gboolean
same_fields(const vpcflow_format_t *a, const vpcflow_format_t *b)
{
    if (a->n_columns != b->n_columns)
        return FALSE;
    for (guint c = 0; c < a->n_columns; c++) {
        if (a->field[c] != b->field[c])
            return FALSE;
        if (a->field[c] == VF_UNKNOWN && strcmp(a->name[c], b->name[c]) != 0)
            return FALSE;
    }
    return TRUE;
}

static void
check_reparse(const vpcflow_format_t *format)
{
    char *error = NULL;
    vpcflow_format_t *again = vpcflow_format_parse(format->text, strlen(format->text), &error);

    /* A format whose first name is "parse" (unknown, but allowed) reads
     * back as a Logs Insights statement: then only sanity is checked. */
    gboolean insights = g_ascii_strncasecmp(format->text, "parse", 5) == 0;
    if (!again) {
        FUZZ_CHECK(error != NULL && insights);
        g_free(error);
        return;
    }
    FUZZ_CHECK(error == NULL);
    check_format(again);
    FUZZ_CHECK(insights || same_fields(format, again));

    vpcflow_format_t *copy = vpcflow_format_copy(again);
    check_format(copy);
    FUZZ_CHECK(strcmp(copy->text, again->text) == 0);
    vpcflow_format_free(copy);
    vpcflow_format_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_copy(data, size);
    char *error = NULL;

    vpcflow_format_t *format = vpcflow_format_parse(text, size, &error);
    FUZZ_CHECK((format == NULL) != (error == NULL));
    if (format) {
        check_format(format);
        check_reparse(format);
        vpcflow_format_free(format);
    }
    g_free(error);

    vpcflow_format_t *header = vpcflow_format_from_header(text, size);
    if (header) {
        check_format(header);
        /* A header is lower-case names, and as many as the line has tokens. */
        FUZZ_CHECK(header->n_columns == vpcflow_tokenize(text, size, NULL, 0));
        check_reparse(header);
        vpcflow_format_free(header);
    }
    vpcflow_format_free(NULL);
    free(text);
    return 0;
}
