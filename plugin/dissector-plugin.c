/* plugin.c
 * Registration of the vpcshark epan plugin (dissectors: vpcflow; the
 * Traffic Mirror session and GWLB option dissectors).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define WS_BUILD_DLL
#include "epan-compat.h"
#include "plugin-exports.h"

#include <epan/proto.h>

void proto_register_vpcflow(void);
void proto_reg_handoff_vpcflow(void);
void proto_register_mirror(void);
void proto_reg_handoff_mirror(void);
void proto_register_gwlb(void);
void proto_reg_handoff_gwlb(void);

#include "correlate-report.h"
#include "correlate-state.h"

/* Flow records and mirrored packets of one file, joined (issue 12): the
 * join the dissectors feed, and its report. */
static void
register_correlate(void)
{
    correlate_state_register();
    correlate_report_register();
    correlate_tree_register();
}

VPCSHARK_PLUGIN_EXPORTS(WS_PLUGIN_DESC_DISSECTOR)

void
plugin_register(void)
{
    static proto_plugin vpcflow = { proto_register_vpcflow, proto_reg_handoff_vpcflow };

    proto_register_plugin(&vpcflow);

    static proto_plugin mirror = { proto_register_mirror, proto_reg_handoff_mirror };
    static proto_plugin gwlb = { proto_register_gwlb, proto_reg_handoff_gwlb };

    proto_register_plugin(&mirror);
    proto_register_plugin(&gwlb);

    static proto_plugin correlate = { register_correlate, correlate_state_register_handoff };

    proto_register_plugin(&correlate);
}
