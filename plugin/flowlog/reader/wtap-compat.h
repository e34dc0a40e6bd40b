/* wtap-compat.h
 * The one place that knows how the wiretap plugin API differs between
 * Wireshark 4.0, 4.2/4.4 and 4.6, so that the reader itself has no
 * version conditionals.
 *
 * struct wtap and struct wtap_dumper are private to libwiretap before
 * 4.6. We prefer a real header when there is one (a Wireshark source
 * tree given with -DWIRESHARK_SOURCE_DIR, or the public
 * wiretap/wtap_module.h of 4.6), and otherwise use our own declarations
 * for the minor version being built against.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_WTAP_COMPAT_H
#define VPCSHARK_WTAP_COMPAT_H

#include "ws-version.h"

/* From 4.4 wtap.h's BLOCKS_SUPPORTED() uses array_length() without including it. */
#if VPCSHARK_WS_AT_LEAST(4, 4)
#  include <wsutil/array.h>
#endif
#include <wiretap/wtap.h>
#include <wsutil/buffer.h>

#if defined(VPCSHARK_USE_WTAP_INT_H)
#  include <wiretap/wtap-int.h>
#  include <wiretap/file_wrappers.h>
#elif VPCSHARK_WS_AT_LEAST(4, 6)
#  include <wiretap/wtap_module.h>
#  include <wiretap/file_wrappers.h>
#elif WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR == 4
#  include "compat/wtap-decl-4.4.h"
#elif WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR == 0
#  include "compat/wtap-decl-4.0.h"
#else
#  error "No declarations of struct wtap for this Wireshark version: configure with -DWIRESHARK_SOURCE_DIR=<its source tree>"
#endif

/* Readers: the Buffer argument that 4.6 dropped. */
#if VPCSHARK_WS_AT_LEAST(4, 6)
#  define VPCSHARK_READ_BUFFER_PARAM
#  define VPCSHARK_READ_BUFFER_ARG
#  define VPCSHARK_REC_BUFFER(rec, buf) (&(rec)->data)
#else
#  define VPCSHARK_READ_BUFFER_PARAM Buffer *buf,
#  define VPCSHARK_READ_BUFFER_ARG buf,
#  define VPCSHARK_REC_BUFFER(rec, buf) (buf)
#endif

/* Make rec a packet record of the file's encapsulation. */
static inline void
vpcshark_rec_setup_packet(wtap_rec *rec, int encap)
{
#if VPCSHARK_WS_AT_LEAST(4, 6)
    wtap_setup_packet_rec(rec, encap);
#else
    rec->rec_type = REC_TYPE_PACKET;
    rec->block = wtap_block_create(WTAP_BLOCK_PACKET);
    rec->rec_header.packet_header.pkt_encap = encap;
#endif
}

/* Writers: dump_open returned int before 4.2; 4.6 moved the record's
 * bytes from an argument into the record. */
#if VPCSHARK_WS_AT_LEAST(4, 2)
typedef bool vpcshark_dump_open_ret;
#else
typedef int vpcshark_dump_open_ret;
#endif

#if VPCSHARK_WS_AT_LEAST(4, 6)
#  define VPCSHARK_WRITE_DATA_PARAM
#  define VPCSHARK_WRITE_DATA(rec, pd) ws_buffer_start_ptr(&(rec)->data)
#else
#  define VPCSHARK_WRITE_DATA_PARAM const guint8 *pd,
#  define VPCSHARK_WRITE_DATA(rec, pd) (pd)
#endif

#endif /* VPCSHARK_WTAP_COMPAT_H */
