/* correlate-report.h
 * The reports of the join: tshark -z vpcflow,mirror (correlate-report.c)
 * and the table of Statistics > VPC Flow Logs (correlate-tree.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_CORRELATE_REPORT_H
#define VPCSHARK_CORRELATE_REPORT_H

#include "epan-compat.h"

void correlate_report_register(void);
void correlate_tree_register(void);

#endif /* VPCSHARK_CORRELATE_REPORT_H */
