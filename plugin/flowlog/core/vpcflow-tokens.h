/* vpcflow-tokens.h
 * Splitting a flow-log line into tokens and reading token values.
 *
 * AWS separates fields with one space, but published examples and
 * third-party test data carry double spaces and tabs, so any run of
 * blanks separates. Nothing here trusts the input: every length is
 * checked and no token is assumed to be NUL-terminated.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_TOKENS_H
#define VPCFLOW_TOKENS_H

#include <glib.h>

typedef struct {
    guint32 offset;     /* from the start of the line */
    guint32 length;
} vpcflow_token_t;

/*
 * Split line[0..len) at runs of spaces and tabs; a trailing CR or LF is
 * not part of any token. Stores at most max tokens and returns how many
 * tokens the line has (which may be more than max).
 */
guint vpcflow_tokenize(const char *line, gsize len, vpcflow_token_t *tokens, guint max);

/*
 * The same split one token at a time, for a caller that wants every token
 * without a limit: the token at or after *pos in line[0..len) (len without
 * the end of line); *pos moves past it. FALSE when none is left.
 */
gboolean vpcflow_next_token(const char *line, gsize len, gsize *pos, vpcflow_token_t *token);

/* Length of line without trailing CR/LF. */
gsize vpcflow_line_trim_eol(const char *line, gsize len);

/* TRUE if the token is the AWS "no value" marker "-". */
static inline gboolean
vpcflow_token_is_absent(const char *tok, gsize len)
{
    return len == 1 && tok[0] == '-';
}

/* Parse a plain decimal number (no sign, no blanks). */
gboolean vpcflow_parse_uint64(const char *tok, gsize len, guint64 *value);

/* Parse an IPv4 literal into 4 bytes (network order). */
gboolean vpcflow_parse_ipv4(const char *tok, gsize len, guint8 out[4]);

/* Parse an IPv6 literal into 16 bytes. */
gboolean vpcflow_parse_ipv6(const char *tok, gsize len, guint8 out[16]);

/*
 * Interpret a start/end value. Values of 10^11 and more are taken as
 * milliseconds (one public parser saw them, and no real record is dated
 * after the year 5000). Returns FALSE if the token is not a number.
 */
gboolean vpcflow_parse_time(const char *tok, gsize len, gint64 *secs, gint32 *nsecs, gboolean *in_ms);

/*
 * Parse a UTC timestamp as CloudWatch Logs exports write it,
 * "2018-09-22T20:28:14.000Z" (fraction optional), into milliseconds
 * since the epoch.
 */
gboolean vpcflow_parse_iso8601(const char *tok, gsize len, gint64 *ms);

#endif /* VPCFLOW_TOKENS_H */
