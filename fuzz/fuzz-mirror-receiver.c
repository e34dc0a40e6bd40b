/* fuzz-mirror-receiver.c
 * What vpcshark-mirror does with a datagram it receives: the VNI filter,
 * the rebuilt outer IP and UDP headers, the pcapng packet block. The
 * socket facts (addresses, ports, hop limit) come from the input too, as
 * a hostile sender controls most of them.
 *
 * Input: a flags byte (bit 0: IPv6; bit 1: the datagram was longer than
 * what was read), 37 bytes of endpoints (source, destination, ports, hop
 * limit), then the datagram. Short inputs also go through the VNI list
 * parser as text.
 *
 * Besides not crashing: the filter keeps exactly the VXLAN datagrams of
 * listed VNIs; the headers' length fields add up and their checksums
 * verify; the packet block is written.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "outer-header.h"
#include "pcapng-writer.h"
#include "vni-filter.h"

#define ENDPOINT_BYTES 37

static const uint32_t listed[] = { 0, 100, 12345, 5569041, 16777215 };

static uint16_t
ones_sum(const uint8_t *data, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t)data[i] << 8 | data[i + 1];
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    if (len & 1) {
        sum += (uint32_t)data[len - 1] << 8;
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    return (uint16_t)sum;
}

static void
check_filter(const vni_filter_t *filter, const uint8_t *payload, size_t len)
{
    bool expected = false;
    uint32_t vni;

    if (len >= 8 && (payload[0] & 0x08)) {
        vni = (uint32_t)payload[4] << 16 | (uint32_t)payload[5] << 8 | payload[6];
        for (size_t i = 0; i < G_N_ELEMENTS(listed); i++) {
            expected = expected || listed[i] == vni;
        }
    }
    FUZZ_CHECK(vni_filter_keeps(filter, payload, len) == expected);
}

static void
check_header(const outer_endpoints_t *ep, const uint8_t *header, size_t header_len, const uint8_t *payload,
             size_t captured, size_t length)
{
    if (!ep->ipv6) {
        FUZZ_CHECK(header_len == OUTER_IPV4_HEADER_LEN);
        FUZZ_CHECK(ones_sum(header, 20, 0) == 0xffff);
        FUZZ_CHECK((size_t)(header[2] << 8 | header[3]) == header_len + length);
        FUZZ_CHECK((size_t)(header[24] << 8 | header[25]) == 8 + length);
        return;
    }
    FUZZ_CHECK(header_len == OUTER_IPV6_HEADER_LEN);
    FUZZ_CHECK((size_t)(header[4] << 8 | header[5]) == 8 + length);
    FUZZ_CHECK((size_t)(header[44] << 8 | header[45]) == 8 + length);
    if (captured == length) {
        /* pseudo header (addresses, length, next header), UDP header, data */
        uint32_t sum = ones_sum(header + 8, 32, 0);
        sum = ones_sum(header + 40, 8, sum + (uint32_t)(8 + length) + 17);
        FUZZ_CHECK(ones_sum(payload, captured, sum) == 0xffff);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    static vni_filter_t filter;
    static bool ready;
    fuzz_input_t in = { data, size };
    outer_endpoints_t ep;
    uint8_t header[OUTER_HEADER_MAX];

    if (!ready) {
        char *err = NULL;
        FUZZ_CHECK(vni_filter_parse("16777215, 12345 100,,5569041 0 100", &filter, &err));
        FUZZ_CHECK(filter.count == G_N_ELEMENTS(listed));
        sink = fopen("/dev/null", "wb");
        FUZZ_CHECK(sink != NULL);
        ready = true;
    }
    if (size < 64) {
        static vni_filter_t parsed;
        char *text = fuzz_copy(data, size);
        char *copy = g_strndup(text, size);
        char *err = NULL;
        if (vni_filter_parse(copy, &parsed, &err)) {
            for (uint32_t i = 1; i < parsed.count; i++) {
                FUZZ_CHECK(parsed.vnis[i - 1] < parsed.vnis[i]);
            }
        } else {
            FUZZ_CHECK(err != NULL && parsed.count == 0);
        }
        g_free(err);
        g_free(copy);
        free(text);
    }

    uint8_t flags = fuzz_take_byte(&in);
    if (in.size < ENDPOINT_BYTES) {
        return 0;
    }
    memset(&ep, 0, sizeof ep);
    ep.ipv6 = flags & 1;
    memcpy(ep.src, in.data, 16);
    memcpy(ep.dst, in.data + 16, 16);
    memcpy(&ep.src_port, in.data + 32, 2);
    memcpy(&ep.dst_port, in.data + 34, 2);
    ep.hop_limit = in.data[36];
    const uint8_t *payload = in.data + ENDPOINT_BYTES;
    size_t captured = in.size - ENDPOINT_BYTES;
    /* A datagram longer than what was read: as the socket reports one. */
    size_t length = captured + ((flags & 2) ? (size_t)flags * 300u : 0);
    uint8_t *exact = (uint8_t *)fuzz_copy(payload, captured);

    check_filter(&filter, exact, captured);
    size_t header_len = outer_header_build(&ep, exact, captured, length, header);
    size_t max = ep.ipv6 ? OUTER_IPV6_MAX_PAYLOAD : OUTER_IPV4_MAX_PAYLOAD;
    FUZZ_CHECK((header_len == 0) == (length > max));
    if (header_len != 0) {
        check_header(&ep, header, header_len, exact, captured, length);
        FUZZ_CHECK(pcapng_write_packet(sink, 0, 1, header, header_len, exact, captured,
                                       (uint32_t)(header_len + length)));
    }
    free(exact);
    return 0;
}
