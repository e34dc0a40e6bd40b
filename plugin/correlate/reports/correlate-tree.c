/* correlate-tree.c
 * Statistics > VPC Flow Logs > Flow records and mirrored packets: the
 * report of -z vpcflow,mirror in the GUI, as a statistics tree (the way
 * into that submenu on every version; tshark -2 -z vpcflow_mirror,tree
 * prints it too). Records under their verdict, each with its logged and
 * mirrored packets and bytes and what is missing; then the mirrored
 * packets outside every record. Each record's numbers come from
 * correlate-rows.c, as in the text report.
 *
 * The dialog reads the capture again once it is loaded, so the join is
 * complete and each record's numbers are final when the record is
 * tapped. On a first pass (tshark without -2) they are not, and with the
 * join off there are none: the tree says so and lists no record; the
 * text report is the one-pass answer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "correlate-report.h"

#include <epan/stats_tree.h>

#include "correlate-rows.h"
#include "correlate-state.h"
#include "epan-compat.h"

#define TREE_ABBR "vpcflow_mirror"
#define OUTSIDE "Mirrored packets outside every record"
#define NOT_COMPLETE "The join needs every frame first (tshark -2) and vpcflow.mirror_join on"

/* A verdict's node: its records, counted. */
static const char *
verdict_node(correlate_record_verdict_t verdict)
{
    switch (verdict) {
    case CORRELATE_RECORD_FULLY_SEEN:
        return "Records fully seen";
    case CORRELATE_RECORD_PARTLY_SEEN:
        return "Records partly seen";
    case CORRELATE_RECORD_NOT_SEEN:
        return "Records not seen";
    default:
        return "Records with more packets mirrored than logged";
    }
}

static const correlate_record_verdict_t verdicts[] = {
    CORRELATE_RECORD_FULLY_SEEN, CORRELATE_RECORD_PARTLY_SEEN, CORRELATE_RECORD_NOT_SEEN,
    CORRELATE_RECORD_MORE_THAN_LOGGED
};

/* Node counters are ints: a count beyond them shows as the largest. */
static int
count(guint64 value)
{
    return value > G_MAXINT ? G_MAXINT : (int)value;
}

static int
difference(gint64 value)
{
    return (int)CLAMP(value, G_MININT, G_MAXINT);
}

static void
tree_init(stats_tree *st)
{
    for (guint i = 0; i < G_N_ELEMENTS(verdicts); i++)
        stats_tree_create_node(st, verdict_node(verdicts[i]), 0, STAT_DT_INT, TRUE);
    stats_tree_create_node(st, OUTSIDE, 0, STAT_DT_INT, FALSE);
}

static tap_packet_status
tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    const correlate_t *join = correlate_state_complete_join();
    correlate_totals_t totals;
    correlate_row_t r;
    char *label, *name;
    int verdict, record;

    if (join == NULL) {
        tick_stat_node(st, NOT_COMPLETE, 0, TRUE);
        return TAP_PACKET_REDRAW;
    }
    if (!correlate_row_of(join, pinfo->num, &r) || (label = correlate_row_label(data, 0)) == NULL)
        return TAP_PACKET_DONT_REDRAW;
    verdict = tick_stat_node(st, verdict_node(r.verdict), 0, TRUE);
    name = g_strdup_printf("Frame %u: %s", pinfo->num, label);
    record = set_stat_node(st, name, verdict, TRUE, count(r.packets));
    set_stat_node(st, "Logged packets", record, FALSE, count(r.logged_packets));
    set_stat_node(st, "Logged bytes", record, FALSE, count(r.logged_bytes));
    set_stat_node(st, "Mirrored packets", record, FALSE, count(r.packets));
    set_stat_node(st, "Mirrored bytes", record, FALSE, count(r.bytes));
    set_stat_node(st, "Missing packets", record, FALSE, difference(r.missing));
    g_free(name);
    g_free(label);
    correlate_totals(join, &totals);
    set_stat_node(st, OUTSIDE, 0, FALSE, count(totals.outside));
    return TAP_PACKET_REDRAW;
}

void
correlate_tree_register(void)
{
    stats_tree_register_plugin(VPCFLOW_TAP_NAME, TREE_ABBR,
                               "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Flow records and mirrored packets", 0,
                               tree_packet, tree_init, NULL);
}
