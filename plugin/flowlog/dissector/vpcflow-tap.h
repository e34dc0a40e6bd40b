/* vpcflow-tap.h
 * What the vpcflow dissector hands to the taps of flow records
 * (conversations and endpoints, the -z vpcflow report, the statistics
 * trees, plugin/flowlog/reports/). Data only flows this way: the taps
 * never call into the dissector.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_TAP_H
#define VPCFLOW_TAP_H

#include "epan-compat.h"

#include <epan/address.h>

#include "vpcflow-format.h"
#include "vpcflow-tokens.h"

/* The tap: named like the protocol, as conversation tables require. */
#define VPCFLOW_TAP_NAME "vpcflow"

/* One well-formed flow record (malformed ones are not tapped). */
typedef struct {
    const char             *record;     /* the record's text */
    const vpcflow_token_t  *tokens;     /* its columns, format->n_columns of them */
    const vpcflow_format_t *format;     /* the names of the columns */
    address                 src, dst;   /* AT_NONE when absent */
    guint32                 srcport, dstport, protocol;
    guint64                 packets, bytes;
    nstime_t                start, end;
    gboolean                has_srcport, has_dstport, has_protocol, has_packets, has_bytes, has_start, has_end;
    const char             *action;
    const char             *log_status;
    const char             *direction;
    const char             *where;      /* interface, TGW attachment or resource */
    gboolean                malformed;
} vpcflow_tap_info_t;

/* The text of a field of a tapped record, or NULL when absent or "-". */
static inline const char *
vpcflow_tap_value(wmem_allocator_t *pool, const vpcflow_tap_info_t *info, int field)
{
    int c = vpcflow_format_column(info->format, field);

    if (c < 0 || vpcflow_token_is_absent(info->record + info->tokens[c].offset, info->tokens[c].length))
        return NULL;
    return wmem_strndup(pool, info->record + info->tokens[c].offset, info->tokens[c].length);
}

#endif /* VPCFLOW_TAP_H */
