/* ws-version.h
 * Version test and the callback boolean type shared by both plugins'
 * compat headers (wiretap/wtap-compat.h, epan/epan-compat.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_WS_VERSION_H
#define VPCSHARK_WS_VERSION_H

#include <wireshark.h>

#define VPCSHARK_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* Callbacks and boolean preferences use C99 bool from 4.2 on. */
#if VPCSHARK_WS_AT_LEAST(4, 2)
typedef bool vpcshark_bool;
#else
typedef gboolean vpcshark_bool;
#endif

#endif /* VPCSHARK_WS_VERSION_H */
