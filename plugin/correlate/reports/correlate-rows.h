/* correlate-rows.h
 * What the join's reports show of a flow record: its label and its row
 * (logged and mirrored packets and bytes, what is missing, the verdict).
 * One computation for both reports: the text of -z vpcflow,mirror
 * (correlate-report.c) and the table of Statistics > VPC Flow Logs
 * (correlate-table.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_CORRELATE_ROWS_H
#define VPCSHARK_CORRELATE_ROWS_H

#include <glib.h>

#include "correlate.h"
#include "vpcflow-tap.h"

typedef struct {
    correlate_record_verdict_t verdict;
    guint64 logged_packets;
    guint64 logged_bytes;
    guint64 packets;          /* mirrored, counted */
    guint64 bytes;
    gint64 missing;           /* logged - mirrored packets (negative: more than logged) */
} correlate_row_t;

/* "interface src -> dst protocol action" of a tapped record, the
 * interface padded to where_width (g_free it); NULL when the record has
 * no addresses (it takes no part). */
char *correlate_row_label(const vpcflow_tap_info_t *info, int where_width);

/* The row of the record at frame; FALSE when the frame is no record of
 * the join or the record takes no part. */
gboolean correlate_row_of(const correlate_t *join, guint32 frame, correlate_row_t *row);

#endif /* VPCSHARK_CORRELATE_ROWS_H */
