/* gwlb-options.h
 * The GENEVE options an AWS Gateway Load Balancer adds (option class
 * 0x0108): GWLB endpoint id, attachment id, flow cookie. Pure C.
 *
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/introduction.html
 * https://www.rfc-editor.org/rfc/rfc8926.html#section-3.5
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_GWLB_OPTIONS_H
#define VPCSHARK_GWLB_OPTIONS_H

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GWLB_OPTION_CLASS 0x0108
#define GWLB_TYPE_ENDPOINT_ID 1
#define GWLB_TYPE_ATTACHMENT_ID 2
#define GWLB_TYPE_FLOW_COOKIE 3

/* "vpce-" + 17 hex digits + NUL */
#define GWLB_ENDPOINT_STR_LEN 23

typedef struct {
    guint offset;         /* of the option's 4-byte header, from the GENEVE header */
    guint8 type;          /* without the critical bit */
    guint data_len;       /* bytes after the option header */
} gwlb_option_t;

typedef struct {
    gboolean has_endpoint_id;
    guint64 endpoint_id;
    guint endpoint_offset;    /* of the option's data */
    gboolean has_attachment_id;
    guint64 attachment_id;
    guint attachment_offset;
    gboolean has_flow_cookie;
    guint32 flow_cookie;
    guint cookie_offset;

    /* Class 0x0108 options of other types or unexpected lengths. */
    guint n_other;
    gwlb_option_t other[8];
} gwlb_options_t;

/* Reads the options of the GENEVE header at data (captured bytes).
 * Returns FALSE, with out cleared, when this is not a version-0 GENEVE
 * header whose options are all captured and well formed, or when it has
 * no class 0x0108 option. */
gboolean gwlb_parse_geneve(const guint8 *data, gsize captured, gwlb_options_t *out);

/* "vpce-" and the id as 17 hex digits, zero padded (as gwlbtun and the
 * AWS console print endpoint ids). buf: GWLB_ENDPOINT_STR_LEN bytes. */
const char *gwlb_endpoint_id_str(guint64 id, char *buf);

#ifdef __cplusplus
}
#endif

#endif /* VPCSHARK_GWLB_OPTIONS_H */
