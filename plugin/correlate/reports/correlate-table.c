/* correlate-table.c
 * Statistics > VPC Flow Logs > Flow records and mirrored packets: the rows
 * of -z vpcflow,mirror as a table in the GUI (tshark -2 -z
 * vpcflow,mirror,table prints it too). Each record's row comes from
 * correlate-rows.c, as in the text report.
 *
 * The dialog reads the capture again once it is loaded, so every frame is
 * known and each record's row is final when the record is tapped. A
 * first pass (tshark without -2) does not know the packets after a
 * record yet: the table then says so and stays empty, and the text
 * report is the one-pass answer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "correlate-report.h"

#include <string.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "correlate-rows.h"
#include "correlate-state.h"
#include "epan-compat.h"

#define TABLE_ARG "vpcflow,mirror,table"
#define RECORDS_TITLE "Flow records"
#define TOTALS_TITLE "Totals"

enum { COL_FRAME, COL_RECORD, COL_LOGGED_PACKETS, COL_LOGGED_BYTES, COL_PACKETS, COL_BYTES, COL_MISSING, COL_VERDICT,
       N_COLS };

/* Counts are doubles: exact to 2^53, where the table's integers stop at 2^32. */
static stat_tap_table_item table_columns[N_COLS] = {
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Frame", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Record", "%s" },
    { TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Logged packets", "%.0f" },
    { TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Logged bytes", "%.0f" },
    { TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Mirrored packets", "%.0f" },
    { TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Mirrored bytes", "%.0f" },
    { TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Missing", "%.0f" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Verdict", "%s" },
};

/* The totals: one row per verdict (its records' sums, the number of
 * records in the Record column), then the packets outside every record,
 * or a note when the join is not complete. Frame 0 marks them. */
enum { TOTAL_FULLY, TOTAL_PARTLY, TOTAL_NOT, TOTAL_MORE, TOTAL_OUTSIDE, N_TOTALS };

static const char *
total_name(guint row)
{
    static const char *const names[N_TOTALS] = {
        "fully seen", "partly seen", "not seen", "more than logged", "outside every record"
    };
    return names[row];
}

static guint
total_of(correlate_record_verdict_t verdict)
{
    switch (verdict) {
    case CORRELATE_RECORD_FULLY_SEEN:
        return TOTAL_FULLY;
    case CORRELATE_RECORD_PARTLY_SEEN:
        return TOTAL_PARTLY;
    case CORRELATE_RECORD_NOT_SEEN:
        return TOTAL_NOT;
    default:
        return TOTAL_MORE;
    }
}

static void
set_text(stat_tap_table *table, guint row, guint col, char *text)
{
    stat_tap_table_item_type *cell = stat_tap_get_field_data(table, row, col);

    g_free((char *)cell->value.string_value);
    cell->value.string_value = text;
}

static void
set_count(stat_tap_table *table, guint row, guint col, double value)
{
    stat_tap_get_field_data(table, row, col)->value.float_value = value;
}

static double
count_of(stat_tap_table *table, guint row, guint col)
{
    return stat_tap_get_field_data(table, row, col)->value.float_value;
}

static void
add_row(stat_tap_table *table, guint32 frame, char *label, const correlate_row_t *r, const char *verdict)
{
    stat_tap_table_item_type cells[N_COLS];
    guint row = table->num_elements;

    memset(cells, 0, sizeof cells);
    for (guint c = 0; c < N_COLS; c++)
        cells[c].type = table_columns[c].type;
    cells[COL_FRAME].value.uint_value = frame;
    cells[COL_RECORD].value.string_value = label;
    cells[COL_VERDICT].value.string_value = g_strdup(verdict);
    if (r != NULL) {
        cells[COL_LOGGED_PACKETS].value.float_value = (double)r->logged_packets;
        cells[COL_LOGGED_BYTES].value.float_value = (double)r->logged_bytes;
        cells[COL_PACKETS].value.float_value = (double)r->packets;
        cells[COL_BYTES].value.float_value = (double)r->bytes;
        cells[COL_MISSING].value.float_value = (double)r->missing;
    }
    stat_tap_init_table_row(table, row, N_COLS, cells);
}

static void
free_cell(stat_tap_table *table _U_, guint row _U_, guint col, stat_tap_table_item_type *cell)
{
    if (col == COL_RECORD || col == COL_VERDICT) {
        g_free((char *)cell->value.string_value);
        cell->value.string_value = NULL;
    }
}

static void
add_totals(stat_tap_table *totals)
{
    for (guint t = 0; t < N_TOTALS; t++)
        add_row(totals, 0, g_strdup("0 records"), NULL, total_name(t));
}

/* A new tap run: no record rows, totals at zero. */
static void
table_reset(stat_tap_table *table)
{
    for (guint row = 0; row < table->num_elements; row++) {
        for (guint col = 0; col < table->num_fields; col++)
            free_cell(table, row, col, stat_tap_get_field_data(table, row, col));
        g_free(table->elements[row]);
    }
    table->num_elements = 0;
    if (strcmp(table->title, TOTALS_TITLE) == 0)
        add_totals(table);
}

static void
table_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table;

    if ((table = stat_tap_find_table(ui, RECORDS_TITLE)) != NULL) {
        table_reset(table);
        table_reset(stat_tap_find_table(ui, TOTALS_TITLE));
        return;
    }
    stat_tap_add_table(ui, stat_tap_init_table(RECORDS_TITLE, N_COLS, 0, NULL));
    table = stat_tap_init_table(TOTALS_TITLE, N_COLS, 0, NULL);
    stat_tap_add_table(ui, table);
    add_totals(table);
}

static tap_packet_status
table_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    stat_tap_table_ui *ui = ((stat_data_t *)tapdata)->stat_tap_data;
    stat_tap_table *records = stat_tap_find_table(ui, RECORDS_TITLE);
    stat_tap_table *totals = stat_tap_find_table(ui, TOTALS_TITLE);
    const correlate_t *join;
    correlate_totals_t all;
    correlate_row_t r;
    char *label;
    guint t, n;

    if (records == NULL || totals == NULL)
        return TAP_PACKET_DONT_REDRAW;
    if ((join = correlate_state_complete_join()) == NULL) {
        set_text(totals, TOTAL_OUTSIDE, COL_RECORD, g_strdup("the join needs all frames first (tshark -2)"));
        return TAP_PACKET_REDRAW;
    }
    if (!correlate_row_of(join, pinfo->num, &r) || (label = correlate_row_label(data)) == NULL)
        return TAP_PACKET_DONT_REDRAW;
    add_row(records, pinfo->num, label, &r, correlate_record_verdict_name(r.verdict));

    t = total_of(r.verdict);
    for (guint col = COL_LOGGED_PACKETS; col <= COL_MISSING; col++)
        set_count(totals, t, col, count_of(totals, t, col) + count_of(records, records->num_elements - 1, col));
    /* The Record cell keeps the number of records in its scratch space. */
    n = ++stat_tap_get_field_data(totals, t, COL_RECORD)->user_data.uint_value;
    set_text(totals, t, COL_RECORD, g_strdup_printf("%u record%s", n, n == 1 ? "" : "s"));
    correlate_totals(join, &all);
    set_text(totals, TOTAL_OUTSIDE, COL_RECORD, g_strdup_printf("%u mirrored packet%s", all.outside,
                                                                all.outside == 1 ? "" : "s"));
    set_count(totals, TOTAL_OUTSIDE, COL_PACKETS, all.outside);
    return TAP_PACKET_REDRAW;
}

static stat_tap_table_ui table_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Flow records and mirrored packets",
    VPCFLOW_TAP_NAME,
    TABLE_ARG,
    table_init,
    table_packet,
    table_reset,
    free_cell,
    NULL,
    N_COLS,
    table_columns,
    0,
    NULL,
    NULL,
    0
};

void
correlate_table_register(void)
{
    register_stat_tap_table_ui(&table_ui);
}
