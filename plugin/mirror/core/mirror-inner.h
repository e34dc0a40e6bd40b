/* mirror-inner.h
 * What the bytes of a mirrored copy say about the original packet: its
 * addresses, its length before the copy was cut, the fingerprint that
 * recognises the same packet mirrored twice, and on which side of the
 * mirrored interface it travelled. Pure C, no libwireshark.
 *
 * https://docs.aws.amazon.com/vpc/latest/mirroring/traffic-mirroring-packet-formats.html
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_MIRROR_INNER_H
#define VPCSHARK_MIRROR_INNER_H

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of an IP packet the analysis reads at most (the longest IPv4
 * header or an IPv6 header with a few extension headers, and the longest
 * TCP header), counted from the IP header so that a mirror copy and the
 * same packet captured directly are read alike; and of a frame: Ethernet
 * with two VLAN tags before that. */
#define MIRROR_IP_MAX_BYTES 256
#define MIRROR_INNER_MAX_BYTES (22 + MIRROR_IP_MAX_BYTES)

typedef enum {
    MIRROR_ADDR_NONE = 0,
    MIRROR_ADDR_IPV4 = 4,
    MIRROR_ADDR_IPV6 = 6
} mirror_addr_type_t;

/* An IPv4 (first 4 bytes used) or IPv6 address. */
typedef struct {
    guint8 type;              /* mirror_addr_type_t */
    guint8 bytes[16];
} mirror_addr_t;

typedef enum {
    MIRROR_DIR_UNKNOWN = 0,
    MIRROR_DIR_EGRESS = 1,    /* sent by the mirrored interface */
    MIRROR_DIR_INGRESS = 2    /* received by the mirrored interface */
} mirror_direction_t;

/* "egress" or "ingress" (the names of mirror.direction and the flow logs'
 * flow-direction), NULL when unknown. */
static inline const char *
mirror_direction_name(mirror_direction_t direction)
{
    return direction == MIRROR_DIR_EGRESS ? "egress" : direction == MIRROR_DIR_INGRESS ? "ingress" : NULL;
}

/* Why a direction was chosen (for the protocol tree). */
typedef enum {
    MIRROR_WHY_NONE = 0,
    MIRROR_WHY_OUTER_SOURCE,  /* inner address equals the outer source */
    MIRROR_WHY_ENI_ADDRESS,   /* inner address is one of the ENI's (table) */
    MIRROR_WHY_ENI_MAC        /* inner MAC is the ENI's (table) */
} mirror_direction_why_t;

typedef struct {
    guint8 mac_dst[6];
    guint8 mac_src[6];
    guint16 ethertype;        /* after any VLAN tags */
    guint l3_offset;          /* offset of the IP header in the frame */

    gboolean has_ip;          /* an IPv4 or IPv6 header was read */
    mirror_addr_t src;
    mirror_addr_t dst;
    guint8 ip_proto;          /* transport protocol (after IPv6 extensions) */
    gboolean has_ports;
    guint16 src_port;
    guint16 dst_port;

    /* Length of the frame the source interface handled: Ethernet header
     * plus the IP length field; 0 when the header does not say. */
    guint32 original_len;
    /* The copy is shorter than the original (cut by the session's packet
     * length or the target MTU). Decided on the bytes that were on the
     * wire, so a capture cut by its own snap length does not count. */
    gboolean truncated;

    gboolean has_fingerprint;
    guint64 fingerprint;      /* same value for copies of the same packet */
} mirror_inner_t;

/*
 * Limits AWS documents for copies to arrive whole.
 * https://docs.aws.amazon.com/vpc/latest/mirroring/traffic-mirroring-considerations.html
 * Bytes Traffic Mirroring adds to a packet, as AWS counts them when it
 * says how far the source interface's MTU must stay below the target's:
 * 54 with IPv4 outer headers, 74 with IPv6 (9001 - 54 = 8947).
 */
#define MIRROR_OVERHEAD_IPV4 54
#define MIRROR_OVERHEAD_IPV6 74
/* The largest MTU a Gateway Load Balancer supports, so also that of a
 * mirror target behind one (8500 - 54 = 8446 bytes pass whole).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/introduction.html */
#define MIRROR_GWLB_MAX_MTU 8500

/* The largest packet (IP length, as an MTU counts it) that reaches a
 * target of MTU target_mtu uncut; 0 when the MTU leaves no room. */
guint32 mirror_largest_whole_packet(guint32 target_mtu, gboolean outer_ipv6);

/* What cut a copy, as far as the copy and the session table tell. */
typedef enum {
    MIRROR_CUT_UNKNOWN = 0,        /* the session's packet length or the target's MTU */
    MIRROR_CUT_PACKET_LENGTH,      /* the session's packet length */
    MIRROR_CUT_TARGET_MTU,         /* the target's MTU (the session keeps more) */
    MIRROR_CUT_GWLB_MTU            /* the Gateway Load Balancer's MTU */
} mirror_cut_cause_t;

/* Why a cut copy (inner->truncated) was cut. copy_len: bytes after the
 * VXLAN header; packet_length: the session's, 0 when not known; via_gwlb:
 * the copy came through a Gateway Load Balancer (in GENEVE); outer_ipv6:
 * the VXLAN packet's own IP header is IPv6. A GWLB cuts only packets
 * larger than it passes whole, so a shorter one was cut by the session. */
mirror_cut_cause_t mirror_cut_cause(const mirror_inner_t *inner, guint32 copy_len, guint32 packet_length,
                                    gboolean via_gwlb, gboolean outer_ipv6);

/* Reads the inner Ethernet frame of a copy. data holds the captured
 * bytes (captured of them, possibly fewer than the wire carried);
 * wire_len is how many bytes followed the VXLAN header on the wire.
 * Returns FALSE when the frame is too short to hold an Ethernet header;
 * every other field is then zero. Never reads past data + captured. */
gboolean mirror_inner_parse(const guint8 *data, gsize captured, gsize wire_len, mirror_inner_t *out);

/* The same for a packet that starts with its IP header (a directly
 * captured packet on a raw-IP or Linux "cooked" link): the version
 * nibble says IPv4 or IPv6; the MAC addresses stay zero. */
gboolean mirror_inner_parse_ip(const guint8 *data, gsize captured, gsize wire_len, mirror_inner_t *out);

/* Whether a UDP payload is, beyond reasonable doubt, a VXLAN packet as
 * traffic mirroring sends it: flags exactly "VNI present", reserved
 * bytes zero, then an Ethernet frame (unicast source) carrying a
 * consistent IPv4 header (valid or zero checksum, length not shorter
 * than the frame), IPv6 header, or ARP request/reply. data holds the
 * captured bytes of the UDP payload, wire_len its length on the wire. */
gboolean mirror_vxlan_plausible(const guint8 *data, gsize captured, gsize wire_len);

/* Which way the original packet went through the mirrored interface.
 * outer_src: source address of the VXLAN packet (the source ENI's
 * primary address on AWS); eni_addrs/eni_mac: what the session table
 * knows about the ENI (may be empty / NULL). why may be NULL. */
mirror_direction_t mirror_inner_direction(const mirror_inner_t *inner, const mirror_addr_t *outer_src,
                                          const mirror_addr_t *eni_addrs, guint n_eni_addrs,
                                          const guint8 *eni_mac, mirror_direction_why_t *why);

/* Whether packets of an IP protocol carry source and destination ports
 * in their first 4 transport bytes (TCP, UDP, UDP-Lite, SCTP, DCCP). */
gboolean mirror_ip_proto_has_ports(guint8 ip_proto);

gboolean mirror_addr_equal(const mirror_addr_t *a, const mirror_addr_t *b);

/* A 64-bit hash of bytes, for fingerprints and source identities. */
guint64 mirror_hash64(const guint8 *data, gsize len, guint64 seed);

#ifdef __cplusplus
}
#endif

#endif /* VPCSHARK_MIRROR_INNER_H */
