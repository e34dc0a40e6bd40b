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

/* Boolean preference variables: gboolean in 4.0, bool from 4.2. */
typedef vpcshark_bool vpcshark_pref_bool;

/* Field ids must start at -1 on 4.0 (later versions accept it too). */
#define VPCSHARK_ID_INIT (-1)

/* format_text() takes guchar text in 4.0 and char text later. */
#define vpcshark_format_text(pool, text, len) format_text((pool), (const void *)(text), (len))

/* --- Traffic Mirror (issue 3) --- */

#include <epan/uat.h>

/* Return type of heuristic dissectors and of UAT update/field-check
 * callbacks: gboolean in 4.0, bool from 4.2. */
typedef vpcshark_bool vpcshark_heur_bool;
typedef vpcshark_bool vpcshark_uat_bool;

/* uat_add_record() is exported by libwireshark 4.0 but declared in
 * epan/uat-int.h, which 4.0 does not install (4.4 and later do). */
#if defined(__has_include)
#if __has_include(<epan/uat-int.h>)
#define VPCSHARK_HAVE_UAT_INT_H 1
#endif
#endif
#ifdef VPCSHARK_HAVE_UAT_INT_H
#include <epan/uat-int.h>
#else
WS_DLL_PUBLIC void *uat_add_record(uat_t *uat, const void *orig_rec_ptr, vpcshark_bool valid_rec);
#endif

/* String dissector tables: case sensitivity is FALSE in 4.0, named
 * STRING_CASE_SENSITIVE from 4.2. */
#ifndef STRING_CASE_SENSITIVE
#define STRING_CASE_SENSITIVE 0
#endif

#endif /* VPCSHARK_EPAN_COMPAT_H */
