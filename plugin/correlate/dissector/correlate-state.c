/* correlate-state.c
 * The join of the capture file being read: created when a file is opened,
 * fed on the first pass, resolved when a later pass first asks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "correlate-state.h"

#include <string.h>

static correlate_t *join;
/* The preferences that rule the join, owned by whoever registered them. */
static const vpcshark_pref_bool *pref_enabled;
static const guint *pref_lag_s;

static void
correlate_state_init(void)
{
    correlate_free(join);
    join = NULL;
    if (pref_enabled == NULL || *pref_enabled)
        join = correlate_new(pref_lag_s != NULL ? *pref_lag_s : CORRELATE_DEFAULT_LAG_S);
}

static void
correlate_state_cleanup(void)
{
    correlate_free(join);
    join = NULL;
}

void
correlate_state_register(void)
{
    register_init_routine(correlate_state_init);
    register_cleanup_routine(correlate_state_cleanup);
}

void
correlate_state_register_handoff(void)
{
}

void
correlate_state_use_prefs(const vpcshark_pref_bool *enabled, const guint *lag_s)
{
    pref_enabled = enabled;
    pref_lag_s = lag_s;
}

void
correlate_state_address(const address *addr, mirror_addr_t *out)
{
    memset(out, 0, sizeof *out);
    if (addr->type == AT_IPv4 && addr->len == 4) {
        out->type = MIRROR_ADDR_IPV4;
        memcpy(out->bytes, addr->data, 4);
    } else if (addr->type == AT_IPv6 && addr->len == 16) {
        out->type = MIRROR_ADDR_IPV6;
        memcpy(out->bytes, addr->data, 16);
    }
}

void
correlate_state_add_record(packet_info *pinfo, correlate_record_t *record)
{
    if (join == NULL || PINFO_FD_VISITED(pinfo))
        return;
    record->frame = pinfo->num;
    correlate_add_record(join, record);
}

void
correlate_state_add_packet(packet_info *pinfo, correlate_packet_t *packet)
{
    if (join == NULL || PINFO_FD_VISITED(pinfo))
        return;
    packet->frame = pinfo->num;
    packet->ts_ns = (gint64)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    correlate_add_packet(join, packet);
}

/* Later passes see every frame the first pass added: match them once
 * (again if a live capture added more since). A file with no record or
 * no mirrored packet taking part has nothing to join: a mirror capture
 * alone gets no "outside every record", a flow log alone no "not seen". */
static gboolean
ready(packet_info *pinfo)
{
    correlate_totals_t totals;

    if (join == NULL || !PINFO_FD_VISITED(pinfo))
        return FALSE;
    if (!correlate_resolved(join))
        correlate_resolve(join);
    correlate_totals(join, &totals);
    return totals.records > 0 && totals.packets > 0;
}

gboolean
correlate_state_record(packet_info *pinfo, correlate_record_result_t *out)
{
    return ready(pinfo) && correlate_record_result(join, pinfo->num, out);
}

gboolean
correlate_state_packet(packet_info *pinfo, correlate_packet_result_t *out)
{
    return ready(pinfo) && correlate_packet_result(join, pinfo->num, out);
}

const correlate_t *
correlate_state_resolved_join(void)
{
    if (join != NULL && !correlate_resolved(join))
        correlate_resolve(join);
    return join;
}

const correlate_t *
correlate_state_complete_join(void)
{
    return join != NULL && correlate_resolved(join) ? join : NULL;
}
