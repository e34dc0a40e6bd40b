/* gwlb-options.c
 * Walking the GENEVE option list for the AWS Gateway Load Balancer
 * options (class 0x0108, types 1-3).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Option Class         |      Type     |R|R|R| Length  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Option data (Length x 4 bytes)                |
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "gwlb-options.h"

#include <stdio.h>
#include <string.h>

#define GENEVE_HEADER_LEN 8

static guint16
get16(const guint8 *p)
{
    return (guint16)((p[0] << 8) | p[1]);
}

static guint64
get64(const guint8 *p)
{
    guint64 v = 0;
    int i;

    for (i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

gboolean
gwlb_parse_geneve(const guint8 *data, gsize captured, gwlb_options_t *out)
{
    guint opts_len, off, end;
    gboolean any = FALSE;

    memset(out, 0, sizeof *out);
    if (data == NULL || captured < GENEVE_HEADER_LEN || (data[0] >> 6) != 0) {
        return FALSE;
    }
    opts_len = (guint)(data[0] & 0x3f) * 4;
    end = GENEVE_HEADER_LEN + opts_len;
    if (end > captured) {
        return FALSE;
    }
    for (off = GENEVE_HEADER_LEN; off + 4 <= end;) {
        guint16 cls = get16(data + off);
        guint8 type = data[off + 2] & 0x7f;
        guint len = (guint)(data[off + 3] & 0x1f) * 4;
        guint body = off + 4;

        if (body + len > end) {
            memset(out, 0, sizeof *out);
            return FALSE; /* the GENEVE dissector reports the bad length */
        }
        if (cls == GWLB_OPTION_CLASS) {
            any = TRUE;
            if (type == GWLB_TYPE_ENDPOINT_ID && len == 8 && !out->has_endpoint_id) {
                out->has_endpoint_id = TRUE;
                out->endpoint_id = get64(data + body);
                out->endpoint_offset = body;
            } else if (type == GWLB_TYPE_ATTACHMENT_ID && len == 8 && !out->has_attachment_id) {
                out->has_attachment_id = TRUE;
                out->attachment_id = get64(data + body);
                out->attachment_offset = body;
            } else if (type == GWLB_TYPE_FLOW_COOKIE && len == 4 && !out->has_flow_cookie) {
                out->has_flow_cookie = TRUE;
                out->flow_cookie = ((guint32)get16(data + body) << 16) | get16(data + body + 2);
                out->cookie_offset = body;
            } else if (out->n_other < G_N_ELEMENTS(out->other)) {
                out->other[out->n_other].offset = off;
                out->other[out->n_other].type = type;
                out->other[out->n_other].data_len = len;
                out->n_other++;
            }
        }
        off = body + len;
    }
    if (!any) {
        memset(out, 0, sizeof *out);
    }
    return any;
}

const char *
gwlb_endpoint_id_str(guint64 id, char *buf)
{
    snprintf(buf, GWLB_ENDPOINT_STR_LEN, "vpce-%017" G_GINT64_MODIFIER "x", id);
    return buf;
}
