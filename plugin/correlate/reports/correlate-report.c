/* correlate-report.c
 * tshark -z vpcflow,mirror: every flow record of a flow log merged with a
 * mirror capture, with the mirrored packets and bytes it covers, what is
 * missing and a verdict, then the totals (docs/correlation.md). One pass
 * is enough: the dissectors feed the join as the file is read, and the
 * report matches and prints when it draws, at the end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "correlate-report.h"

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include <stdio.h>
#include <string.h>

#include "correlate-rows.h"
#include "correlate-state.h"
#include "vpcflow-tap.h"

#define REPORT_ARG "vpcflow,mirror"
#define REPORT_RULE "===================================================================\n"

/* What the report prints of a record besides the join's answers. */
typedef struct {
    guint32 frame;
    char *label;              /* interface, flow, action */
} report_row_t;

static void
report_reset(void *tapdata)
{
    GArray *rows = (GArray *)tapdata;

    for (guint i = 0; i < rows->len; i++)
        g_free(g_array_index(rows, report_row_t, i).label);
    g_array_set_size(rows, 0);
}

static tap_packet_status
report_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    report_row_t row;

    row.label = correlate_row_label((const vpcflow_tap_info_t *)data, 22);
    if (row.label == NULL)
        return TAP_PACKET_DONT_REDRAW;
    row.frame = pinfo->num;
    g_array_append_val((GArray *)tapdata, row);
    return TAP_PACKET_REDRAW;
}

static void
report_draw(void *tapdata)
{
    GArray *rows = (GArray *)tapdata;
    const correlate_t *join = correlate_state_resolved_join();
    correlate_totals_t t;

    fputs("\n" REPORT_RULE "VPC flow records and mirrored packets\n", stdout);
    if (join == NULL)
        fputs("The join is off (preference vpcflow.mirror_join)\n", stdout);
    fputs("Frame    Logged pkts    bytes  Mirrored pkts    bytes  Missing  Verdict           Record\n", stdout);
    for (guint i = 0; join != NULL && i < rows->len; i++) {
        const report_row_t *row = &g_array_index(rows, report_row_t, i);
        correlate_row_t r;

        if (!correlate_row_of(join, row->frame, &r))
            continue;
        printf("%-8u %11" PRIu64 " %8" PRIu64 " %14" PRIu64 " %8" PRIu64 " %8" PRId64 "  %-17s %s\n", row->frame,
               r.logged_packets, r.logged_bytes, r.packets, r.bytes, r.missing, correlate_record_verdict_name(r.verdict),
               row->label);
    }
    memset(&t, 0, sizeof t);
    if (join != NULL)
        correlate_totals(join, &t);
    printf("Records: %u; fully seen %u, partly seen %u, not seen %u, more than logged %u; "
           "REJECT with mirrored packets %u\n", t.records, t.fully_seen, t.partly_seen, t.not_seen,
           t.more_than_logged, t.reject_mirrored);
    printf("Mirrored packets: %u; in a record %u, second copies %u, outside every record %u\n", t.packets,
           t.matched, t.duplicates, t.outside);
    fputs(REPORT_RULE, stdout);
}

static void
report_finish(void *tapdata)
{
    report_reset(tapdata);
    g_array_free((GArray *)tapdata, TRUE);
}

static vpcshark_stat_init_ret
report_init(const char *opt_arg, void *userdata _U_)
{
    GArray *rows;
    GString *failure;

    if (strcmp(opt_arg, REPORT_ARG) != 0) {
        fprintf(stderr, "tshark: -z %s: the join report takes no options (-z " REPORT_ARG ")\n", opt_arg);
        VPCSHARK_STAT_INIT_DONE(FALSE);
    }
    rows = g_array_new(FALSE, FALSE, sizeof(report_row_t));
    failure = register_tap_listener(VPCFLOW_TAP_NAME, rows, NULL, 0, report_reset, report_packet, report_draw,
                                    report_finish);
    if (failure) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, failure->str);
        g_string_free(failure, TRUE);
        g_array_free(rows, TRUE);
        VPCSHARK_STAT_INIT_DONE(FALSE);
    }
    VPCSHARK_STAT_INIT_DONE(TRUE);
}

static stat_tap_ui report_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "VPC flow records and mirrored packets",
    REPORT_ARG,
    report_init,
    0,
    NULL
};

void
correlate_report_register(void)
{
    register_stat_tap_ui(&report_ui, NULL);
}
