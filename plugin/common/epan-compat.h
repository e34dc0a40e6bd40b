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

/* A statistics tree's name is its Statistics menu path: the submenu and
 * the item are parted by "/" in 4.0 and 4.2, by "//" from 4.4 on (where
 * a "/" is part of the item's name). */
#include <epan/stats_tree.h>
#ifndef STATS_TREE_MENU_SEPARATOR
#define STATS_TREE_MENU_SEPARATOR "/"
#endif

/* format_text() takes guchar text in 4.0 and char text from 4.2 on.
 * (A macro may name the function it wraps: it does not expand again.) */
#if !VPCSHARK_WS_AT_LEAST(4, 2)
#define format_text(pool, text, len) format_text((pool), (const guchar *)(text), (len))
#endif

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

/* tvb_get_uint8 is tvb_get_guint8 before 4.2. */
#if !VPCSHARK_WS_AT_LEAST(4, 2)
#define tvb_get_uint8 tvb_get_guint8
#endif

/* Calling a string dissector table with add_proto_name is
 * dissector_try_string_new before 4.6. */
#if !VPCSHARK_WS_AT_LEAST(4, 6)
#define dissector_try_string_with_data dissector_try_string_new
#endif

/* String dissector tables: case sensitivity is FALSE in 4.0, named
 * STRING_CASE_SENSITIVE from 4.2. */
#ifndef STRING_CASE_SENSITIVE
#define STRING_CASE_SENSITIVE 0
#endif

/* Writes one packet record (with a packet comment) to a capture file:
 * the record carries a data pointer up to 4.4, its own buffer from 4.6. */
#include <wiretap/wtap.h>
#include <wiretap/wtap_opttypes.h>

static inline vpcshark_bool
vpcshark_dump_packet(wtap_dumper *pdh, const nstime_t *ts, int encap, const guint8 *data, guint32 caplen,
                     guint32 len, const char *comment, int *err, gchar **err_info)
{
    wtap_rec rec;
    vpcshark_bool ok;

#if VPCSHARK_WS_AT_LEAST(4, 6)
    wtap_rec_init(&rec, caplen);
    wtap_setup_packet_rec(&rec, encap);
    ws_buffer_append(&rec.data, data, caplen);
#else
    memset(&rec, 0, sizeof rec);
    rec.rec_type = REC_TYPE_PACKET;
    rec.rec_header.packet_header.pkt_encap = encap;
#endif
    /* On the dumper's one interface, in nanoseconds: without an interface
     * id, 4.2 on adds an interface of the record's own precision, which a
     * zeroed record gives as seconds. */
    rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN | WTAP_HAS_INTERFACE_ID;
    rec.rec_header.packet_header.interface_id = 0;
    rec.ts = *ts;
    rec.tsprec = WTAP_TSPREC_NSEC;
    rec.rec_header.packet_header.caplen = caplen;
    rec.rec_header.packet_header.len = len;
    rec.block = wtap_block_create(WTAP_BLOCK_PACKET);
    if (comment != NULL) {
        wtap_block_add_string_option(rec.block, OPT_COMMENT, comment, strlen(comment));
    }
#if VPCSHARK_WS_AT_LEAST(4, 6)
    ok = wtap_dump(pdh, &rec, err, err_info);
    wtap_block_unref(rec.block);
    rec.block = NULL;
    wtap_rec_cleanup(&rec);
#else
    ok = wtap_dump(pdh, &rec, data, err, err_info);
    wtap_block_unref(rec.block);
#endif
    return ok;
}

#endif /* VPCSHARK_EPAN_COMPAT_H */
