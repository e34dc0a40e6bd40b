/* mirror-sessions.c
 * The mirror_sessions table (a UAT kept in the profile, editable under
 * the Traffic Mirror Session protocol preferences or with
 * -o 'uat:mirror_sessions:"12345","","web"') and the preferences that
 * fill it from the JSON the AWS CLI prints.
 *
 * Imported sessions are added to the table as ordinary rows (so the GUI
 * shows them and can save them), except those whose VNI and outer source
 * a row already has: what the user typed wins. A file that cannot be
 * read or parsed adds nothing and says why (report_failure: a dialog in
 * Wireshark, a line on stderr in tshark). The files are imported again
 * when a preference changes or, before a capture is dissected, when a
 * file changed on disk.
 *
 * https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-traffic-mirror-sessions.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-mirror.h"

#include <string.h>

#include <glib/gstdio.h>
#include <wsutil/report_message.h>

#include "mirror-import.h"

static mirror_session_row_t *session_rows;
static guint n_session_rows;
static uat_t *sessions_uat;
static mirror_session_table_t *session_table;

static const char *pref_sessions_json = "";
static const char *pref_interfaces_json = "";

/* What the last import read, to import again only after a change. */
typedef struct {
    char *path;
    gint64 mtime;
    gint64 size;
} file_stamp_t;

static file_stamp_t imported_sessions;
static file_stamp_t imported_interfaces;

UAT_CSTRING_CB_DEF(mirror_sessions, vni, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, outer_src, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, name, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, session_id, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, source_eni, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, packet_length, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, description, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, eni_addrs, mirror_session_row_t)
UAT_CSTRING_CB_DEF(mirror_sessions, eni_mac, mirror_session_row_t)

/* Per-column checks, so the GUI points at the wrong cell. The cell is not
 * NUL-terminated; a NUL inside it would hide the rest from the check. */
static gboolean
check_cell(const char *ptr, unsigned len, mirror_column_check_t check, char **err)
{
    char *text = g_strndup(ptr, len);
    gboolean ok = strlen(text) == len && check(text, err);

    if (!ok && *err == NULL) {
        *err = g_strdup("text contains a NUL character");
    }
    g_free(text);
    return ok;
}

#define COLUMN_CHECK(name, check)                                                             \
    static vpcshark_uat_bool                                                                  \
    name(void *rec _U_, const char *ptr, unsigned len, const void *u1 _U_, const void *u2 _U_, \
         char **err)                                                                          \
    {                                                                                         \
        return check_cell(ptr, len, check, err);                                              \
    }

COLUMN_CHECK(chk_vni, mirror_check_vni)
COLUMN_CHECK(chk_outer_src, mirror_check_outer_src)
COLUMN_CHECK(chk_text, mirror_check_text)
COLUMN_CHECK(chk_packet_length, mirror_check_packet_length)
COLUMN_CHECK(chk_addr_list, mirror_check_addr_list)
COLUMN_CHECK(chk_mac, mirror_check_mac)

static void *
rows_copy_cb(void *dest, const void *source, size_t len _U_)
{
    mirror_session_row_copy((mirror_session_row_t *)dest, (const mirror_session_row_t *)source);
    return dest;
}

/* The whole row once more, so that a row is either usable or refused. */
static vpcshark_uat_bool
rows_update_cb(void *record, char **err)
{
    mirror_session_t session;

    if (!mirror_session_compile((const mirror_session_row_t *)record, &session, err)) {
        return FALSE;
    }
    mirror_session_clear(&session);
    return TRUE;
}

static void
rows_free_cb(void *record)
{
    mirror_session_row_clear((mirror_session_row_t *)record);
}

/* The lookup table from the rows; a later row with the VNI and outer
 * source of an earlier one is ignored. */
static void
rebuild_table(void)
{
    mirror_session_table_t *table = mirror_session_table_new();
    guint i;

    for (i = 0; i < n_session_rows; i++) {
        mirror_session_t session;

        if (mirror_session_compile(&session_rows[i], &session, NULL)) {
            mirror_session_table_add(table, &session);
        }
    }
    mirror_session_table_free(session_table);
    session_table = table;
}

static void forget_import(void);

/* The table was loaded (start, profile switch) or edited: the imported
 * rows may be gone, so the next apply or dissection imports again (rows
 * already there are not added twice). */
static void
rows_post_update_cb(void)
{
    rebuild_table();
    forget_import();
}

static gboolean
blank(const char *text)
{
    if (text != NULL) {
        for (; *text != '\0'; text++) {
            if (!g_ascii_isspace(*text)) {
                return FALSE;
            }
        }
    }
    return TRUE;
}

/* Stamps a file (path, time, size); an unreadable file gets size -1. */
static void
stamp_file(const char *path, file_stamp_t *stamp)
{
    GStatBuf st;

    g_free(stamp->path);
    stamp->path = g_strdup(path != NULL ? path : "");
    stamp->mtime = 0;
    stamp->size = -1;
    if (path != NULL && path[0] != '\0' && g_stat(path, &st) == 0) {
        stamp->mtime = (gint64)st.st_mtime;
        stamp->size = (gint64)st.st_size;
    }
}

static void
forget_import(void)
{
    g_free(imported_sessions.path);
    g_free(imported_interfaces.path);
    memset(&imported_sessions, 0, sizeof imported_sessions);
    memset(&imported_interfaces, 0, sizeof imported_interfaces);
}

static gboolean
same_stamp(const file_stamp_t *a, const file_stamp_t *b)
{
    return g_strcmp0(a->path, b->path) == 0 && a->mtime == b->mtime && a->size == b->size;
}

void
mirror_sessions_apply_prefs(void)
{
    file_stamp_t sessions = { NULL, 0, 0 };
    file_stamp_t interfaces = { NULL, 0, 0 };
    GPtrArray *rows;
    char *err = NULL;
    guint i;

    if (sessions_uat == NULL) {
        return;
    }
    stamp_file(blank(pref_sessions_json) ? "" : pref_sessions_json, &sessions);
    stamp_file(blank(pref_interfaces_json) ? "" : pref_interfaces_json, &interfaces);
    if (same_stamp(&sessions, &imported_sessions) && same_stamp(&interfaces, &imported_interfaces)) {
        g_free(sessions.path);
        g_free(interfaces.path);
        return;
    }
    /* Whatever happens, this state of the files has been dealt with. */
    g_free(imported_sessions.path);
    g_free(imported_interfaces.path);
    imported_sessions = sessions;
    imported_interfaces = interfaces;
    if (sessions.path[0] == '\0') {
        if (interfaces.path[0] != '\0') {
            report_failure("Traffic Mirror Session: the network interfaces JSON (%s) is only used together "
                           "with the sessions JSON (preference mirror.sessions_json), which is not set.",
                           interfaces.path);
        }
        return;
    }

    rows = g_ptr_array_new_with_free_func(mirror_session_row_free);
    if (!mirror_import_files(sessions.path, interfaces.path[0] != '\0' ? interfaces.path : NULL, rows, &err)) {
        report_failure("Traffic Mirror Session: no sessions were imported from the AWS CLI JSON.\n%s\n"
                       "The mirror_sessions table was left as it was.", err);
        g_free(err);
        g_ptr_array_free(rows, TRUE);
        return;
    }
    /* All or nothing: every row must be valid before any is added. */
    for (i = 0; i < rows->len; i++) {
        mirror_session_t session;

        if (!mirror_session_compile((const mirror_session_row_t *)g_ptr_array_index(rows, i), &session, &err)) {
            report_failure("Traffic Mirror Session: no sessions were imported from %s: session %u: %s\n"
                           "The mirror_sessions table was left as it was.", sessions.path, i + 1, err);
            g_free(err);
            g_ptr_array_free(rows, TRUE);
            return;
        }
        mirror_session_clear(&session);
    }
    rebuild_table();
    for (i = 0; i < rows->len; i++) {
        const mirror_session_row_t *row = (const mirror_session_row_t *)g_ptr_array_index(rows, i);
        mirror_session_t session;

        if (!mirror_session_compile(row, &session, NULL)) {
            continue;
        }
        if (mirror_session_table_has_key(session_table, session.vni, session.has_outer ? &session.outer : NULL)) {
            mirror_session_clear(&session); /* a row already says what this VNI is */
            continue;
        }
        uat_add_record(sessions_uat, row, TRUE);
        mirror_session_table_add(session_table, &session);
    }
    g_ptr_array_free(rows, TRUE);
    rebuild_table();
}

const mirror_session_t *
mirror_sessions_lookup(guint32 vni, const mirror_addr_t *outer_src)
{
    return mirror_session_table_lookup(session_table, vni, outer_src);
}

guint
mirror_sessions_count(void)
{
    return mirror_session_table_size(session_table);
}

void
mirror_sessions_register(int proto _U_, module_t *module)
{
    /* One row a column: name, title, check, what it holds. */
#define SESSION_FIELD(name, title, check, blurb) UAT_FLD_CSTRING_OTHER(mirror_sessions, name, title, check, blurb)
    static uat_field_t fields[] = {
        SESSION_FIELD(vni, "VNI", chk_vni, "VXLAN network identifier of the session (VirtualNetworkId), decimal"),
        SESSION_FIELD(outer_src, "Outer source", chk_outer_src, "Optional: source address of the VXLAN packets "
                      "(the source ENI's primary address); tells apart sessions that share a VNI"),
        SESSION_FIELD(name, "Name", chk_text, "Session name, shown in the Info column (empty: the session ID)"),
        SESSION_FIELD(session_id, "Session ID", chk_text, "Traffic Mirror session ID (tms-...)"),
        SESSION_FIELD(source_eni, "Source ENI", chk_text, "The mirrored network interface (eni-...)"),
        SESSION_FIELD(packet_length, "Packet length", chk_packet_length,
                      "The session's PacketLength: bytes kept after the VXLAN header (empty: whole packets)"),
        SESSION_FIELD(description, "Description", chk_text, "Free text"),
        SESSION_FIELD(eni_addrs, "ENI addresses", chk_addr_list,
                      "Optional: addresses of the source ENI, separated by spaces or commas (for the direction)"),
        SESSION_FIELD(eni_mac, "ENI MAC", chk_mac, "Optional: MAC address of the source ENI (for the direction)"),
        UAT_END_FIELDS
    };
#undef SESSION_FIELD
    /* Columns after the VNI may be left out on the command line. */
    static const char *defaults[] = { NULL, "", "", "", "", "", "", "", "" };

    sessions_uat = uat_new("Traffic Mirror Sessions",
                           sizeof(mirror_session_row_t),
                           "mirror_sessions",
                           TRUE,
                           &session_rows,
                           &n_session_rows,
                           UAT_AFFECTS_DISSECTION,
                           NULL,
                           rows_copy_cb,
                           rows_update_cb,
                           rows_free_cb,
                           rows_post_update_cb,
                           NULL,
                           fields);
    uat_set_default_values(sessions_uat, defaults);
    prefs_register_uat_preference(module, "sessions", "Traffic Mirror sessions",
        "Names the VXLAN network identifiers (VNIs) of Traffic Mirror sessions: "
        "one row per session, optionally refined by the source address of the VXLAN packets",
        sessions_uat);
    prefs_register_filename_preference(module, "sessions_json", "Sessions JSON (aws ec2 describe-traffic-mirror-sessions)",
        "Adds the sessions listed in this file, the output of "
        "'aws ec2 describe-traffic-mirror-sessions', to the session table "
        "(rows already in the table for the same VNI and outer source are kept)",
        &pref_sessions_json, FALSE);
    prefs_register_filename_preference(module, "interfaces_json",
        "Network interfaces JSON (aws ec2 describe-network-interfaces, optional)",
        "With the sessions JSON: the output of 'aws ec2 describe-network-interfaces' "
        "gives the imported sessions their ENI addresses and MAC (for the direction)",
        &pref_interfaces_json, FALSE);
}
