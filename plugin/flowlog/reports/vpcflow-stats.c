/* vpcflow-stats.c
 * Statistics trees of flow records (Statistics > VPC Flow Logs in the
 * GUI, tshark -z vpcflow_<name>,tree): records by action and log status,
 * rejected records by source; bytes by interface, by instance, and sent
 * by each source (top talkers).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-reports.h"

#include <epan/stats_tree.h>

#include "epan-compat.h"
#include "stat-sums.h"
#include "vpcflow-fields.h"
#include "vpcflow-report.h"

static const char *const actions_top = "Records by action";
static const char *const rejects_top = "Rejected records by source";

static int actions_node, rejects_node;

/* The report tree's spec (the vpcflow.report preference). */
static const char *pref_report = "sum,bytes,by=srcaddr;dstaddr";

static const char *
or_dash(const char *value)
{
    return value ? value : "-";
}

static void
actions_init(stats_tree *st)
{
    actions_node = stats_tree_create_node(st, actions_top, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
actions_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
               tap_flags_t flags _U_)
{
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;

    tick_stat_node(st, actions_top, 0, TRUE);
    int action = tick_stat_node(st, or_dash(info->action), actions_node, TRUE);
    tick_stat_node(st, or_dash(info->log_status), action, FALSE);
    return TAP_PACKET_REDRAW;
}

static void
rejects_init(stats_tree *st)
{
    rejects_node = stats_tree_create_node(st, rejects_top, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
rejects_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
               tap_flags_t flags _U_)
{
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;

    if (!info->action || strcmp(info->action, "REJECT") != 0)
        return TAP_PACKET_DONT_REDRAW;
    tick_stat_node(st, rejects_top, 0, TRUE);
    int source = tick_stat_node(st, or_dash(vpcflow_tap_value(pinfo->pool, info, VF_SRCADDR)), rejects_node, TRUE);
    const char *port = vpcflow_tap_value(pinfo->pool, info, VF_DSTPORT);
    tick_stat_node(st, port ? wmem_strdup_printf(pinfo->pool, "port %s", port) : "no port", source, FALSE);
    return TAP_PACKET_REDRAW;
}

/*
 * Byte trees: KiB under the value of a field (split by flow direction,
 * or not). The exact sums are 64-bit (stat-sums.h); a node shows KiB,
 * enough for 2 TiB.
 */
typedef struct {
    const char *top;
    int         field;
    gboolean    by_direction;
    int         node;
} byte_tree_t;

static byte_tree_t interfaces_tree = { "KiB by interface", VF_INTERFACE_ID, TRUE, 0 };
static byte_tree_t instances_tree = { "KiB by instance", VF_INSTANCE_ID, TRUE, 0 };
static byte_tree_t talkers_tree = { "KiB sent by source", VF_SRCADDR, FALSE, 0 };

static void
byte_tree_init(stats_tree *st, byte_tree_t *tree)
{
    stat_sums_init(st);
    tree->node = stats_tree_create_node(st, tree->top, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
byte_tree_packet(stats_tree *st, packet_info *pinfo, const void *data, const byte_tree_t *tree)
{
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;

    if (!info->has_bytes)
        return TAP_PACKET_DONT_REDRAW;
    const char *key = or_dash(vpcflow_tap_value(pinfo->pool, info, tree->field));
    if (stat_sums_add(st, tree->top, tree->top, 0, TRUE, info->bytes, 1024) < 0)
        return TAP_PACKET_DONT_REDRAW;
    int key_node = stat_sums_add(st, key, key, tree->node, tree->by_direction, info->bytes, 1024);
    if (tree->by_direction && info->direction)
        stat_sums_add(st, wmem_strdup_printf(pinfo->pool, "%s/%s", key, info->direction), info->direction, key_node,
                      FALSE, info->bytes, 1024);
    return TAP_PACKET_REDRAW;
}

/* stats_tree callbacks carry no data of their own: each byte tree gets
 * its pair, made by this macro (as UAT_CSTRING_CB_DEF makes UAT ones). */
#define BYTE_TREE_CALLBACKS(tree) \
    static void tree##_init(stats_tree *st) { byte_tree_init(st, &tree##_tree); } \
    static tap_packet_status tree##_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, \
                                           const void *data, tap_flags_t flags _U_) \
    { return byte_tree_packet(st, pinfo, data, &tree##_tree); }

BYTE_TREE_CALLBACKS(interfaces)
BYTE_TREE_CALLBACKS(instances)
BYTE_TREE_CALLBACKS(talkers)

/*
 * The report of -z vpcflow,... as a tree in the GUI: the spec comes from
 * the vpcflow.report preference, a node per group holds its value (sums
 * of bytes in KiB, as the counters are 32-bit). The dialog's display
 * filter takes the place of filter=.
 */
static GHashTable *tree_reports;    /* stats_tree * -> vpcflow_report_t */
static int report_node;

static void
report_tree_init(stats_tree *st)
{
    char *error = NULL;
    vpcflow_report_t *report = vpcflow_report_new(pref_report, &error);
    char *title;

    if (!tree_reports)
        tree_reports = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)vpcflow_report_free);
    if (report && vpcflow_report_wants_sql(report)) {
        /* A tree has no place for a query's lines: say where it is printed, and compute the report. */
        title = g_strdup_printf("%s%s (the Athena query is printed by tshark -q -z vpcflow,%s; this tree computes "
                                "the report)", pref_report, vpcflow_report_sums_bytes(report) ? " (KiB)" : "",
                                pref_report);
        g_hash_table_replace(tree_reports, st, report);
    } else if (report) {
        title = g_strdup_printf("%s%s", pref_report, vpcflow_report_sums_bytes(report) ? " (KiB)" : "");
        g_hash_table_replace(tree_reports, st, report);
    } else {
        title = g_strdup_printf("The vpcflow.report preference is not a report: %s", error);
        g_free(error);
    }
    report_node = stats_tree_create_node(st, title, 0, STAT_DT_INT, TRUE);
    g_free(title);
}

static void
report_tree_cleanup(stats_tree *st)
{
    if (tree_reports)
        g_hash_table_remove(tree_reports, st);
}

static tap_packet_status
report_tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
                   tap_flags_t flags _U_)
{
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;
    vpcflow_report_t *report = tree_reports ? g_hash_table_lookup(tree_reports, st) : NULL;
    const char *label;
    double value;
    gboolean absent;

    if (!report)
        return TAP_PACKET_DONT_REDRAW;
    vpcflow_report_add(report, info->record, info->tokens, info->format);
    if (!vpcflow_report_last_group(report, &label, &value, &absent))
        return TAP_PACKET_DONT_REDRAW;
    if (vpcflow_report_sums_bytes(report))
        value /= 1024;
    set_stat_node(st, label, report_node, FALSE, absent ? 0 : (gint)MIN(value, (double)G_MAXINT));
    return TAP_PACKET_REDRAW;
}

void
vpcflow_register_stats_prefs(module_t *module)
{
    prefs_register_string_preference(module, "report", "Report of Statistics > VPC Flow Logs > Report",
        "What the report tree shows, as the -z vpcflow option takes it: count, or sum/avg/min/max of a "
        "numeric field, then by=<field>;<field>... (for example \"sum,bytes,by=srcaddr;dstaddr;flow_direction\" "
        "or \"count,by=instance_id\"). Use the dialog's display filter to restrict it.",
        &pref_report);
}

void
vpcflow_register_stats(void)
{
    static const struct {
        const char *abbr, *name;
        stat_tree_packet_cb packet;
        stat_tree_init_cb init;
        stat_tree_cleanup_cb cleanup;
    } trees[] = {
        { "vpcflow_report", "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Report (set in Preferences)", report_tree_packet, report_tree_init, report_tree_cleanup },
        { "vpcflow_actions", "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Action and log status", actions_packet, actions_init, NULL },
        { "vpcflow_rejects", "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Rejects by source", rejects_packet, rejects_init, NULL },
        { "vpcflow_interfaces", "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Bytes by interface (KiB)", interfaces_packet, interfaces_init, stat_sums_cleanup },
        { "vpcflow_instances", "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Bytes by instance (KiB)", instances_packet, instances_init, stat_sums_cleanup },
        { "vpcflow_talkers", "VPC Flow Logs" STATS_TREE_MENU_SEPARATOR "Top talkers (KiB sent)", talkers_packet, talkers_init, stat_sums_cleanup },
    };

    for (guint i = 0; i < G_N_ELEMENTS(trees); i++)
        stats_tree_register_plugin(VPCFLOW_TAP_NAME, trees[i].abbr, trees[i].name, 0, trees[i].packet, trees[i].init,
                                   trees[i].cleanup);
}
