/* outer-header.h
 * A received UDP datagram as the packet that carried it: the IPv4 or IPv6
 * header and the UDP header are rebuilt from what the socket told us
 * (addresses, ports, hop limit), so that Wireshark decodes the datagram
 * exactly as it would on a wire capture (LINKTYPE_RAW).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_OUTER_HEADER_H
#define VPCSHARK_OUTER_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where a datagram came from and went to. Addresses and ports are in
 * network byte order; an IPv4 address is the first 4 bytes of its array. */
typedef struct {
    bool ipv6;
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t src_port; /* network byte order */
    uint16_t dst_port; /* network byte order */
    uint8_t hop_limit; /* TTL or hop limit as received; 0 when unknown */
} outer_endpoints_t;

#define OUTER_IPV4_HEADER_LEN 28u /* IPv4 (no options) + UDP */
#define OUTER_IPV6_HEADER_LEN 48u /* IPv6 (no extension headers) + UDP */
#define OUTER_HEADER_MAX OUTER_IPV6_HEADER_LEN

/* The largest UDP payload the length fields can describe. */
#define OUTER_IPV4_MAX_PAYLOAD (65535u - OUTER_IPV4_HEADER_LEN)
#define OUTER_IPV6_MAX_PAYLOAD (65535u - 8u)

/* Writes the IP and UDP headers of a datagram whose payload is
 * payload_len bytes long (payload: its first captured bytes, used for the
 * IPv6 UDP checksum, which IPv6 requires; IPv4 gets checksum 0, "none",
 * as AWS sends it). Returns the header length, or 0 when the length does
 * not fit the header's fields (or captured > payload_len). */
size_t outer_header_build(const outer_endpoints_t *ep, const uint8_t *payload, size_t captured, size_t payload_len,
                          uint8_t out[OUTER_HEADER_MAX]);

#ifdef __cplusplus
}
#endif

#endif
