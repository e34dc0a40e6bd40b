/* test-correlate.c
 * Unit tests of the join of flow records and mirrored packets
 * (plugin/correlate/core, rules in docs/correlation.md). Every expected
 * value is worked out by hand from the rule the test names; the window
 * tests put packets one nanosecond either side of each edge.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "correlate.h"
#include "mirror-inner.h"

#define S(x) ((gint64)(x) * G_GINT64_CONSTANT(1000000000))
#define TCP 6
#define UDP 17
#define ICMP 1

static mirror_addr_t
v4(guint8 a, guint8 b, guint8 c, guint8 d)
{
    mirror_addr_t addr = { MIRROR_ADDR_IPV4, { a, b, c, d } };
    return addr;
}

/* A TCP record 10.0.0.1:1000 -> 10.0.0.2:80 on an interface. */
static correlate_record_t
tcp_record(guint32 frame, const char *eni, gint64 start, gint64 end, guint64 packets, guint64 bytes)
{
    correlate_record_t r;

    memset(&r, 0, sizeof r);
    r.frame = frame;
    r.interface_id = eni;
    r.src = v4(10, 0, 0, 1);
    r.dst = v4(10, 0, 0, 2);
    r.has_protocol = TRUE;
    r.protocol = TCP;
    r.has_ports = TRUE;
    r.src_port = 1000;
    r.dst_port = 80;
    r.has_times = TRUE;
    r.start = start;
    r.end = end;
    r.has_packets = TRUE;
    r.packets = packets;
    r.bytes = bytes;
    r.status_ok = TRUE;
    return r;
}

/* What mirror_inner_parse reads from a whole copy of a TCP packet of the
 * record's flow: Ethernet header, then ip_len bytes of IP. */
static mirror_inner_t
tcp_inner(guint32 ip_len)
{
    mirror_inner_t in;

    memset(&in, 0, sizeof in);
    in.has_ip = TRUE;
    in.l3_offset = 14;
    in.src = v4(10, 0, 0, 1);
    in.dst = v4(10, 0, 0, 2);
    in.ip_proto = TCP;
    in.has_ports = TRUE;
    in.src_port = 1000;
    in.dst_port = 80;
    in.original_len = 14 + ip_len;
    return in;
}

static void
add_packet(correlate_t *c, guint32 frame, gint64 ts_ns, const char *eni, const mirror_inner_t *in,
           guint32 duplicate_of)
{
    correlate_packet_t p = { frame, ts_ns, eni, in, duplicate_of };

    g_assert_true(correlate_add_packet(c, &p));
}

static void
add_record(correlate_t *c, correlate_record_t r)
{
    g_assert_true(correlate_add_record(c, &r));
}

static guint32
record_of(correlate_t *c, guint32 packet_frame)
{
    correlate_packet_result_t pr;

    g_assert_true(correlate_packet_result(c, packet_frame, &pr));
    return pr.status == CORRELATE_PACKET_MATCHED ? pr.record_frame : 0;
}

static correlate_record_result_t
result_of(correlate_t *c, guint32 record_frame)
{
    correlate_record_result_t rr;

    g_assert_true(correlate_record_result(c, record_frame, &rr));
    return rr;
}

/* ---------------------------------------------------------------- basics */

static void
test_basic_match(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(60);
    correlate_record_result_t rr;

    add_record(c, tcp_record(1, "eni-a", 100, 110, 3, 180));
    add_packet(c, 2, S(100) + 500000000, "eni-a", &in, 0);
    add_packet(c, 3, S(105), "eni-a", &in, 0);
    add_packet(c, 4, S(110) + 900000000, "eni-a", &in, 0);
    g_assert_false(correlate_resolved(c));
    correlate_resolve(c);
    g_assert_true(correlate_resolved(c));

    rr = result_of(c, 1);
    g_assert_cmpint(rr.verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    g_assert_cmpuint(rr.packets, ==, 3);
    g_assert_cmpuint(rr.bytes, ==, 180);
    g_assert_cmpuint(rr.logged_packets, ==, 3);
    g_assert_cmpuint(rr.first_frame, ==, 2);
    g_assert_cmpuint(rr.last_frame, ==, 4);
    g_assert_cmpuint(record_of(c, 2), ==, 1);
    g_assert_cmpuint(record_of(c, 4), ==, 1);
    g_assert_cmpstr(correlate_record_verdict_name(rr.verdict), ==, "fully seen");
    correlate_free(c);
}

/* ---------------------------------------------------------------- window */

/* start - L is inside the window, one nanosecond before it is not. */
static void
test_window_lag_edge(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(40);

    add_record(c, tcp_record(1, "eni-a", 100, 110, 5, 200));
    add_packet(c, 2, S(40) - 1, "eni-a", &in, 0);
    add_packet(c, 3, S(40), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 2), ==, 0);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    correlate_free(c);

    /* With no lag allowed, start itself is the edge. */
    c = correlate_new(0);
    add_record(c, tcp_record(1, "eni-a", 100, 110, 5, 200));
    add_packet(c, 2, S(100) - 1, "eni-a", &in, 0);
    add_packet(c, 3, S(100), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 2), ==, 0);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    correlate_free(c);
}

/* end is a whole second: the window closes at end + 1 s. */
static void
test_window_end_edge(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(40);
    correlate_packet_result_t pr;
    correlate_totals_t totals;

    add_record(c, tcp_record(1, "eni-a", 100, 110, 5, 200));
    add_packet(c, 2, S(111) - 1, "eni-a", &in, 0);
    add_packet(c, 3, S(111), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 2), ==, 1);
    g_assert_true(correlate_packet_result(c, 3, &pr));
    g_assert_cmpint(pr.status, ==, CORRELATE_PACKET_OUTSIDE);
    g_assert_cmpuint(pr.record_frame, ==, 0);
    correlate_totals(c, &totals);
    g_assert_cmpuint(totals.outside, ==, 1);
    g_assert_cmpuint(totals.matched, ==, 1);
    g_assert_cmpuint(totals.partly_seen, ==, 1);
    correlate_free(c);
}

/* Consecutive records A [100, 159] and B [160, 219], 2 packets each, L 60:
 * B's window opens at 100, so from 100 on both compete. The earliest with
 * room wins: 150 and 155 fill A, 158 (inside A's window too) goes to B. */
static void
test_window_competing_records(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(40);

    add_record(c, tcp_record(1, "eni-a", 100, 159, 2, 80));
    add_record(c, tcp_record(2, "eni-a", 160, 219, 2, 80));
    add_packet(c, 3, S(150), "eni-a", &in, 0);
    add_packet(c, 4, S(155), "eni-a", &in, 0);
    add_packet(c, 5, S(158), "eni-a", &in, 0);
    add_packet(c, 6, S(165), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    g_assert_cmpuint(record_of(c, 4), ==, 1);
    g_assert_cmpuint(record_of(c, 5), ==, 2);
    g_assert_cmpuint(record_of(c, 6), ==, 2);
    g_assert_cmpint(result_of(c, 1).verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    g_assert_cmpint(result_of(c, 2).verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    correlate_free(c);
}

/* Before B's window opens (t < 100), A is the only candidate; when every
 * candidate is full, the latest takes the excess. */
static void
test_window_all_full(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(40);
    correlate_record_result_t a, b;

    add_record(c, tcp_record(1, "eni-a", 100, 159, 1, 40));
    add_record(c, tcp_record(2, "eni-a", 160, 219, 1, 40));
    add_packet(c, 3, S(99), "eni-a", &in, 0);     /* A only: B opens at 100 */
    add_packet(c, 4, S(99) + 1, "eni-a", &in, 0); /* A only, A full: still A */
    add_packet(c, 5, S(150), "eni-a", &in, 0);    /* both, A full: B */
    add_packet(c, 6, S(152), "eni-a", &in, 0);    /* both full: latest, B */
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    g_assert_cmpuint(record_of(c, 4), ==, 1);
    g_assert_cmpuint(record_of(c, 5), ==, 2);
    g_assert_cmpuint(record_of(c, 6), ==, 2);
    a = result_of(c, 1);
    b = result_of(c, 2);
    g_assert_cmpint(a.verdict, ==, CORRELATE_RECORD_MORE_THAN_LOGGED);
    g_assert_cmpint(b.verdict, ==, CORRELATE_RECORD_MORE_THAN_LOGGED);
    g_assert_cmpuint(a.packets, ==, 2);
    g_assert_cmpuint(b.packets, ==, 2);
    correlate_free(c);
}

/* AWS stamped both records 30 s after the packets: interval 1 had packets
 * at 70, 80, 90 (record 100..120), interval 2 at 95 and 110 (record
 * 125..140). 95 and 110 lie in both windows; the count sends them to the
 * second record. Then the documented limit: the mirror missed 80, so A has
 * room when 95 comes, and 95 fills it. */
static void
test_window_lag_and_counts(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(40);

    add_record(c, tcp_record(1, "eni-a", 100, 120, 3, 120));
    add_record(c, tcp_record(2, "eni-a", 125, 140, 2, 80));
    add_packet(c, 3, S(70), "eni-a", &in, 0);
    add_packet(c, 4, S(80), "eni-a", &in, 0);
    add_packet(c, 5, S(90), "eni-a", &in, 0);
    add_packet(c, 6, S(95), "eni-a", &in, 0);
    add_packet(c, 7, S(110), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 5), ==, 1);
    g_assert_cmpuint(record_of(c, 6), ==, 2);
    g_assert_cmpuint(record_of(c, 7), ==, 2);
    correlate_free(c);

    c = correlate_new(60);
    add_record(c, tcp_record(1, "eni-a", 100, 120, 3, 120));
    add_record(c, tcp_record(2, "eni-a", 125, 140, 2, 80));
    add_packet(c, 3, S(70), "eni-a", &in, 0);
    add_packet(c, 5, S(90), "eni-a", &in, 0);
    add_packet(c, 6, S(95), "eni-a", &in, 0);
    add_packet(c, 7, S(110), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 6), ==, 1);
    g_assert_cmpuint(record_of(c, 7), ==, 2);
    g_assert_cmpint(result_of(c, 1).verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    g_assert_cmpint(result_of(c, 2).verdict, ==, CORRELATE_RECORD_PARTLY_SEEN);
    correlate_free(c);
}

/* ---------------------------------------------------------------- keys */

/* A record is one direction: the reply does not match it. */
static void
test_direction(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t request = tcp_inner(40), reply = tcp_inner(52);
    correlate_record_t back = tcp_record(2, "eni-a", 100, 110, 1, 52);

    reply.src = request.dst;
    reply.dst = request.src;
    reply.src_port = 80;
    reply.dst_port = 1000;
    back.src = v4(10, 0, 0, 2);
    back.dst = v4(10, 0, 0, 1);
    back.src_port = 80;
    back.dst_port = 1000;
    add_record(c, tcp_record(1, "eni-a", 100, 110, 1, 40));
    add_record(c, back);
    add_packet(c, 3, S(101), "eni-a", &request, 0);
    add_packet(c, 4, S(102), "eni-a", &reply, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    g_assert_cmpuint(record_of(c, 4), ==, 2);
    g_assert_cmpuint(result_of(c, 1).bytes, ==, 40);
    g_assert_cmpuint(result_of(c, 2).bytes, ==, 52);

    /* Another port is another flow. */
    request.dst_port = 81;
    add_packet(c, 5, S(103), "eni-a", &request, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 5), ==, 0);
    correlate_free(c);
}

/* Both ends mirrored: the sender's copy counts in the sender's egress
 * record, the receiver's copy (a duplicate, other interface) in the
 * receiver's ingress record. A copy from an interface with no record of
 * the flow is outside every record, even though another interface has one. */
static void
test_interfaces_and_both_ends(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(100);
    correlate_packet_result_t pr;

    add_record(c, tcp_record(1, "eni-sender", 100, 110, 1, 100));
    add_record(c, tcp_record(2, "eni-receiver", 100, 110, 1, 100));
    add_packet(c, 3, S(101), "eni-sender", &in, 0);
    add_packet(c, 4, S(101) + 300000, "eni-receiver", &in, 3);
    add_packet(c, 5, S(102), "eni-other", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    g_assert_cmpuint(record_of(c, 4), ==, 2);
    g_assert_cmpint(result_of(c, 1).verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    g_assert_cmpint(result_of(c, 2).verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    g_assert_true(correlate_packet_result(c, 5, &pr));
    g_assert_cmpint(pr.status, ==, CORRELATE_PACKET_OUTSIDE);
    g_assert_true(correlate_packet_result(c, 3, &pr));
    g_assert_false(pr.without_interface);
    correlate_free(c);
}

/* No record counts one packet twice: a direct capture of a mirrored packet
 * (no interface: the fallback) is linked to the record its first copy
 * counts in, uncounted, even when its time is earlier than the first's. */
static void
test_duplicate_same_record(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(100);
    correlate_packet_result_t pr;
    correlate_record_result_t rr;
    correlate_totals_t totals;

    add_record(c, tcp_record(1, "eni-a", 100, 110, 2, 200));
    add_packet(c, 2, S(101), "eni-a", &in, 0);
    add_packet(c, 3, S(101) - 1000, NULL, &in, 2);
    add_packet(c, 4, S(103), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_true(correlate_packet_result(c, 3, &pr));
    g_assert_cmpint(pr.status, ==, CORRELATE_PACKET_DUPLICATE);
    g_assert_cmpuint(pr.record_frame, ==, 1);
    rr = result_of(c, 1);
    g_assert_cmpuint(rr.packets, ==, 2);
    g_assert_cmpuint(rr.bytes, ==, 200);
    g_assert_cmpuint(rr.first_frame, ==, 2);
    g_assert_cmpuint(rr.last_frame, ==, 4);
    g_assert_cmpint(rr.verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    correlate_totals(c, &totals);
    g_assert_cmpuint(totals.duplicates, ==, 1);
    g_assert_cmpuint(totals.matched, ==, 2);
    correlate_free(c);
}

/* Without a known interface a packet matches by addresses and ports. */
static void
test_fallback_without_interface(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(100);
    correlate_packet_result_t pr;

    add_record(c, tcp_record(1, "eni-a", 100, 110, 1, 100));
    add_packet(c, 2, S(105), NULL, &in, 0);
    add_packet(c, 3, S(106), "", &in, 0);
    correlate_resolve(c);
    g_assert_true(correlate_packet_result(c, 2, &pr));
    g_assert_cmpint(pr.status, ==, CORRELATE_PACKET_MATCHED);
    g_assert_cmpuint(pr.record_frame, ==, 1);
    g_assert_true(pr.without_interface);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    g_assert_cmpint(result_of(c, 1).verdict, ==, CORRELATE_RECORD_MORE_THAN_LOGGED);
    correlate_free(c);
}

/* ICMP matches on protocol and addresses, whatever ports the record wrote
 * (AWS writes 0 0), and a record with "-" ports takes part too. */
static void
test_portless_protocols(void)
{
    correlate_t *c = correlate_new(60);
    correlate_record_t zero = tcp_record(1, "eni-a", 100, 110, 1, 84);
    correlate_record_t dash = tcp_record(2, "eni-b", 100, 110, 1, 84);
    mirror_inner_t ping = tcp_inner(84);

    zero.protocol = dash.protocol = ICMP;
    zero.src_port = zero.dst_port = 0;
    dash.has_ports = FALSE;
    ping.ip_proto = ICMP;
    ping.has_ports = FALSE;
    ping.src_port = ping.dst_port = 0;
    add_record(c, zero);
    add_record(c, dash);
    add_packet(c, 3, S(101), "eni-a", &ping, 0);
    add_packet(c, 4, S(101), "eni-b", &ping, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 3), ==, 1);
    g_assert_cmpuint(record_of(c, 4), ==, 2);
    correlate_free(c);
}

/* A copy cut to 100 bytes by the session still counts the original IP
 * length: the reading is mirror_inner_parse's, on real bytes. */
static void
test_bytes_of_cut_copy(void)
{
    guint8 frame[100];
    mirror_inner_t in;
    correlate_t *c = correlate_new(60);
    correlate_record_result_t rr;

    memset(frame, 0, sizeof frame);
    memcpy(frame, "\x02\x00\x00\x00\x00\x01\x02\x00\x0a\x00\x01\x0a\x08\x00", 14);
    /* IPv4, IHL 5, total length 1000, TCP, 10.0.0.1 -> 10.0.0.2 */
    memcpy(frame + 14, "\x45\x00\x03\xe8\x00\x01\x40\x00\x40\x06\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02", 20);
    memcpy(frame + 34, "\x03\xe8\x00\x50", 4); /* ports 1000 -> 80 */
    frame[34 + 12] = 0x50;                     /* TCP header length 20 */
    g_assert_true(mirror_inner_parse(frame, sizeof frame, sizeof frame, &in));
    g_assert_true(in.truncated);

    add_record(c, tcp_record(1, "eni-a", 100, 110, 1, 1000));
    add_packet(c, 2, S(101), "eni-a", &in, 0);
    correlate_resolve(c);
    rr = result_of(c, 1);
    g_assert_cmpuint(rr.packets, ==, 1);
    g_assert_cmpuint(rr.bytes, ==, 1000);
    correlate_free(c);
}

/* ---------------------------------------------------------------- no part */

static void
test_what_takes_no_part(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(100), arp, short_copy = tcp_inner(100), fragment = tcp_inner(100);
    correlate_record_t nodata = tcp_record(1, "eni-a", 100, 110, 1, 100);
    correlate_record_t no_eni = tcp_record(2, NULL, 100, 110, 1, 100);
    correlate_record_t no_ports = tcp_record(3, "eni-a", 100, 110, 1, 100);
    correlate_record_t backwards = tcp_record(4, "eni-a", 110, 100, 1, 100);
    correlate_record_t no_addr = tcp_record(5, "eni-a", 100, 110, 1, 100);
    correlate_record_t mixed = tcp_record(6, "eni-a", 100, 110, 1, 100);
    correlate_record_t too_long = tcp_record(7, "eni-a", 100, 100 + 3601, 1, 100);
    correlate_record_result_t rr;
    correlate_packet_result_t pr;
    correlate_packet_t p;
    correlate_totals_t totals;

    nodata.status_ok = FALSE;
    no_ports.has_ports = FALSE;
    no_addr.src.type = MIRROR_ADDR_NONE;
    mixed.dst.type = MIRROR_ADDR_IPV6;
    g_assert_false(correlate_add_record(c, &nodata));
    g_assert_false(correlate_add_record(c, &no_eni));
    g_assert_false(correlate_add_record(c, &no_ports));
    g_assert_false(correlate_add_record(c, &backwards));
    g_assert_false(correlate_add_record(c, &no_addr));
    g_assert_false(correlate_add_record(c, &mixed));
    g_assert_false(correlate_add_record(c, &too_long));

    memset(&arp, 0, sizeof arp);
    short_copy.original_len = 0; /* too short for the IP length field */
    fragment.has_ports = FALSE;  /* a later fragment of TCP */
    p = (correlate_packet_t){ 10, S(105), "eni-a", &arp, 0 };
    g_assert_false(correlate_add_packet(c, &p));
    p = (correlate_packet_t){ 11, S(105), "eni-a", &short_copy, 0 };
    g_assert_false(correlate_add_packet(c, &p));
    p = (correlate_packet_t){ 12, S(105), "eni-a", &fragment, 0 };
    g_assert_false(correlate_add_packet(c, &p));
    p = (correlate_packet_t){ 13, S(105), "eni-a", NULL, 0 };
    g_assert_false(correlate_add_packet(c, &p));
    add_packet(c, 14, S(105), "eni-a", &in, 0);
    correlate_resolve(c);

    for (guint32 frame = 1; frame <= 7; frame++) {
        g_assert_true(correlate_record_result(c, frame, &rr));
        g_assert_cmpint(rr.verdict, ==, CORRELATE_RECORD_NO_PART);
        g_assert_cmpuint(rr.packets, ==, 0);
    }
    for (guint32 frame = 10; frame <= 13; frame++) {
        g_assert_true(correlate_packet_result(c, frame, &pr));
        g_assert_cmpint(pr.status, ==, CORRELATE_PACKET_NO_PART);
    }
    g_assert_true(correlate_packet_result(c, 14, &pr));
    g_assert_cmpint(pr.status, ==, CORRELATE_PACKET_OUTSIDE);
    g_assert_false(correlate_packet_result(c, 99, &pr));
    g_assert_false(correlate_record_result(c, 99, &rr));
    correlate_totals(c, &totals);
    g_assert_cmpuint(totals.records, ==, 0);
    g_assert_cmpuint(totals.packets, ==, 1);
    g_assert_cmpuint(totals.outside, ==, 1);
    correlate_free(c);
}

/* ---------------------------------------------------------------- verdicts */

static void
test_reject_and_totals(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(40);
    correlate_record_t reject = tcp_record(1, "eni-a", 100, 110, 2, 80);
    correlate_packet_result_t pr;
    correlate_record_result_t rr;
    correlate_totals_t t;

    reject.reject = TRUE;
    add_record(c, reject);
    add_record(c, tcp_record(2, "eni-b", 100, 110, 3, 120));  /* partly */
    add_record(c, tcp_record(3, "eni-c", 100, 110, 1, 40));   /* not seen */
    add_packet(c, 4, S(101), "eni-a", &in, 0);
    add_packet(c, 5, S(101), "eni-b", &in, 0);
    add_packet(c, 6, S(500), "eni-b", &in, 0);                /* outside */
    correlate_resolve(c);
    rr = result_of(c, 1);
    g_assert_true(rr.reject_mirrored);
    g_assert_cmpint(rr.verdict, ==, CORRELATE_RECORD_PARTLY_SEEN);
    g_assert_true(correlate_packet_result(c, 4, &pr));
    g_assert_true(pr.record_reject);
    g_assert_cmpuint(pr.ip_len, ==, 40);
    g_assert_false(result_of(c, 2).reject_mirrored);
    g_assert_cmpint(result_of(c, 3).verdict, ==, CORRELATE_RECORD_NOT_SEEN);
    g_assert_cmpuint(result_of(c, 3).first_frame, ==, 0);
    correlate_totals(c, &t);
    g_assert_cmpuint(t.records, ==, 3);
    g_assert_cmpuint(t.fully_seen, ==, 0);
    g_assert_cmpuint(t.partly_seen, ==, 2);
    g_assert_cmpuint(t.not_seen, ==, 1);
    g_assert_cmpuint(t.reject_mirrored, ==, 1);
    g_assert_cmpuint(t.packets, ==, 3);
    g_assert_cmpuint(t.matched, ==, 2);
    g_assert_cmpuint(t.outside, ==, 1);
    correlate_free(c);
}

/* Records after their packets, frames out of order, a second resolve and
 * an addition after it: the answers are those of the plain order. */
static void
test_order_and_resolve_again(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(40);

    add_packet(c, 5, S(150), "eni-a", &in, 0);
    add_packet(c, 3, S(158), "eni-a", &in, 0);
    add_record(c, tcp_record(9, "eni-a", 160, 219, 2, 80));
    add_record(c, tcp_record(2, "eni-a", 100, 159, 1, 40));
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 5), ==, 2);
    g_assert_cmpuint(record_of(c, 3), ==, 9);
    correlate_resolve(c);
    g_assert_cmpuint(result_of(c, 2).packets, ==, 1);
    g_assert_cmpuint(result_of(c, 9).packets, ==, 1);
    g_assert_cmpuint(correlate_record_count(c), ==, 2);
    g_assert_cmpuint(correlate_record_frame(c, 0), ==, 2);

    add_packet(c, 20, S(165), "eni-a", &in, 0);
    g_assert_false(correlate_resolved(c));
    correlate_resolve(c);
    g_assert_cmpuint(result_of(c, 9).packets, ==, 2);
    g_assert_cmpint(result_of(c, 9).verdict, ==, CORRELATE_RECORD_FULLY_SEEN);
    correlate_free(c);
}

static void
test_ipv6(void)
{
    correlate_t *c = correlate_new(60);
    mirror_inner_t in = tcp_inner(0);
    correlate_record_t r = tcp_record(1, "eni-a", 100, 110, 1, 1060);
    mirror_addr_t a = { MIRROR_ADDR_IPV6, { 0x26, 0, 0x1f, 0x18, [15] = 1 } };
    mirror_addr_t b = { MIRROR_ADDR_IPV6, { 0x26, 0, 0x1f, 0x18, [15] = 2 } };

    r.protocol = in.ip_proto = UDP;
    r.src = in.src = a;
    r.dst = in.dst = b;
    in.original_len = 14 + 1060;
    add_record(c, r);
    add_packet(c, 2, S(105), "eni-a", &in, 0);
    in.dst.bytes[0] = 0x27;
    add_packet(c, 3, S(105), "eni-a", &in, 0);
    correlate_resolve(c);
    g_assert_cmpuint(record_of(c, 2), ==, 1);
    g_assert_cmpuint(record_of(c, 3), ==, 0);
    g_assert_cmpuint(result_of(c, 1).bytes, ==, 1060);
    correlate_free(c);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/correlate/basic-match", test_basic_match);
    g_test_add_func("/correlate/window/lag-edge", test_window_lag_edge);
    g_test_add_func("/correlate/window/end-edge", test_window_end_edge);
    g_test_add_func("/correlate/window/competing-records", test_window_competing_records);
    g_test_add_func("/correlate/window/all-full", test_window_all_full);
    g_test_add_func("/correlate/window/lag-and-counts", test_window_lag_and_counts);
    g_test_add_func("/correlate/direction", test_direction);
    g_test_add_func("/correlate/interfaces-and-both-ends", test_interfaces_and_both_ends);
    g_test_add_func("/correlate/duplicate-same-record", test_duplicate_same_record);
    g_test_add_func("/correlate/fallback-without-interface", test_fallback_without_interface);
    g_test_add_func("/correlate/portless-protocols", test_portless_protocols);
    g_test_add_func("/correlate/bytes-of-cut-copy", test_bytes_of_cut_copy);
    g_test_add_func("/correlate/what-takes-no-part", test_what_takes_no_part);
    g_test_add_func("/correlate/reject-and-totals", test_reject_and_totals);
    g_test_add_func("/correlate/order-and-resolve-again", test_order_and_resolve_again);
    g_test_add_func("/correlate/ipv6", test_ipv6);
    return g_test_run();
}
