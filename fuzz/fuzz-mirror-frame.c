/* fuzz-mirror-frame.c
 * A UDP payload as the Traffic Mirror code meets it: the VXLAN
 * plausibility check (the UDP heuristic), the reading of the mirrored
 * frame (addresses, original length, fingerprint, direction) and the
 * GWLB GENEVE option walk.
 *
 * Input: one byte of parameters (how many more bytes the wire carried
 * than were captured), then the payload.
 *
 * Besides not crashing: a plausible payload has the exact header
 * mirroring sends; a copy is cut only when the wire held less than the
 * IP length says; the fingerprint ignores what a router changes (TTL,
 * IPv4 header checksum, IPv6 hop limit, MAC addresses) and is the same
 * for the packet on a raw-IP link; the direction agrees with the
 * addresses; GWLB options lie inside the options area.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "gwlb-options.h"
#include "mirror-inner.h"

static void
check_frame(const uint8_t *frame, size_t captured, size_t wire)
{
    mirror_inner_t in, again, raw;
    uint8_t *copy;

    if (!mirror_inner_parse(frame, captured, wire, &in)) {
        FUZZ_CHECK(captured < 14);
        return;
    }
    FUZZ_CHECK(in.l3_offset == 0 || (in.l3_offset >= 14 && in.l3_offset <= 22));
    if (in.truncated) {
        FUZZ_CHECK(in.original_len > wire);
    }
    if (in.original_len != 0 && in.original_len <= wire) {
        FUZZ_CHECK(!in.truncated);
    }
    if (in.has_ip) {
        FUZZ_CHECK(in.src.type == in.dst.type);
        FUZZ_CHECK(in.src.type == MIRROR_ADDR_IPV4 || in.src.type == MIRROR_ADDR_IPV6);
        FUZZ_CHECK(in.original_len != 0 || in.ethertype == 0x86dd);
    }
    if (in.has_fingerprint) {
        FUZZ_CHECK(in.has_ip);
    }

    /* Deterministic. */
    mirror_inner_parse(frame, captured, wire, &again);
    FUZZ_CHECK(memcmp(&in, &again, sizeof in) == 0);

    /* What a router changes does not change the fingerprint. */
    copy = (uint8_t *)fuzz_copy(frame, captured);
    memset(copy, 0x5a, 12);
    if (in.ethertype == 0x0800 && captured >= in.l3_offset + 12u) {
        copy[in.l3_offset + 8] ^= 0xff;
        copy[in.l3_offset + 10] ^= 0x0f;
        copy[in.l3_offset + 11] ^= 0xf0;
    } else if (in.ethertype == 0x86dd && captured >= in.l3_offset + 8u) {
        copy[in.l3_offset + 7] ^= 0xff;
    }
    mirror_inner_parse(copy, captured, wire, &again);
    FUZZ_CHECK(again.has_fingerprint == in.has_fingerprint);
    FUZZ_CHECK(!in.has_fingerprint || again.fingerprint == in.fingerprint);
    FUZZ_CHECK(again.truncated == in.truncated && again.original_len == in.original_len);
    free(copy);

    /* The same packet on a raw-IP link. */
    if (in.has_fingerprint && captured > in.l3_offset) {
        mirror_inner_parse_ip(frame + in.l3_offset, captured - in.l3_offset, wire - in.l3_offset, &raw);
        FUZZ_CHECK(raw.has_fingerprint && raw.fingerprint == in.fingerprint);
    }

    /* Direction: the outer source decides when it is one end only. */
    if (in.has_ip) {
        mirror_direction_why_t why;
        mirror_direction_t dir = mirror_inner_direction(&in, &in.src, NULL, 0, NULL, &why);

        if (!mirror_addr_equal(&in.src, &in.dst)) {
            FUZZ_CHECK(dir == MIRROR_DIR_EGRESS && why == MIRROR_WHY_OUTER_SOURCE);
            FUZZ_CHECK(mirror_inner_direction(&in, &in.dst, NULL, 0, NULL, NULL) == MIRROR_DIR_INGRESS);
        } else {
            FUZZ_CHECK(dir == MIRROR_DIR_UNKNOWN);
        }
    }
    FUZZ_CHECK(mirror_inner_direction(&in, NULL, NULL, 0, NULL, NULL) == MIRROR_DIR_UNKNOWN);
}

static void
check_geneve(const uint8_t *data, size_t size)
{
    gwlb_options_t o;
    char buf[GWLB_ENDPOINT_STR_LEN];
    size_t end;
    guint i;

    if (!gwlb_parse_geneve(data, size, &o)) {
        FUZZ_CHECK(!o.has_endpoint_id && !o.has_attachment_id && !o.has_flow_cookie && o.n_other == 0);
        return;
    }
    end = 8 + (size_t)(data[0] & 0x3f) * 4;
    FUZZ_CHECK(end <= size && (data[0] >> 6) == 0);
    FUZZ_CHECK(!o.has_endpoint_id || o.endpoint_offset + 8 <= end);
    FUZZ_CHECK(!o.has_attachment_id || o.attachment_offset + 8 <= end);
    FUZZ_CHECK(!o.has_flow_cookie || o.cookie_offset + 4 <= end);
    FUZZ_CHECK(o.n_other <= G_N_ELEMENTS(o.other));
    for (i = 0; i < o.n_other; i++) {
        FUZZ_CHECK(o.other[i].offset + 4 + o.other[i].data_len <= end);
    }
    if (o.has_endpoint_id) {
        FUZZ_CHECK(strlen(gwlb_endpoint_id_str(o.endpoint_id, buf)) == 22);
        FUZZ_CHECK(strncmp(buf, "vpce-", 5) == 0);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    size_t extra = (size_t)(fuzz_take_byte(&in) & 0x3) * 700;
    uint8_t *payload = (uint8_t *)fuzz_copy(in.data, in.size);
    size_t n = in.size;

    if (mirror_vxlan_plausible(payload, n, n + extra)) {
        FUZZ_CHECK(n >= 22);
        FUZZ_CHECK(payload[0] == 0x08 && payload[1] == 0 && payload[2] == 0 && payload[3] == 0 && payload[7] == 0);
        FUZZ_CHECK((payload[8 + 6] & 1) == 0);
    }
    if (n >= 8) {
        check_frame(payload + 8, n - 8, n - 8 + extra);
    }
    check_frame(payload, n, n + extra);
    check_geneve(payload, n);
    free(payload);
    return 0;
}
