/* fuzz-csv.c
 * CSV query results (issue 13): the row splitter (vpcflow-csv.c) and the
 * record text each row becomes (vpcflow-columns.c), as source-csv.c
 * uses them. Byte 0 is the size of the pieces the text is fed in (0: all
 * at once); the rest is the text.
 *
 * Checked: the rows are the same whatever the pieces (a row spanning
 * reads is split as one read would split it); every byte belongs to one
 * row; a row keeps at most its bounds and says when it kept less; every
 * kept field lies in the kept values; a row's record text has exactly
 * one token per kept value, and the places the row gives the record
 * builder are those splitting the text finds; the header's format has a
 * column per name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-columns.h"
#include "vpcflow-csv.h"
#include "vpcflow-tokens.h"

/* What a row is, to compare two splittings. */
typedef struct {
    guint64 n_fields, lines, bytes, quote_field, quote_line;
    guint   n_kept;
    gboolean cut, unclosed, blank;
    guint32 hash;       /* of the kept values and their bounds */
} row_facts_t;

static void
check_row(const vpcflow_csv_t *csv, vpcflow_row_t *row, gboolean first, GArray *facts)
{
    row_facts_t f;

    memset(&f, 0, sizeof f);        /* padding too: rows are compared with memcmp */
    f.n_fields = csv->n_fields;
    f.lines = csv->lines;
    f.bytes = csv->bytes;
    f.quote_field = csv->quote_field;
    f.quote_line = csv->quote_line;
    f.n_kept = csv->n_kept;
    f.cut = csv->cut;
    f.unclosed = csv->unclosed;
    f.blank = vpcflow_csv_row_is_blank(csv);
    f.hash = 2166136261u;

    FUZZ_CHECK(csv->n_kept <= VPCFLOW_CSV_FIELDS_MAX && csv->n_kept <= csv->n_fields && csv->n_kept >= 1);
    FUZZ_CHECK(csv->cut || csv->n_kept == csv->n_fields);
    FUZZ_CHECK(csv->used <= VPCFLOW_CSV_BYTES_MAX);
    FUZZ_CHECK(csv->lines >= 1 && csv->lines <= csv->bytes + 1);
    FUZZ_CHECK(!csv->unclosed || (csv->quote_field < csv->n_fields && csv->quote_line < csv->lines));

    vpcflow_row_begin(row);
    for (guint i = 0; i < csv->n_kept; i++) {
        const vpcflow_csv_field_t *field = &csv->fields[i];
        FUZZ_CHECK(field->offset <= csv->used && field->length <= csv->used - field->offset);
        FUZZ_CHECK(i == 0 || field->offset == csv->fields[i - 1].offset + csv->fields[i - 1].length);
        for (gsize b = 0; b < field->length; b++)
            f.hash = (f.hash ^ csv->values[field->offset + b]) * 16777619u;
        f.hash = (f.hash ^ 0x100) * 16777619u;
        vpcflow_row_add_text(row, csv->values + field->offset, field->length);
    }
    /* The places the row hands the record builder are the ones splitting its text finds. */
    static vpcflow_token_t split[VPCFLOW_FORMAT_MAX_COLUMNS];
    guint n = vpcflow_tokenize(row->text, row->length, split, G_N_ELEMENTS(split));
    FUZZ_CHECK(n == csv->n_kept && row->n_values == n && strlen(row->text) == row->length);
    FUZZ_CHECK(memcmp(split, row->tokens, MIN(n, G_N_ELEMENTS(split)) * sizeof split[0]) == 0);
    FUZZ_CHECK(row->length <= (gsize)csv->n_kept * (3 * VPCFLOW_COLUMN_VALUE_MAX + 1));

    if (first) {
        const char **names = g_new(const char *, csv->n_kept);
        gsize *lengths = g_new(gsize, csv->n_kept);
        for (guint i = 0; i < csv->n_kept; i++) {
            names[i] = (const char *)csv->values + csv->fields[i].offset;
            lengths[i] = csv->fields[i].length;
        }
        vpcflow_columns_census_t census;
        vpcflow_format_t *format = vpcflow_columns_format(names, lengths, csv->n_kept, &census);
        FUZZ_CHECK((format != NULL) == (csv->n_kept <= VPCFLOW_FORMAT_MAX_COLUMNS));
        if (format) {
            FUZZ_CHECK(format->n_columns == csv->n_kept);
            FUZZ_CHECK(census.flow_names <= census.known && census.known <= format->n_columns);
            vpcflow_format_free(format);
        }
        g_free(names);
        g_free(lengths);
    }
    g_array_append_val(facts, f);
}

/* Split data fed in pieces of step bytes (0: all at once); the facts of each row. */
static GArray *
split(const uint8_t *data, size_t size, size_t step)
{
    GArray *facts = g_array_new(FALSE, FALSE, sizeof(row_facts_t));
    static vpcflow_row_t row;
    vpcflow_csv_t csv;
    size_t at = 0;
    guint64 bytes = 0;

    vpcflow_csv_init(&csv);
    while (at < size) {
        size_t piece = step ? MIN(step, size - at) : size - at;
        gboolean complete;
        size_t used = vpcflow_csv_feed(&csv, data + at, piece, &complete);
        FUZZ_CHECK(used <= piece && (complete || used == piece) && used > 0);
        at += used;
        if (complete) {
            bytes += csv.bytes;
            check_row(&csv, &row, facts->len == 0, facts);
        }
    }
    if (vpcflow_csv_finish(&csv)) {
        bytes += csv.bytes;
        check_row(&csv, &row, facts->len == 0, facts);
    }
    FUZZ_CHECK(!vpcflow_csv_finish(&csv));
    FUZZ_CHECK(bytes == size);
    vpcflow_csv_free(&csv);
    vpcflow_row_free(&row);
    return facts;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    size_t step = fuzz_take_byte(&in);

    GArray *whole = split(in.data, in.size, 0);
    GArray *pieces = split(in.data, in.size, step ? step : 1);
    FUZZ_CHECK(whole->len == pieces->len);
    for (guint i = 0; i < whole->len; i++)
        FUZZ_CHECK(memcmp(&g_array_index(whole, row_facts_t, i), &g_array_index(pieces, row_facts_t, i),
                          sizeof(row_facts_t)) == 0);
    g_array_free(whole, TRUE);
    g_array_free(pieces, TRUE);
    return 0;
}
