/* fuzz-tokens.c
 * The record tokenizer and the value parsers, on one line of any bytes.
 *
 * Besides not crashing, every result is checked against an independent
 * answer: tokens are the maximal runs of non-blanks, numbers agree with
 * g_ascii_strtoull, addresses survive inet_ntop and back, ISO 8601 times
 * agree with GDateTime, and every field name found looks itself up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include <arpa/inet.h>
#include <errno.h>

#include "vpcflow-fields.h"
#include "vpcflow-tokens.h"

#define MAX_TOKENS 64

static gboolean
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void
check_tokens(const char *line, gsize len)
{
    vpcflow_token_t tokens[MAX_TOKENS];
    guint n = vpcflow_tokenize(line, len, tokens, MAX_TOKENS);
    gsize trimmed = vpcflow_line_trim_eol(line, len);

    FUZZ_CHECK(trimmed <= len);
    FUZZ_CHECK(vpcflow_tokenize(line, len, NULL, 0) == n);

    /* Count the runs of non-blanks ourselves. */
    guint expected = 0;
    for (gsize i = 0; i < trimmed; i++) {
        if (!is_blank(line[i]) && (i == 0 || is_blank(line[i - 1])))
            expected++;
    }
    FUZZ_CHECK(n == expected);

    gsize previous_end = 0;
    for (guint t = 0; t < MIN(n, MAX_TOKENS); t++) {
        gsize start = tokens[t].offset, end = start + tokens[t].length;
        FUZZ_CHECK(tokens[t].length > 0);
        FUZZ_CHECK(end <= trimmed);
        FUZZ_CHECK(t == 0 || start > previous_end);
        FUZZ_CHECK(start == 0 || is_blank(line[start - 1]));
        FUZZ_CHECK(end == trimmed || is_blank(line[end]));
        for (gsize i = start; i < end; i++)
            FUZZ_CHECK(!is_blank(line[i]));
        previous_end = end;
    }
}

static void
check_number(const char *tok, gsize len)
{
    guint64 value;
    gint64 secs;
    gint32 nsecs;
    gboolean in_ms;
    gboolean ok = vpcflow_parse_uint64(tok, len, &value);

    /* Oracle: at most 20 digits (the most a 64-bit value needs; longer
     * runs of leading zeros are refused too), and what g_ascii_strtoull
     * makes of them. */
    gboolean digits = len > 0 && len <= 20;
    for (gsize i = 0; i < len; i++)
        digits &= tok[i] >= '0' && tok[i] <= '9';
    if (!digits) {
        FUZZ_CHECK(!ok);
    } else {
        char *text = g_strndup(tok, len);
        errno = 0;
        guint64 expected = g_ascii_strtoull(text, NULL, 10);
        gboolean overflow = errno == ERANGE;
        g_free(text);
        FUZZ_CHECK(ok == !overflow);
        if (ok)
            FUZZ_CHECK(value == expected);
    }

    gboolean time_ok = vpcflow_parse_time(tok, len, &secs, &nsecs, &in_ms);
    FUZZ_CHECK(time_ok == (ok && value <= (guint64)G_MAXINT64));
    if (time_ok) {
        FUZZ_CHECK(secs >= 0 && nsecs >= 0 && nsecs < 1000000000);
        FUZZ_CHECK(in_ms ? (guint64)secs * 1000 + (guint64)nsecs / 1000000 == value : (guint64)secs == value);
    }
}

static void
check_addresses(const char *tok, gsize len)
{
    guint8 v4[4], v6[16], again[16];
    char text[INET6_ADDRSTRLEN];

    if (vpcflow_parse_ipv4(tok, len, v4)) {
        FUZZ_CHECK(inet_ntop(AF_INET, v4, text, sizeof text) != NULL);
        FUZZ_CHECK(vpcflow_parse_ipv4(text, strlen(text), again));
        FUZZ_CHECK(memcmp(v4, again, 4) == 0);
        FUZZ_CHECK(!vpcflow_parse_ipv6(tok, len, v6));     /* no ':' in an IPv4 literal */
    }
    if (vpcflow_parse_ipv6(tok, len, v6)) {
        FUZZ_CHECK(memchr(tok, ':', len) != NULL);
        FUZZ_CHECK(inet_ntop(AF_INET6, v6, text, sizeof text) != NULL);
        FUZZ_CHECK(vpcflow_parse_ipv6(text, strlen(text), again));
        FUZZ_CHECK(memcmp(v6, again, 16) == 0);
    }
}

static void
check_iso8601(const char *tok, gsize len)
{
    gint64 ms;
    gboolean ok = vpcflow_parse_iso8601(tok, len, &ms);

    if (len < 20 || memchr(tok, '\0', len) || memcmp(tok + 17, "60", 2) == 0)
        return;
    /* Oracle: GDateTime, where it accepts the text too. Not for a leap
     * second: GDateTime reads :60 as :59, we as the next minute's :00. */
    char *text = g_strndup(tok, len);
    GTimeZone *utc = g_time_zone_new_utc();
    GDateTime *dt = g_date_time_new_from_iso8601(text, utc);
    if (dt && ok) {
        gint64 expected = g_date_time_to_unix(dt) * 1000 + g_date_time_get_microsecond(dt) / 1000;
        FUZZ_CHECK(ms == expected);
    }
    if (dt)
        g_date_time_unref(dt);
    g_time_zone_unref(utc);
    g_free(text);
}

static void
check_fields(const char *tok, gsize len)
{
    int field = vpcflow_field_lookup(tok, len);

    if (field != VF_UNKNOWN) {
        FUZZ_CHECK(field >= 0 && (guint)field < vpcflow_field_count);
        const char *name = vpcflow_fields[field].name;
        FUZZ_CHECK(vpcflow_field_lookup(name, strlen(name)) == field);
    }
    for (guint f = 0; f < vpcflow_field_count; f++) {
        gboolean fits = vpcflow_field_fits((int)f, tok, len);
        /* Only the shapeless fields take anything at all. */
        if (vpcflow_field_shape_weight((int)f) == 0)
            FUZZ_CHECK(fits || len == 0);
    }
    FUZZ_CHECK(!vpcflow_field_fits(-1, tok, len));
    FUZZ_CHECK(!vpcflow_field_fits((int)vpcflow_field_count, tok, len));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vpcflow_token_t tokens[MAX_TOKENS];
    char *line = fuzz_copy(data, size);

    check_tokens(line, size);
    guint n = vpcflow_tokenize(line, size, tokens, MAX_TOKENS);
    for (guint t = 0; t < MIN(n, MAX_TOKENS); t++) {
        const char *tok = line + tokens[t].offset;
        gsize len = tokens[t].length;
        check_number(tok, len);
        check_addresses(tok, len);
        check_iso8601(tok, len);
        check_fields(tok, len);
    }
    /* The parsers are also handed whole lines, blanks and all. */
    check_number(line, size);
    check_addresses(line, size);
    check_iso8601(line, size);
    check_fields(line, size);
    free(line);
    return 0;
}
