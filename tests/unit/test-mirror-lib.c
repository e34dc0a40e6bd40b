/* test-mirror-lib.c
 * Unit tests of the Traffic Mirror part of the internal library: reading
 * inner frames (addresses, original length, cut copies, fingerprints,
 * direction), the VXLAN plausibility check, the duplicate window, the
 * session table and its checks, the AWS CLI JSON import and the GWLB
 * GENEVE options. Packets are built byte by byte here; expected values
 * come from how they were built.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "gwlb-options.h"
#include "mirror-dedup.h"
#include "mirror-import.h"
#include "mirror-inner.h"
#include "mirror-session.h"

/* ------------------------------------------------------------ packet builder */

typedef struct {
    guint8 b[2048];
    guint len;
} pkt_t;

static void
put(pkt_t *p, const void *data, guint len)
{
    g_assert_cmpuint(p->len + len, <=, sizeof p->b);
    memcpy(p->b + p->len, data, len);
    p->len += len;
}

static void
put16(pkt_t *p, guint v)
{
    guint8 b[2] = { (guint8)(v >> 8), (guint8)v };
    put(p, b, 2);
}

static void
put32(pkt_t *p, guint32 v)
{
    put16(p, v >> 16);
    put16(p, v & 0xffff);
}

static const guint8 MAC_ENI[6] = { 0x02, 0x00, 0x0a, 0x00, 0x01, 0x0a };
static const guint8 MAC_ROUTER[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static void
put_eth(pkt_t *p, const guint8 *dst, const guint8 *src, guint type)
{
    put(p, dst, 6);
    put(p, src, 6);
    put16(p, type);
}

static guint16
ip_checksum(const guint8 *h, guint len)
{
    guint32 sum = 0;
    guint i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += (guint32)(h[i] << 8 | h[i + 1]);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (guint16)~sum;
}

/* IPv4 header (20 bytes) for a payload of payload_len bytes. */
static void
put_ipv4(pkt_t *p, const char *src, const char *dst, guint8 proto, guint payload_len, guint16 id, guint8 ttl)
{
    guint start = p->len;
    mirror_addr_t a;
    guint16 sum;

    put16(p, 0x4500);
    put16(p, 20 + payload_len);
    put16(p, id);
    put16(p, 0x4000);
    put16(p, (guint)(ttl << 8 | proto));
    put16(p, 0);
    g_assert_true(mirror_parse_addr(src, &a));
    put(p, a.bytes, 4);
    g_assert_true(mirror_parse_addr(dst, &a));
    put(p, a.bytes, 4);
    sum = ip_checksum(p->b + start, 20);
    p->b[start + 10] = (guint8)(sum >> 8);
    p->b[start + 11] = (guint8)sum;
}

static void
put_ipv6(pkt_t *p, const char *src, const char *dst, guint8 next, guint payload_len, guint8 hlim)
{
    mirror_addr_t a;

    put32(p, 0x60000000);
    put16(p, payload_len);
    put(p, &next, 1);
    put(p, &hlim, 1);
    g_assert_true(mirror_parse_addr(src, &a));
    put(p, a.bytes, 16);
    g_assert_true(mirror_parse_addr(dst, &a));
    put(p, a.bytes, 16);
}

static void
put_tcp(pkt_t *p, guint sport, guint dport, guint32 seq, guint32 ack, guint16 csum)
{
    put16(p, sport);
    put16(p, dport);
    put32(p, seq);
    put32(p, ack);
    put16(p, 0x5018);
    put16(p, 64240);
    put16(p, csum);
    put16(p, 0);
}

static void
put_zeros(pkt_t *p, guint n)
{
    g_assert_cmpuint(p->len + n, <=, sizeof p->b);
    memset(p->b + p->len, 'x', n);
    p->len += n;
}

/* Ethernet / IPv4 / TCP with `payload` bytes of data. */
static void
build_tcp4(pkt_t *p, const guint8 *mac_src, const char *src, const char *dst, guint32 seq, guint16 id, guint8 ttl,
           guint payload)
{
    p->len = 0;
    put_eth(p, MAC_ROUTER, mac_src, 0x0800);
    put_ipv4(p, src, dst, 6, 20 + payload, id, ttl);
    put_tcp(p, 50000, 443, seq, 99, 0x1234);
    put_zeros(p, payload);
}

/* ------------------------------------------------------------ inner frames */

static void
test_inner_ipv4_tcp(void)
{
    pkt_t p;
    mirror_inner_t in;
    char buf[64];

    build_tcp4(&p, MAC_ENI, "10.0.1.10", "198.51.100.7", 1000, 7, 64, 100);
    g_assert_true(mirror_inner_parse(p.b, p.len, p.len, &in));
    g_assert_cmpuint(in.ethertype, ==, 0x0800);
    g_assert_cmpuint(in.l3_offset, ==, 14);
    g_assert_true(in.has_ip);
    g_assert_cmpstr(mirror_addr_to_str(&in.src, buf, sizeof buf), ==, "10.0.1.10");
    g_assert_cmpstr(mirror_addr_to_str(&in.dst, buf, sizeof buf), ==, "198.51.100.7");
    g_assert_cmpuint(in.ip_proto, ==, 6);
    g_assert_true(in.has_ports);
    g_assert_cmpuint(in.src_port, ==, 50000);
    g_assert_cmpuint(in.dst_port, ==, 443);
    g_assert_cmpuint(in.original_len, ==, 14 + 20 + 20 + 100);
    g_assert_false(in.truncated);
    g_assert_true(in.has_fingerprint);
    g_assert_cmpmem(in.mac_src, 6, MAC_ENI, 6);
}

static void
test_inner_cut_copy(void)
{
    pkt_t p;
    mirror_inner_t in;

    build_tcp4(&p, MAC_ENI, "10.0.1.10", "198.51.100.7", 1000, 7, 64, 1000);
    /* PacketLength 100: 100 bytes after the VXLAN header on the wire. */
    g_assert_true(mirror_inner_parse(p.b, 100, 100, &in));
    g_assert_true(in.truncated);
    g_assert_cmpuint(in.original_len, ==, 1054);
    g_assert_true(in.has_fingerprint); /* headers complete */

    /* The capture's own snap length cut it, the wire carried all: not a mirror cut. */
    g_assert_true(mirror_inner_parse(p.b, 100, p.len, &in));
    g_assert_false(in.truncated);

    /* Cut inside the TCP header: no fingerprint (copies would not compare). */
    g_assert_true(mirror_inner_parse(p.b, 40, 40, &in));
    g_assert_true(in.truncated);
    g_assert_true(in.has_ip);
    g_assert_false(in.has_fingerprint);
    g_assert_true(in.has_ports);

    /* Cut inside the IP header (the AWS CLI example's PacketLength 20):
     * the length fields still tell. */
    g_assert_true(mirror_inner_parse(p.b, 20, 20, &in));
    g_assert_true(in.truncated);
    g_assert_cmpuint(in.original_len, ==, 1054);
    g_assert_false(in.has_ip);
    g_assert_false(in.has_fingerprint);
    g_assert_true(mirror_inner_parse(p.b, 17, 17, &in));
    g_assert_false(in.truncated); /* IPv4 total length not in the copy */
    {
        pkt_t v6;

        v6.len = 0;
        put_eth(&v6, MAC_ROUTER, MAC_ENI, 0x86dd);
        put_ipv6(&v6, "2001:db8::1", "2001:db8::2", 17, 500, 64);
        put_zeros(&v6, 500);
        g_assert_true(mirror_inner_parse(v6.b, 50, 50, &in));
        g_assert_true(in.truncated);
        g_assert_cmpuint(in.original_len, ==, 14 + 40 + 500);
        g_assert_false(in.has_ip);
    }

    /* Ethernet padding is not a longer packet. */
    {
        pkt_t small;

        small.len = 0;
        put_eth(&small, MAC_ROUTER, MAC_ENI, 0x0800);
        put_ipv4(&small, "10.0.0.1", "10.0.0.2", 17, 8, 1, 64);
        put16(&small, 1);
        put16(&small, 2);
        put16(&small, 8);
        put16(&small, 0);
        put_zeros(&small, 60 - small.len);
        g_assert_true(mirror_inner_parse(small.b, small.len, small.len, &in));
        g_assert_false(in.truncated);
        g_assert_cmpuint(in.original_len, ==, 14 + 28);
    }
}

/* The limits AWS documents for whole copies: the source's MTU 54 bytes
 * (IPv4 outer headers) or 74 (IPv6) below the target's, 9001 -> 8947;
 * a Gateway Load Balancer's MTU 8500, so 8446 (IPv4) or 8426 (IPv6).
 * https://docs.aws.amazon.com/vpc/latest/mirroring/traffic-mirroring-considerations.html */
static void
test_mtu_limits(void)
{
    g_assert_cmpuint(mirror_largest_whole_packet(9001, FALSE), ==, 8947);
    g_assert_cmpuint(mirror_largest_whole_packet(9001, TRUE), ==, 8927);
    g_assert_cmpuint(mirror_largest_whole_packet(MIRROR_GWLB_MAX_MTU, FALSE), ==, 8446);
    g_assert_cmpuint(mirror_largest_whole_packet(MIRROR_GWLB_MAX_MTU, TRUE), ==, 8426);
    g_assert_cmpuint(mirror_largest_whole_packet(1500, FALSE), ==, 1446);
    g_assert_cmpuint(mirror_largest_whole_packet(50, FALSE), ==, 0);
}

/* A copy of an IPv4 packet whose IP length is ip_len, cut to copy bytes. */
static void
cut_copy(guint ip_len, guint copy, mirror_inner_t *in)
{
    pkt_t p;

    p.len = 0;
    put_eth(&p, MAC_ENI, MAC_ROUTER, 0x0800);
    put_ipv4(&p, "10.0.1.10", "198.51.100.7", 6, ip_len - 20, 1, 64);
    put_zeros(&p, 20);
    g_assert_true(mirror_inner_parse(p.b, MIN(copy, p.len), copy, in));
    g_assert_true(in->truncated);
    g_assert_cmpuint(in->original_len, ==, 14 + ip_len);
}

static void
test_cut_cause(void)
{
    mirror_inner_t in;

    cut_copy(1500, 100, &in);
    /* The session keeps exactly what the copy has. */
    g_assert_cmpint(mirror_cut_cause(&in, 100, 100, FALSE, FALSE), ==, MIRROR_CUT_PACKET_LENGTH);
    g_assert_cmpint(mirror_cut_cause(&in, 100, 100, TRUE, FALSE), ==, MIRROR_CUT_PACKET_LENGTH);
    /* It keeps more: the target's MTU; not known: either. */
    g_assert_cmpint(mirror_cut_cause(&in, 100, 9001, FALSE, FALSE), ==, MIRROR_CUT_TARGET_MTU);
    g_assert_cmpint(mirror_cut_cause(&in, 100, 0, FALSE, FALSE), ==, MIRROR_CUT_UNKNOWN);
    /* Through a GWLB, 1500 bytes pass whole: the session cut it. */
    g_assert_cmpint(mirror_cut_cause(&in, 100, 0, TRUE, FALSE), ==, MIRROR_CUT_PACKET_LENGTH);
    g_assert_cmpint(mirror_cut_cause(&in, 100, 9001, TRUE, FALSE), ==, MIRROR_CUT_UNKNOWN);

    /* Over 8500 - 54 = 8446 bytes through a GWLB: its MTU; 8446 passes. */
    cut_copy(8447, 8460, &in);
    g_assert_cmpint(mirror_cut_cause(&in, 8460, 0, TRUE, FALSE), ==, MIRROR_CUT_GWLB_MTU);
    g_assert_cmpint(mirror_cut_cause(&in, 8460, 0, FALSE, FALSE), ==, MIRROR_CUT_UNKNOWN);
    cut_copy(8446, 8000, &in);
    g_assert_cmpint(mirror_cut_cause(&in, 8000, 0, TRUE, FALSE), ==, MIRROR_CUT_PACKET_LENGTH);
    /* With IPv6 outer headers the GWLB passes 8500 - 74 = 8426. */
    cut_copy(8427, 8000, &in);
    g_assert_cmpint(mirror_cut_cause(&in, 8000, 0, TRUE, TRUE), ==, MIRROR_CUT_GWLB_MTU);
    g_assert_cmpint(mirror_cut_cause(&in, 8000, 0, TRUE, FALSE), ==, MIRROR_CUT_PACKET_LENGTH);
}

static void
test_inner_vlan_and_ipv6(void)
{
    pkt_t p;
    mirror_inner_t in;
    guint8 hbh[8] = { 6, 0, 1, 4, 0, 0, 0, 0 }; /* hop-by-hop, next TCP, PadN */
    char buf[64];

    p.len = 0;
    put_eth(&p, MAC_ROUTER, MAC_ENI, 0x8100);
    put16(&p, 0x0064);
    put16(&p, 0x86dd);
    put_ipv6(&p, "2001:db8::1", "2001:db8::2", 0, 8 + 20 + 5, 64);
    put(&p, hbh, 8);
    put_tcp(&p, 1234, 80, 1, 2, 0xabcd);
    put_zeros(&p, 5);
    g_assert_true(mirror_inner_parse(p.b, p.len, p.len, &in));
    g_assert_cmpuint(in.l3_offset, ==, 18);
    g_assert_cmpuint(in.ethertype, ==, 0x86dd);
    g_assert_cmpstr(mirror_addr_to_str(&in.src, buf, sizeof buf), ==, "2001:db8::1");
    g_assert_cmpuint(in.ip_proto, ==, 6);
    g_assert_true(in.has_ports);
    g_assert_cmpuint(in.dst_port, ==, 80);
    g_assert_cmpuint(in.original_len, ==, 18 + 40 + 33);
    g_assert_true(in.has_fingerprint);
    g_assert_false(in.truncated);

    /* A later fragment: no ports, but still a fingerprint. */
    {
        guint8 frag[8] = { 6, 0, 0x00, 0x08, 0, 0, 0, 1 }; /* offset 1 (8 bytes) */

        p.len = 0;
        put_eth(&p, MAC_ROUTER, MAC_ENI, 0x86dd);
        put_ipv6(&p, "2001:db8::1", "2001:db8::2", 44, 8 + 16, 64);
        put(&p, frag, 8);
        put_zeros(&p, 16);
        g_assert_true(mirror_inner_parse(p.b, p.len, p.len, &in));
        g_assert_false(in.has_ports);
        g_assert_true(in.has_fingerprint);
    }
}

static void
test_inner_hostile(void)
{
    pkt_t p;
    mirror_inner_t in;
    guint8 junk[MIRROR_INNER_MAX_BYTES];
    guint i, n;

    g_assert_false(mirror_inner_parse(NULL, 0, 0, &in));
    g_assert_false(mirror_inner_parse(junk, 13, 13, &in));

    /* IHL below 5, total length below the header: not used. */
    build_tcp4(&p, MAC_ENI, "10.0.1.10", "10.0.1.20", 1, 1, 64, 0);
    p.b[14] = 0x44;
    g_assert_true(mirror_inner_parse(p.b, p.len, p.len, &in));
    g_assert_false(in.has_ip);
    build_tcp4(&p, MAC_ENI, "10.0.1.10", "10.0.1.20", 1, 1, 64, 0);
    p.b[16] = 0;
    p.b[17] = 10;
    g_assert_true(mirror_inner_parse(p.b, p.len, p.len, &in));
    g_assert_false(in.has_ip);

    /* IPv6 extension headers longer than the packet. */
    p.len = 0;
    put_eth(&p, MAC_ROUTER, MAC_ENI, 0x86dd);
    put_ipv6(&p, "2001:db8::1", "2001:db8::2", 0, 8, 64);
    put(&p, "\x06\xff\0\0\0\0\0\0", 8);
    g_assert_true(mirror_inner_parse(p.b, p.len, p.len, &in));
    g_assert_true(in.has_ip);
    g_assert_false(in.has_fingerprint);

    /* Every length of every pseudo-random buffer: no crash, no read past
     * the end (run under ASan/valgrind in the sanitizer build). */
    for (n = 0; n < 2000; n++) {
        guint32 x = n * 2654435761u;
        guint len = x % sizeof junk;
        guint8 *copy;

        for (i = 0; i < sizeof junk; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = (guint8)(x >> 16);
        }
        junk[12] = n % 3 == 0 ? 0x08 : n % 3 == 1 ? 0x86 : 0x81;
        junk[13] = n % 3 == 0 ? 0x00 : n % 3 == 1 ? 0xdd : 0x00;
        junk[14] = n % 2 ? 0x45 : 0x60;
        copy = (guint8 *)g_memdup2(junk, len);
        mirror_inner_parse(copy, len, len + (n % 5) * 100, &in);
        mirror_inner_parse_ip(copy, len, len, &in);
        mirror_vxlan_plausible(copy, len, len);
        g_free(copy);
    }
}

static void
test_fingerprint(void)
{
    pkt_t a, b;
    mirror_inner_t ia, ib;

    /* The egress copy and the ingress copy after a routing hop: TTL and
     * header checksum differ, MACs differ; same packet. */
    build_tcp4(&a, MAC_ENI, "10.0.1.100", "10.0.2.200", 7000, 42, 64, 200);
    build_tcp4(&b, MAC_ROUTER, "10.0.1.100", "10.0.2.200", 7000, 42, 63, 200);
    g_assert_true(memcmp(a.b, b.b, a.len) != 0);
    g_assert_true(mirror_inner_parse(a.b, a.len, a.len, &ia));
    g_assert_true(mirror_inner_parse(b.b, b.len, b.len, &ib));
    g_assert_true(ia.has_fingerprint && ib.has_fingerprint);
    g_assert_true(ia.fingerprint == ib.fingerprint);

    /* Another IP identification, another sequence number, another length: another packet. */
    build_tcp4(&b, MAC_ENI, "10.0.1.100", "10.0.2.200", 7000, 43, 64, 200);
    mirror_inner_parse(b.b, b.len, b.len, &ib);
    g_assert_true(ia.fingerprint != ib.fingerprint);
    build_tcp4(&b, MAC_ENI, "10.0.1.100", "10.0.2.200", 7001, 42, 64, 200);
    mirror_inner_parse(b.b, b.len, b.len, &ib);
    g_assert_true(ia.fingerprint != ib.fingerprint);
    build_tcp4(&b, MAC_ENI, "10.0.1.100", "10.0.2.200", 7000, 42, 64, 201);
    mirror_inner_parse(b.b, b.len, b.len, &ib);
    g_assert_true(ia.fingerprint != ib.fingerprint);

    /* A copy cut after the headers fingerprints like the whole packet. */
    mirror_inner_parse(a.b, 80, 80, &ib);
    g_assert_true(ib.truncated);
    g_assert_true(ia.fingerprint == ib.fingerprint);

    /* The same packet captured directly on a raw-IP link. */
    mirror_inner_parse_ip(a.b + 14, a.len - 14, a.len - 14, &ib);
    g_assert_true(ia.fingerprint == ib.fingerprint);
}

static void
test_hash64(void)
{
    const guint8 data[] = "0123456789abcdefghij";
    guint64 h = mirror_hash64(data, 20, 0);

    g_assert_true(h == mirror_hash64(data, 20, 0));
    g_assert_true(h != mirror_hash64(data, 19, 0));
    g_assert_true(h != mirror_hash64(data, 20, 1));
    g_assert_true(mirror_hash64(NULL, 0, 0) == mirror_hash64(data, 0, 0));
}

static void
test_direction(void)
{
    pkt_t p;
    mirror_inner_t in;
    mirror_addr_t outer, eni[2];
    mirror_direction_why_t why;

    g_assert_true(mirror_parse_addr("10.0.1.10", &outer));
    g_assert_true(mirror_parse_addr("10.0.1.10", &eni[0]));
    g_assert_true(mirror_parse_addr("10.0.1.11", &eni[1]));

    build_tcp4(&p, MAC_ENI, "10.0.1.10", "198.51.100.7", 1, 1, 64, 0);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, NULL, 0, NULL, &why), ==, MIRROR_DIR_EGRESS);
    g_assert_cmpint(why, ==, MIRROR_WHY_OUTER_SOURCE);

    build_tcp4(&p, MAC_ROUTER, "198.51.100.7", "10.0.1.10", 1, 1, 64, 0);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, NULL, 0, NULL, &why), ==, MIRROR_DIR_INGRESS);

    /* A secondary address, known from the table. */
    build_tcp4(&p, MAC_ENI, "10.0.1.11", "198.51.100.7", 1, 1, 64, 0);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, NULL, 0, NULL, NULL), ==, MIRROR_DIR_UNKNOWN);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, eni, 2, NULL, &why), ==, MIRROR_DIR_EGRESS);
    g_assert_cmpint(why, ==, MIRROR_WHY_ENI_ADDRESS);

    /* Forwarded traffic: neither end; the MAC decides when known. */
    build_tcp4(&p, MAC_ROUTER, "192.0.2.1", "198.51.100.9", 1, 1, 64, 0);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, eni, 2, MAC_ENI, NULL), ==, MIRROR_DIR_UNKNOWN);
    build_tcp4(&p, MAC_ENI, "192.0.2.1", "198.51.100.9", 1, 1, 64, 0);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, eni, 2, MAC_ENI, &why), ==, MIRROR_DIR_EGRESS);
    g_assert_cmpint(why, ==, MIRROR_WHY_ENI_MAC);
    memcpy(p.b, MAC_ENI, 6);
    memcpy(p.b + 6, MAC_ROUTER, 6);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, eni, 2, MAC_ENI, NULL), ==, MIRROR_DIR_INGRESS);

    /* To itself: nothing to say. */
    build_tcp4(&p, MAC_ENI, "10.0.1.10", "10.0.1.11", 1, 1, 64, 0);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, &outer, eni, 2, NULL, NULL), ==, MIRROR_DIR_UNKNOWN);

    /* No outer address (not IP), no table. */
    build_tcp4(&p, MAC_ENI, "10.0.1.10", "198.51.100.7", 1, 1, 64, 0);
    mirror_inner_parse(p.b, p.len, p.len, &in);
    g_assert_cmpint(mirror_inner_direction(&in, NULL, NULL, 0, NULL, NULL), ==, MIRROR_DIR_UNKNOWN);
}

/* ------------------------------------------------------------ VXLAN plausibility */

static void
vxlan_wrap(pkt_t *out, const pkt_t *frame, guint8 flags, guint8 reserved)
{
    out->len = 0;
    put(out, &flags, 1);
    put(out, &reserved, 1);
    put16(out, 0);
    put32(out, 12345 << 8);
    put(out, frame->b, frame->len);
}

static void
test_vxlan_plausible(void)
{
    pkt_t f, v;

    build_tcp4(&f, MAC_ENI, "10.0.1.10", "198.51.100.7", 1, 1, 64, 30);
    vxlan_wrap(&v, &f, 0x08, 0);
    g_assert_true(mirror_vxlan_plausible(v.b, v.len, v.len));
    /* Cut copy: still plausible. */
    g_assert_true(mirror_vxlan_plausible(v.b, 8 + 60, 8 + 60));
    g_assert_false(mirror_vxlan_plausible(v.b, 21, 21));
    /* Flags and reserved bits. */
    vxlan_wrap(&v, &f, 0x88, 0);
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));
    vxlan_wrap(&v, &f, 0x08, 1);
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));
    vxlan_wrap(&v, &f, 0x08, 0);
    v.b[7] = 1;
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));
    /* Group source address. */
    vxlan_wrap(&v, &f, 0x08, 0);
    v.b[8 + 6] |= 1;
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));
    /* Bad IPv4 checksum; zero checksum (offload) accepted. */
    vxlan_wrap(&v, &f, 0x08, 0);
    v.b[8 + 14 + 10] ^= 0xff;
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));
    v.b[8 + 14 + 10] = 0;
    v.b[8 + 14 + 11] = 0;
    g_assert_true(mirror_vxlan_plausible(v.b, v.len, v.len));
    /* Longer than the IP packet (beyond Ethernet padding). */
    vxlan_wrap(&v, &f, 0x08, 0);
    put_zeros(&v, 40);
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));
    /* Unknown ethertype. */
    vxlan_wrap(&v, &f, 0x08, 0);
    v.b[8 + 12] = 0x88;
    v.b[8 + 13] = 0xcc;
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));

    /* A small VLAN-tagged frame padded to 64 bytes (60 plus the tag). */
    f.len = 0;
    put_eth(&f, MAC_ROUTER, MAC_ENI, 0x8100);
    put16(&f, 7);
    put16(&f, 0x0800);
    put_ipv4(&f, "10.0.0.1", "10.0.0.2", 17, 8, 1, 64);
    put16(&f, 1);
    put16(&f, 2);
    put16(&f, 8);
    put16(&f, 0);
    put_zeros(&f, 64 - f.len);
    vxlan_wrap(&v, &f, 0x08, 0);
    g_assert_true(mirror_vxlan_plausible(v.b, v.len, v.len));
    put_zeros(&v, 4);
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));

    /* IPv6 and ARP. */
    f.len = 0;
    put_eth(&f, MAC_ROUTER, MAC_ENI, 0x86dd);
    put_ipv6(&f, "2001:db8::1", "2001:db8::2", 59, 0, 64);
    vxlan_wrap(&v, &f, 0x08, 0);
    g_assert_true(mirror_vxlan_plausible(v.b, v.len, v.len));
    f.len = 0;
    put_eth(&f, MAC_ROUTER, MAC_ENI, 0x0806);
    put16(&f, 1);
    put16(&f, 0x0800);
    put(&f, "\x06\x04", 2);
    put16(&f, 1);
    put_zeros(&f, 20);
    vxlan_wrap(&v, &f, 0x08, 0);
    g_assert_true(mirror_vxlan_plausible(v.b, v.len, v.len));
    v.b[8 + 14 + 7] = 9;
    g_assert_false(mirror_vxlan_plausible(v.b, v.len, v.len));
}

/* ------------------------------------------------------------ duplicates */

#define MS (G_GINT64_CONSTANT(1000000))

static void
test_dedup_basics(void)
{
    mirror_dedup_t *dd = mirror_dedup_new(1000 * MS, 1000);

    /* First copy, second copy from another source: duplicate of frame 1. */
    g_assert_cmpuint(mirror_dedup_check(dd, 0xaaaa, 100, 0, 1), ==, 0);
    g_assert_cmpuint(mirror_dedup_check(dd, 0xaaaa, 200, 1 * MS, 2), ==, 1);
    /* A third copy (direct capture, source 0) too. */
    g_assert_cmpuint(mirror_dedup_check(dd, 0xaaaa, 0, 2 * MS, 3), ==, 1);
    /* A repeat from the first source (a real retransmission) is not a
     * duplicate and becomes the reference for the copies after it. */
    g_assert_cmpuint(mirror_dedup_check(dd, 0xaaaa, 100, 300 * MS, 4), ==, 0);
    g_assert_cmpuint(mirror_dedup_check(dd, 0xaaaa, 200, 301 * MS, 5), ==, 4);
    /* Outside the window: a new packet. */
    g_assert_cmpuint(mirror_dedup_check(dd, 0xaaaa, 200, 2000 * MS, 6), ==, 0);
    g_assert_cmpuint(mirror_dedup_check(dd, 0xaaaa, 100, 2000 * MS + 1, 7), ==, 6);
    /* Other fingerprints do not interfere. */
    g_assert_cmpuint(mirror_dedup_check(dd, 0xbbbb, 200, 2000 * MS + 2, 8), ==, 0);
    /* Timestamps a little backwards (reordered copies) still match. */
    g_assert_cmpuint(mirror_dedup_check(dd, 0xbbbb, 100, 2000 * MS - 5 * MS, 9), ==, 8);
    mirror_dedup_free(dd);
    mirror_dedup_free(NULL);
}

static void
test_dedup_memory_bounded_by_window(void)
{
    /* 1,000,000 packets, one per millisecond, window 100 ms: at most about
     * 100 packets are remembered, however long the capture. */
    mirror_dedup_t *dd = mirror_dedup_new(100 * MS, 1u << 20);
    guint32 i;
    guint most = 0;

    for (i = 1; i <= 1000000; i++) {
        g_assert_cmpuint(mirror_dedup_check(dd, mirror_hash64((const guint8 *)&i, sizeof i, 7), 1, i * MS, i), ==, 0);
        most = MAX(most, mirror_dedup_size(dd));
    }
    g_assert_cmpuint(most, <=, 102);
    g_assert_cmpuint(mirror_dedup_capacity(dd), <=, 1024);
    mirror_dedup_free(dd);

    /* A window too long for the rate: the cap holds, the oldest go first. */
    dd = mirror_dedup_new(G_GINT64_CONSTANT(3600000) * MS, 5000);
    for (i = 1; i <= 100000; i++) {
        mirror_dedup_check(dd, mirror_hash64((const guint8 *)&i, sizeof i, 7), 1, i, i);
    }
    g_assert_cmpuint(mirror_dedup_size(dd), <=, 5000);
    g_assert_cmpuint(mirror_dedup_capacity(dd), <=, 5000);
    i = 100000;
    g_assert_cmpuint(mirror_dedup_check(dd, mirror_hash64((const guint8 *)&i, sizeof i, 7), 2, i + 1, i + 1), ==,
                     100000);
    i = 1;
    g_assert_cmpuint(mirror_dedup_check(dd, mirror_hash64((const guint8 *)&i, sizeof i, 7), 2, i + 1, 100002), ==, 0);
    mirror_dedup_free(dd);
}

/* The window against a plain list that remembers everything, with
 * fingerprints from a small set (many collisions in the index). */
static void
test_dedup_against_model(void)
{
    typedef struct {
        guint64 fp, source;
        gint64 ts;
        guint32 frame;
    } ref_t;
    const gint64 window = 50;
    mirror_dedup_t *dd = mirror_dedup_new(window, 1u << 16);
    GArray *model = g_array_new(FALSE, FALSE, sizeof(ref_t));
    guint32 x = 1, frame;
    gint64 ts = 0;

    for (frame = 1; frame <= 200000; frame++) {
        guint64 fp, source;
        guint32 expect = 0;
        gint i, found = -1;

        x = x * 1103515245u + 12345u;
        fp = (x >> 8) % 97;          /* deliberately few fingerprints */
        source = (x >> 20) % 3;
        ts += (x >> 4) % 4;          /* monotonic */
        /* Model: the latest remembered entry of this fingerprint. */
        for (i = (gint)model->len - 1; i >= 0; i--) {
            ref_t *r = &g_array_index(model, ref_t, i);

            if (r->fp == fp) {
                found = i;
                break;
            }
        }
        if (found >= 0) {
            ref_t *r = &g_array_index(model, ref_t, found);

            if (ts - r->ts <= window && r->source != source) {
                expect = r->frame;
            }
        }
        if (expect == 0) {
            ref_t r = { fp, source, ts, frame };

            if (found >= 0) {
                g_array_remove_index(model, (guint)found);
            }
            g_array_append_val(model, r);
        }
        g_assert_cmpuint(mirror_dedup_check(dd, fp, source, ts, frame), ==, expect);
        /* Drop what the model no longer needs. */
        while (model->len > 0 && g_array_index(model, ref_t, 0).ts < ts - window) {
            g_array_remove_index(model, 0);
        }
    }
    g_assert_cmpuint(mirror_dedup_size(dd), <=, 97);
    g_array_free(model, TRUE);
    mirror_dedup_free(dd);
}

/* ------------------------------------------------------------ session table */

static void
test_parse_columns(void)
{
    guint32 v;
    mirror_addr_t a;
    guint8 mac[6];
    gboolean present;
    GArray *list = g_array_new(FALSE, FALSE, sizeof(mirror_addr_t));
    char *err = NULL;

    g_assert_true(mirror_parse_vni("12345", &v, NULL));
    g_assert_cmpuint(v, ==, 12345);
    g_assert_true(mirror_parse_vni(" 16777215 ", &v, NULL));
    g_assert_cmpuint(v, ==, 16777215);
    g_assert_true(mirror_parse_vni("0", &v, NULL));
    g_assert_false(mirror_parse_vni("16777216", &v, &err));
    g_assert_nonnull(strstr(err, "16777215"));
    g_clear_pointer(&err, g_free);
    g_assert_false(mirror_parse_vni("", &v, NULL));
    g_assert_false(mirror_parse_vni("-1", &v, NULL));
    g_assert_false(mirror_parse_vni("0x10", &v, NULL));
    g_assert_false(mirror_parse_vni("99999999999999999999999", &v, NULL));
    g_assert_false(mirror_parse_vni(NULL, &v, NULL));

    g_assert_true(mirror_parse_addr("172.31.0.238", &a));
    g_assert_cmpuint(a.type, ==, MIRROR_ADDR_IPV4);
    g_assert_true(mirror_parse_addr("2600:1f18::10", &a));
    g_assert_cmpuint(a.type, ==, MIRROR_ADDR_IPV6);
    g_assert_false(mirror_parse_addr("172.31.0.256", &a));
    g_assert_false(mirror_parse_addr("eni-123", &a));
    g_assert_true(mirror_parse_optional_addr("", &present, &a, NULL));
    g_assert_false(present);
    g_assert_false(mirror_parse_optional_addr("x", &present, &a, &err));
    g_assert_nonnull(err);
    g_clear_pointer(&err, g_free);

    g_assert_true(mirror_parse_addr_list("10.0.1.10, 10.0.1.11;2001:db8::1  10.0.1.12", list, NULL));
    g_assert_cmpuint(list->len, ==, 4);
    g_assert_false(mirror_parse_addr_list("10.0.1.10 nope", list, &err));
    g_assert_nonnull(strstr(err, "nope"));
    g_clear_pointer(&err, g_free);

    g_assert_true(mirror_parse_mac("02:85:69:c2:ab:02", mac));
    g_assert_cmpuint(mac[5], ==, 0x02);
    g_assert_cmpuint(mac[4], ==, 0xab);
    g_assert_true(mirror_parse_mac("02-85-69-C2-AB-02", mac));
    g_assert_true(mirror_parse_mac("028569c2ab02", mac));
    g_assert_false(mirror_parse_mac("02:85:69:c2:ab", mac));
    g_assert_false(mirror_parse_mac("02:85-69:c2:ab:02", mac));
    g_assert_false(mirror_parse_mac("02:85:69:c2:ab:02:00", mac));
    g_assert_false(mirror_parse_mac("zz:85:69:c2:ab:02", mac));
    g_assert_true(mirror_parse_optional_mac(" ", &present, mac, NULL));
    g_assert_false(present);

    g_assert_true(mirror_parse_packet_length("", &v, NULL));
    g_assert_cmpuint(v, ==, 0);
    g_assert_true(mirror_parse_packet_length("100", &v, NULL));
    g_assert_cmpuint(v, ==, 100);
    g_assert_false(mirror_parse_packet_length("65536", &v, NULL));
    g_assert_false(mirror_parse_packet_length("1.5", &v, NULL));

    g_assert_true(mirror_check_text("web server \xc3\xa9", NULL));
    g_assert_false(mirror_check_text("line\nbreak", NULL));
    g_assert_false(mirror_check_text("\xff\xfe", NULL));
    g_array_free(list, TRUE);
}

/* The per-column checks of the table, one signature for all: each
 * accepts what its parser accepts and says why it refuses. */
static void
test_column_checks(void)
{
    static const struct {
        mirror_column_check_t check;
        const char *good;
        const char *bad;
        const char *says;
    } cases[] = {
        { mirror_check_vni, "16777215", "16777216", "16777215" },
        { mirror_check_outer_src, "", "10.0.0.300", "10.0.0.300" },
        { mirror_check_packet_length, "100", "65536", "65536" },
        { mirror_check_addr_list, "10.0.1.10 2001:db8::1", "10.0.1.10 nope", "nope" },
        { mirror_check_mac, "02:85:69:c2:ab:02", "02:00", "02:00" },
        { mirror_check_text, "web", "line\nbreak", "control character" },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *err = NULL;

        g_assert_true(cases[i].check(cases[i].good, &err));
        g_assert_null(err);
        g_assert_false(cases[i].check(cases[i].bad, &err));
        g_assert_nonnull(err);
        g_assert_nonnull(strstr(err, cases[i].says));
        g_free(err);
    }
}

static mirror_session_row_t
row(const char *vni, const char *outer, const char *name, const char *id)
{
    mirror_session_row_t r;

    memset(&r, 0, sizeof r);
    r.vni = (char *)vni;
    r.outer_src = (char *)outer;
    r.name = (char *)name;
    r.session_id = (char *)id;
    return r;
}

static void
test_compile_and_lookup(void)
{
    mirror_session_table_t *t = mirror_session_table_new();
    mirror_session_t s;
    mirror_session_row_t r;
    mirror_addr_t a50, a51, a99;
    char *err = NULL;

    g_assert_true(mirror_parse_addr("10.0.5.50", &a50));
    g_assert_true(mirror_parse_addr("10.0.5.51", &a51));
    g_assert_true(mirror_parse_addr("10.0.5.99", &a99));

    r = row("12345", "", "web", "tms-1");
    r.source_eni = (char *)"eni-1";
    r.packet_length = (char *)"100";
    r.eni_addrs = (char *)"10.0.1.10 10.0.1.11";
    r.eni_mac = (char *)"02:00:0a:00:01:0a";
    g_assert_true(mirror_session_compile(&r, &s, NULL));
    g_assert_cmpuint(s.vni, ==, 12345);
    g_assert_false(s.has_outer);
    g_assert_cmpstr(s.name, ==, "web");
    g_assert_cmpstr(s.source_eni, ==, "eni-1");
    g_assert_null(s.description);
    g_assert_cmpuint(s.packet_length, ==, 100);
    g_assert_cmpuint(s.n_eni_addrs, ==, 2);
    g_assert_true(s.has_mac);
    g_assert_true(mirror_session_table_add(t, &s));

    /* The name defaults to the session id. */
    r = row("777", "", "", "tms-777");
    g_assert_true(mirror_session_compile(&r, &s, NULL));
    g_assert_cmpstr(s.name, ==, "tms-777");
    g_assert_true(mirror_session_table_add(t, &s));

    /* A VNI shared by two ENIs. */
    r = row("500", "10.0.5.50", "shared-a", "");
    g_assert_true(mirror_session_compile(&r, &s, NULL));
    g_assert_true(mirror_session_table_add(t, &s));
    r = row("500", "10.0.5.51", "shared-b", "");
    g_assert_true(mirror_session_compile(&r, &s, NULL));
    g_assert_true(mirror_session_table_add(t, &s));
    /* Same key again: the first row wins. */
    r = row("500", "10.0.5.51", "second", "");
    g_assert_true(mirror_session_compile(&r, &s, NULL));
    g_assert_false(mirror_session_table_add(t, &s));
    g_assert_cmpuint(mirror_session_table_size(t), ==, 4);

    g_assert_cmpstr(mirror_session_table_lookup(t, 12345, &a99)->name, ==, "web");
    g_assert_cmpstr(mirror_session_table_lookup(t, 12345, NULL)->name, ==, "web");
    g_assert_cmpstr(mirror_session_table_lookup(t, 500, &a50)->name, ==, "shared-a");
    g_assert_cmpstr(mirror_session_table_lookup(t, 500, &a51)->name, ==, "shared-b");
    g_assert_null(mirror_session_table_lookup(t, 500, &a99));
    g_assert_null(mirror_session_table_lookup(t, 500, NULL));
    g_assert_null(mirror_session_table_lookup(t, 4242, &a50));
    g_assert_true(mirror_session_table_has_key(t, 500, &a50));
    g_assert_false(mirror_session_table_has_key(t, 500, NULL));

    /* Errors name the column. */
    r = row("12x", "", "bad", "");
    g_assert_false(mirror_session_compile(&r, &s, &err));
    g_assert_true(g_str_has_prefix(err, "VNI: "));
    g_clear_pointer(&err, g_free);
    r = row("1", "10.0.0.300", "bad", "");
    g_assert_false(mirror_session_compile(&r, &s, &err));
    g_assert_true(g_str_has_prefix(err, "Outer source: "));
    g_clear_pointer(&err, g_free);
    r = row("1", "", "bad", "");
    r.eni_mac = (char *)"nope";
    g_assert_false(mirror_session_compile(&r, &s, &err));
    g_assert_true(g_str_has_prefix(err, "ENI MAC: "));
    g_clear_pointer(&err, g_free);
    r = row("1", "", "bad", "");
    r.eni_addrs = (char *)"10.0.0.1 10.0.0.999";
    g_assert_false(mirror_session_compile(&r, &s, &err));
    g_assert_true(g_str_has_prefix(err, "ENI addresses: "));
    g_assert_null(s.eni_addrs);
    g_clear_pointer(&err, g_free);

    mirror_session_table_free(t);
    g_assert_null(mirror_session_table_lookup(NULL, 1, NULL));
}

static void
test_row_copy(void)
{
    mirror_session_row_t a = row("1", "", "n", "id"), b;

    mirror_session_row_copy(&b, &a);
    g_assert_cmpstr(b.vni, ==, "1");
    g_assert_true(b.vni != a.vni);
    g_assert_null(b.description);
    mirror_session_row_clear(&b);
    g_assert_null(b.vni);
}

/* ------------------------------------------------------------ JSON import */

/* The example output of the AWS CLI documentation
 * (aws/aws-cli awscli/examples/ec2/describe-traffic-mirror-sessions.rst). */
static const char AWS_DOC_SESSIONS[] =
    "{\n"
    "    \"TrafficMirrorSessions\": [\n"
    "        {\n"
    "            \"Tags\": [],\n"
    "            \"VirtualNetworkId\": 42,\n"
    "            \"OwnerId\": \"111122223333\",\n"
    "            \"Description\": \"TCP Session\",\n"
    "            \"NetworkInterfaceId\": \"eni-0a471a5cf3EXAMPLE\",\n"
    "            \"TrafficMirrorTargetId\": \"tmt-0dabe9b0a6EXAMPLE\",\n"
    "            \"TrafficMirrorFilterId\": \"tmf-083e18f985EXAMPLE\",\n"
    "            \"PacketLength\": 20,\n"
    "            \"SessionNumber\": 1,\n"
    "            \"TrafficMirrorSessionId\": \"tms-0567a4c684EXAMPLE\"\n"
    "        },\n"
    "        {\n"
    "            \"Tags\": [\n"
    "                {\n"
    "                    \"Key\": \"Name\",\n"
    "                    \"Value\": \"tag test\"\n"
    "                }\n"
    "            ],\n"
    "            \"VirtualNetworkId\": 13314501,\n"
    "            \"OwnerId\": \"111122223333\",\n"
    "            \"Description\": \"TCP Session\",\n"
    "            \"NetworkInterfaceId\": \"eni-0a471a5cf3EXAMPLE\",\n"
    "            \"TrafficMirrorTargetId\": \"tmt-03665551cbEXAMPLE\",\n"
    "            \"TrafficMirrorFilterId\": \"tmf-06c787846cEXAMPLE\",\n"
    "            \"SessionNumber\": 2,\n"
    "            \"TrafficMirrorSessionId\": \"tms-0060101cf8EXAMPLE\"\n"
    "        }\n"
    "    ]\n"
    "}\n";

/* Shaped like describe-network-interfaces (AWS CLI documentation example, shortened). */
static const char INTERFACES[] =
    "{\"NetworkInterfaces\": [\n"
    " {\"Status\": \"in-use\", \"MacAddress\": \"02:2f:8f:b0:cf:75\", \"NetworkInterfaceId\": \"eni-0a471a5cf3EXAMPLE\",\n"
    "  \"PrivateIpAddresses\": [{\"Primary\": true, \"PrivateIpAddress\": \"10.0.1.17\", \"Association\": {\"PublicIp\": \"203.0.113.12\"}},\n"
    "                         {\"Primary\": false, \"PrivateIpAddress\": \"10.0.1.18\"}],\n"
    "  \"Ipv6Addresses\": [{\"Ipv6Address\": \"2600:1f18::17\"}], \"PrivateIpAddress\": \"10.0.1.17\", \"TagSet\": []},\n"
    " {\"NetworkInterfaceId\": \"eni-other\", \"MacAddress\": \"02:58:f5:ef:4b:06\", \"PrivateIpAddress\": \"10.0.1.149\"}\n"
    "]}\n";

static gboolean
import(const char *sessions, const char *interfaces, GPtrArray *rows, char **err)
{
    char *s = g_strdup(sessions);
    char *i = interfaces != NULL ? g_strdup(interfaces) : NULL;
    gboolean ok = mirror_import_json(s, strlen(s), i, i != NULL ? strlen(i) : 0, rows, err);

    g_free(s);
    g_free(i);
    return ok;
}

static void
test_import_aws_doc_example(void)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func(mirror_session_row_free);
    const mirror_session_row_t *r;
    char *err = NULL;

    g_assert_true(import(AWS_DOC_SESSIONS, NULL, rows, &err));
    g_assert_null(err);
    g_assert_cmpuint(rows->len, ==, 2);
    r = (const mirror_session_row_t *)g_ptr_array_index(rows, 0);
    g_assert_cmpstr(r->vni, ==, "42");
    g_assert_cmpstr(r->name, ==, "");
    g_assert_cmpstr(r->session_id, ==, "tms-0567a4c684EXAMPLE");
    g_assert_cmpstr(r->source_eni, ==, "eni-0a471a5cf3EXAMPLE");
    g_assert_cmpstr(r->packet_length, ==, "20");
    g_assert_cmpstr(r->description, ==, "TCP Session");
    g_assert_cmpstr(r->outer_src, ==, "");
    g_assert_cmpstr(r->eni_addrs, ==, "");
    r = (const mirror_session_row_t *)g_ptr_array_index(rows, 1);
    g_assert_cmpstr(r->vni, ==, "13314501");
    g_assert_cmpstr(r->name, ==, "tag test");
    g_assert_cmpstr(r->packet_length, ==, "");

    /* Every imported row is a valid table row. */
    {
        guint k;

        for (k = 0; k < rows->len; k++) {
            mirror_session_t s;

            g_assert_true(mirror_session_compile((const mirror_session_row_t *)g_ptr_array_index(rows, k), &s, NULL));
            mirror_session_clear(&s);
        }
    }
    g_ptr_array_free(rows, TRUE);
}

static void
test_import_with_interfaces(void)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func(mirror_session_row_free);
    const mirror_session_row_t *r;
    char *err = NULL;
    /* Two sessions share VNI 500; the ENI's primary address tells them apart. */
    const char *shared =
        "{\"TrafficMirrorSessions\": ["
        " {\"VirtualNetworkId\": 500, \"NetworkInterfaceId\": \"eni-0a471a5cf3EXAMPLE\", \"TrafficMirrorSessionId\": \"tms-a\","
        "  \"Tags\": [{\"Key\": \"Name\", \"Value\": \"caf\\u00e9 \\\"a\\\"\"}]},"
        " {\"VirtualNetworkId\": 500, \"NetworkInterfaceId\": \"eni-other\", \"TrafficMirrorSessionId\": \"tms-b\"},"
        " {\"VirtualNetworkId\": 7, \"NetworkInterfaceId\": \"eni-unknown\", \"Description\": \"line\\nbreak\"}"
        "], \"NextToken\": null}";

    g_assert_true(import(shared, INTERFACES, rows, &err));
    g_assert_cmpuint(rows->len, ==, 3);
    r = (const mirror_session_row_t *)g_ptr_array_index(rows, 0);
    g_assert_cmpstr(r->name, ==, "caf\xc3\xa9 \"a\"");
    g_assert_cmpstr(r->outer_src, ==, "10.0.1.17");
    g_assert_cmpstr(r->eni_addrs, ==, "10.0.1.17 10.0.1.18 2600:1f18::17");
    g_assert_cmpstr(r->eni_mac, ==, "02:2f:8f:b0:cf:75");
    r = (const mirror_session_row_t *)g_ptr_array_index(rows, 1);
    g_assert_cmpstr(r->outer_src, ==, "10.0.1.149");
    g_assert_cmpstr(r->eni_addrs, ==, "10.0.1.149");
    r = (const mirror_session_row_t *)g_ptr_array_index(rows, 2);
    g_assert_cmpstr(r->outer_src, ==, "");       /* VNI 7 is not shared */
    g_assert_cmpstr(r->eni_addrs, ==, "");       /* ENI not in the interfaces JSON */
    g_assert_cmpstr(r->description, ==, "line break");

    /* Shapes: a bare array, and the output of create-traffic-mirror-session. */
    g_ptr_array_set_size(rows, 0);
    g_assert_true(import("[{\"VirtualNetworkId\": 1}, {\"VirtualNetworkId\": 2}]", NULL, rows, NULL));
    g_assert_cmpuint(rows->len, ==, 2);
    g_assert_true(import("{\"TrafficMirrorSession\": {\"VirtualNetworkId\": 3}, \"ClientToken\": \"x\"}", NULL,
                         rows, NULL));
    g_assert_cmpuint(rows->len, ==, 3);
    g_assert_cmpstr(((const mirror_session_row_t *)g_ptr_array_index(rows, 2))->vni, ==, "3");
    g_assert_true(import("{\"TrafficMirrorSessions\": []}", NULL, rows, NULL));
    g_assert_cmpuint(rows->len, ==, 3);
    g_ptr_array_free(rows, TRUE);
}

static void
expect_import_error(const char *sessions, const char *interfaces, const char *message_part)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func(mirror_session_row_free);
    char *err = NULL;

    g_ptr_array_add(rows, mirror_session_row_new());
    if (import(sessions, interfaces, rows, &err)) {
        g_error("imported %s", sessions);
    }
    g_assert_nonnull(err);
    if (strstr(err, message_part) == NULL) {
        g_error("message \"%s\" lacks \"%s\"", err, message_part);
    }
    g_assert_cmpuint(rows->len, ==, 1); /* left as it was */
    g_free(err);
    g_ptr_array_free(rows, TRUE);
}

static void
test_import_errors(void)
{
    char *deep;
    GString *many;
    guint i;

    expect_import_error("", NULL, "no JSON value");
    expect_import_error("{\"TrafficMirrorSessions\": [", NULL, "ends in the middle");
    expect_import_error("{\"TrafficMirrorSessions\": [}", NULL, "not valid JSON");
    expect_import_error("{} {}", NULL, "more than one value");
    expect_import_error("{\"TrafficMirrorSessions\": []} x", NULL, "not valid JSON");
    expect_import_error("42 ", NULL, "top level");
    expect_import_error("42", NULL, "not valid JSON");
    expect_import_error("{\"Reservations\": []}", NULL, "no \"TrafficMirrorSessions\" list");
    expect_import_error("{\"TrafficMirrorSessions\": [{\"TrafficMirrorSessionId\": \"tms-x\"}]}", NULL,
                        "session 1 (tms-x) has no VirtualNetworkId");
    expect_import_error("{\"TrafficMirrorSessions\": [{\"VirtualNetworkId\": 1}, {\"VirtualNetworkId\": 16777216}]}",
                        NULL, "session 2: VirtualNetworkId is not a number");
    expect_import_error("{\"TrafficMirrorSessions\": [{\"VirtualNetworkId\": \"5\"}]}", NULL, "VirtualNetworkId");
    expect_import_error("{\"TrafficMirrorSessions\": [{\"VirtualNetworkId\": 1.5}]}", NULL, "VirtualNetworkId");
    expect_import_error("{\"TrafficMirrorSessions\": [{\"VirtualNetworkId\": 1, \"PacketLength\": 0}]}", NULL,
                        "PacketLength");
    expect_import_error("{\"TrafficMirrorSessions\": [7]}", NULL, "session 1 is not a JSON object");
    expect_import_error("{\"TrafficMirrorSessions\": []}", "{\"NetworkInterfaces\": [{\"MacAddress\": \"x\"}]}",
                        "network interfaces JSON: network interface 1 has no NetworkInterfaceId");
    expect_import_error("{\"TrafficMirrorSessions\": []}", "[", "network interfaces JSON");

    /* Deep nesting does not exhaust the stack (the walk is iterative). */
    deep = g_strnfill(200000, '[');
    expect_import_error(deep, NULL, "not valid JSON");
    g_free(deep);
    many = g_string_new("{\"TrafficMirrorSessions\": [");
    for (i = 0; i < 100000; i++) {
        g_string_append(many, "[");
    }
    for (i = 0; i < 100000; i++) {
        g_string_append(many, "]");
    }
    g_string_append(many, "]}");
    expect_import_error(many->str, NULL, "session 1 is not a JSON object");
    g_string_free(many, TRUE);

    /* A NUL byte. */
    {
        GPtrArray *rows = g_ptr_array_new_with_free_func(mirror_session_row_free);
        char text[] = "{\"TrafficMirrorSessions\": []}\0 junk";
        char *err = NULL;

        g_assert_false(mirror_import_json(text, sizeof text - 1, NULL, 0, rows, &err));
        g_assert_nonnull(strstr(err, "NUL"));
        g_free(err);
        g_ptr_array_free(rows, TRUE);
    }
}

static void
test_import_files(void)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func(mirror_session_row_free);
    char *err = NULL;
    char *dir = g_dir_make_tmp("mirror-import-XXXXXX", NULL);
    char *good = g_build_filename(dir, "sessions.json", NULL);
    char *bad = g_build_filename(dir, "bad.json", NULL);
    char *missing = g_build_filename(dir, "missing.json", NULL);

    g_assert_true(g_file_set_contents(good, AWS_DOC_SESSIONS, -1, NULL));
    g_assert_true(g_file_set_contents(bad, "{\"TrafficMirrorSessions\": [", -1, NULL));
    g_assert_true(mirror_import_files(good, NULL, rows, &err));
    g_assert_cmpuint(rows->len, ==, 2);
    g_assert_true(mirror_import_files(good, "", rows, &err));
    g_assert_cmpuint(rows->len, ==, 4);

    g_assert_false(mirror_import_files(bad, NULL, rows, &err));
    g_assert_true(g_str_has_prefix(err, bad));
    g_assert_nonnull(strstr(err, "not valid JSON"));
    g_clear_pointer(&err, g_free);
    g_assert_false(mirror_import_files(missing, NULL, rows, &err));
    g_assert_nonnull(strstr(err, "missing.json"));
    g_clear_pointer(&err, g_free);
    g_assert_false(mirror_import_files(good, bad, rows, &err));
    g_assert_true(g_str_has_prefix(err, bad));
    g_clear_pointer(&err, g_free);
    g_assert_cmpuint(rows->len, ==, 4);

    g_remove(good);
    g_remove(bad);
    g_rmdir(dir);
    g_free(good);
    g_free(bad);
    g_free(missing);
    g_free(dir);
    g_ptr_array_free(rows, TRUE);
}

/* ------------------------------------------------------------ GWLB options */

static void
put_option(pkt_t *p, guint cls, guint8 type, const guint8 *data, guint len)
{
    guint8 hdr[2] = { type, (guint8)(len / 4) };

    put16(p, cls);
    put(p, hdr, 2);
    put(p, data, len);
}

static void
test_gwlb_options(void)
{
    pkt_t p;
    gwlb_options_t o;
    char buf[GWLB_ENDPOINT_STR_LEN];
    const guint8 endpoint[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
    const guint8 zero[8] = { 0 };
    const guint8 cookie[4] = { 0xc0, 0xff, 0xee, 0x42 };

    p.len = 0;
    put(&p, "\x08\x00\x08\x00\x00\x00\x00\x00", 8); /* 8 words of options, IPv4 */
    put_option(&p, 0x0108, 1, endpoint, 8);
    put_option(&p, 0x0108, 2, zero, 8);
    put_option(&p, 0x0108, 3, cookie, 4);
    g_assert_cmpuint(p.len, ==, 8 + 32);
    g_assert_true(gwlb_parse_geneve(p.b, p.len, &o));
    g_assert_true(o.has_endpoint_id && o.has_attachment_id && o.has_flow_cookie);
    g_assert_cmpuint(o.endpoint_offset, ==, 12);
    g_assert_cmpuint(o.attachment_offset, ==, 24);
    g_assert_cmpuint(o.cookie_offset, ==, 36);
    g_assert_true(o.endpoint_id == G_GUINT64_CONSTANT(0x0123456789abcdef));
    g_assert_true(o.attachment_id == 0);
    g_assert_cmpuint(o.flow_cookie, ==, 0xc0ffee42);
    g_assert_cmpuint(o.n_other, ==, 0);
    g_assert_cmpstr(gwlb_endpoint_id_str(o.endpoint_id, buf), ==, "vpce-00123456789abcdef");
    g_assert_cmpstr(gwlb_endpoint_id_str(G_GUINT64_CONSTANT(0xffffffffffffffff), buf), ==, "vpce-0ffffffffffffffff");

    /* Options cut by the capture, a bad option length, another vendor only. */
    g_assert_false(gwlb_parse_geneve(p.b, 30, &o));
    p.b[8 + 3] = 0x1f;
    g_assert_false(gwlb_parse_geneve(p.b, p.len, &o));
    p.len = 0;
    put(&p, "\x02\x00\x65\x58\x00\x00\x4d\x00", 8);
    put_option(&p, 0x0100, 1, cookie, 4);
    g_assert_false(gwlb_parse_geneve(p.b, p.len, &o));
    /* Version 1: not GENEVE as known. */
    p.b[0] |= 0x40;
    g_assert_false(gwlb_parse_geneve(p.b, p.len, &o));

    /* An AWS option of an unknown type, and a cookie of the wrong size. */
    p.len = 0;
    put(&p, "\x04\x00\x08\x00\x00\x00\x00\x00", 8);
    put_option(&p, 0x0108, 9, cookie, 4);
    put_option(&p, 0x0108, 3, zero, 8);
    p.b[0] = (guint8)((p.len - 8) / 4);
    g_assert_true(gwlb_parse_geneve(p.b, p.len, &o));
    g_assert_false(o.has_flow_cookie);
    g_assert_cmpuint(o.n_other, ==, 2);
    g_assert_cmpuint(o.other[0].type, ==, 9);
    g_assert_cmpuint(o.other[1].data_len, ==, 8);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mirror/inner/ipv4-tcp", test_inner_ipv4_tcp);
    g_test_add_func("/mirror/inner/cut-copy", test_inner_cut_copy);
    g_test_add_func("/mirror/inner/mtu-limits", test_mtu_limits);
    g_test_add_func("/mirror/inner/cut-cause", test_cut_cause);
    g_test_add_func("/mirror/inner/vlan-and-ipv6", test_inner_vlan_and_ipv6);
    g_test_add_func("/mirror/inner/hostile", test_inner_hostile);
    g_test_add_func("/mirror/inner/fingerprint", test_fingerprint);
    g_test_add_func("/mirror/inner/hash64", test_hash64);
    g_test_add_func("/mirror/inner/direction", test_direction);
    g_test_add_func("/mirror/vxlan/plausible", test_vxlan_plausible);
    g_test_add_func("/mirror/dedup/basics", test_dedup_basics);
    g_test_add_func("/mirror/dedup/memory-bounded-by-window", test_dedup_memory_bounded_by_window);
    g_test_add_func("/mirror/dedup/against-model", test_dedup_against_model);
    g_test_add_func("/mirror/session/parse-columns", test_parse_columns);
    g_test_add_func("/mirror/session/column-checks", test_column_checks);
    g_test_add_func("/mirror/session/compile-and-lookup", test_compile_and_lookup);
    g_test_add_func("/mirror/session/row-copy", test_row_copy);
    g_test_add_func("/mirror/import/aws-doc-example", test_import_aws_doc_example);
    g_test_add_func("/mirror/import/with-interfaces", test_import_with_interfaces);
    g_test_add_func("/mirror/import/errors", test_import_errors);
    g_test_add_func("/mirror/import/files", test_import_files);
    g_test_add_func("/mirror/gwlb/options", test_gwlb_options);
    return g_test_run();
}
