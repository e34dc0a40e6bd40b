/* fuzz-correlate.c
 * The join of flow records and mirrored packets, driven by a sequence of
 * records and packets the input describes, against a plain model of the
 * dealing rule (docs/correlation.md) that scans every record per packet.
 *
 * Input: a byte for the lag, then 8 bytes per item.
 *   byte 0: bit 0 record/packet, bits 1-2 interface (0: none), bits 3-4
 *           protocol (TCP, UDP, ICMP, ESP), bits 5-7 flags (record: not
 *           OK, REJECT, "-" ports; packet: a duplicate of an earlier one)
 *   byte 1: addresses and ports (2 bits each, few values: many collisions)
 *   record: byte 2 start, byte 3 duration (some backwards), byte 4 packets
 *   packet: bytes 2-4 time, byte 5 IP length, byte 6 which earlier packet
 *
 * Besides not crashing: when no packet is a duplicate, every packet's
 * record is the model's; always, the counts, bytes, first and last frames
 * of every record are those of the packets linked to it, every link
 * points to a record taking part whose window holds the packet, and the
 * totals add up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "correlate.h"

#define MAX_ITEMS 2000
#define NS G_GINT64_CONSTANT(1000000000)

static const guint8 PROTOCOLS[4] = { 6, 17, 1, 50 };

typedef struct {
    guint32 frame;
    guint8 iface;            /* 1..3 for records; 0 none for packets */
    guint8 protocol;
    guint8 src, dst;
    guint16 sport, dport;
    gboolean takes_part;
    /* record */
    gboolean reject;
    gint64 start, end;
    guint64 logged, counted;
    /* packet */
    gint64 ts;
    guint32 duplicate_of;
    guint32 ip_len;
} item_t;

static const char *
iface_name(guint8 iface)
{
    static const char *names[4] = { NULL, "eni-1", "eni-2", "eni-3" };
    return names[iface & 3];
}

static mirror_addr_t
addr(guint8 host)
{
    mirror_addr_t a = { MIRROR_ADDR_IPV4, { 10, 0, 0, host } };
    return a;
}

static gboolean
same_flow(const item_t *r, const item_t *p)
{
    if ((p->iface != 0 && p->iface != r->iface) || r->protocol != p->protocol || r->src != p->src ||
        r->dst != p->dst)
        return FALSE;
    return !mirror_ip_proto_has_ports(p->protocol) || (r->sport == p->sport && r->dport == p->dport);
}

static gboolean
in_window(const item_t *r, gint64 t, gint64 lag_ns)
{
    return r->start * NS - lag_ns <= t && t < (r->end + 1) * NS;
}

static gint
by_time(gconstpointer a, gconstpointer b)
{
    const item_t *pa = *(item_t *const *)a, *pb = *(item_t *const *)b;

    if (pa->ts != pb->ts)
        return pa->ts < pb->ts ? -1 : 1;
    return pa->frame < pb->frame ? -1 : pa->frame > pb->frame;
}

static gint
by_start(gconstpointer a, gconstpointer b)
{
    const item_t *ra = *(item_t *const *)a, *rb = *(item_t *const *)b;

    if (ra->start != rb->start)
        return ra->start < rb->start ? -1 : 1;
    if (ra->end != rb->end)
        return ra->end < rb->end ? -1 : 1;
    return ra->frame < rb->frame ? -1 : ra->frame > rb->frame;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    guint lag_s = fuzz_take_byte(&in) % 64;
    gint64 lag_ns = (gint64)lag_s * NS;
    correlate_t *c = correlate_new(lag_s);
    GPtrArray *records = g_ptr_array_new(), *packets = g_ptr_array_new();
    item_t *items = g_new0(item_t, MAX_ITEMS);
    guint n = 0, i, j;
    gboolean any_duplicate = FALSE;
    correlate_totals_t totals;
    guint matched = 0, duplicates = 0, outside = 0, taking_part = 0;

    while (in.size >= 8 && n < MAX_ITEMS) {
        guint8 b[8];
        item_t *it = &items[n];

        for (i = 0; i < 8; i++)
            b[i] = fuzz_take_byte(&in);
        it->frame = ++n;
        it->iface = (b[0] >> 1) & 3;
        it->protocol = PROTOCOLS[(b[0] >> 3) & 3];
        it->src = b[1] & 3;
        it->dst = (b[1] >> 2) & 3;
        it->sport = 1000 + ((b[1] >> 4) & 3);
        it->dport = 80 + ((b[1] >> 6) & 3);
        if ((b[0] & 1) == 0) {
            correlate_record_t r;

            memset(&r, 0, sizeof r);
            it->iface = it->iface ? it->iface : 1;
            it->start = 1000 + b[2];
            it->end = b[3] >= 240 ? it->start - 1 : it->start + b[3] % 80;
            it->logged = b[4] % 8;
            r.frame = it->frame;
            r.interface_id = iface_name(it->iface);
            r.src = addr(it->src);
            r.dst = addr(it->dst);
            r.has_protocol = TRUE;
            r.protocol = it->protocol;
            r.has_ports = !(b[0] & 0x80);
            r.src_port = it->sport;
            r.dst_port = it->dport;
            r.has_times = TRUE;
            r.start = it->start;
            r.end = it->end;
            r.has_packets = TRUE;
            r.packets = it->logged;
            r.bytes = b[5];
            r.status_ok = !(b[0] & 0x20);
            r.reject = it->reject = (b[0] & 0x40) != 0;
            it->takes_part = correlate_add_record(c, &r);
            FUZZ_CHECK(it->takes_part == (r.status_ok && it->end >= it->start &&
                                          (r.has_ports || !mirror_ip_proto_has_ports(r.protocol))));
            g_ptr_array_add(records, it);
        } else {
            mirror_inner_t inner;
            correlate_packet_t p;

            memset(&inner, 0, sizeof inner);
            inner.has_ip = TRUE;
            inner.l3_offset = 14;
            inner.src = addr(it->src);
            inner.dst = addr(it->dst);
            inner.ip_proto = it->protocol;
            inner.has_ports = mirror_ip_proto_has_ports(it->protocol);
            inner.src_port = it->sport;
            inner.dst_port = it->dport;
            it->ip_len = 20 + b[5];
            inner.original_len = 14 + it->ip_len;
            it->ts = (gint64)(1000 - 64 + b[2] + b[3] % 96) * NS + (gint64)b[4] * 4000000;
            if ((b[0] & 0x20) && packets->len > 0) {
                it->duplicate_of = ((item_t *)g_ptr_array_index(packets, b[6] % packets->len))->frame;
                any_duplicate = TRUE;
            }
            p = (correlate_packet_t){ it->frame, it->ts, iface_name(it->iface), &inner, it->duplicate_of };
            it->takes_part = correlate_add_packet(c, &p);
            FUZZ_CHECK(it->takes_part);
            g_ptr_array_add(packets, it);
        }
    }
    correlate_resolve(c);

    /* The model: packets in time order, each to the earliest record of its
     * flow with room whose window holds it, else to the latest such record. */
    if (!any_duplicate) {
        GPtrArray *sorted_records = g_ptr_array_new();

        for (i = 0; i < records->len; i++) {
            item_t *r = g_ptr_array_index(records, i);
            if (r->takes_part)
                g_ptr_array_add(sorted_records, r);
        }
        g_ptr_array_sort(sorted_records, by_start);
        g_ptr_array_sort(packets, by_time);
        for (i = 0; i < packets->len; i++) {
            item_t *p = g_ptr_array_index(packets, i), *chosen = NULL, *latest = NULL;
            correlate_packet_result_t pr;

            for (j = 0; j < sorted_records->len && chosen == NULL; j++) {
                item_t *r = g_ptr_array_index(sorted_records, j);

                if (!same_flow(r, p) || !in_window(r, p->ts, lag_ns))
                    continue;
                if (r->counted < r->logged)
                    chosen = r;
                latest = r;
            }
            chosen = chosen ? chosen : latest;
            if (chosen)
                chosen->counted++;
            FUZZ_CHECK(correlate_packet_result(c, p->frame, &pr));
            FUZZ_CHECK(pr.record_frame == (chosen ? chosen->frame : 0));
            FUZZ_CHECK(pr.status == (chosen ? CORRELATE_PACKET_MATCHED : CORRELATE_PACKET_OUTSIDE));
            FUZZ_CHECK(!chosen || pr.without_interface == (p->iface == 0));
        }
        g_ptr_array_free(sorted_records, TRUE);
    }

    /* Whatever the input: links, counts and totals agree. */
    for (i = 0; i < records->len; i++) {
        item_t *r = g_ptr_array_index(records, i);
        correlate_record_result_t rr;
        guint64 count = 0, bytes = 0;
        guint32 first = 0, last = 0;

        FUZZ_CHECK(correlate_record_result(c, r->frame, &rr));
        for (j = 0; j < packets->len; j++) {
            item_t *p = g_ptr_array_index(packets, j);
            correlate_packet_result_t pr;

            FUZZ_CHECK(correlate_packet_result(c, p->frame, &pr));
            if (pr.record_frame != r->frame)
                continue;
            FUZZ_CHECK(r->takes_part && same_flow(r, p) && in_window(r, p->ts, lag_ns));
            FUZZ_CHECK(pr.record_reject == r->reject);
            if (pr.status == CORRELATE_PACKET_MATCHED) {
                count++;
                bytes += p->ip_len;
                first = first ? MIN(first, p->frame) : p->frame;
                last = MAX(last, p->frame);
            } else {
                FUZZ_CHECK(pr.status == CORRELATE_PACKET_DUPLICATE && p->duplicate_of != 0);
            }
        }
        FUZZ_CHECK(rr.packets == count && rr.bytes == bytes && rr.first_frame == first && rr.last_frame == last);
        FUZZ_CHECK((rr.verdict == CORRELATE_RECORD_NO_PART) == !r->takes_part);
        taking_part += r->takes_part;
    }
    for (j = 0; j < packets->len; j++) {
        item_t *p = g_ptr_array_index(packets, j);
        correlate_packet_result_t pr;

        FUZZ_CHECK(correlate_packet_result(c, p->frame, &pr));
        matched += pr.status == CORRELATE_PACKET_MATCHED;
        duplicates += pr.status == CORRELATE_PACKET_DUPLICATE;
        outside += pr.status == CORRELATE_PACKET_OUTSIDE;
        FUZZ_CHECK((pr.status == CORRELATE_PACKET_OUTSIDE) == (pr.record_frame == 0));
    }
    correlate_totals(c, &totals);
    FUZZ_CHECK(totals.records == taking_part);
    FUZZ_CHECK(totals.fully_seen + totals.partly_seen + totals.not_seen + totals.more_than_logged == taking_part);
    FUZZ_CHECK(totals.packets == packets->len);
    FUZZ_CHECK(totals.matched == matched && totals.duplicates == duplicates && totals.outside == outside);
    FUZZ_CHECK(matched + duplicates + outside == packets->len);

    correlate_free(c);
    g_ptr_array_free(records, TRUE);
    g_ptr_array_free(packets, TRUE);
    g_free(items);
    return 0;
}
