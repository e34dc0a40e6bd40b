/* vpcflow-report-tap.c
 * tshark -z vpcflow,<op>[,<field>][,by=...][,top=N][,sort=asc|desc][,sql=athena][,filter=...]
 * Grouped sums and counts over flow records, in one pass (see
 * plugin/flowlog/reports/engine/vpcflow-report.h for the syntax and the engine).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-reports.h"

#include <stdio.h>
#include <stdlib.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "vpcflow-report.h"
#include "vpcflow-report-sql.h"

#define REPORT_PREFIX "vpcflow,"
#define REPORT_RULE "===================================================================\n"

static void
report_reset(void *tapdata)
{
    vpcflow_report_reset((vpcflow_report_t *)tapdata);
}

static tap_packet_status
report_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
              tap_flags_t flags _U_)
{
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;

    vpcflow_report_add((vpcflow_report_t *)tapdata, info->record, info->tokens, info->format);
    return TAP_PACKET_REDRAW;
}

static void
write_stdout(const char *text, gsize len, void *data _U_)
{
    fwrite(text, 1, len, stdout);
}

/* Written as it is made: a report of a million groups is never one string. */
static void
report_draw(void *tapdata)
{
    fputs("\n" REPORT_RULE, stdout);
    vpcflow_report_write((vpcflow_report_t *)tapdata, write_stdout, NULL);
    fputs(REPORT_RULE, stdout);
}

static void
report_finish(void *tapdata)
{
    vpcflow_report_free((vpcflow_report_t *)tapdata);
}

/* sql=athena: the query is the answer, and nothing is read for it. The
 * filter was first compiled as a display filter (above), so that a
 * filter Wireshark refuses is refused here too. */
static void
print_sql(const char *opt_arg, vpcflow_report_t *report)
{
    char *error = NULL;
    GString *sql = vpcflow_report_sql(report, &error);

    if (!sql) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, error);
        exit(1);
    }
    fwrite(sql->str, 1, sql->len, stdout);
    fflush(stdout);
    exit(0);
}

/* Called by tshark for each -z vpcflow,... option; a mistake ends tshark,
 * as with every -z statistic. */
static vpcshark_stat_init_ret
report_init(const char *opt_arg, void *userdata _U_)
{
    char *error = NULL;
    vpcflow_report_t *report = vpcflow_report_new(opt_arg + strlen(REPORT_PREFIX), &error);

    if (!report) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, error);
        g_free(error);
        VPCSHARK_STAT_INIT_DONE(FALSE);
    }
    GString *failure = register_tap_listener(VPCFLOW_TAP_NAME, report, vpcflow_report_filter(report), 0,
                                             report_reset, report_packet, report_draw, report_finish);
    if (failure) {
        fprintf(stderr, "tshark: -z %s: %s\n", opt_arg, failure->str);
        g_string_free(failure, TRUE);
        vpcflow_report_free(report);
        VPCSHARK_STAT_INIT_DONE(FALSE);
    }
    if (vpcflow_report_wants_sql(report))
        print_sql(opt_arg, report);
    VPCSHARK_STAT_INIT_DONE(TRUE);
}

static stat_tap_ui report_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "VPC Flow Log report",
    REPORT_PREFIX,
    report_init,
    0,
    NULL
};

void
vpcflow_register_report(void)
{
    register_stat_tap_ui(&report_ui, NULL);
}
