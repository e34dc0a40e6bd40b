/* mirror-import.c
 * Session table rows from the JSON the AWS CLI prints.
 *
 * The walk over the tokens is iterative and bounded by the token count
 * (tokens come in document order, so a value's descendants are the
 * tokens that start before it ends): no recursion that a deeply nested
 * hostile file could exhaust. Only json_parse() (the jsmn tokenizer) and
 * json_decode_string_inplace() are used from wsutil.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mirror-import.h"

#include <string.h>

#include <glib/gstdio.h>
#include <wsutil/wsjson.h>

typedef struct {
    char *buf;
    jsmntok_t *t;
    int n;
    const char *what; /* for messages: "sessions" / "interfaces" */
} doc_t;

/* One session as read, before it becomes a row. */
typedef struct {
    guint32 vni;
    char *session_id;
    char *eni;
    char *name;
    char *description;
    guint32 packet_length; /* 0: not given */
} session_t;

typedef struct {
    char *primary;        /* primary private IPv4 address */
    GString *addrs;       /* every address, space separated */
    char *mac;
} interface_t;

static void
session_clear(gpointer p)
{
    session_t *s = (session_t *)p;

    g_free(s->session_id);
    g_free(s->eni);
    g_free(s->name);
    g_free(s->description);
}

static void
interface_free(gpointer p)
{
    interface_t *i = (interface_t *)p;

    g_free(i->primary);
    g_string_free(i->addrs, TRUE);
    g_free(i->mac);
    g_free(i);
}

/* Index of the token after value i and everything inside it. */
static int
skip(const doc_t *d, int i)
{
    int end = d->t[i].end;
    int j = i + 1;

    while (j < d->n && d->t[j].start < end) {
        j++;
    }
    return j;
}

/* The value of member name of object obj, or -1. */
static int
member(const doc_t *d, int obj, const char *name)
{
    size_t name_len = strlen(name);
    int j = obj + 1;
    int k;

    for (k = 0; k < d->t[obj].size; k++) {
        const jsmntok_t *key;

        if (j + 1 >= d->n) {
            return -1;
        }
        key = &d->t[j];
        if (key->type != JSMN_STRING || key->size != 1) {
            return -1; /* not a "key": value pair (the tokenizer is lenient) */
        }
        if ((size_t)(key->end - key->start) == name_len && memcmp(d->buf + key->start, name, name_len) == 0) {
            return j + 1;
        }
        j = skip(d, j + 1);
    }
    return -1;
}

/* The elements of array arr: first element, then next_element(). */
static int
first_element(const doc_t *d, int arr)
{
    return d->t[arr].size > 0 && arr + 1 < d->n ? arr + 1 : -1;
}

static int
next_element(const doc_t *d, int arr, int elem)
{
    int j = skip(d, elem);

    return j < d->n && d->t[j].start < d->t[arr].end ? j : -1;
}

/* A string value, unescaped and copied; NULL if not a string or badly
 * escaped. Control characters become spaces (descriptions may hold
 * line breaks; a table cell cannot). */
static char *
string_value(const doc_t *d, int i)
{
    char *s, *p;

    if (i < 0 || d->t[i].type != JSMN_STRING) {
        return NULL;
    }
    s = g_strndup(d->buf + d->t[i].start, (gsize)(d->t[i].end - d->t[i].start));
    if (!json_decode_string_inplace(s) || !g_utf8_validate(s, -1, NULL)) {
        g_free(s);
        return NULL;
    }
    for (p = s; *p != '\0'; p++) {
        if ((guchar)*p < 0x20 || *p == 0x7f) {
            *p = ' ';
        }
    }
    if (strlen(s) > MIRROR_TEXT_MAX) {
        s[MIRROR_TEXT_MAX] = '\0';
        /* do not leave half a UTF-8 sequence */
        while (!g_utf8_validate(s, -1, NULL)) {
            s[strlen(s) - 1] = '\0';
        }
    }
    return s;
}

/* A non-negative integer value (JSON number without fraction/exponent). */
static gboolean
uint_value(const doc_t *d, int i, guint64 max, guint64 *out)
{
    guint64 v = 0;
    int p;

    if (i < 0 || d->t[i].type != JSMN_PRIMITIVE || d->t[i].end <= d->t[i].start) {
        return FALSE;
    }
    for (p = d->t[i].start; p < d->t[i].end; p++) {
        char c = d->buf[p];

        if (!g_ascii_isdigit(c)) {
            return FALSE;
        }
        v = v * 10 + (guint64)(c - '0');
        if (v > max) {
            return FALSE;
        }
    }
    *out = v;
    return TRUE;
}

static gboolean
tokenize(doc_t *d, gsize len, char **err)
{
    int n, end;
    const char *p;

    if (memchr(d->buf, '\0', len) != NULL) {
        *err = g_strdup("not a JSON text (it contains a NUL byte)");
        return FALSE;
    }
    n = json_parse(d->buf, NULL, 0);
    if (n > 0) {
        d->t = g_new0(jsmntok_t, n);
        d->n = json_parse(d->buf, d->t, (unsigned int)n);
    } else {
        d->n = n;
    }
    if (d->n < 0) {
        *err = g_strdup(d->n == JSMN_ERROR_PART ? "not valid JSON (it ends in the middle of a value)"
                                                : "not valid JSON (an unexpected character)");
        return FALSE;
    }
    if (d->n == 0) {
        *err = g_strdup("empty: no JSON value");
        return FALSE;
    }
    if (d->t[0].type != JSMN_OBJECT && d->t[0].type != JSMN_ARRAY) {
        *err = g_strdup("not the JSON the AWS CLI prints (the top level is not an object or array)");
        return FALSE;
    }
    /* One value, and nothing but white space after it. */
    end = d->t[0].end;
    if (skip(d, 0) != d->n) {
        *err = g_strdup("not valid JSON (more than one value at the top level)");
        return FALSE;
    }
    for (p = d->buf + end; *p != '\0'; p++) {
        if (!g_ascii_isspace(*p)) {
            *err = g_strdup("not valid JSON (text after the end of the value)");
            return FALSE;
        }
    }
    return TRUE;
}

/* The array (or single object) of items in a document printed by
 * describe-<things> (key plural) or create-<thing> (key singular). */
static gboolean
find_items(const doc_t *d, const char *plural, const char *singular, int *list, gboolean *single, char **err)
{
    int i;

    *single = FALSE;
    if (d->t[0].type == JSMN_ARRAY) {
        *list = 0;
        return TRUE;
    }
    i = member(d, 0, plural);
    if (i >= 0 && d->t[i].type == JSMN_ARRAY) {
        *list = i;
        return TRUE;
    }
    i = member(d, 0, singular);
    if (i >= 0 && d->t[i].type == JSMN_OBJECT) {
        *list = i;
        *single = TRUE;
        return TRUE;
    }
    *err = g_strdup_printf("no \"%s\" list: not what the AWS CLI prints for %s", plural, d->what);
    return FALSE;
}

static char *
session_label(const session_t *s, guint index)
{
    return s->session_id != NULL ? g_strdup_printf("session %u (%s)", index + 1, s->session_id)
                                 : g_strdup_printf("session %u", index + 1);
}

static gboolean
read_session(const doc_t *d, int obj, guint index, session_t *s, char **err)
{
    guint64 v;
    int i, tags, tag;
    char *label;

    memset(s, 0, sizeof *s);
    if (d->t[obj].type != JSMN_OBJECT) {
        *err = g_strdup_printf("session %u is not a JSON object", index + 1);
        return FALSE;
    }
    s->session_id = string_value(d, member(d, obj, "TrafficMirrorSessionId"));
    s->eni = string_value(d, member(d, obj, "NetworkInterfaceId"));
    s->description = string_value(d, member(d, obj, "Description"));

    i = member(d, obj, "VirtualNetworkId");
    if (!uint_value(d, i, MIRROR_VNI_MAX, &v)) {
        label = session_label(s, index);
        *err = i < 0 ? g_strdup_printf("%s has no VirtualNetworkId", label)
                     : g_strdup_printf("%s: VirtualNetworkId is not a number from 0 to %u", label, MIRROR_VNI_MAX);
        g_free(label);
        session_clear(s);
        return FALSE;
    }
    s->vni = (guint32)v;

    i = member(d, obj, "PacketLength");
    if (i >= 0 && !(d->t[i].type == JSMN_PRIMITIVE && d->t[i].end - d->t[i].start == 4 &&
                    memcmp(d->buf + d->t[i].start, "null", 4) == 0)) {
        if (!uint_value(d, i, MIRROR_PACKET_LENGTH_MAX, &v) || v == 0) {
            label = session_label(s, index);
            *err = g_strdup_printf("%s: PacketLength is not a number from 1 to %u", label, MIRROR_PACKET_LENGTH_MAX);
            g_free(label);
            session_clear(s);
            return FALSE;
        }
        s->packet_length = (guint32)v;
    }

    /* The session's name is its Name tag, as in the AWS console. */
    tags = member(d, obj, "Tags");
    if (tags < 0) {
        tags = member(d, obj, "TagSet");
    }
    if (tags >= 0 && d->t[tags].type == JSMN_ARRAY) {
        for (tag = first_element(d, tags); tag >= 0 && s->name == NULL; tag = next_element(d, tags, tag)) {
            char *key;

            if (d->t[tag].type != JSMN_OBJECT) {
                continue;
            }
            key = string_value(d, member(d, tag, "Key"));
            if (key != NULL && strcmp(key, "Name") == 0) {
                s->name = string_value(d, member(d, tag, "Value"));
            }
            g_free(key);
        }
    }
    return TRUE;
}

static void
add_address(interface_t *itf, const char *addr)
{
    mirror_addr_t parsed;
    gchar **known;
    guint k;
    gboolean seen = FALSE;

    if (addr == NULL || !mirror_parse_addr(addr, &parsed)) {
        return;
    }
    known = g_strsplit(itf->addrs->str, " ", -1);
    for (k = 0; known[k] != NULL; k++) {
        if (strcmp(known[k], addr) == 0) {
            seen = TRUE;
        }
    }
    g_strfreev(known);
    if (!seen) {
        if (itf->addrs->len > 0) {
            g_string_append_c(itf->addrs, ' ');
        }
        g_string_append(itf->addrs, addr);
    }
}

/* Addresses listed in member list_name (objects with member addr_name). */
static void
add_listed_addresses(const doc_t *d, int obj, const char *list_name, const char *addr_name, interface_t *itf)
{
    int list = member(d, obj, list_name);
    int e;

    if (list < 0 || d->t[list].type != JSMN_ARRAY) {
        return;
    }
    for (e = first_element(d, list); e >= 0; e = next_element(d, list, e)) {
        char *addr;

        if (d->t[e].type != JSMN_OBJECT) {
            continue;
        }
        addr = string_value(d, member(d, e, addr_name));
        add_address(itf, addr);
        g_free(addr);
    }
}

static gboolean
read_interfaces(const doc_t *d, GHashTable *by_eni, char **err)
{
    int list, obj;
    gboolean single;
    guint index = 0;

    if (!find_items(d, "NetworkInterfaces", "NetworkInterface", &list, &single, err)) {
        return FALSE;
    }
    for (obj = single ? list : first_element(d, list); obj >= 0;
         obj = single ? -1 : next_element(d, list, obj), index++) {
        interface_t *itf;
        char *eni, *mac;
        guint8 mac_bytes[6];

        if (d->t[obj].type != JSMN_OBJECT) {
            *err = g_strdup_printf("network interface %u is not a JSON object", index + 1);
            return FALSE;
        }
        eni = string_value(d, member(d, obj, "NetworkInterfaceId"));
        if (eni == NULL) {
            *err = g_strdup_printf("network interface %u has no NetworkInterfaceId", index + 1);
            return FALSE;
        }
        itf = g_new0(interface_t, 1);
        itf->addrs = g_string_new("");
        itf->primary = string_value(d, member(d, obj, "PrivateIpAddress"));
        add_address(itf, itf->primary);
        add_listed_addresses(d, obj, "PrivateIpAddresses", "PrivateIpAddress", itf);
        add_listed_addresses(d, obj, "Ipv6Addresses", "Ipv6Address", itf);
        mac = string_value(d, member(d, obj, "MacAddress"));
        if (mac != NULL && mirror_parse_mac(mac, mac_bytes)) {
            itf->mac = mac;
        } else {
            g_free(mac);
        }
        if (itf->primary != NULL) {
            mirror_addr_t parsed;

            if (!mirror_parse_addr(itf->primary, &parsed)) {
                g_free(itf->primary);
                itf->primary = NULL;
            }
        }
        g_hash_table_replace(by_eni, eni, itf);
    }
    return TRUE;
}

gboolean
mirror_import_json(char *sessions_json, gsize sessions_len, char *interfaces_json, gsize interfaces_len,
                   GPtrArray *rows, char **err)
{
    doc_t sessions = { sessions_json, NULL, 0, "describe-traffic-mirror-sessions" };
    doc_t interfaces = { interfaces_json, NULL, 0, "describe-network-interfaces" };
    GArray *found = g_array_new(FALSE, TRUE, sizeof(session_t));
    GHashTable *by_eni = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, interface_free);
    GHashTable *vni_uses = g_hash_table_new(g_direct_hash, g_direct_equal);
    char *why = NULL;
    gboolean ok = FALSE;
    int list, obj;
    gboolean single;
    guint i;

    g_array_set_clear_func(found, session_clear);

    if (sessions_json == NULL || !tokenize(&sessions, sessions_len, &why) ||
        !find_items(&sessions, "TrafficMirrorSessions", "TrafficMirrorSession", &list, &single, &why)) {
        *err = g_strdup_printf("sessions JSON: %s", why != NULL ? why : "missing");
        goto out;
    }
    for (obj = single ? list : first_element(&sessions, list); obj >= 0;
         obj = single ? -1 : next_element(&sessions, list, obj)) {
        session_t s;

        if (!read_session(&sessions, obj, found->len, &s, &why)) {
            *err = g_strdup_printf("sessions JSON: %s", why);
            goto out;
        }
        g_array_append_val(found, s);
        g_hash_table_insert(vni_uses, GUINT_TO_POINTER(s.vni + 1),
                            GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(vni_uses,
                                                                                GUINT_TO_POINTER(s.vni + 1))) + 1));
    }
    if (interfaces_json != NULL) {
        if (!tokenize(&interfaces, interfaces_len, &why) || !read_interfaces(&interfaces, by_eni, &why)) {
            *err = g_strdup_printf("network interfaces JSON: %s", why);
            goto out;
        }
    }

    for (i = 0; i < found->len; i++) {
        const session_t *s = &g_array_index(found, session_t, i);
        const interface_t *itf = s->eni != NULL ? (const interface_t *)g_hash_table_lookup(by_eni, s->eni) : NULL;
        mirror_session_row_t *row = mirror_session_row_new();
        gboolean shared = GPOINTER_TO_UINT(g_hash_table_lookup(vni_uses, GUINT_TO_POINTER(s->vni + 1))) > 1;

        row->vni = g_strdup_printf("%u", s->vni);
        row->outer_src = g_strdup(shared && itf != NULL && itf->primary != NULL ? itf->primary : "");
        row->name = g_strdup(s->name != NULL ? s->name : "");
        row->session_id = g_strdup(s->session_id != NULL ? s->session_id : "");
        row->source_eni = g_strdup(s->eni != NULL ? s->eni : "");
        row->packet_length = s->packet_length != 0 ? g_strdup_printf("%u", s->packet_length) : g_strdup("");
        row->description = g_strdup(s->description != NULL ? s->description : "");
        row->eni_addrs = g_strdup(itf != NULL ? itf->addrs->str : "");
        row->eni_mac = g_strdup(itf != NULL && itf->mac != NULL ? itf->mac : "");
        g_ptr_array_add(rows, row);
    }
    ok = TRUE;

out:
    g_free(why);
    g_free(sessions.t);
    g_free(interfaces.t);
    g_array_free(found, TRUE);
    g_hash_table_destroy(by_eni);
    g_hash_table_destroy(vni_uses);
    return ok;
}

static char *
read_file(const char *path, gsize *len, char **err)
{
    GStatBuf st;
    GError *error = NULL;
    char *text = NULL;

    if (g_stat(path, &st) == 0 && st.st_size > (goffset)MIRROR_IMPORT_MAX_BYTES) {
        *err = g_strdup_printf("%s: larger than %u MiB", path, MIRROR_IMPORT_MAX_BYTES / (1024 * 1024));
        return NULL;
    }
    if (!g_file_get_contents(path, &text, len, &error)) {
        *err = g_strdup(error->message);
        g_error_free(error);
        return NULL;
    }
    if (*len > MIRROR_IMPORT_MAX_BYTES) {
        *err = g_strdup_printf("%s: larger than %u MiB", path, MIRROR_IMPORT_MAX_BYTES / (1024 * 1024));
        g_free(text);
        return NULL;
    }
    return text;
}

gboolean
mirror_import_files(const char *sessions_path, const char *interfaces_path, GPtrArray *rows, char **err)
{
    char *sessions, *interfaces = NULL;
    gsize sessions_len = 0, interfaces_len = 0;
    char *why = NULL;
    gboolean ok;

    sessions = read_file(sessions_path, &sessions_len, err);
    if (sessions == NULL) {
        return FALSE;
    }
    if (interfaces_path != NULL && interfaces_path[0] != '\0') {
        interfaces = read_file(interfaces_path, &interfaces_len, err);
        if (interfaces == NULL) {
            g_free(sessions);
            return FALSE;
        }
    }
    ok = mirror_import_json(sessions, sessions_len, interfaces, interfaces_len, rows, &why);
    if (!ok) {
        /* Name the file the message is about. */
        if (g_str_has_prefix(why, "sessions JSON: ")) {
            *err = g_strdup_printf("%s: %s", sessions_path, why + strlen("sessions JSON: "));
        } else if (g_str_has_prefix(why, "network interfaces JSON: ")) {
            *err = g_strdup_printf("%s: %s", interfaces_path, why + strlen("network interfaces JSON: "));
        } else {
            *err = g_strdup(why);
        }
        g_free(why);
    }
    g_free(sessions);
    g_free(interfaces);
    return ok;
}
