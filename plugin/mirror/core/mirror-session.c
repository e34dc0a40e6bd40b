/* mirror-session.c
 * Checks of the session table's columns and the lookup table built from
 * its rows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mirror-session.h"

#include <stdio.h>
#include <string.h>

#include <wsutil/inet_addr.h>

/* Addresses one ENI may list (AWS allows up to 50 IPv4 plus IPv6). */
#define MAX_ENI_ADDRS 128

static const char *const row_separators = " \t,;";

static gboolean
blank(const char *text)
{
    if (text == NULL) {
        return TRUE;
    }
    while (*text != '\0') {
        if (!g_ascii_isspace(*text)) {
            return FALSE;
        }
        text++;
    }
    return TRUE;
}

/* A trimmed copy, for parsing what a user typed. */
static char *
trimmed(const char *text)
{
    return g_strstrip(g_strdup(text != NULL ? text : ""));
}

static char *
optional_copy(const char *text)
{
    return blank(text) ? NULL : g_strdup(text);
}

void
mirror_session_row_copy(mirror_session_row_t *dst, const mirror_session_row_t *src)
{
    dst->vni = g_strdup(src->vni);
    dst->outer_src = g_strdup(src->outer_src);
    dst->name = g_strdup(src->name);
    dst->session_id = g_strdup(src->session_id);
    dst->source_eni = g_strdup(src->source_eni);
    dst->packet_length = g_strdup(src->packet_length);
    dst->description = g_strdup(src->description);
    dst->eni_addrs = g_strdup(src->eni_addrs);
    dst->eni_mac = g_strdup(src->eni_mac);
}

void
mirror_session_row_clear(mirror_session_row_t *row)
{
    g_free(row->vni);
    g_free(row->outer_src);
    g_free(row->name);
    g_free(row->session_id);
    g_free(row->source_eni);
    g_free(row->packet_length);
    g_free(row->description);
    g_free(row->eni_addrs);
    g_free(row->eni_mac);
    memset(row, 0, sizeof *row);
}

mirror_session_row_t *
mirror_session_row_new(void)
{
    return g_new0(mirror_session_row_t, 1);
}

void
mirror_session_row_free(gpointer row)
{
    if (row != NULL) {
        mirror_session_row_clear((mirror_session_row_t *)row);
        g_free(row);
    }
}

gboolean
mirror_parse_vni(const char *text, guint32 *vni, char **err)
{
    char *t = trimmed(text);
    guint64 value = 0;
    const char *p;
    gboolean ok = t[0] != '\0';

    for (p = t; ok && *p != '\0'; p++) {
        if (!g_ascii_isdigit(*p)) {
            ok = FALSE;
        } else {
            value = value * 10 + (guint64)(*p - '0');
            if (value > MIRROR_VNI_MAX) {
                ok = FALSE;
            }
        }
    }
    if (ok) {
        *vni = (guint32)value;
    } else if (err != NULL) {
        *err = g_strdup_printf("VNI \"%s\" is not a decimal number from 0 to %u", t, MIRROR_VNI_MAX);
    }
    g_free(t);
    return ok;
}

gboolean
mirror_parse_addr(const char *text, mirror_addr_t *addr)
{
    char *t = trimmed(text);
    gboolean ok = TRUE;

    memset(addr, 0, sizeof *addr);
    if (strchr(t, ':') != NULL) {
        ws_in6_addr a6;

        ok = ws_inet_pton6(t, &a6);
        if (ok)
            memcpy(addr->bytes, a6.bytes, 16);
        addr->type = MIRROR_ADDR_IPV6;
    } else {
        ws_in4_addr a4;

        ok = ws_inet_pton4(t, &a4);
        if (ok)
            memcpy(addr->bytes, &a4, 4);
        addr->type = MIRROR_ADDR_IPV4;
    }
    if (!ok) {
        memset(addr, 0, sizeof *addr);
    }
    g_free(t);
    return ok;
}

gboolean
mirror_parse_optional_addr(const char *text, gboolean *present, mirror_addr_t *addr, char **err)
{
    *present = FALSE;
    memset(addr, 0, sizeof *addr);
    if (blank(text)) {
        return TRUE;
    }
    if (!mirror_parse_addr(text, addr)) {
        if (err != NULL) {
            *err = g_strdup_printf("\"%s\" is not an IPv4 or IPv6 address", text);
        }
        return FALSE;
    }
    *present = TRUE;
    return TRUE;
}

gboolean
mirror_parse_addr_list(const char *text, GArray *addrs, char **err)
{
    gchar **parts;
    guint i;
    gboolean ok = TRUE;

    if (blank(text)) {
        return TRUE;
    }
    parts = g_strsplit_set(text, row_separators, -1);
    for (i = 0; ok && parts[i] != NULL; i++) {
        mirror_addr_t addr;

        if (parts[i][0] == '\0') {
            continue;
        }
        if (!mirror_parse_addr(parts[i], &addr)) {
            if (err != NULL) {
                *err = g_strdup_printf("\"%s\" is not an IPv4 or IPv6 address", parts[i]);
            }
            ok = FALSE;
        } else if (addrs->len >= MAX_ENI_ADDRS) {
            if (err != NULL) {
                *err = g_strdup_printf("more than %d addresses", MAX_ENI_ADDRS);
            }
            ok = FALSE;
        } else {
            g_array_append_val(addrs, addr);
        }
    }
    g_strfreev(parts);
    return ok;
}

gboolean
mirror_parse_mac(const char *text, guint8 mac[6])
{
    char *t = trimmed(text);
    const char *p = t;
    int i;
    gboolean ok = TRUE;
    char sep = '\0';

    for (i = 0; ok && i < 6; i++) {
        int hi, lo;

        if (i > 0 && (*p == ':' || *p == '-')) {
            /* One separator throughout, or none at all. */
            if (i == 1) {
                sep = *p;
            }
            if (*p != sep) {
                ok = FALSE;
                break;
            }
            p++;
        } else if (i > 0 && sep != '\0') {
            ok = FALSE;
            break;
        }
        hi = g_ascii_xdigit_value(p[0]);
        lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[1]);
        if (hi < 0 || lo < 0) {
            ok = FALSE;
            break;
        }
        mac[i] = (guint8)(hi * 16 + lo);
        p += 2;
    }
    ok = ok && *p == '\0';
    g_free(t);
    return ok;
}

gboolean
mirror_parse_optional_mac(const char *text, gboolean *present, guint8 mac[6], char **err)
{
    *present = FALSE;
    memset(mac, 0, 6);
    if (blank(text)) {
        return TRUE;
    }
    if (!mirror_parse_mac(text, mac)) {
        memset(mac, 0, 6);
        if (err != NULL) {
            *err = g_strdup_printf("\"%s\" is not a MAC address (six hex bytes such as 02:85:69:c2:ab:02)", text);
        }
        return FALSE;
    }
    *present = TRUE;
    return TRUE;
}

gboolean
mirror_parse_packet_length(const char *text, guint32 *len, char **err)
{
    char *t = trimmed(text);
    guint64 value = 0;
    const char *p;
    gboolean ok = TRUE;

    for (p = t; ok && *p != '\0'; p++) {
        if (!g_ascii_isdigit(*p)) {
            ok = FALSE;
        } else {
            value = value * 10 + (guint64)(*p - '0');
            if (value > MIRROR_PACKET_LENGTH_MAX) {
                ok = FALSE;
            }
        }
    }
    if (ok) {
        *len = (guint32)value; /* "" and "0": the whole packet */
    } else if (err != NULL) {
        *err = g_strdup_printf("packet length \"%s\" is not a number of bytes from 1 to %u "
                               "(leave it empty for whole packets)", t, MIRROR_PACKET_LENGTH_MAX);
    }
    g_free(t);
    return ok;
}

gboolean
mirror_check_text(const char *text, char **err)
{
    const char *p;

    if (text == NULL) {
        return TRUE;
    }
    if (strlen(text) > MIRROR_TEXT_MAX) {
        if (err != NULL) {
            *err = g_strdup_printf("text longer than %u bytes", MIRROR_TEXT_MAX);
        }
        return FALSE;
    }
    if (!g_utf8_validate(text, -1, NULL)) {
        if (err != NULL) {
            *err = g_strdup("text is not valid UTF-8");
        }
        return FALSE;
    }
    for (p = text; *p != '\0'; p++) {
        if ((guchar)*p < 0x20 || *p == 0x7f) {
            if (err != NULL) {
                *err = g_strdup("text contains a control character");
            }
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
mirror_check_vni(const char *text, char **err)
{
    guint32 vni;

    return mirror_parse_vni(text, &vni, err);
}

gboolean
mirror_check_outer_src(const char *text, char **err)
{
    gboolean present;
    mirror_addr_t addr;

    return mirror_parse_optional_addr(text, &present, &addr, err);
}

gboolean
mirror_check_packet_length(const char *text, char **err)
{
    guint32 length;

    return mirror_parse_packet_length(text, &length, err);
}

gboolean
mirror_check_addr_list(const char *text, char **err)
{
    GArray *addrs = g_array_new(FALSE, FALSE, sizeof(mirror_addr_t));
    gboolean ok = mirror_parse_addr_list(text, addrs, err);

    g_array_free(addrs, TRUE);
    return ok;
}

gboolean
mirror_check_mac(const char *text, char **err)
{
    gboolean present;
    guint8 mac[6];

    return mirror_parse_optional_mac(text, &present, mac, err);
}

const char *
mirror_addr_to_str(const mirror_addr_t *addr, char *buf, gsize size)
{
    if (size == 0) {
        return buf;
    }
    buf[0] = '\0';
    /* Too small a buffer for the address stays empty (ws_inet_ntop would
     * write an error text into it). */
    if (addr->type == MIRROR_ADDR_IPV4 && size >= WS_INET_ADDRSTRLEN) {
        ws_inet_ntop4(addr->bytes, buf, size);
    } else if (addr->type == MIRROR_ADDR_IPV6 && size >= WS_INET6_ADDRSTRLEN) {
        ws_inet_ntop6(addr->bytes, buf, size);
    }
    return buf;
}

void
mirror_session_clear(mirror_session_t *session)
{
    g_free(session->name);
    g_free(session->session_id);
    g_free(session->source_eni);
    g_free(session->description);
    g_free(session->eni_addrs);
    memset(session, 0, sizeof *session);
}

static gboolean
fail(mirror_session_t *out, char **err, const char *column, char *why)
{
    memset(out, 0, sizeof *out);
    if (err != NULL) {
        *err = g_strdup_printf("%s: %s", column, why);
    }
    g_free(why);
    return FALSE;
}

gboolean
mirror_session_compile(const mirror_session_row_t *row, mirror_session_t *out, char **err)
{
    char *why = NULL;
    GArray *addrs;

    memset(out, 0, sizeof *out);
    if (!mirror_parse_vni(row->vni, &out->vni, &why)) {
        return fail(out, err, "VNI", why);
    }
    if (!mirror_parse_optional_addr(row->outer_src, &out->has_outer, &out->outer, &why)) {
        return fail(out, err, "Outer source", why);
    }
    if (!mirror_check_text(row->name, &why)) {
        return fail(out, err, "Name", why);
    }
    if (!mirror_check_text(row->session_id, &why)) {
        return fail(out, err, "Session ID", why);
    }
    if (!mirror_check_text(row->source_eni, &why)) {
        return fail(out, err, "Source ENI", why);
    }
    if (!mirror_parse_packet_length(row->packet_length, &out->packet_length, &why)) {
        return fail(out, err, "Packet length", why);
    }
    if (!mirror_check_text(row->description, &why)) {
        return fail(out, err, "Description", why);
    }
    if (!mirror_parse_optional_mac(row->eni_mac, &out->has_mac, out->mac, &why)) {
        return fail(out, err, "ENI MAC", why);
    }
    addrs = g_array_new(FALSE, FALSE, sizeof(mirror_addr_t));
    if (!mirror_parse_addr_list(row->eni_addrs, addrs, &why)) {
        g_array_free(addrs, TRUE);
        return fail(out, err, "ENI addresses", why);
    }
    out->n_eni_addrs = addrs->len;
    out->eni_addrs = (mirror_addr_t *)(void *)g_array_free(addrs, addrs->len == 0);

    out->session_id = optional_copy(row->session_id);
    out->name = optional_copy(row->name);
    if (out->name == NULL && out->session_id != NULL) {
        out->name = g_strdup(out->session_id);
    }
    out->source_eni = optional_copy(row->source_eni);
    out->description = optional_copy(row->description);
    return TRUE;
}

/* The table: sessions keyed by (VNI, outer source or none). */
typedef struct {
    guint32 vni;
    mirror_addr_t outer; /* type NONE: any source */
} session_key_t;

struct mirror_session_table {
    GHashTable *by_key; /* session_key_t* -> mirror_session_t* */
};

static void
make_key(session_key_t *key, guint32 vni, const mirror_addr_t *outer)
{
    memset(key, 0, sizeof *key);
    key->vni = vni;
    if (outer != NULL) {
        key->outer = *outer;
    }
}

static guint
key_hash(gconstpointer p)
{
    const session_key_t *key = (const session_key_t *)p;
    guint8 buf[4 + 1 + 16];

    buf[0] = (guint8)(key->vni >> 24);
    buf[1] = (guint8)(key->vni >> 16);
    buf[2] = (guint8)(key->vni >> 8);
    buf[3] = (guint8)key->vni;
    buf[4] = key->outer.type;
    memcpy(buf + 5, key->outer.bytes, 16);
    return (guint)mirror_hash64(buf, sizeof buf, 0);
}

static gboolean
key_equal(gconstpointer a, gconstpointer b)
{
    const session_key_t *ka = (const session_key_t *)a;
    const session_key_t *kb = (const session_key_t *)b;

    return ka->vni == kb->vni && ka->outer.type == kb->outer.type &&
           memcmp(ka->outer.bytes, kb->outer.bytes, 16) == 0;
}

static void
free_session(gpointer p)
{
    mirror_session_clear((mirror_session_t *)p);
    g_free(p);
}

mirror_session_table_t *
mirror_session_table_new(void)
{
    mirror_session_table_t *table = g_new0(mirror_session_table_t, 1);

    table->by_key = g_hash_table_new_full(key_hash, key_equal, g_free, free_session);
    return table;
}

void
mirror_session_table_free(mirror_session_table_t *table)
{
    if (table != NULL) {
        g_hash_table_destroy(table->by_key);
        g_free(table);
    }
}

gboolean
mirror_session_table_add(mirror_session_table_t *table, mirror_session_t *session)
{
    session_key_t *key = g_new(session_key_t, 1);
    mirror_session_t *copy;

    make_key(key, session->vni, session->has_outer ? &session->outer : NULL);
    if (g_hash_table_contains(table->by_key, key)) {
        g_free(key);
        mirror_session_clear(session);
        return FALSE;
    }
    copy = g_new(mirror_session_t, 1);
    *copy = *session;
    memset(session, 0, sizeof *session);
    g_hash_table_insert(table->by_key, key, copy);
    return TRUE;
}

const mirror_session_t *
mirror_session_table_lookup(const mirror_session_table_t *table, guint32 vni, const mirror_addr_t *outer_src)
{
    session_key_t key;
    const mirror_session_t *found;

    if (table == NULL || g_hash_table_size(table->by_key) == 0) {
        return NULL;
    }
    if (outer_src != NULL && outer_src->type != MIRROR_ADDR_NONE) {
        make_key(&key, vni, outer_src);
        found = (const mirror_session_t *)g_hash_table_lookup(table->by_key, &key);
        if (found != NULL) {
            return found;
        }
    }
    make_key(&key, vni, NULL);
    return (const mirror_session_t *)g_hash_table_lookup(table->by_key, &key);
}

gboolean
mirror_session_table_has_key(const mirror_session_table_t *table, guint32 vni, const mirror_addr_t *outer_src)
{
    session_key_t key;

    if (table == NULL) {
        return FALSE;
    }
    make_key(&key, vni, outer_src != NULL && outer_src->type != MIRROR_ADDR_NONE ? outer_src : NULL);
    return g_hash_table_contains(table->by_key, &key);
}

guint
mirror_session_table_size(const mirror_session_table_t *table)
{
    return table != NULL ? g_hash_table_size(table->by_key) : 0;
}
