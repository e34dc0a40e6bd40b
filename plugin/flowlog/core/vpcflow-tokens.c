/* vpcflow-tokens.c
 * Splitting a flow-log line into tokens and reading token values.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-tokens.h"

#include <string.h>

#include <wsutil/inet_addr.h>

/* Longest IPv6 literal (with an embedded IPv4 tail) is 45 characters. */
#define ADDR_TEXT_MAX 45

/* 10^11: from here on a time value can only be milliseconds. */
#define MS_THRESHOLD G_GUINT64_CONSTANT(100000000000)

static inline gboolean
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

gsize
vpcflow_line_trim_eol(const char *line, gsize len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    return len;
}

/* Inlined into vpcflow_tokenize(), which runs for every record. */
static inline gboolean
next_token(const char *line, gsize len, gsize *pos, vpcflow_token_t *token)
{
    gsize i = *pos;

    while (i < len && is_blank(line[i]))
        i++;
    if (i == len) {
        *pos = i;
        return FALSE;
    }
    gsize start = i;
    while (i < len && !is_blank(line[i]))
        i++;
    token->offset = (guint32)start;
    token->length = (guint32)(i - start);
    *pos = i;
    return TRUE;
}

gboolean
vpcflow_next_token(const char *line, gsize len, gsize *pos, vpcflow_token_t *token)
{
    return next_token(line, len, pos, token);
}

guint
vpcflow_tokenize(const char *line, gsize len, vpcflow_token_t *tokens, guint max)
{
    vpcflow_token_t token;
    guint count = 0;
    gsize pos = 0;

    len = vpcflow_line_trim_eol(line, len);
    while (next_token(line, len, &pos, &token)) {
        if (count < max)
            tokens[count] = token;
        count++;
    }
    return count;
}

gboolean
vpcflow_parse_uint64(const char *tok, gsize len, guint64 *value)
{
    guint64 v = 0;

    if (len == 0 || len > 20)
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        if (tok[i] < '0' || tok[i] > '9')
            return FALSE;
        guint d = (guint)(tok[i] - '0');
        if (v > (G_MAXUINT64 - d) / 10)
            return FALSE;           /* overflow */
        v = v * 10 + d;
    }
    *value = v;
    return TRUE;
}

/* The address parsers want a NUL-terminated string; tokens are not.
 * wsutil's ws_inet_pton4/6 (inet_pton on every platform Wireshark runs on,
 * Windows included) keep this file free of POSIX-only headers. */
static gboolean
addr_text(const char *tok, gsize len, char text[ADDR_TEXT_MAX + 1])
{
    if (len == 0 || len > ADDR_TEXT_MAX)
        return FALSE;
    memcpy(text, tok, len);
    text[len] = '\0';
    return TRUE;
}

gboolean
vpcflow_parse_ipv4(const char *tok, gsize len, guint8 out[4])
{
    char text[ADDR_TEXT_MAX + 1];
    ws_in4_addr addr;

    if (!addr_text(tok, len, text) || !ws_inet_pton4(text, &addr))
        return FALSE;
    memcpy(out, &addr, 4);
    return TRUE;
}

gboolean
vpcflow_parse_ipv6(const char *tok, gsize len, guint8 out[16])
{
    char text[ADDR_TEXT_MAX + 1];
    ws_in6_addr addr;

    /* inet_pton(AF_INET6) also takes "::ffff:1.2.3.4"; a bare IPv4 has no ':' */
    if (memchr(tok, ':', len) == NULL)
        return FALSE;
    if (!addr_text(tok, len, text) || !ws_inet_pton6(text, &addr))
        return FALSE;
    memcpy(out, addr.bytes, 16);
    return TRUE;
}

gboolean
vpcflow_parse_time(const char *tok, gsize len, gint64 *secs, gint32 *nsecs, gboolean *in_ms)
{
    guint64 v;

    if (!vpcflow_parse_uint64(tok, len, &v) || v > (guint64)G_MAXINT64)
        return FALSE;
    if (v >= MS_THRESHOLD) {
        *secs = (gint64)(v / 1000);
        *nsecs = (gint32)(v % 1000) * 1000000;
        *in_ms = TRUE;
    } else {
        *secs = (gint64)v;
        *nsecs = 0;
        *in_ms = FALSE;
    }
    return TRUE;
}

/* Fixed-width decimal field. */
static gboolean
digits(const char *p, guint n, guint *value)
{
    *value = 0;
    for (guint i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return FALSE;
        *value = *value * 10 + (guint)(p[i] - '0');
    }
    return TRUE;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
static gint64
days_since_epoch(gint64 y, guint m, guint d)
{
    y -= m <= 2;
    gint64 era = (y >= 0 ? y : y - 399) / 400;
    gint64 yoe = y - era * 400;                                     /* [0, 399] */
    gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;    /* [0, 365] */
    gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

gboolean
vpcflow_parse_iso8601(const char *tok, gsize len, gint64 *ms)
{
    guint year, month, day, hour, minute, second, fraction = 0;
    static const guint8 month_days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    /* YYYY-MM-DDTHH:MM:SS then optional .fff, then Z */
    if (len < 20 || tok[len - 1] != 'Z' || tok[4] != '-' || tok[7] != '-' || tok[10] != 'T' ||
        tok[13] != ':' || tok[16] != ':')
        return FALSE;
    if (!digits(tok, 4, &year) || !digits(tok + 5, 2, &month) || !digits(tok + 8, 2, &day) ||
        !digits(tok + 11, 2, &hour) || !digits(tok + 14, 2, &minute) || !digits(tok + 17, 2, &second))
        return FALSE;
    if (len > 20) {
        gsize n = len - 21;                 /* digits between '.' and 'Z' */
        if (tok[19] != '.' || n == 0 || n > 9 || !digits(tok + 20, (guint)n, &fraction))
            return FALSE;
        while (n > 3) {
            fraction /= 10;
            n--;
        }
        while (n < 3) {
            fraction *= 10;
            n++;
        }
    }
    if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] || hour > 23 || minute > 59 ||
        second > 60)
        return FALSE;
    gint64 days = days_since_epoch(year, month, day);
    *ms = ((days * 24 + hour) * 60 + minute) * G_GINT64_CONSTANT(60000) + second * 1000 + fraction;
    return TRUE;
}
