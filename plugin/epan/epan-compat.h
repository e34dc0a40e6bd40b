/* epan-compat.h
 * The one place that knows how the dissector API differs between
 * Wireshark 4.0 and 4.2-4.6, so the dissectors have no version
 * conditionals.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_EPAN_COMPAT_H
#define VPCSHARK_EPAN_COMPAT_H

#include "ws-version.h"

#include <epan/packet.h>
#include <epan/strutil.h>

#include <stdlib.h>

/* Boolean preference variables: gboolean in 4.0, bool from 4.2. */
typedef vpcshark_bool vpcshark_pref_bool;

/* Field ids must start at -1 on 4.0 (later versions accept it too). */
#define VPCSHARK_ID_INIT (-1)

/* -z statistic init callbacks report failure from 4.6 on; before, they exit. */
#if VPCSHARK_WS_AT_LEAST(4, 6)
typedef bool vpcshark_stat_init_ret;
#define VPCSHARK_STAT_INIT_DONE(ok) return (ok)
#else
typedef void vpcshark_stat_init_ret;
#define VPCSHARK_STAT_INIT_DONE(ok) do { if (!(ok)) exit(1); return; } while (0)
#endif

/* format_text() takes guchar text in 4.0 and char text later. */
#define vpcshark_format_text(pool, text, len) format_text((pool), (const void *)(text), (len))

#endif /* VPCSHARK_EPAN_COMPAT_H */
