/* plugin.c
 * Registration of the vpcshark epan plugin (the vpcflow dissector; the
 * Traffic Mirror session and GWLB option dissectors).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define WS_BUILD_DLL
#include "epan-compat.h"

#include <epan/proto.h>
#if VPCSHARK_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

void proto_register_vpcflow(void);
void proto_register_mirror(void);
void proto_reg_handoff_mirror(void);
void proto_register_gwlb(void);
void proto_reg_handoff_gwlb(void);

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = VPCSHARK_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if VPCSHARK_WS_AT_LEAST(4, 4)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void
plugin_register(void)
{
    static proto_plugin vpcflow = { proto_register_vpcflow, NULL };

    proto_register_plugin(&vpcflow);

    static proto_plugin mirror = { proto_register_mirror, proto_reg_handoff_mirror };
    static proto_plugin gwlb = { proto_register_gwlb, proto_reg_handoff_gwlb };

    proto_register_plugin(&mirror);
    proto_register_plugin(&gwlb);
}
