/* mirror-session.h
 * The Traffic Mirror session table: rows as the user types them (the
 * mirror_sessions UAT), their checks, and the compiled table the
 * dissector looks sessions up in (by VNI, refined by the outer source
 * address when several sessions share a VNI). Pure C, no libwireshark.
 *
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TrafficMirrorSession.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_MIRROR_SESSION_H
#define VPCSHARK_MIRROR_SESSION_H

#include <glib.h>

#include "mirror-inner.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MIRROR_VNI_MAX 0xffffffu
#define MIRROR_PACKET_LENGTH_MAX 65535u
#define MIRROR_TEXT_MAX 1024u

/* One row of the table, as text: the UAT record. NULL and "" both mean
 * "not given". */
typedef struct {
    char *vni;           /* decimal, 0..16777215 */
    char *outer_src;     /* IPv4/IPv6 address; refines a shared VNI */
    char *name;
    char *session_id;    /* tms-... */
    char *source_eni;    /* eni-... */
    char *packet_length; /* bytes after the VXLAN header; empty: whole packet */
    char *description;
    char *eni_addrs;     /* the ENI's addresses, separated by spaces, commas or semicolons */
    char *eni_mac;       /* the ENI's MAC address */
} mirror_session_row_t;

void mirror_session_row_copy(mirror_session_row_t *dst, const mirror_session_row_t *src);
void mirror_session_row_clear(mirror_session_row_t *row);
mirror_session_row_t *mirror_session_row_new(void);
void mirror_session_row_free(gpointer row);

/* A checked row. Text members are NULL when not given. */
typedef struct {
    guint32 vni;
    gboolean has_outer;
    mirror_addr_t outer;
    char *name;          /* the row's name, else its session id */
    char *session_id;
    char *source_eni;
    char *description;
    guint32 packet_length; /* 0: whole packet */
    mirror_addr_t *eni_addrs;
    guint n_eni_addrs;
    gboolean has_mac;
    guint8 mac[6];
} mirror_session_t;

/* Checks a row and converts it; on failure *err (g_free) names the
 * column and the problem and out is left cleared. */
gboolean mirror_session_compile(const mirror_session_row_t *row, mirror_session_t *out, char **err);
void mirror_session_clear(mirror_session_t *session);

/* Checks of single columns (also used for the UAT's per-field checks).
 * NULL or blank text is accepted where the column is optional. */
gboolean mirror_parse_vni(const char *text, guint32 *vni, char **err);
gboolean mirror_parse_addr(const char *text, mirror_addr_t *addr);
gboolean mirror_parse_optional_addr(const char *text, gboolean *present, mirror_addr_t *addr, char **err);
gboolean mirror_parse_addr_list(const char *text, GArray *addrs, char **err);
gboolean mirror_parse_mac(const char *text, guint8 mac[6]);
gboolean mirror_parse_optional_mac(const char *text, gboolean *present, guint8 mac[6], char **err);
gboolean mirror_parse_packet_length(const char *text, guint32 *len, char **err);
gboolean mirror_check_text(const char *text, char **err);

/* The same checks with one signature, text → verdict, for the table's
 * per-column callbacks. */
typedef gboolean (*mirror_column_check_t)(const char *text, char **err);
gboolean mirror_check_vni(const char *text, char **err);
gboolean mirror_check_outer_src(const char *text, char **err);
gboolean mirror_check_packet_length(const char *text, char **err);
gboolean mirror_check_addr_list(const char *text, char **err);
gboolean mirror_check_mac(const char *text, char **err);

/* Formats an address (buf of at least 46 bytes). */
const char *mirror_addr_to_str(const mirror_addr_t *addr, char *buf, gsize size);

typedef struct mirror_session_table mirror_session_table_t;

mirror_session_table_t *mirror_session_table_new(void);
void mirror_session_table_free(mirror_session_table_t *table);

/* Takes the session over (it is cleared). Returns FALSE, and drops it,
 * when a session with the same VNI and outer source is already in the
 * table: the first row wins. */
gboolean mirror_session_table_add(mirror_session_table_t *table, mirror_session_t *session);

/* The session of a VNI whose packets come from outer_src (may be NULL):
 * the row with this VNI and outer source if there is one, else the row
 * with this VNI and no outer source, else NULL. */
const mirror_session_t *mirror_session_table_lookup(const mirror_session_table_t *table, guint32 vni,
                                                    const mirror_addr_t *outer_src);
gboolean mirror_session_table_has_key(const mirror_session_table_t *table, guint32 vni,
                                      const mirror_addr_t *outer_src);
guint mirror_session_table_size(const mirror_session_table_t *table);

#ifdef __cplusplus
}
#endif

#endif /* VPCSHARK_MIRROR_SESSION_H */
