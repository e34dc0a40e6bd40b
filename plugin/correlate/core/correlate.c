/* correlate.c
 * Flow log records and mirrored packets, joined (docs/correlation.md).
 *
 * Flows are interned: a key is an interface and a 5-tuple, and every
 * record and packet keeps only the small id of its key. A record is filed
 * under its own key and under the same 5-tuple without an interface (the
 * fallback for packets whose interface is not known). At resolve time the
 * record entries are sorted by key and start, so the records of one key
 * are one run of the array, found by the key id in O(1) and searched by
 * time in O(log n); packets are then dealt in time order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "correlate.h"

#include <stdlib.h>
#include <string.h>

#define NS_PER_S G_GINT64_CONSTANT(1000000000)

/* A record longer than this is not an aggregate of one interval (at most
 * 10 minutes, plus the lag at each end): its times are not trusted, and
 * the bound keeps the search for a packet's records short. */
#define MAX_RECORD_SPAN_S 3600
/* Latest start or end accepted (about year 2242): keeps ns sums in range. */
#define MAX_RECORD_TIME_S (G_GINT64_CONSTANT(1) << 33)

typedef struct {
    guint32 iface;            /* interned interface id; 0: any interface */
    guint8 family;            /* MIRROR_ADDR_IPV4 / _IPV6 */
    guint8 protocol;
    guint16 src_port;         /* 0 for protocols without ports */
    guint16 dst_port;
    guint8 src[16];
    guint8 dst[16];
} flow_key_t;

typedef struct {
    guint32 frame;
    guint32 key;              /* 0: takes no part */
    guint32 any_key;          /* the same 5-tuple on any interface */
    gboolean reject;
    gint64 start;
    gint64 end;
    guint64 logged_packets;
    guint64 logged_bytes;
    /* results */
    guint64 packets;
    guint64 bytes;
    guint32 first_frame;
    guint32 last_frame;
} record_t;

typedef struct {
    guint32 frame;
    guint32 key;              /* 0: takes no part */
    gint64 ts_ns;
    guint32 ip_len;
    guint32 duplicate_of;
    /* results */
    guint32 record;           /* index + 1 into records; 0: none */
    guint8 status;            /* correlate_packet_status_t */
    guint8 dealt;
} packet_t;

/* A record filed under one of its keys; sorted by key, then time. Its
 * times are copied here so that searching a run reads one array. */
typedef struct {
    guint32 key;
    guint32 record;           /* index into records */
    gint64 start;
    gint64 end;
    guint32 frame;
} entry_t;

/* A packet in the order of dealing. */
typedef struct {
    gint64 ts_ns;
    guint32 frame;
    guint32 packet;           /* index into packets */
} turn_t;

struct correlate {
    gint64 lag_ns;
    GHashTable *interfaces;   /* name -> id (1-based) */
    GHashTable *key_ids;      /* flow_key_t * -> id (1-based) */
    GPtrArray *keys;          /* id - 1 -> flow_key_t * */
    GArray *records;          /* record_t, sorted by frame at resolve */
    GArray *packets;          /* packet_t, sorted by frame at resolve */
    gboolean resolved;
    /* built by resolve */
    entry_t *entries;
    guint n_entries;
    guint32 *run_first;       /* key id -> first entry of its run */
    guint32 *run_count;
    gint64 *run_span_ns;      /* key id -> longest end - start of its records */
    correlate_totals_t totals;
};

/* --- keys --- */

static guint
flow_key_hash(gconstpointer key)
{
    return (guint)mirror_hash64((const guint8 *)key, sizeof(flow_key_t), 0);
}

static gboolean
flow_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(flow_key_t)) == 0;
}

static guint32
intern_interface(correlate_t *c, const char *name)
{
    gpointer id;

    if (name == NULL || name[0] == '\0')
        return 0;
    id = g_hash_table_lookup(c->interfaces, name);
    if (id == NULL) {
        id = GUINT_TO_POINTER(g_hash_table_size(c->interfaces) + 1);
        g_hash_table_insert(c->interfaces, g_strdup(name), id);
    }
    return GPOINTER_TO_UINT(id);
}

/* The id of a key, made on first use. The key's padding must be zero. */
static guint32
intern_key(correlate_t *c, const flow_key_t *key)
{
    gpointer id = g_hash_table_lookup(c->key_ids, key);

    if (id == NULL) {
        flow_key_t *copy = g_memdup2(key, sizeof *key);

        g_ptr_array_add(c->keys, copy);
        id = GUINT_TO_POINTER(c->keys->len);
        g_hash_table_insert(c->key_ids, copy, id);
    }
    return GPOINTER_TO_UINT(id);
}

static gboolean
fill_key(flow_key_t *key, guint32 iface, const mirror_addr_t *src, const mirror_addr_t *dst, guint8 protocol,
         guint16 src_port, guint16 dst_port)
{
    gsize len;

    if (src->type != dst->type || (src->type != MIRROR_ADDR_IPV4 && src->type != MIRROR_ADDR_IPV6))
        return FALSE;
    len = src->type == MIRROR_ADDR_IPV4 ? 4 : 16;
    memset(key, 0, sizeof *key);
    key->iface = iface;
    key->family = src->type;
    key->protocol = protocol;
    /* Port-less protocols match on protocol and addresses, whatever ports the record wrote. */
    if (mirror_ip_proto_has_ports(protocol)) {
        key->src_port = src_port;
        key->dst_port = dst_port;
    }
    memcpy(key->src, src->bytes, len);
    memcpy(key->dst, dst->bytes, len);
    return TRUE;
}

/* --- adding --- */

correlate_t *
correlate_new(guint lag_s)
{
    correlate_t *c = g_new0(correlate_t, 1);

    c->lag_ns = (gint64)lag_s * NS_PER_S;
    c->interfaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->key_ids = g_hash_table_new(flow_key_hash, flow_key_equal);
    c->keys = g_ptr_array_new_with_free_func(g_free);
    c->records = g_array_new(FALSE, TRUE, sizeof(record_t));
    c->packets = g_array_new(FALSE, TRUE, sizeof(packet_t));
    return c;
}

static void
clear_resolved(correlate_t *c)
{
    g_free(c->entries);
    g_free(c->run_first);
    g_free(c->run_count);
    g_free(c->run_span_ns);
    c->entries = NULL;
    c->run_first = c->run_count = NULL;
    c->run_span_ns = NULL;
    c->n_entries = 0;
    c->resolved = FALSE;
}

void
correlate_free(correlate_t *c)
{
    if (c == NULL)
        return;
    clear_resolved(c);
    g_hash_table_destroy(c->interfaces);
    g_hash_table_destroy(c->key_ids);
    g_ptr_array_free(c->keys, TRUE);
    g_array_free(c->records, TRUE);
    g_array_free(c->packets, TRUE);
    g_free(c);
}

static gboolean
record_takes_part(const correlate_record_t *r)
{
    if (r->frame == 0 || r->interface_id == NULL || r->interface_id[0] == '\0' || !r->has_protocol ||
        !r->has_times || !r->has_packets || !r->status_ok)
        return FALSE;
    if (mirror_ip_proto_has_ports(r->protocol) && !r->has_ports)
        return FALSE;
    return r->start >= 0 && r->start <= r->end && r->end <= MAX_RECORD_TIME_S &&
           r->end - r->start <= MAX_RECORD_SPAN_S;
}

gboolean
correlate_add_record(correlate_t *c, const correlate_record_t *r)
{
    record_t rec;
    flow_key_t key;

    memset(&rec, 0, sizeof rec);
    rec.frame = r->frame;
    if (record_takes_part(r) &&
        fill_key(&key, intern_interface(c, r->interface_id), &r->src, &r->dst, r->protocol, r->src_port,
                 r->dst_port)) {
        rec.key = intern_key(c, &key);
        key.iface = 0;
        rec.any_key = intern_key(c, &key);
        rec.reject = r->reject;
        rec.start = r->start;
        rec.end = r->end;
        rec.logged_packets = r->packets;
        rec.logged_bytes = r->bytes;
    }
    g_array_append_val(c->records, rec);
    c->resolved = FALSE;
    return rec.key != 0;
}

gboolean
correlate_add_packet(correlate_t *c, const correlate_packet_t *p)
{
    const mirror_inner_t *in = p->inner;
    packet_t pkt;
    flow_key_t key;

    memset(&pkt, 0, sizeof pkt);
    pkt.frame = p->frame;
    pkt.ts_ns = p->ts_ns;
    pkt.duplicate_of = p->duplicate_of;
    /* An IP length is needed for the bytes, ports for a protocol that has them. */
    if (p->frame != 0 && p->ts_ns >= 0 && p->ts_ns <= MAX_RECORD_TIME_S * NS_PER_S && in != NULL && in->has_ip && in->original_len > in->l3_offset &&
        (in->has_ports || !mirror_ip_proto_has_ports(in->ip_proto)) &&
        fill_key(&key, intern_interface(c, p->interface_id), &in->src, &in->dst, in->ip_proto, in->src_port,
                 in->dst_port)) {
        pkt.key = intern_key(c, &key);
        pkt.ip_len = in->original_len - in->l3_offset;
    }
    g_array_append_val(c->packets, pkt);
    c->resolved = FALSE;
    return pkt.key != 0;
}

/* --- resolving --- */

static const record_t *
record_at(const correlate_t *c, guint index)
{
    return &g_array_index(c->records, record_t, index);
}

/* Records of a key in the order of the dealing rule: start, end, frame. */
static int
compare_entries(const void *a, const void *b)
{
    const entry_t *ea = a, *eb = b;

    if (ea->key != eb->key)
        return ea->key < eb->key ? -1 : 1;
    if (ea->start != eb->start)
        return ea->start < eb->start ? -1 : 1;
    if (ea->end != eb->end)
        return ea->end < eb->end ? -1 : 1;
    return ea->frame < eb->frame ? -1 : ea->frame > eb->frame;
}

static gint
compare_record_frames(gconstpointer a, gconstpointer b)
{
    guint32 fa = ((const record_t *)a)->frame, fb = ((const record_t *)b)->frame;

    return fa < fb ? -1 : fa > fb;
}

static gint
compare_packet_frames(gconstpointer a, gconstpointer b)
{
    guint32 fa = ((const packet_t *)a)->frame, fb = ((const packet_t *)b)->frame;

    return fa < fb ? -1 : fa > fb;
}

/* Packets in time order, ties by frame. */
static int
compare_turns(const void *a, const void *b)
{
    const turn_t *ta = a, *tb = b;

    if (ta->ts_ns != tb->ts_ns)
        return ta->ts_ns < tb->ts_ns ? -1 : 1;
    return ta->frame < tb->frame ? -1 : ta->frame > tb->frame;
}

static void
sort_by_frame(GArray *array, GCompareFunc compare)
{
    /* Frames arrive in order in a capture: sort only when they did not. */
    for (guint i = 1; i < array->len; i++) {
        if (compare(array->data + (i - 1) * g_array_get_element_size(array),
                    array->data + i * g_array_get_element_size(array)) > 0) {
            g_array_sort(array, compare);
            return;
        }
    }
}

static void
build_runs(correlate_t *c)
{
    guint n_keys = c->keys->len + 1;
    guint i;

    c->entries = g_new(entry_t, (gsize)c->records->len * 2);
    for (i = 0; i < c->records->len; i++) {
        const record_t *r = record_at(c, i);

        if (r->key == 0)
            continue;
        c->entries[c->n_entries++] = (entry_t){ r->key, i, r->start, r->end, r->frame };
        c->entries[c->n_entries++] = (entry_t){ r->any_key, i, r->start, r->end, r->frame };
    }
    if (c->n_entries > 1)
        qsort(c->entries, c->n_entries, sizeof(entry_t), compare_entries);

    c->run_first = g_new0(guint32, n_keys);
    c->run_count = g_new0(guint32, n_keys);
    c->run_span_ns = g_new0(gint64, n_keys);
    for (i = 0; i < c->n_entries; i++) {
        const entry_t *e = &c->entries[i];
        gint64 span = (e->end - e->start) * NS_PER_S;

        if (c->run_count[e->key]++ == 0)
            c->run_first[e->key] = i;
        if (span > c->run_span_ns[e->key])
            c->run_span_ns[e->key] = span;
    }
}

/* Window of a record: start - lag <= t < end + 1 s (whole seconds). */
static gint64
window_low(const correlate_t *c, const entry_t *e)
{
    return e->start * NS_PER_S - c->lag_ns;
}

static gint64
window_high(const entry_t *e)
{
    return (e->end + 1) * NS_PER_S;
}

/* First entry of [first, first + count) whose window starts after t. */
static guint
first_starting_after(const correlate_t *c, guint first, guint count, gint64 t)
{
    guint lo = first, hi = first + count;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (window_low(c, &c->entries[mid]) > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The record (index + 1) the dealing rule gives a packet at time t of a
 * key, 0 when no window holds it. When want_record is not 0, only
 * whether that record (index + 1) is a candidate: it is returned, or 0. */
static guint32
deal(const correlate_t *c, guint32 key, gint64 t, guint32 want_record)
{
    guint first = c->run_first[key], count = c->run_count[key];
    guint32 latest = 0;
    guint lo, hi, i;

    if (count == 0)
        return 0;
    /* Windows are sorted by their start; one that ends after t starts less
     * than the key's longest record, 1 s and the lag before t. */
    hi = first_starting_after(c, first, count, t);
    lo = first_starting_after(c, first, count, t - c->run_span_ns[key] - NS_PER_S - c->lag_ns);
    for (i = lo; i < hi; i++) {
        guint32 index = c->entries[i].record;
        const record_t *r = record_at(c, index);

        if (window_high(&c->entries[i]) <= t)
            continue;
        if (want_record != 0) {
            if (index + 1 == want_record)
                return want_record;
            continue;
        }
        if (r->packets < r->logged_packets)
            return index + 1;
        latest = index + 1;
    }
    return want_record != 0 ? 0 : latest;
}

static void
count_in(correlate_t *c, packet_t *p, guint32 record)
{
    record_t *r = &g_array_index(c->records, record_t, record - 1);

    p->record = record;
    p->status = CORRELATE_PACKET_MATCHED;
    r->packets++;
    r->bytes += p->ip_len;
    if (r->first_frame == 0 || p->frame < r->first_frame)
        r->first_frame = p->frame;
    if (p->frame > r->last_frame)
        r->last_frame = p->frame;
}

static packet_t *
packet_by_frame(const correlate_t *c, guint32 frame)
{
    guint lo = 0, hi = c->packets->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        packet_t *p = &g_array_index(c->packets, packet_t, mid);

        if (p->frame == frame)
            return p;
        if (p->frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void
deal_packet(correlate_t *c, packet_t *p)
{
    guint32 record;

    if (p->dealt)
        return;
    p->dealt = TRUE;
    /* A later copy of a packet whose first copy counts in a record it could
     * also belong to is linked there, not counted twice. The first copy is
     * dealt first even when its time is later. */
    if (p->duplicate_of != 0 && p->duplicate_of != p->frame) {
        packet_t *first = packet_by_frame(c, p->duplicate_of);

        if (first != NULL && first->key != 0 && first->duplicate_of == 0) {
            deal_packet(c, first);
            if (first->status == CORRELATE_PACKET_MATCHED &&
                deal(c, p->key, p->ts_ns, first->record) != 0) {
                p->record = first->record;
                p->status = CORRELATE_PACKET_DUPLICATE;
                return;
            }
        }
    }
    record = deal(c, p->key, p->ts_ns, 0);
    if (record != 0)
        count_in(c, p, record);
    else
        p->status = CORRELATE_PACKET_OUTSIDE;
}

static correlate_record_verdict_t
verdict_of(const record_t *r)
{
    if (r->key == 0)
        return CORRELATE_RECORD_NO_PART;
    if (r->packets == 0)
        return CORRELATE_RECORD_NOT_SEEN;
    if (r->packets == r->logged_packets)
        return CORRELATE_RECORD_FULLY_SEEN;
    return r->packets < r->logged_packets ? CORRELATE_RECORD_PARTLY_SEEN : CORRELATE_RECORD_MORE_THAN_LOGGED;
}

static void
count_totals(correlate_t *c)
{
    correlate_totals_t *t = &c->totals;
    guint i;

    memset(t, 0, sizeof *t);
    for (i = 0; i < c->records->len; i++) {
        const record_t *r = record_at(c, i);

        switch (verdict_of(r)) {
        case CORRELATE_RECORD_NO_PART:
            continue;
        case CORRELATE_RECORD_FULLY_SEEN:
            t->fully_seen++;
            break;
        case CORRELATE_RECORD_PARTLY_SEEN:
            t->partly_seen++;
            break;
        case CORRELATE_RECORD_NOT_SEEN:
            t->not_seen++;
            break;
        case CORRELATE_RECORD_MORE_THAN_LOGGED:
            t->more_than_logged++;
            break;
        }
        t->records++;
        if (r->reject && r->packets > 0)
            t->reject_mirrored++;
    }
    for (i = 0; i < c->packets->len; i++) {
        const packet_t *p = &g_array_index(c->packets, packet_t, i);

        if (p->key == 0)
            continue;
        t->packets++;
        t->matched += p->status == CORRELATE_PACKET_MATCHED;
        t->duplicates += p->status == CORRELATE_PACKET_DUPLICATE;
        t->outside += p->status == CORRELATE_PACKET_OUTSIDE;
    }
}

void
correlate_resolve(correlate_t *c)
{
    turn_t *order;
    guint n = 0, i;

    clear_resolved(c);
    sort_by_frame(c->records, compare_record_frames);
    sort_by_frame(c->packets, compare_packet_frames);
    for (i = 0; i < c->records->len; i++) {
        record_t *r = &g_array_index(c->records, record_t, i);

        r->packets = r->bytes = 0;
        r->first_frame = r->last_frame = 0;
    }
    build_runs(c);

    order = g_new(turn_t, c->packets->len ? c->packets->len : 1);
    for (i = 0; i < c->packets->len; i++) {
        packet_t *p = &g_array_index(c->packets, packet_t, i);

        p->record = 0;
        p->status = CORRELATE_PACKET_NO_PART;
        p->dealt = FALSE;
        if (p->key != 0)
            order[n++] = (turn_t){ p->ts_ns, p->frame, i };
    }
    qsort(order, n, sizeof(turn_t), compare_turns);
    for (i = 0; i < n; i++)
        deal_packet(c, &g_array_index(c->packets, packet_t, order[i].packet));
    g_free(order);

    count_totals(c);
    c->resolved = TRUE;
}

gboolean
correlate_resolved(const correlate_t *c)
{
    return c->resolved;
}

/* --- results --- */

static const record_t *
record_by_frame(const correlate_t *c, guint32 frame)
{
    guint lo = 0, hi = c->records->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        const record_t *r = record_at(c, mid);

        if (r->frame == frame)
            return r;
        if (r->frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

gboolean
correlate_record_result(const correlate_t *c, guint32 frame, correlate_record_result_t *out)
{
    const record_t *r = c->resolved ? record_by_frame(c, frame) : NULL;

    memset(out, 0, sizeof *out);
    if (r == NULL)
        return FALSE;
    out->verdict = verdict_of(r);
    out->reject_mirrored = r->key != 0 && r->reject && r->packets > 0;
    out->logged_packets = r->logged_packets;
    out->logged_bytes = r->logged_bytes;
    out->packets = r->packets;
    out->bytes = r->bytes;
    out->first_frame = r->first_frame;
    out->last_frame = r->last_frame;
    return TRUE;
}

gboolean
correlate_packet_result(const correlate_t *c, guint32 frame, correlate_packet_result_t *out)
{
    const packet_t *p = c->resolved ? packet_by_frame(c, frame) : NULL;

    memset(out, 0, sizeof *out);
    if (p == NULL)
        return FALSE;
    out->status = p->status;
    out->ip_len = p->ip_len;
    if (p->record != 0) {
        const record_t *r = record_at(c, p->record - 1);
        const flow_key_t *key = g_ptr_array_index(c->keys, p->key - 1);

        out->record_frame = r->frame;
        out->record_reject = r->reject;
        out->without_interface = key->iface == 0;
    }
    return TRUE;
}

guint
correlate_record_count(const correlate_t *c)
{
    return c->records->len;
}

guint32
correlate_record_frame(const correlate_t *c, guint index)
{
    return index < c->records->len ? record_at(c, index)->frame : 0;
}

void
correlate_totals(const correlate_t *c, correlate_totals_t *out)
{
    if (c->resolved)
        *out = c->totals;
    else
        memset(out, 0, sizeof *out);
}

const char *
correlate_record_verdict_name(correlate_record_verdict_t verdict)
{
    switch (verdict) {
    case CORRELATE_RECORD_FULLY_SEEN:
        return "fully seen";
    case CORRELATE_RECORD_PARTLY_SEEN:
        return "partly seen";
    case CORRELATE_RECORD_NOT_SEEN:
        return "not seen";
    case CORRELATE_RECORD_MORE_THAN_LOGGED:
        return "more than logged";
    case CORRELATE_RECORD_NO_PART:
        break;
    }
    return "no part";
}
