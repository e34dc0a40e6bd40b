/* fuzz-mirror-import.c
 * The AWS CLI JSON import of the Traffic Mirror session table, and the
 * checks of the table's columns.
 *
 * Input: the sessions document, optionally followed by a NUL byte and the
 * network interfaces document.
 *
 * Besides not crashing: an import either adds rows and gives no message,
 * or gives a message and leaves the rows as they were; every imported row
 * is a valid table row; a row's VNI prints back to the number it holds;
 * column checks accept what they parse and nothing else.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "mirror-import.h"
#include "mirror-session.h"

static void
check_columns(const char *text)
{
    guint32 v;
    mirror_addr_t addr;
    guint8 mac[6];
    gboolean present;
    GArray *list = g_array_new(FALSE, FALSE, sizeof(mirror_addr_t));
    char *err = NULL;

    if (mirror_parse_vni(text, &v, &err)) {
        FUZZ_CHECK(err == NULL && v <= MIRROR_VNI_MAX);
    } else {
        FUZZ_CHECK(err != NULL);
        g_clear_pointer(&err, g_free);
    }
    if (mirror_parse_packet_length(text, &v, &err)) {
        FUZZ_CHECK(v <= MIRROR_PACKET_LENGTH_MAX);
    } else {
        FUZZ_CHECK(err != NULL);
        g_clear_pointer(&err, g_free);
    }
    if (mirror_parse_addr(text, &addr)) {
        char buf[64], *back = g_strdup(mirror_addr_to_str(&addr, buf, sizeof buf));
        mirror_addr_t again;

        FUZZ_CHECK(mirror_parse_addr(back, &again) && mirror_addr_equal(&addr, &again));
        g_free(back);
    }
    if (!mirror_parse_optional_addr(text, &present, &addr, &err)) {
        FUZZ_CHECK(err != NULL);
        g_clear_pointer(&err, g_free);
    }
    if (!mirror_parse_optional_mac(text, &present, mac, &err)) {
        FUZZ_CHECK(err != NULL);
        g_clear_pointer(&err, g_free);
    }
    if (mirror_parse_addr_list(text, list, &err)) {
        FUZZ_CHECK(err == NULL);
    } else {
        FUZZ_CHECK(err != NULL);
        g_clear_pointer(&err, g_free);
    }
    if (!mirror_check_text(text, &err)) {
        FUZZ_CHECK(err != NULL);
        g_clear_pointer(&err, g_free);
    }
    g_array_free(list, TRUE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t sessions_len = nul != NULL ? (size_t)(nul - data) : size;
    char *sessions = g_strndup((const char *)data, sessions_len);
    char *interfaces = nul != NULL ? g_strndup((const char *)nul + 1, size - sessions_len - 1) : NULL;
    GPtrArray *rows = g_ptr_array_new_with_free_func(mirror_session_row_free);
    char *err = NULL;
    guint i;

    g_ptr_array_add(rows, mirror_session_row_new());
    if (mirror_import_json(sessions, strlen(sessions), interfaces, interfaces != NULL ? strlen(interfaces) : 0, rows,
                           &err)) {
        FUZZ_CHECK(err == NULL);
        for (i = 1; i < rows->len; i++) {
            const mirror_session_row_t *row = (const mirror_session_row_t *)g_ptr_array_index(rows, i);
            mirror_session_t session;
            char *vni;

            FUZZ_CHECK(mirror_session_compile(row, &session, NULL));
            vni = g_strdup_printf("%u", session.vni);
            FUZZ_CHECK(strcmp(vni, row->vni) == 0);
            g_free(vni);
            mirror_session_clear(&session);
        }
    } else {
        FUZZ_CHECK(err != NULL && err[0] != '\0');
        FUZZ_CHECK(rows->len == 1);
        g_free(err);
    }

    /* The same bytes as a table cell. */
    if (sessions_len <= 2048) {
        check_columns(sessions);
    }
    g_ptr_array_free(rows, TRUE);
    g_free(sessions);
    g_free(interfaces);
    return 0;
}
