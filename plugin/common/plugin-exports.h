/* plugin-exports.h
 * The symbols Wireshark's plugin loader looks up in every plugin, for
 * both of ours (plugin.c of epan and wiretap).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_PLUGIN_EXPORTS_H
#define VPCSHARK_PLUGIN_EXPORTS_H

#include "ws-version.h"

#if VPCSHARK_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
/* 4.4 lists a plugin's kind from plugin_describe(); 4.0 has no such call. */
#define VPCSHARK_PLUGIN_DESCRIBE(kind) \
    WS_DLL_PUBLIC uint32_t plugin_describe(void); \
    uint32_t plugin_describe(void) { return (kind); }
#else
#define VPCSHARK_PLUGIN_DESCRIBE(kind)
#endif

/* kind: WS_PLUGIN_DESC_DISSECTOR or WS_PLUGIN_DESC_FILE_TYPE (ignored before 4.4) */
#define VPCSHARK_PLUGIN_EXPORTS(kind) \
    WS_DLL_PUBLIC_DEF const gchar plugin_version[] = VPCSHARK_VERSION; \
    WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR; \
    WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR; \
    WS_DLL_PUBLIC void plugin_register(void); \
    VPCSHARK_PLUGIN_DESCRIBE(kind)

#endif /* VPCSHARK_PLUGIN_EXPORTS_H */
