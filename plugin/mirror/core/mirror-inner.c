/* mirror-inner.c
 * Reading the inner frame of a Traffic Mirror copy: addresses, original
 * length, the duplicate fingerprint and the direction.
 *
 * The fingerprint follows the approach Arkime uses for its packet
 * de-duplication: the IP header without the fields a router changes
 * (IPv4 TTL and header checksum, IPv6 hop limit) plus the transport
 * header. Two copies of one packet taken at both ends of a flow differ
 * only in those fields; two different packets almost never share the
 * rest (IPv4 identification, TCP sequence/acknowledgement numbers and a
 * checksum over the payload all take part).
 *
 * https://docs.aws.amazon.com/vpc/latest/mirroring/traffic-mirroring-packet-formats.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mirror-inner.h"

#include <string.h>

#define ETH_HEADER_LEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define MAX_VLAN_TAGS 2

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_DCCP_ 33
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_AH_ 51
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_DSTOPTS_ 60
#define IPPROTO_SCTP_ 132
#define IPPROTO_UDPLITE_ 136

/* IPv6 extension headers walked before giving up. */
#define MAX_IPV6_EXTENSIONS 8

/* Bytes of an unknown transport (or a later fragment) that take part in
 * the fingerprint, like the 8 bytes an ICMP error quotes. */
#define OTHER_TRANSPORT_BYTES 8

static guint16
get16(const guint8 *p)
{
    return (guint16)((p[0] << 8) | p[1]);
}

static guint64
rotl64(guint64 x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* The MurmurHash3 finaliser: every input bit affects every output bit. */
static guint64
mix64(guint64 x)
{
    x ^= x >> 33;
    x *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= G_GUINT64_CONSTANT(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

guint64
mirror_hash64(const guint8 *data, gsize len, guint64 seed)
{
    guint64 h = seed ^ (G_GUINT64_CONSTANT(0x9e3779b97f4a7c15) * (guint64)(len + 1));
    guint64 w;

    while (len >= 8) {
        memcpy(&w, data, 8);
        h ^= mix64(GUINT64_FROM_LE(w));
        h = rotl64(h, 27) * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15) + G_GUINT64_CONSTANT(0x632be59bd9b4e019);
        data += 8;
        len -= 8;
    }
    w = 0;
    if (len > 0) {
        memcpy(&w, data, len);
    }
    h ^= mix64(GUINT64_FROM_LE(w) ^ ((guint64)len << 56));
    return mix64(h);
}

gboolean
mirror_addr_equal(const mirror_addr_t *a, const mirror_addr_t *b)
{
    if (a->type != b->type || a->type == MIRROR_ADDR_NONE) {
        return FALSE;
    }
    return memcmp(a->bytes, b->bytes, a->type == MIRROR_ADDR_IPV4 ? 4 : 16) == 0;
}

/* Length of the transport header the fingerprint covers, or 0 when the
 * captured bytes do not hold all of it. avail: transport bytes captured
 * and belonging to this packet. */
static guint
transport_header_len(guint8 proto, gboolean first_fragment, const guint8 *l4, guint avail)
{
    guint need;

    if (!first_fragment) {
        need = MIN(avail, OTHER_TRANSPORT_BYTES);
    } else if (proto == IPPROTO_TCP_) {
        if (avail < 13) {
            return 0;
        }
        need = (guint)(l4[12] >> 4) * 4;
        if (need < 20) {
            need = 20;
        }
    } else if (proto == IPPROTO_UDP_ || proto == IPPROTO_UDPLITE_ || proto == IPPROTO_ICMP_ ||
               proto == IPPROTO_ICMPV6_) {
        need = 8;
    } else if (proto == IPPROTO_SCTP_) {
        need = 12;
    } else {
        need = MIN(avail, OTHER_TRANSPORT_BYTES);
    }
    return need <= avail ? need : 0;
}

/* Fingerprint over [l3, l4) with the volatile bytes zeroed, plus the
 * transport header. */
static void
set_fingerprint(mirror_inner_t *out, const guint8 *data, guint l3, guint l4, guint l4_len,
                const guint *zero, guint n_zero)
{
    guint8 buf[MIRROR_IP_MAX_BYTES];
    guint len = (l4 - l3) + l4_len;
    guint i;

    if (len > sizeof buf) {
        return;
    }
    memcpy(buf, data + l3, len);
    for (i = 0; i < n_zero; i++) {
        buf[zero[i]] = 0;
    }
    out->fingerprint = mirror_hash64(buf, len, 0);
    out->has_fingerprint = TRUE;
}

gboolean
mirror_ip_proto_has_ports(guint8 ip_proto)
{
    switch (ip_proto) {
    case IPPROTO_TCP_:
    case IPPROTO_UDP_:
    case IPPROTO_UDPLITE_:
    case IPPROTO_SCTP_:
    case IPPROTO_DCCP_:
        return TRUE;
    default:
        return FALSE;
    }
}

static void
read_ports(mirror_inner_t *out, const guint8 *l4, guint avail, gboolean first_fragment)
{
    if (mirror_ip_proto_has_ports(out->ip_proto) && first_fragment && avail >= 4) {
        out->src_port = get16(l4);
        out->dst_port = get16(l4 + 2);
        out->has_ports = TRUE;
    }
}

/* The original length an IP header gives, and whether the copy is shorter. */
static void
note_original_length(mirror_inner_t *out, gsize wire_len, guint original_len)
{
    out->original_len = original_len;
    out->truncated = wire_len < original_len;
}

/* The addresses of an IP header: source at src, destination right after it. */
static void
take_addresses(mirror_inner_t *out, mirror_addr_type_t type, const guint8 *src, gsize len)
{
    out->has_ip = TRUE;
    out->src.type = out->dst.type = (guint8)type;
    memcpy(out->src.bytes, src, len);
    memcpy(out->dst.bytes, src + len, len);
}

static void
parse_ipv4(const guint8 *data, gsize captured, gsize wire_len, guint off, mirror_inner_t *out)
{
    static const guint volatile_bytes[] = { 8, 10, 11 }; /* TTL, header checksum */
    guint ihl, total, l4, avail, l4_len;
    gboolean first_fragment;

    /* The first four bytes give the lengths: enough to tell a copy cut
     * inside the IP header (a packet length of 20, say). */
    if (captured < (gsize)off + 4 || (data[off] >> 4) != 4) {
        return;
    }
    ihl = (guint)(data[off] & 0x0f) * 4;
    total = get16(data + off + 2);
    if (ihl < 20 || total < ihl) {
        return; /* not a usable IPv4 header; the IP dissector says why */
    }
    note_original_length(out, wire_len, off + total);
    if (captured < (gsize)off + 20) {
        return;
    }
    take_addresses(out, MIRROR_ADDR_IPV4, data + off + 12, 4);
    out->ip_proto = data[off + 9];

    if (captured < (gsize)off + ihl) {
        return;
    }
    first_fragment = (get16(data + off + 6) & 0x1fff) == 0;
    l4 = off + ihl;
    avail = (guint)MIN(captured - l4, (gsize)(total - ihl));
    read_ports(out, data + l4, avail, first_fragment);
    l4_len = transport_header_len(out->ip_proto, first_fragment, data + l4, avail);
    if (l4_len > 0 || total == ihl) {
        set_fingerprint(out, data, off, l4, l4_len, volatile_bytes, G_N_ELEMENTS(volatile_bytes));
    }
}

static void
parse_ipv6(const guint8 *data, gsize captured, gsize wire_len, guint off, mirror_inner_t *out)
{
    static const guint volatile_bytes[] = { 7 }; /* hop limit */
    guint plen, end, p, i, avail, l4_len;
    guint8 nh;
    gboolean first_fragment = TRUE;
    gboolean jumbo;

    if (captured < (gsize)off + 7 || (data[off] >> 4) != 6) {
        return;
    }
    plen = get16(data + off + 4);
    nh = data[off + 6];
    /* Payload length 0 with a hop-by-hop header may be a jumbogram, whose
     * length is in an option: then the length is not known. */
    jumbo = plen == 0 && nh == IPPROTO_HOPOPTS_;
    if (!jumbo) {
        note_original_length(out, wire_len, off + 40 + plen);
    }
    if (captured < (gsize)off + 40) {
        return;
    }
    take_addresses(out, MIRROR_ADDR_IPV6, data + off + 8, 16);
    /* Where this packet's bytes end within what was captured. */
    end = (guint)MIN(captured, !jumbo ? (gsize)off + 40 + plen : captured);

    p = off + 40;
    for (i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
        guint len;

        if (nh == IPPROTO_HOPOPTS_ || nh == IPPROTO_ROUTING_ || nh == IPPROTO_DSTOPTS_) {
            if (p + 2 > end) {
                return;
            }
            len = ((guint)data[p + 1] + 1) * 8;
        } else if (nh == IPPROTO_AH_) {
            if (p + 2 > end) {
                return;
            }
            len = ((guint)data[p + 1] + 2) * 4;
        } else if (nh == IPPROTO_FRAGMENT_) {
            if (p + 8 > end) {
                return;
            }
            len = 8;
            first_fragment = (get16(data + p + 2) & 0xfff8) == 0;
        } else {
            break;
        }
        if (p + len > end) {
            return;
        }
        nh = data[p];
        p += len;
    }
    out->ip_proto = nh;
    avail = end - p;
    read_ports(out, data + p, avail, first_fragment);
    l4_len = transport_header_len(nh, first_fragment, data + p, avail);
    if (l4_len > 0 || avail == 0) {
        set_fingerprint(out, data, off, p, l4_len, volatile_bytes, G_N_ELEMENTS(volatile_bytes));
    }
}

gboolean
mirror_inner_parse(const guint8 *data, gsize captured, gsize wire_len, mirror_inner_t *out)
{
    guint off = ETH_HEADER_LEN;
    guint16 type;
    int tags;

    memset(out, 0, sizeof *out);
    if (data == NULL || captured < ETH_HEADER_LEN) {
        return FALSE;
    }
    /* The wire never carried less than was captured. */
    if (wire_len < captured) {
        wire_len = captured;
    }
    memcpy(out->mac_dst, data, 6);
    memcpy(out->mac_src, data + 6, 6);
    type = get16(data + 12);
    for (tags = 0; tags < MAX_VLAN_TAGS &&
         (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD); tags++) {
        if (captured < (gsize)off + 4) {
            out->ethertype = type;
            return TRUE;
        }
        type = get16(data + off + 2);
        off += 4;
    }
    out->ethertype = type;
    out->l3_offset = off;
    if (captured > (gsize)off + MIRROR_IP_MAX_BYTES) {
        captured = (gsize)off + MIRROR_IP_MAX_BYTES;
    }
    if (type == ETHERTYPE_IPV4) {
        parse_ipv4(data, captured, wire_len, off, out);
    } else if (type == ETHERTYPE_IPV6) {
        parse_ipv6(data, captured, wire_len, off, out);
    }
    return TRUE;
}

gboolean
mirror_inner_parse_ip(const guint8 *data, gsize captured, gsize wire_len, mirror_inner_t *out)
{
    memset(out, 0, sizeof *out);
    if (data == NULL || captured < 1) {
        return FALSE;
    }
    if (wire_len < captured) {
        wire_len = captured;
    }
    if (captured > MIRROR_IP_MAX_BYTES) {
        captured = MIRROR_IP_MAX_BYTES;
    }
    if ((data[0] >> 4) == 4) {
        out->ethertype = ETHERTYPE_IPV4;
        parse_ipv4(data, captured, wire_len, 0, out);
    } else if ((data[0] >> 4) == 6) {
        out->ethertype = ETHERTYPE_IPV6;
        parse_ipv6(data, captured, wire_len, 0, out);
    }
    return out->has_ip;
}

#define VXLAN_HEADER_LEN 8
#define ETHERTYPE_ARP 0x0806
#define MIN_ETHERNET_FRAME 60 /* without FCS: shorter frames are padded */

static gboolean
ipv4_checksum_ok(const guint8 *hdr, guint len)
{
    guint32 sum = 0;
    guint i;

    if (hdr[10] == 0 && hdr[11] == 0) {
        return TRUE; /* left to checksum offload */
    }
    for (i = 0; i + 1 < len; i += 2) {
        sum += get16(hdr + i);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum == 0xffff;
}

gboolean
mirror_vxlan_plausible(const guint8 *data, gsize captured, gsize wire_len)
{
    mirror_inner_t inner;
    const guint8 *frame = data + VXLAN_HEADER_LEN;
    gsize frame_captured, frame_wire;
    guint l3;

    if (data == NULL || captured < VXLAN_HEADER_LEN + ETH_HEADER_LEN || wire_len < captured) {
        return FALSE;
    }
    if (data[0] != 0x08 || data[1] != 0 || data[2] != 0 || data[3] != 0 || data[7] != 0) {
        return FALSE;
    }
    if (frame[6] & 0x01) {
        return FALSE; /* a group address cannot be a source */
    }
    frame_captured = MIN(captured, (gsize)MIRROR_INNER_MAX_BYTES) - VXLAN_HEADER_LEN;
    frame_wire = wire_len - VXLAN_HEADER_LEN;
    if (!mirror_inner_parse(frame, frame_captured, frame_wire, &inner)) {
        return FALSE;
    }
    l3 = inner.l3_offset;
    switch (inner.ethertype) {
    case ETHERTYPE_IPV4:
        if (!inner.has_ip || frame_captured < (gsize)l3 + (frame[l3] & 0x0f) * 4u ||
            !ipv4_checksum_ok(frame + l3, (frame[l3] & 0x0f) * 4u)) {
            return FALSE;
        }
        break;
    case ETHERTYPE_IPV6:
        if (!inner.has_ip || inner.src.bytes[0] == 0xff) {
            return FALSE;
        }
        break;
    case ETHERTYPE_ARP:
        return frame_captured >= (gsize)l3 + 8 && get16(frame + l3) == 1 && get16(frame + l3 + 2) == ETHERTYPE_IPV4 &&
               frame[l3 + 4] == 6 && frame[l3 + 5] == 4 && (get16(frame + l3 + 6) == 1 || get16(frame + l3 + 6) == 2);
    default:
        return FALSE;
    }
    /* Not longer than the IP packet says, except for Ethernet padding
     * (to 60 bytes, plus any VLAN tags). */
    if (inner.original_len != 0 &&
        frame_wire > MAX((gsize)inner.original_len, (gsize)(MIN_ETHERNET_FRAME + l3 - ETH_HEADER_LEN))) {
        return FALSE;
    }
    return TRUE;
}

static gboolean
in_list(const mirror_addr_t *a, const mirror_addr_t *list, guint n)
{
    guint i;

    for (i = 0; i < n; i++) {
        if (mirror_addr_equal(a, &list[i])) {
            return TRUE;
        }
    }
    return FALSE;
}

mirror_direction_t
mirror_inner_direction(const mirror_inner_t *inner, const mirror_addr_t *outer_src,
                       const mirror_addr_t *eni_addrs, guint n_eni_addrs,
                       const guint8 *eni_mac, mirror_direction_why_t *why)
{
    mirror_direction_why_t dummy;

    if (why == NULL) {
        why = &dummy;
    }
    *why = MIRROR_WHY_NONE;
    if (inner->has_ip) {
        gboolean src_outer = outer_src != NULL && mirror_addr_equal(&inner->src, outer_src);
        gboolean dst_outer = outer_src != NULL && mirror_addr_equal(&inner->dst, outer_src);
        gboolean src_eni = in_list(&inner->src, eni_addrs, n_eni_addrs);
        gboolean dst_eni = in_list(&inner->dst, eni_addrs, n_eni_addrs);
        gboolean from_eni = src_outer || src_eni;
        gboolean to_eni = dst_outer || dst_eni;

        /* A packet the interface sends to itself tells nothing. */
        if (from_eni && !to_eni) {
            *why = src_outer ? MIRROR_WHY_OUTER_SOURCE : MIRROR_WHY_ENI_ADDRESS;
            return MIRROR_DIR_EGRESS;
        }
        if (to_eni && !from_eni) {
            *why = dst_outer ? MIRROR_WHY_OUTER_SOURCE : MIRROR_WHY_ENI_ADDRESS;
            return MIRROR_DIR_INGRESS;
        }
    }
    if (eni_mac != NULL) {
        gboolean from_mac = memcmp(inner->mac_src, eni_mac, 6) == 0;
        gboolean to_mac = memcmp(inner->mac_dst, eni_mac, 6) == 0;

        if (from_mac && !to_mac) {
            *why = MIRROR_WHY_ENI_MAC;
            return MIRROR_DIR_EGRESS;
        }
        if (to_mac && !from_mac) {
            *why = MIRROR_WHY_ENI_MAC;
            return MIRROR_DIR_INGRESS;
        }
    }
    return MIRROR_DIR_UNKNOWN;
}

guint32
mirror_largest_whole_packet(guint32 target_mtu, gboolean outer_ipv6)
{
    guint32 overhead = outer_ipv6 ? MIRROR_OVERHEAD_IPV6 : MIRROR_OVERHEAD_IPV4;

    return target_mtu > overhead ? target_mtu - overhead : 0;
}

mirror_cut_cause_t
mirror_cut_cause(const mirror_inner_t *inner, guint32 copy_len, guint32 packet_length, gboolean via_gwlb,
                 gboolean outer_ipv6)
{
    guint32 ip_len;

    if (packet_length != 0 && packet_length == copy_len) {
        return MIRROR_CUT_PACKET_LENGTH;
    }
    if (via_gwlb && inner->original_len > inner->l3_offset) {
        ip_len = inner->original_len - inner->l3_offset;
        if (ip_len > mirror_largest_whole_packet(MIRROR_GWLB_MAX_MTU, outer_ipv6)) {
            return MIRROR_CUT_GWLB_MTU;
        }
        /* Small enough for the GWLB: only the session can have cut it. */
        return packet_length == 0 ? MIRROR_CUT_PACKET_LENGTH : MIRROR_CUT_UNKNOWN;
    }
    return packet_length > copy_len ? MIRROR_CUT_TARGET_MTU : MIRROR_CUT_UNKNOWN;
}
