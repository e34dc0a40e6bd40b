/* plugin.c
 * Registration of the vpcshark wiretap plugin (flow-log file type).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define WS_BUILD_DLL
#include "file-vpcflow.h"

#if VPCSHARK_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = VPCSHARK_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if VPCSHARK_WS_AT_LEAST(4, 4)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_FILE_TYPE;
}
#endif

void
plugin_register(void)
{
    static wtap_plugin plugin = { wtap_register_vpcflow };

    wtap_register_plugin(&plugin);
}
