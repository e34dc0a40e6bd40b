/* vpcflow-reports.h
 * The taps of flow records, registered by the vpcflow dissector:
 * Conversations and Endpoints (vpcflow-tables.c), tshark -z vpcflow,...
 * (vpcflow-report-tap.c) and the Statistics > VPC Flow Logs trees
 * (vpcflow-stats.c). They read what the dissector taps (vpcflow-tap.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORTS_H
#define VPCFLOW_REPORTS_H

#include "vpcflow-tap.h"

#include <epan/prefs.h>

/* When the protocol registers (proto is vpcflow's, module its preferences). */
void vpcflow_register_tables(int proto);
void vpcflow_register_stats_prefs(module_t *module);

/* At handoff, once every tap exists. */
void vpcflow_register_report(void);
void vpcflow_register_stats(void);

#endif /* VPCFLOW_REPORTS_H */
