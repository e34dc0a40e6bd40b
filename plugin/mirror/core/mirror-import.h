/* mirror-import.h
 * Session table rows from what the AWS CLI prints:
 *   aws ec2 describe-traffic-mirror-sessions   (required)
 *   aws ec2 describe-network-interfaces        (optional: ENI addresses, MAC)
 * Uses Wireshark's JSON tokenizer (wsutil/wsjson.h) and nothing else
 * from Wireshark, so it is unit-tested and fuzzed on its own.
 *
 * https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-traffic-mirror-sessions.html
 * https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-network-interfaces.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_MIRROR_IMPORT_H
#define VPCSHARK_MIRROR_IMPORT_H

#include <glib.h>

#include "mirror-session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Files larger than this are refused (the JSON of 10,000 sessions, the
 * account quota, is a few megabytes). */
#define MIRROR_IMPORT_MAX_BYTES (64u * 1024u * 1024u)

/* Parses the two documents (interfaces_json may be NULL). Both must be
 * NUL-terminated and writable (strings are unescaped in place); len is
 * the length without the NUL. On success appends one row per session to
 * rows (a GPtrArray of mirror_session_row_t*, see
 * mirror_session_row_free) and returns TRUE. On failure returns FALSE
 * with a message in *err and leaves rows as it was.
 *
 * Rows get the session's VNI, Name tag (else nothing: the table then
 * shows the session id), id, ENI, packet length and description; with
 * the interfaces document also the ENI's addresses and MAC, and, when
 * several sessions share a VNI, the ENI's primary address as the outer
 * source that tells them apart. */
gboolean mirror_import_json(char *sessions_json, gsize sessions_len, char *interfaces_json, gsize interfaces_len,
                            GPtrArray *rows, char **err);

/* Reads the files (interfaces_path may be NULL or "") and parses them;
 * messages name the file. */
gboolean mirror_import_files(const char *sessions_path, const char *interfaces_path, GPtrArray *rows, char **err);

#ifdef __cplusplus
}
#endif

#endif /* VPCSHARK_MIRROR_IMPORT_H */
