#!/usr/bin/python3
# Generates the synthetic Traffic Mirror captures of pcaps/mirror/ and
# the expectations the tests check them against (expected.json), from
# what this script put in each packet; never from tshark's output.
#
#   /usr/bin/python3 tools/gen-mirror-pcaps.py [OUTDIR]     (default pcaps/mirror)
#
# Deterministic: same bytes on every run (fixed times, no randomness).
# Uses scapy (Debian python3-scapy) for the inner packets, so their
# checksums are right; the VXLAN/GENEVE headers and the pcap records are
# written by hand so flags, cut lengths and capture lengths are exact.
#
# What each capture holds is described in CAPTURES below and in
# pcaps/mirror/SOURCES.md; the session table they go with is
# pcaps/mirror/mirror_sessions (written here too, with the AWS CLI JSON
# that imports the same sessions).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import os
import struct
import sys

from scapy.all import ARP, DNS, DNSQR, Ether, ICMP, IP, IPv6, TCP, UDP, Raw, raw

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
T0 = 1_700_000_000  # 2023-11-14 22:13:20 UTC

VPC_ROUTER_MAC = "02:00:00:00:00:01"

# The sessions of the bundled table: VNI, outer source (refines a shared
# VNI), name, session id, ENI, packet length, description, ENI addresses, ENI MAC.
SESSIONS = [
    (12345, "", "web", "tms-0a1b2c3d4e5f60001", "eni-0a1b2c3d4e5f60001", "", "web server eth0",
     "10.0.1.10 10.0.1.11", "02:00:0a:00:01:0a"),
    (23456, "", "db", "tms-0a1b2c3d4e5f60002", "eni-0a1b2c3d4e5f60002", "", "database", "10.0.2.20", ""),
    (100, "", "client-eni", "tms-0a1b2c3d4e5f60100", "eni-0a1b2c3d4e5f60100", "", "client end of the flow",
     "10.0.1.100", ""),
    (200, "", "server-eni", "tms-0a1b2c3d4e5f60200", "eni-0a1b2c3d4e5f60200", "", "server end of the flow",
     "10.0.2.200", ""),
    (300, "", "cut-100", "tms-0a1b2c3d4e5f60300", "eni-0a1b2c3d4e5f60300", "100", "PacketLength 100", "", ""),
    (301, "", "cut-20", "tms-0a1b2c3d4e5f60301", "eni-0a1b2c3d4e5f60300", "20",
     "PacketLength 20, as in the AWS CLI example", "", ""),
    (400, "", "v6-host", "tms-0a1b2c3d4e5f60400", "eni-0a1b2c3d4e5f60400", "", "IPv6 outer headers", "", ""),
    (500, "10.0.5.50", "shared-a", "tms-0a1b2c3d4e5f60501", "eni-0a1b2c3d4e5f60501", "", "VNI shared by two ENIs",
     "", ""),
    (500, "10.0.5.51", "shared-b", "tms-0a1b2c3d4e5f60502", "eni-0a1b2c3d4e5f60502", "", "VNI shared by two ENIs",
     "", ""),
    (600, "", "linux-vxlan", "tms-0a1b2c3d4e5f60600", "eni-0a1b2c3d4e5f60600", "", "VXLAN on UDP 8472", "", ""),
    (5569041, "", "sv-aws-demo", "tms-0example000000001", "eni-0example000000001", "",
     "the real capture of suricata-verify vxlan-decoder-03 (names invented)", "", ""),
]

NAMES = {}
for row in SESSIONS:
    NAMES[(row[0], row[1])] = row[2]


def session_name(vni, outer):
    return NAMES.get((vni, outer)) or NAMES.get((vni, ""))


# ---------------------------------------------------------------- pcap

class Pcap:
    """A classic pcap file whose records keep their own capture length."""

    def __init__(self, linktype=1, snaplen=65535):
        self.linktype = linktype
        self.snaplen = snaplen
        self.records = []

    def add(self, t_us, data, caplen=None):
        caplen = len(data) if caplen is None else caplen
        self.records.append((t_us, data[:caplen], len(data)))
        return len(self.records)  # frame number

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, self.snaplen, self.linktype))
            for t_us, data, wire in self.records:
                f.write(struct.pack("<IIII", T0 + t_us // 1_000_000, t_us % 1_000_000, len(data), wire))
                f.write(data)


def vxlan(vni, inner):
    return struct.pack("!BBHI", 0x08, 0, 0, vni << 8) + inner


def outer_v4(src, dst, payload, sport=65408, dport=4789):
    # AWS: outer IP ID 0, DF clear, UDP checksum 0.
    pkt = Ether(src="02:00:00:00:aa:01", dst="02:00:00:00:aa:02") / IP(src=src, dst=dst, id=0, flags=0, ttl=64) / \
        UDP(sport=sport, dport=dport, chksum=0) / Raw(payload)
    return raw(pkt)


def outer_v6(src, dst, payload, sport=65408, dport=4789):
    pkt = Ether(src="02:00:00:00:aa:01", dst="02:00:00:00:aa:02") / IPv6(src=src, dst=dst, hlim=64) / \
        UDP(sport=sport, dport=dport) / Raw(payload)
    return raw(pkt)


def mirror_copy(vni, outer_src, inner, target="10.0.9.9", sport=65408, cut=None):
    """A VXLAN mirror copy of inner (bytes), cut to `cut` bytes after the VXLAN header."""
    body = inner if cut is None else inner[:cut]
    if ":" in outer_src:
        return outer_v6(outer_src, "2600:1f18:0:9::9", vxlan(vni, body), sport)
    return outer_v4(outer_src, target, vxlan(vni, body), sport)


def frame_fact(frame, vni, outer, direction, inner, cut=None, duplicate_of=None, inner_src=None, inner_dst=None):
    name = session_name(vni, outer)
    original = len(inner)
    return {
        "frame": frame,
        "vni": vni,
        "session": name,
        "direction": direction,
        "truncated": original if cut is not None and cut < original else None,
        "copy_length": cut if cut is not None and cut < original else original,
        "duplicate_of": duplicate_of,
        "inner_len": original,
        "inner_src": inner_src,
        "inner_dst": inner_dst,
    }


def tcp_packet(src, dst, sport, dport, seq, ack, flags, payload=b"", mac_src=None, mac_dst=None, ttl=64, ident=1,
               v6=False):
    ip = IPv6(src=src, dst=dst, hlim=ttl) if v6 else IP(src=src, dst=dst, ttl=ttl, id=ident, flags="DF")
    pkt = Ether(src=mac_src or "02:00:00:00:00:99", dst=mac_dst or VPC_ROUTER_MAC) / ip / \
        TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags, window=64240) / Raw(payload)
    return raw(pkt)


class Flow:
    """A TCP connection between a (client) and b, with consistent sequence
    and acknowledgement numbers, so that TCP analysis of the captures
    shows only what a test is about."""

    def __init__(self, a, b, a_port, b_port, a_isn=1000, b_isn=5000):
        self.end = {True: [a, a_port, a_isn], False: [b, b_port, b_isn]}
        self.acked = {True: 0, False: 0}

    def send(self, from_a, flags, payload=b""):
        me, peer = self.end[from_a], self.end[not from_a]
        seq = me[2]
        ack = peer[2] if "A" in flags else 0
        me[2] += len(payload) + (1 if "S" in flags or "F" in flags else 0)
        return (me[0], peer[0], me[1], peer[1], seq, ack, flags, payload)


# ---------------------------------------------------------------- captures

def two_sessions():
    """Sessions web (12345) and db (23456), both directions; direction from
    the outer source, from an ENI address and from the ENI MAC of the
    table, and unknown; a VNI shared by two ENIs (500) told apart by the
    outer source, and the same VNI from an unlisted source."""
    cap = Pcap()
    facts = []
    t = 0
    web, client = "10.0.1.10", "198.51.100.7"
    web_mac = "02:00:0a:00:01:0a"
    flow = Flow(client, web, 50000, 443)
    conversation = [
        flow.send(True, "S") + ("ingress",),
        flow.send(False, "SA") + ("egress",),
        flow.send(True, "A") + ("ingress",),
        flow.send(True, "PA", b"GET / HTTP/1.1\r\nHost: web\r\n\r\n") + ("ingress",),
        flow.send(False, "PA", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") + ("egress",),
        flow.send(True, "FA") + ("ingress",),
        flow.send(False, "FA") + ("egress",),
        flow.send(True, "A") + ("ingress",),
    ]
    for i, (src, dst, sp, dp, seq, ack, flags, payload, direction) in enumerate(conversation):
        egress = direction == "egress"
        inner = tcp_packet(src, dst, sp, dp, seq, ack, flags, payload,
                           mac_src=web_mac if egress else VPC_ROUTER_MAC,
                           mac_dst=VPC_ROUTER_MAC if egress else web_mac, ident=100 + i)
        t += 1000
        n = cap.add(t, mirror_copy(12345, web, inner, sport=65408 + i % 3))
        facts.append(frame_fact(n, 12345, web, direction, inner, inner_src=src, inner_dst=dst))

    # From the ENI's secondary address (table column "ENI addresses").
    inner = tcp_packet("10.0.1.11", client, 8443, 50001, 1, 0, "S", mac_src=web_mac, ident=200)
    t += 1000
    n = cap.add(t, mirror_copy(12345, web, inner))
    facts.append(frame_fact(n, 12345, web, "egress", inner, inner_src="10.0.1.11", inner_dst=client))
    # Addresses unknown to the table, but the inner source MAC is the ENI's.
    inner = tcp_packet("2001:db8::1", "2001:db8::2", 1234, 80, 1, 0, "S", mac_src=web_mac, v6=True)
    t += 1000
    n = cap.add(t, mirror_copy(12345, web, inner))
    facts.append(frame_fact(n, 12345, web, "egress", inner, inner_src="2001:db8::1", inner_dst="2001:db8::2"))
    # Traffic the ENI forwards (a NAT or firewall instance): neither end is it.
    inner = tcp_packet("192.0.2.1", "198.51.100.9", 40000, 80, 1, 0, "S", mac_src=VPC_ROUTER_MAC,
                       mac_dst="02:00:00:00:00:77", ident=300)
    t += 1000
    n = cap.add(t, mirror_copy(12345, web, inner))
    facts.append(frame_fact(n, 12345, web, None, inner, inner_src="192.0.2.1", inner_dst="198.51.100.9"))

    # db: DNS both ways.
    db, resolver = "10.0.2.20", "10.0.0.2"
    for i in range(3):
        query = raw(Ether(src="02:00:0a:00:02:14", dst=VPC_ROUTER_MAC) / IP(src=db, dst=resolver, id=400 + i) /
                    UDP(sport=33000 + i, dport=53) / DNS(id=i, rd=1, qd=DNSQR(qname=f"host{i}.example.com")))
        reply = raw(Ether(src=VPC_ROUTER_MAC, dst="02:00:0a:00:02:14") / IP(src=resolver, dst=db, id=500 + i) /
                    UDP(sport=53, dport=33000 + i) / DNS(id=i, qr=1, rd=1, ra=1, qd=DNSQR(qname=f"host{i}.example.com")))
        t += 1000
        n = cap.add(t, mirror_copy(23456, db, query, sport=65500))
        facts.append(frame_fact(n, 23456, db, "egress", query, inner_src=db, inner_dst=resolver))
        t += 1000
        n = cap.add(t, mirror_copy(23456, db, reply, sport=65501))
        facts.append(frame_fact(n, 23456, db, "ingress", reply, inner_src=resolver, inner_dst=db))

    # One VNI, two ENIs (one session each), told apart by the outer source;
    # and the same VNI from a source no row names: no session.
    for outer, other in (("10.0.5.50", "10.0.6.1"), ("10.0.5.51", "10.0.6.2"), ("10.0.5.99", "10.0.6.3")):
        inner = raw(Ether(src="02:00:00:00:05:01", dst=VPC_ROUTER_MAC) / IP(src=outer, dst=other, id=600) /
                    ICMP(type=8, id=1, seq=1) / Raw(b"ping"))
        t += 1000
        n = cap.add(t, mirror_copy(500, outer, inner))
        fact = frame_fact(n, 500, outer, "egress", inner, inner_src=outer, inner_dst=other)
        fact["session"] = NAMES.get((500, outer))
        facts.append(fact)
    return cap, facts


def both_ends_duplicates():
    """A flow between two mirrored ENIs: every packet arrives twice, once
    from each end's session (client-eni VNI 100, server-eni VNI 200), a
    few hundred microseconds apart, in either order; the copy taken after
    the routing hop has its TTL one lower. Also: a real retransmission
    (both copies again, 300 ms later), a packet only one end mirrored,
    and a pair too far apart to be duplicates (3 s)."""
    cap = Pcap()
    facts = []
    a, b = "10.0.1.100", "10.0.2.200"
    t = 0
    flow = Flow(a, b, 40000, 8080, 7000, 9000)
    packets = [
        flow.send(True, "S"),
        flow.send(False, "SA"),
        flow.send(True, "A"),
        flow.send(True, "PA", b"x" * 200),
        flow.send(False, "PA", b"y" * 300),
        flow.send(True, "A"),
    ]
    only_pkt = flow.send(True, "PA", b"z" * 10)
    late_pkt = flow.send(True, "A")

    def both(i, pkt, first_end, gap_us=300, ident=None):
        nonlocal t
        src, dst, sp, dp, seq, ack, flags, payload = pkt
        ident = 1000 + i if ident is None else ident
        # Sent by src's ENI (egress copy, TTL 64), received by dst's ENI
        # (ingress copy, TTL 63).
        sender_vni, sender_outer = (100, a) if src == a else (200, b)
        receiver_vni, receiver_outer = (200, b) if src == a else (100, a)
        egress = tcp_packet(src, dst, sp, dp, seq, ack, flags, payload, mac_src="02:00:00:00:0a:0a",
                            mac_dst=VPC_ROUTER_MAC, ttl=64, ident=ident)
        ingress = tcp_packet(src, dst, sp, dp, seq, ack, flags, payload, mac_src=VPC_ROUTER_MAC,
                             mac_dst="02:00:00:00:0b:0b", ttl=63, ident=ident)
        copies = [(sender_vni, sender_outer, egress, "egress"), (receiver_vni, receiver_outer, ingress, "ingress")]
        if first_end == "receiver":
            copies.reverse()
        first = None
        for vni, outer, inner, direction in copies:
            t += gap_us
            n = cap.add(t, mirror_copy(vni, outer, inner, sport=65000 + vni))
            facts.append(frame_fact(n, vni, outer, direction, inner, duplicate_of=first, inner_src=src, inner_dst=dst))
            first = first or n

    for i, pkt in enumerate(packets):
        t += 10_000
        both(i, pkt, "receiver" if i % 3 == 2 else "sender")
    # A real retransmission of packet 3 (same IP ID: the same packet again):
    # not a duplicate of the first transmission (same session), but its
    # second copy is a duplicate of its first copy.
    t += 300_000
    both(3, packets[3], "sender")
    # Mirrored at one end only.
    t += 10_000
    only = tcp_packet(*only_pkt, mac_src="02:00:00:00:0a:0a", ident=1100)
    n = cap.add(t, mirror_copy(100, a, only, sport=65100))
    facts.append(frame_fact(n, 100, a, "egress", only, inner_src=a, inner_dst=b))
    # Two copies of one packet 3 s apart: outside the window.
    t += 10_000
    late = tcp_packet(*late_pkt, mac_src="02:00:00:00:0a:0a", ident=1200)
    n = cap.add(t, mirror_copy(100, a, late, sport=65100))
    facts.append(frame_fact(n, 100, a, "egress", late, inner_src=a, inner_dst=b))
    t += 3_000_000
    late_in = tcp_packet(*late_pkt, mac_src=VPC_ROUTER_MAC, ttl=63, ident=1200)
    n = cap.add(t, mirror_copy(200, b, late_in, sport=65200))
    facts.append(frame_fact(n, 200, b, "ingress", late_in, inner_src=a, inner_dst=b))
    return cap, facts


def packet_length_truncation():
    """Session cut-100 (VNI 300, PacketLength 100): long packets are cut to
    100 bytes after the VXLAN header, short ones stay whole; a copy of
    another session cut at 1400 bytes (as a target MTU would); a copy cut
    inside the IPv4 header (session cut-20, PacketLength 20: no addresses,
    so no direction); one copy whose capture was cut by the capture's own
    snap length (not a mirror cut)."""
    cap = Pcap()
    facts = []
    src, dst = "10.0.3.30", "203.0.113.5"
    t = 0
    flow = Flow(src, dst, 5555, 443)
    payloads = [b"", b"a" * 20, b"b" * 500, b"c" * 1400, b"d" * 40]
    for i, payload in enumerate(payloads):
        # Only the client's side is mirrored here (the answers are not).
        inner = tcp_packet(*flow.send(True, "PA" if payload else "S", payload), mac_src="02:00:00:00:03:1e",
                           ident=2000 + i)
        t += 1000
        cut = 100 if len(inner) > 100 else None
        n = cap.add(t, mirror_copy(300, src, inner, cut=cut))
        facts.append(frame_fact(n, 300, src, "egress", inner, cut=cut, inner_src=src, inner_dst=dst))
    # A copy of the db session (no packet length in the table) cut at 1400
    # bytes, as a target MTU would.
    inner = tcp_packet("10.0.2.20", dst, 5556, 443, 1, 1, "PA", b"e" * 1460, mac_src="02:00:0a:00:02:14", ident=2100)
    t += 1000
    n = cap.add(t, mirror_copy(23456, "10.0.2.20", inner, cut=1400))
    facts.append(frame_fact(n, 23456, "10.0.2.20", "egress", inner, cut=1400, inner_src="10.0.2.20", inner_dst=dst))
    # A session keeping 20 bytes: the copy ends inside the IPv4 header.
    inner = tcp_packet(src, dst, 5557, 443, 1, 1, "PA", b"g" * 100, mac_src="02:00:00:00:03:1e", ident=2300)
    t += 1000
    n = cap.add(t, mirror_copy(301, src, inner, cut=20))
    facts.append(frame_fact(n, 301, src, None, inner, cut=20, inner_src=src, inner_dst=dst))
    # A whole copy, but the capture kept only 80 bytes of the frame.
    inner = tcp_packet(*flow.send(True, "PA", b"f" * 60), mac_src="02:00:00:00:03:1e", ident=2200)
    t += 1000
    n = cap.add(t, mirror_copy(300, src, inner), caplen=120)
    fact = frame_fact(n, 300, src, "egress", inner, inner_src=src, inner_dst=dst)
    fact["snaplen_cut"] = True
    facts.append(fact)
    return cap, facts


GWLB_ENDPOINT = 0x0123456789ABCDEF
GWLB_COOKIE = 0xC0FFEE42


def geneve(options, inner, proto=0x0800, vni=0):
    opt_bytes = b""
    for cls, typ, data in options:
        opt_bytes += struct.pack("!HBB", cls, typ, len(data) // 4) + data
    return struct.pack("!BBHI", len(opt_bytes) // 4, 0, proto, vni << 8) + opt_bytes + inner


def gwlb_geneve():
    """Traffic Mirror target behind a Gateway Load Balancer: GENEVE (UDP
    6081, VNI 0) with the three AWS options of class 0x0108, carrying the
    mirror packet (IPv4, UDP 4789, VXLAN VNI 12345, the web session).
    Then a GENEVE packet whose flow cookie is missing, and one with only
    non-AWS options (left to stock GENEVE)."""
    cap = Pcap()
    facts = []
    gwlb_facts = []
    web, client = "10.0.1.10", "198.51.100.7"
    t = 0
    aws_options = [(0x0108, 1, struct.pack("!Q", GWLB_ENDPOINT)), (0x0108, 2, struct.pack("!Q", 0)),
                   (0x0108, 3, struct.pack("!I", GWLB_COOKIE))]
    for i, (src, dst, sp, dp, direction) in enumerate(((client, web, 50000, 443, "ingress"),
                                                        (web, client, 443, 50000, "egress"))):
        inner = tcp_packet(src, dst, sp, dp, 1 + i, 1, "S" if i == 0 else "SA", ident=3000 + i,
                           mac_src="02:00:0a:00:01:0a" if direction == "egress" else VPC_ROUTER_MAC)
        mirror_ip = raw(IP(src=web, dst="10.0.9.200", id=0, ttl=255) / UDP(sport=65410, dport=4789, chksum=0) /
                        Raw(vxlan(12345, inner)))
        outer = raw(Ether(src="02:00:00:00:bb:01", dst="02:00:00:00:bb:02") /
                    IP(src="10.0.9.201", dst="10.0.9.250") / UDP(sport=60000 + i, dport=6081, chksum=0) /
                    Raw(geneve(aws_options, mirror_ip)))
        t += 1000
        n = cap.add(t, outer)
        facts.append(frame_fact(n, 12345, web, direction, inner, inner_src=src, inner_dst=dst))
        gwlb_facts.append({"frame": n, "endpoint_id": "vpce-%017x" % GWLB_ENDPOINT, "attachment_id": 0,
                           "flow_cookie": GWLB_COOKIE, "missing": False})
    # Flow cookie missing.
    inner = tcp_packet(client, web, 50001, 443, 1, 0, "S", ident=3100)
    mirror_ip = raw(IP(src=web, dst="10.0.9.200", id=0) / UDP(sport=65411, dport=4789, chksum=0) /
                    Raw(vxlan(12345, inner)))
    outer = raw(Ether(src="02:00:00:00:bb:01", dst="02:00:00:00:bb:02") / IP(src="10.0.9.201", dst="10.0.9.250") /
                UDP(sport=60010, dport=6081, chksum=0) / Raw(geneve(aws_options[:2], mirror_ip)))
    t += 1000
    n = cap.add(t, outer)
    facts.append(frame_fact(n, 12345, web, "ingress", inner, inner_src=client, inner_dst=web))
    gwlb_facts.append({"frame": n, "endpoint_id": "vpce-%017x" % GWLB_ENDPOINT, "attachment_id": 0,
                       "flow_cookie": None, "missing": True})
    # Not a GWLB: a Linux option (class 0x0100) and an Ethernet payload.
    inner = raw(Ether(src="02:00:00:00:cc:01", dst="02:00:00:00:cc:02") / IP(src="192.168.7.1", dst="192.168.7.2") /
                ICMP() / Raw(b"geneve"))
    outer = raw(Ether(src="02:00:00:00:bb:01", dst="02:00:00:00:bb:02") / IP(src="10.0.9.201", dst="10.0.9.250") /
                UDP(sport=60020, dport=6081, chksum=0) /
                Raw(geneve([(0x0100, 1, b"\0\0\0\1")], inner, proto=0x6558, vni=77)))
    t += 1000
    n = cap.add(t, outer)
    gwlb_facts.append({"frame": n, "endpoint_id": None, "attachment_id": None, "flow_cookie": None,
                       "missing": False})
    return cap, facts, gwlb_facts


# What AWS documents for copies to arrive whole (see docs/aws-facts.md):
# Traffic Mirroring adds 54 bytes with IPv4 outer headers, 74 with IPv6;
# a Gateway Load Balancer's MTU is 8500.
MIRROR_OVERHEAD_IPV4 = 54
MIRROR_OVERHEAD_IPV6 = 74
GWLB_MAX_MTU = 8500


def mtu_cuts():
    """Copies cut with no packet length in the table, and what cut them.
    Through a Gateway Load Balancer (GENEVE, session web): a packet of 8900
    bytes (IP length) is over what a GWLB passes whole (8500 - 54 = 8446),
    so its MTU cut it (where AWS cuts is not documented; the copy keeps 8446
    bytes of IP packet here); a 1500-byte packet cut to 100 bytes, which the
    GWLB passes whole, so the session's packet length cut it. Directly: a
    copy of session v6-host (IPv6 outer headers) cut at 1400 bytes, packet
    length or target MTU (the 74 bytes of IPv6 apply)."""
    cap = Pcap()
    facts = []
    web, client = "10.0.1.10", "198.51.100.7"
    whole = GWLB_MAX_MTU - MIRROR_OVERHEAD_IPV4
    aws_options = [(0x0108, 1, struct.pack("!Q", GWLB_ENDPOINT)), (0x0108, 2, struct.pack("!Q", 0)),
                   (0x0108, 3, struct.pack("!I", GWLB_COOKIE))]
    t = 0
    for i, (ip_len, cut, cause) in enumerate(((8900, 14 + whole, "gwlb-mtu"), (1500, 100, "packet-length"))):
        inner = tcp_packet(client, web, 50100 + i, 443, 1, 1, "PA", b"m" * (ip_len - 40), ident=3200 + i,
                           mac_src=VPC_ROUTER_MAC)
        assert len(inner) == 14 + ip_len
        mirror_ip = raw(IP(src=web, dst="10.0.9.200", id=0, ttl=255) / UDP(sport=65412, dport=4789, chksum=0) /
                        Raw(vxlan(12345, inner[:cut])))
        outer = raw(Ether(src="02:00:00:00:bb:01", dst="02:00:00:00:bb:02") /
                    IP(src="10.0.9.201", dst="10.0.9.250") / UDP(sport=60100 + i, dport=6081, chksum=0) /
                    Raw(geneve(aws_options, mirror_ip)))
        t += 1000
        n = cap.add(t, outer)
        fact = frame_fact(n, 12345, web, "ingress", inner, cut=cut, inner_src=client, inner_dst=web)
        fact["cause"] = cause
        fact["gwlb_whole"] = whole
        facts.append(fact)
    eni, peer = "2600:1f18:0:4::40", "2600:1f18:0:7::70"
    inner = tcp_packet(eni, peer, 40002, 22, 1, 1, "PA", b"v" * 1500, v6=True, mac_src="02:00:00:00:04:40")
    t += 1000
    n = cap.add(t, mirror_copy(400, eni, inner, sport=65422, cut=1400))
    fact = frame_fact(n, 400, eni, "egress", inner, cut=1400, inner_src=eni, inner_dst=peer)
    fact["cause"] = "unknown"
    fact["overhead"] = MIRROR_OVERHEAD_IPV6
    facts.append(fact)
    return cap, facts


def ipv6_outer():
    """Mirror copies whose VXLAN travels in IPv6 (session v6-host, VNI 400,
    source ENI 2600:1f18:0:4::40): inner IPv6 both ways (direction from
    the outer source) and inner IPv4 (no direction: the table has no
    IPv4 address for this ENI)."""
    cap = Pcap()
    facts = []
    eni, peer = "2600:1f18:0:4::40", "2600:1f18:0:7::70"
    t = 0
    flow = Flow(eni, peer, 40000, 22)
    for i, (from_eni, direction) in enumerate(((True, "egress"), (False, "ingress"), (True, "egress"))):
        pkt = flow.send(from_eni, "PA", b"ssh" * (i + 1))
        src, dst = pkt[0], pkt[1]
        inner = tcp_packet(*pkt, v6=True, mac_src="02:00:00:00:04:40" if direction == "egress" else VPC_ROUTER_MAC)
        t += 1000
        n = cap.add(t, mirror_copy(400, eni, inner, sport=65420))
        facts.append(frame_fact(n, 400, eni, direction, inner, inner_src=src, inner_dst=dst))
    inner = tcp_packet("10.0.4.40", "10.0.7.70", 40001, 22, 1, 0, "S", mac_src="02:00:00:00:04:40", ident=4000)
    t += 1000
    n = cap.add(t, mirror_copy(400, eni, inner, sport=65421))
    facts.append(frame_fact(n, 400, eni, None, inner, inner_src="10.0.4.40", inner_dst="10.0.7.70"))
    return cap, facts


def nonstandard_port():
    """VXLAN on UDP 8472 (Linux's default; session linux-vxlan, VNI 600) and
    on 14789, among UDP traffic that is not VXLAN and must stay as it is:
    DNS on 5353, payloads starting like VXLAN but with a non-Ethernet
    body, a VXLAN-like header with reserved bits set, random-looking
    bytes, and an IPv4 body with a wrong header checksum."""
    cap = Pcap()
    facts = []
    not_vxlan = []
    t = 0
    src, dst = "10.0.8.80", "10.0.8.81"

    def add_udp(sport, dport, payload):
        nonlocal t
        t += 1000
        return cap.add(t, raw(Ether(src="02:00:00:00:08:01", dst="02:00:00:00:08:02") / IP(src=src, dst=dst, id=7) /
                              UDP(sport=sport, dport=dport) / Raw(payload)))

    flow = Flow("10.0.8.80", "172.16.0.9", 1111, 2222)
    for i, (dport, direction) in enumerate(((8472, "egress"), (8472, "ingress"), (14789, "egress"))):
        pkt = flow.send(direction == "egress", "PA", b"payload")
        a, b = pkt[0], pkt[1]
        inner = tcp_packet(*pkt, ident=5000 + i)
        n = add_udp(44000 + i, dport, vxlan(600, inner))
        facts.append(frame_fact(n, 600, src, direction, inner, inner_src=a, inner_dst=b))
    dns = raw(DNS(id=9, rd=1, qd=DNSQR(qname="printer.local")))
    not_vxlan.append({"frame": add_udp(5353, 5353, dns), "what": "mDNS"})
    # VXLAN header, then bytes that are no Ethernet/IP packet.
    not_vxlan.append({"frame": add_udp(40000, 40001, vxlan(600, bytes(range(64)))), "what": "VXLAN header, junk body"})
    # Reserved bits set (not what mirroring sends).
    inner = tcp_packet("10.0.8.80", "172.16.0.9", 1, 2, 3, 4, "S", ident=5100)
    not_vxlan.append({"frame": add_udp(40002, 40003, struct.pack("!BBHI", 0x08, 0x80, 0, 600 << 8) + inner),
                      "what": "reserved bits set"})
    # Bytes that happen to start with 0x08.
    not_vxlan.append({"frame": add_udp(40004, 40005, bytes([0x08] + [(i * 37 + 11) % 256 for i in range(120)])),
                      "what": "0x08 then noise"})
    # An IPv4 inner header with a wrong checksum.
    bad = bytearray(tcp_packet("10.0.8.80", "172.16.0.9", 1, 2, 3, 4, "S", ident=5200))
    bad[14 + 10] ^= 0xFF
    not_vxlan.append({"frame": add_udp(40006, 40007, vxlan(600, bytes(bad))), "what": "bad inner IPv4 checksum"})
    return cap, facts, not_vxlan


# ---------------------------------------------------------------- table and JSON

def uat_line(row):
    return ",".join('"%s"' % str(v) for v in row) + "\n"


def write_table(outdir):
    with open(os.path.join(outdir, "mirror_sessions"), "w") as f:
        f.write("# Traffic Mirror session table (Wireshark UAT \"mirror_sessions\") for the captures of this folder.\n")
        f.write("# VNI, outer source, name, session ID, source ENI, packet length, description, "
                "ENI addresses, ENI MAC\n")
        for row in SESSIONS:
            f.write(uat_line(row))


def write_aws_json(outdir):
    """What `aws ec2 describe-traffic-mirror-sessions` and
    `aws ec2 describe-network-interfaces` would print for the sessions of
    two_sessions() (the two ENIs sharing VNI 500 included)."""
    wanted = [r for r in SESSIONS if r[0] in (12345, 23456, 500)]
    sessions = []
    interfaces = []
    for i, (vni, outer, name, tms, eni, plen, desc, addrs, mac) in enumerate(wanted):
        s = {
            "Tags": [{"Key": "team", "Value": "network"}, {"Key": "Name", "Value": name}],
            "VirtualNetworkId": vni,
            "OwnerId": "111122223333",
            "Description": desc,
            "NetworkInterfaceId": eni,
            "TrafficMirrorTargetId": "tmt-0a1b2c3d4e5f69999",
            "TrafficMirrorFilterId": "tmf-0a1b2c3d4e5f68888",
            "SessionNumber": 1,
            "TrafficMirrorSessionId": tms,
        }
        if plen:
            s["PacketLength"] = int(plen)
        sessions.append(s)
        primary = outer or (addrs.split()[0] if addrs else "10.0.2.20")
        itf = {
            "Status": "in-use",
            "MacAddress": mac or "02:00:0a:00:%02x:%02x" % (i, vni % 256),
            "NetworkInterfaceId": eni,
            "PrivateIpAddress": primary,
            "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": primary}] +
                                  [{"Primary": False, "PrivateIpAddress": a} for a in addrs.split()[1:]],
            "Ipv6Addresses": [],
            "TagSet": [],
        }
        interfaces.append(itf)
    with open(os.path.join(outdir, "describe-traffic-mirror-sessions.json"), "w") as f:
        json.dump({"TrafficMirrorSessions": sessions}, f, indent=4)
        f.write("\n")
    with open(os.path.join(outdir, "describe-network-interfaces.json"), "w") as f:
        json.dump({"NetworkInterfaces": interfaces}, f, indent=4)
        f.write("\n")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "pcaps", "mirror")
    os.makedirs(outdir, exist_ok=True)
    expected = {}

    cap, facts = two_sessions()
    cap.write(os.path.join(outdir, "gen-two-sessions.pcap"))
    expected["gen-two-sessions.pcap"] = {"frames": facts}

    cap, facts = both_ends_duplicates()
    cap.write(os.path.join(outdir, "gen-both-ends-duplicates.pcap"))
    expected["gen-both-ends-duplicates.pcap"] = {"frames": facts, "window_ms": 1000}

    cap, facts = packet_length_truncation()
    cap.write(os.path.join(outdir, "gen-packet-length-truncation.pcap"))
    expected["gen-packet-length-truncation.pcap"] = {"frames": facts}

    cap, facts, gwlb = gwlb_geneve()
    cap.write(os.path.join(outdir, "gen-gwlb-geneve.pcap"))
    expected["gen-gwlb-geneve.pcap"] = {"frames": facts, "gwlb": gwlb}

    cap, facts = mtu_cuts()
    cap.write(os.path.join(outdir, "gen-mtu-cuts.pcap"))
    expected["gen-mtu-cuts.pcap"] = {"frames": facts}

    cap, facts = ipv6_outer()
    cap.write(os.path.join(outdir, "gen-ipv6-outer.pcap"))
    expected["gen-ipv6-outer.pcap"] = {"frames": facts}

    cap, facts, not_vxlan = nonstandard_port()
    cap.write(os.path.join(outdir, "gen-nonstandard-port.pcap"))
    expected["gen-nonstandard-port.pcap"] = {"frames": facts, "not_vxlan": not_vxlan}

    write_table(outdir)
    write_aws_json(outdir)
    with open(os.path.join(outdir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
