/* vpcflow-report-key.c
 * Packing by= values into cells and printing them back (see
 * vpcflow-report-key.h). Every packed form is accepted only when
 * printing it gives the same text, which is what keeps grouping and
 * output exactly as if the text itself were the key.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-key.h"
#include "vpcflow-tokens.h"

#include <string.h>

#define KIND_SHIFT 60
#define PAYLOAD_MASK ((G_GUINT64_CONSTANT(1) << KIND_SHIFT) - 1)
/* Numbers of up to 18 digits: all below 10^18 < 2^60, the payload's room. */
#define NUMBER_MAX_DIGITS 18
#define IPV6_GROUPS 8

static vpcflow_cell_t
cell_of(vpcflow_cell_kind_t kind, guint64 payload)
{
    return ((guint64)kind << KIND_SHIFT) | payload;
}

/* A decimal number as it prints: digits, no leading zero (but "0"). */
static gboolean
number_of(const char *text, gsize len, guint64 *value)
{
    guint64 v = 0;

    if (len == 0 || len > NUMBER_MAX_DIGITS || (text[0] == '0' && len > 1))
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return FALSE;
        v = v * 10 + (guint64)(text[i] - '0');
    }
    *value = v;
    return TRUE;
}

/* An IPv4 address as it prints: four numbers 0-255 without leading zeros. */
static gboolean
ipv4_of(const char *text, gsize len, guint32 *addr)
{
    guint32 a = 0;
    gsize i = 0;

    for (guint part = 0; part < 4; part++) {
        gsize start = i;
        guint v = 0;
        while (i < len && i - start < 3 && text[i] >= '0' && text[i] <= '9')
            v = v * 10 + (guint)(text[i++] - '0');
        if (i == start || v > 255 || (text[start] == '0' && i - start > 1))
            return FALSE;
        a = a << 8 | v;
        if (part < 3) {
            if (i >= len || text[i] != '.')
                return FALSE;
            i++;
        }
    }
    if (i != len)
        return FALSE;
    *addr = a;
    return TRUE;
}

gsize
vpcflow_number_text(guint64 v, char *p)
{
    char digits[20];
    gsize n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (gsize i = 0; i < n; i++)
        p[i] = digits[n - 1 - i];
    return n;
}

static gsize
print_ipv4(char *p, guint32 a)
{
    gsize n = 0;

    for (int shift = 24; shift >= 0; shift -= 8) {
        n += vpcflow_number_text((a >> shift) & 0xff, p + n);
        if (shift)
            p[n++] = '.';
    }
    return n;
}

/*
 * RFC 5952, section 4: lower-case hex without leading zeros; the longest
 * run of two or more zero groups (the first of equals) written "::".
 */
static gsize
print_ipv6(char *p, const guint8 addr[16])
{
    static const char hex[] = "0123456789abcdef";
    guint groups[IPV6_GROUPS];
    int best = -1, best_len = 1;
    gsize n = 0;

    for (int g = 0; g < IPV6_GROUPS; g++)
        groups[g] = (guint)addr[2 * g] << 8 | addr[2 * g + 1];
    for (int g = 0; g < IPV6_GROUPS;) {
        int run = 0;
        while (g + run < IPV6_GROUPS && groups[g + run] == 0)
            run++;
        if (run > best_len) {
            best = g;
            best_len = run;
        }
        g += run ? run : 1;
    }
    for (int g = 0; g < IPV6_GROUPS; g++) {
        if (g == best) {
            p[n++] = ':';
            p[n++] = ':';
            g += best_len - 1;
            continue;
        }
        if (g > 0 && g != best + best_len)
            p[n++] = ':';
        gboolean started = FALSE;
        for (int shift = 12; shift >= 0; shift -= 4) {
            guint digit = (groups[g] >> shift) & 0xf;
            if (digit || started || shift == 0) {
                p[n++] = hex[digit];
                started = TRUE;
            }
        }
    }
    return n;
}

static gboolean
canonical_ipv6_of(const char *text, gsize len, guint8 addr[16])
{
    char printed[VPCFLOW_CELL_TEXT_MAX];

    /* The longest canonical form has 39 characters, the shortest 2 ("::"). */
    if (len < 2 || len > 39 || !vpcflow_parse_ipv6(text, len, addr))
        return FALSE;
    return print_ipv6(printed, addr) == len && memcmp(printed, text, len) == 0;
}

vpcflow_cell_t
vpcflow_cell_pack(vpcflow_intern_t *strings, const char *text, gsize len)
{
    guint64 number;
    guint32 ipv4;
    guint8 ipv6[16];

    if (vpcflow_token_is_absent(text, len))
        return cell_of(VPCFLOW_CELL_ABSENT, 0);
    if (ipv4_of(text, len, &ipv4))
        return cell_of(VPCFLOW_CELL_IPV4, ipv4);
    if (number_of(text, len, &number))
        return cell_of(VPCFLOW_CELL_NUMBER, number);
    if (canonical_ipv6_of(text, len, ipv6))
        return cell_of(VPCFLOW_CELL_IPV6, vpcflow_intern_add(strings, (const char *)ipv6, sizeof ipv6));
    return cell_of(VPCFLOW_CELL_TEXT, vpcflow_intern_add(strings, text, len));
}

const char *
vpcflow_cell_text(const vpcflow_intern_t *strings, vpcflow_cell_t cell, char buf[VPCFLOW_CELL_TEXT_MAX], gsize *len)
{
    guint64 payload = cell & PAYLOAD_MASK;
    gsize ipv6_len;

    switch (VPCFLOW_CELL_KIND(cell)) {
    case VPCFLOW_CELL_IPV4:
        *len = print_ipv4(buf, (guint32)payload);
        return buf;
    case VPCFLOW_CELL_NUMBER:
        *len = vpcflow_number_text(payload, buf);
        return buf;
    case VPCFLOW_CELL_IPV6:
        *len = print_ipv6(buf, (const guint8 *)vpcflow_intern_get(strings, (guint32)payload, &ipv6_len));
        return buf;
    case VPCFLOW_CELL_TEXT:
        return vpcflow_intern_get(strings, (guint32)payload, len);
    default:
        *len = 1;
        return "-";
    }
}
