/* outer-header.c
 * Header layouts: RFC 791 (IPv4), RFC 8200 (IPv6), RFC 768 (UDP); the
 * checksums are RFC 1071 sums.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "outer-header.h"

#include <string.h>

#define IPPROTO_UDP_NUMBER 17
/* When the socket did not say: a common initial TTL. */
#define DEFAULT_HOP_LIMIT 64

static void
put_be16(uint8_t *p, uint32_t value)
{
    p[0] = (uint8_t)(value >> 8);
    p[1] = (uint8_t)value;
}

/* The 16-bit one's complement sum of data, added to sum. */
static uint32_t
sum16(uint32_t sum, const uint8_t *data, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t)data[i] << 8 | data[i + 1];
        if (sum >= 0x80000000u) {
            sum = (sum & 0xffffu) + (sum >> 16);
        }
    }
    if (i < len) {
        sum += (uint32_t)data[i] << 8;
    }
    return sum;
}

static uint16_t
fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

static void
put_udp(uint8_t *udp, const outer_endpoints_t *ep, size_t payload_len)
{
    memcpy(udp, &ep->src_port, 2);
    memcpy(udp + 2, &ep->dst_port, 2);
    put_be16(udp + 4, (uint32_t)(8 + payload_len));
    put_be16(udp + 6, 0);
}

static size_t
build_ipv4(const outer_endpoints_t *ep, size_t payload_len, uint8_t *out)
{
    if (payload_len > OUTER_IPV4_MAX_PAYLOAD) {
        return 0;
    }
    memset(out, 0, 20);
    out[0] = 0x45; /* version 4, 5 words */
    put_be16(out + 2, (uint32_t)(OUTER_IPV4_HEADER_LEN + payload_len));
    out[8] = ep->hop_limit ? ep->hop_limit : DEFAULT_HOP_LIMIT;
    out[9] = IPPROTO_UDP_NUMBER;
    memcpy(out + 12, ep->src, 4);
    memcpy(out + 16, ep->dst, 4);
    put_be16(out + 10, fold(sum16(0, out, 20)));
    put_udp(out + 20, ep, payload_len);
    return OUTER_IPV4_HEADER_LEN;
}

static size_t
build_ipv6(const outer_endpoints_t *ep, const uint8_t *payload, size_t captured, size_t payload_len, uint8_t *out)
{
    if (payload_len > OUTER_IPV6_MAX_PAYLOAD) {
        return 0;
    }
    memset(out, 0, 40);
    out[0] = 0x60; /* version 6, traffic class and flow label unknown: 0 */
    put_be16(out + 4, (uint32_t)(8 + payload_len));
    out[6] = IPPROTO_UDP_NUMBER;
    out[7] = ep->hop_limit ? ep->hop_limit : DEFAULT_HOP_LIMIT;
    memcpy(out + 8, ep->src, 16);
    memcpy(out + 24, ep->dst, 16);
    uint8_t *udp = out + 40;
    put_udp(udp, ep, payload_len);
    /* Only a whole payload can be summed; a cut one keeps checksum 0. */
    if (captured == payload_len) {
        uint32_t sum = sum16(0, out + 8, 32); /* pseudo header: addresses, */
        sum += (uint32_t)(8 + payload_len);   /* UDP length, */
        sum += IPPROTO_UDP_NUMBER;            /* next header */
        sum = sum16(sum, udp, 8);
        sum = sum16(sum, payload, captured);
        uint16_t checksum = fold(sum);
        put_be16(udp + 6, checksum ? checksum : 0xffffu); /* 0 means "none", which IPv6 forbids */
    }
    return OUTER_IPV6_HEADER_LEN;
}

size_t
outer_header_build(const outer_endpoints_t *ep, const uint8_t *payload, size_t captured, size_t payload_len,
                   uint8_t out[OUTER_HEADER_MAX])
{
    if (captured > payload_len || (captured > 0 && payload == NULL)) {
        return 0;
    }
    return ep->ipv6 ? build_ipv6(ep, payload, captured, payload_len, out) : build_ipv4(ep, payload_len, out);
}
