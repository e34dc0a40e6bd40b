/* correlate-rows.c
 * A flow record's label and row, for both reports of the join.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "correlate-rows.h"

#include <epan/address.h>
#include <epan/to_str.h>

static char *
endpoint(const address *addr, gboolean has_port, guint32 port)
{
    char *text = address_to_str(NULL, addr);
    char *out = has_port ? g_strdup_printf("%s:%u", text, port) : g_strdup(text);

    wmem_free(NULL, text);
    return out;
}

char *
correlate_row_label(const vpcflow_tap_info_t *info, int where_width)
{
    char *src, *dst, *label;

    if (info->src.type == AT_NONE || info->dst.type == AT_NONE)
        return NULL;
    src = endpoint(&info->src, info->has_srcport, info->srcport);
    dst = endpoint(&info->dst, info->has_dstport, info->dstport);
    label = g_strdup_printf("%-*s %s -> %s %u %s", where_width, info->where ? info->where : "-", src, dst, info->protocol,
                            info->action ? info->action : "-");
    g_free(src);
    g_free(dst);
    return label;
}

gboolean
correlate_row_of(const correlate_t *join, guint32 frame, correlate_row_t *row)
{
    correlate_record_result_t r;

    if (join == NULL || !correlate_record_result(join, frame, &r) || r.verdict == CORRELATE_RECORD_NO_PART)
        return FALSE;
    row->verdict = r.verdict;
    row->logged_packets = r.logged_packets;
    row->logged_bytes = r.logged_bytes;
    row->packets = r.packets;
    row->bytes = r.bytes;
    row->missing = (gint64)(r.logged_packets - r.packets);
    return TRUE;
}
