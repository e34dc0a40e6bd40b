/* vpcflow-join.h
 * The vpcflow.mirror.* fields of a flow record (vpcflow-join.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_JOIN_H
#define VPCFLOW_JOIN_H

#include "epan-compat.h"

#include <epan/packet.h>
#include <epan/prefs.h>

#include "vpcflow-tap.h"

void vpcflow_join_register(int proto);
/* vpcflow.mirror_join and vpcflow.mirror_lag. */
void vpcflow_join_register_prefs(module_t *module);

/* First pass: hands the record to the join; later passes: its fields. */
void vpcflow_join_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gint offset, gint length,
                         const vpcflow_tap_info_t *s);

#endif /* VPCFLOW_JOIN_H */
