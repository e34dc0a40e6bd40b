/* vni-filter.h
 * Which VXLAN network identifiers (mirror sessions) a capture keeps.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_VNI_FILTER_H
#define VPCSHARK_VNI_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many VNIs in one filter (AWS allows 3 sessions per source
 * ENI; a target rarely serves more than a few hundred). */
#define VNI_FILTER_MAX 4096

typedef struct {
    uint32_t count; /* 0: keep every datagram */
    uint32_t vnis[VNI_FILTER_MAX]; /* sorted, unique */
} vni_filter_t;

/* Parses a list of decimal VNIs separated by commas or spaces ("12345,
 * 23456"); an empty or NULL text keeps everything. On error returns false
 * and a message in *err (g_free it). */
bool vni_filter_parse(const char *text, vni_filter_t *filter, char **err);

/* The VNI of a VXLAN header (RFC 7348: 8 bytes, the I flag set), if the
 * datagram starts with one. */
bool vxlan_vni(const uint8_t *payload, size_t len, uint32_t *vni);

/* Whether a datagram passes: every one when the filter is empty; else only
 * VXLAN datagrams with a listed VNI. */
bool vni_filter_keeps(const vni_filter_t *filter, const uint8_t *payload, size_t len);

#ifdef __cplusplus
}
#endif

#endif
