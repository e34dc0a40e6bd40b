/* vpcflow-stats.c
 * Statistics trees of flow records (Statistics > VPC Flow Logs in the
 * GUI, tshark -z vpcflow_<name>,tree): records by action and log status,
 * rejected records by source; bytes by interface, by instance, and sent
 * by each source (top talkers).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-vpcflow.h"

#include <epan/stats_tree.h>

#include "vpcflow-fields.h"
#include "vpcflow-report.h"

static const char *const actions_top = "Records by action";
static const char *const rejects_top = "Rejected records by source";
static const char *const interfaces_top = "KiB by interface";
static const char *const instances_top = "KiB by instance";
static const char *const talkers_top = "KiB sent by source";

static int actions_node, rejects_node, interfaces_node, instances_node, talkers_node;

static GHashTable *talker_bytes;    /* stats_tree * -> (node path -> guint64 *) */

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
 * Byte trees (talkers, interfaces, instances): counters are 32-bit, so
 * the exact sums are kept here, per tree and node, and the tree shows
 * KiB (enough for 2 TiB a node).
 */
static GHashTable *
sums_of(stats_tree *st)
{
    return talker_bytes ? g_hash_table_lookup(talker_bytes, st) : NULL;
}

static void
bytes_init(stats_tree *st)
{
    if (!talker_bytes)
        talker_bytes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_hash_table_destroy);
    g_hash_table_replace(talker_bytes, st, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free));
}

static void
bytes_cleanup(stats_tree *st)
{
    if (talker_bytes)
        g_hash_table_remove(talker_bytes, st);
}

/* Add bytes to the node name under parent (path: its key in the sums). */
static int
add_bytes(stats_tree *st, const char *path, const char *name, int parent, gboolean with_children, guint64 bytes)
{
    GHashTable *sums = sums_of(st);
    guint64 *sum = g_hash_table_lookup(sums, path);

    if (!sum) {
        sum = g_new0(guint64, 1);
        g_hash_table_insert(sums, g_strdup(path), sum);
    }
    *sum += bytes;
    return set_stat_node(st, name, parent, with_children, (gint)MIN(*sum / 1024, (guint64)G_MAXINT));
}

/* KiB under the value of a field, split by flow direction. */
static tap_packet_status
bytes_by(stats_tree *st, packet_info *pinfo, const vpcflow_tap_info_t *info, const char *top, int node, int field)
{
    if (!sums_of(st) || !info->has_bytes)
        return TAP_PACKET_DONT_REDRAW;
    const char *key = or_dash(vpcflow_tap_value(pinfo->pool, info, field));
    add_bytes(st, top, top, 0, TRUE, info->bytes);
    int key_node = add_bytes(st, key, key, node, TRUE, info->bytes);
    if (info->direction)
        add_bytes(st, wmem_strdup_printf(pinfo->pool, "%s/%s", key, info->direction), info->direction, key_node,
                  FALSE, info->bytes);
    return TAP_PACKET_REDRAW;
}

static void
interfaces_init(stats_tree *st)
{
    bytes_init(st);
    interfaces_node = stats_tree_create_node(st, interfaces_top, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
interfaces_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                  tap_flags_t flags _U_)
{
    return bytes_by(st, pinfo, (const vpcflow_tap_info_t *)data, interfaces_top, interfaces_node, VF_INTERFACE_ID);
}

static void
instances_init(stats_tree *st)
{
    bytes_init(st);
    instances_node = stats_tree_create_node(st, instances_top, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
instances_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                 tap_flags_t flags _U_)
{
    return bytes_by(st, pinfo, (const vpcflow_tap_info_t *)data, instances_top, instances_node, VF_INSTANCE_ID);
}

static void
talkers_init(stats_tree *st)
{
    bytes_init(st);
    talkers_node = stats_tree_create_node(st, talkers_top, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
talkers_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
               tap_flags_t flags _U_)
{
    const vpcflow_tap_info_t *info = (const vpcflow_tap_info_t *)data;

    if (!sums_of(st) || !info->has_bytes)
        return TAP_PACKET_DONT_REDRAW;
    const char *source = or_dash(vpcflow_tap_value(pinfo->pool, info, VF_SRCADDR));
    add_bytes(st, talkers_top, talkers_top, 0, TRUE, info->bytes);
    add_bytes(st, source, source, talkers_node, FALSE, info->bytes);
    return TAP_PACKET_REDRAW;
}

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
    vpcflow_report_t *report = vpcflow_report_new(vpcflow_report_tree_spec(), &error);
    char *title;

    if (!tree_reports)
        tree_reports = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)vpcflow_report_free);
    if (report) {
        title = g_strdup_printf("%s%s", vpcflow_report_tree_spec(), vpcflow_report_sums_bytes(report) ? " (KiB)" : "");
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
vpcflow_register_stats(void)
{
    stats_tree_register_plugin(VPCFLOW_TAP_NAME, "vpcflow_report", "VPC Flow Logs/Report (set in Preferences)", 0,
                               report_tree_packet, report_tree_init, report_tree_cleanup);
    stats_tree_register_plugin(VPCFLOW_TAP_NAME, "vpcflow_actions", "VPC Flow Logs/Action and log status", 0,
                               actions_packet, actions_init, NULL);
    stats_tree_register_plugin(VPCFLOW_TAP_NAME, "vpcflow_rejects", "VPC Flow Logs/Rejects by source", 0,
                               rejects_packet, rejects_init, NULL);
    stats_tree_register_plugin(VPCFLOW_TAP_NAME, "vpcflow_interfaces", "VPC Flow Logs/Bytes by interface (KiB)", 0,
                               interfaces_packet, interfaces_init, bytes_cleanup);
    stats_tree_register_plugin(VPCFLOW_TAP_NAME, "vpcflow_instances", "VPC Flow Logs/Bytes by instance (KiB)", 0,
                               instances_packet, instances_init, bytes_cleanup);
    stats_tree_register_plugin(VPCFLOW_TAP_NAME, "vpcflow_talkers", "VPC Flow Logs/Top talkers (KiB sent)", 0,
                               talkers_packet, talkers_init, bytes_cleanup);
}
