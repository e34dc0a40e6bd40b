/* plugin.c
 * Registration of the vpcshark wiretap plugin (flow-log file type).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define WS_BUILD_DLL
#include "file-vpcflow.h"
#include "plugin-exports.h"

VPCSHARK_PLUGIN_EXPORTS(WS_PLUGIN_DESC_FILE_TYPE)

void
plugin_register(void)
{
    static wtap_plugin plugin = { wtap_register_vpcflow };

    wtap_register_plugin(&plugin);
}
