# Second copies of a packet (both ends of a flow mirrored, or a session
# and a direct capture): marked mirror.duplicate with the first copy's
# frame; the one-step way out gives a capture whose TCP analysis has no
# false retransmissions.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import mirrorref
from mirrorref import EXPECTED, OVERLAP_CAPTURE

BOTH_ENDS = "gen-both-ends-duplicates.pcap"


def duplicates(world, capture, *args):
    rows = world.fields(world.path(capture), ["frame.number", "mirror.duplicate_of"], "-Y", "mirror.duplicate", *args)
    return {int(n): int(first) for n, first in rows}


def test_both_ends(mirror_ws):
    want = {f["frame"]: f["duplicate_of"] for f in EXPECTED[BOTH_ENDS]["frames"] if f["duplicate_of"]}
    assert len(want) == 7
    assert duplicates(mirror_ws, BOTH_ENDS) == want
    assert duplicates(mirror_ws, BOTH_ENDS, "-2") == want


def test_window_preference(mirror_ws):
    facts = EXPECTED[BOTH_ENDS]["frames"]
    base = {f["frame"]: f["duplicate_of"] for f in facts if f["duplicate_of"]}
    # The last two frames are the same packet from the two ends, 3 s apart:
    # a duplicate once the window is longer than that.
    late, later = facts[-2], facts[-1]
    assert later["inner_src"] == late["inner_src"] and later["vni"] != late["vni"]
    wide = dict(base)
    wide[later["frame"]] = late["frame"]
    assert duplicates(mirror_ws, BOTH_ENDS, "-o", "mirror.duplicate_window_ms:5000") == wide
    # Shorter than the 300 microseconds between the copies: none.
    assert duplicates(mirror_ws, BOTH_ENDS, "-o", "mirror.duplicate_window_ms:0") == {}
    assert duplicates(mirror_ws, BOTH_ENDS, "-o", "mirror.duplicates:FALSE") == {}


def test_expert_note(mirror_ws):
    rows = mirror_ws.fields(mirror_ws.path(BOTH_ENDS), ["frame.number", "_ws.expert.message", "_ws.expert.severity"],
                            "-Y", "mirror.duplicate.note")
    want = [f["frame"] for f in EXPECTED[BOTH_ENDS]["frames"] if f["duplicate_of"]]
    assert [int(r[0]) for r in rows] == want
    for row in rows:
        assert "Duplicate of frame" in row[1] and "!mirror.duplicate" in row[1]


def test_overlapping_http_get_clean_capture(mirror_ws, stock_ws):
    """zeek-vxlan-overlapping-http-get.pcap: one HTTP exchange seen in VNI
    4711, in VNI 4242 and captured directly. The copies are duplicates
    (the direct ones too); tshark -Y '!mirror.duplicate' -w clean.pcapng
    leaves one copy of each packet, and stock Wireshark then finds no
    retransmission and one complete HTTP exchange."""
    src = mirror_ws.path(OVERLAP_CAPTURE)
    # What stock Wireshark makes of the original (what the feature fixes).
    stock_src = stock_ws.copy_in(mirrorref.path(OVERLAP_CAPTURE))
    assert len(stock_ws.fields(stock_src, ["frame.number"], "-Y", "tcp.analysis.retransmission")) == 18

    rows = mirror_ws.fields(src, ["frame.number", "vxlan.vni", "mirror.duplicate_of"])
    assert len(rows) == 42
    # Frames come in threes: VNI 4711, VNI 4242, direct; the first is kept.
    for number, vni, first in rows:
        n = int(number)
        lead = n - (n - 1) % 3
        assert vni == {0: "4711", 1: "4242", 2: ""}[(n - 1) % 3]
        assert first == ("" if n == lead else str(lead)), number

    clean = mirror_ws.path("overlap-clean.pcapng")
    mirror_ws.tshark("-r", src, "-Y", "!mirror.duplicate", "-w", clean)
    stock_clean = stock_ws.copy_in(clean)
    assert len(stock_ws.fields(stock_clean, ["frame.number"])) == 14
    assert stock_ws.fields(stock_clean, ["frame.number"], "-Y", "tcp.analysis.retransmission") == []
    assert stock_ws.fields(stock_clean, ["frame.number"], "-Y", "tcp.analysis.flags") == []
    requests = stock_ws.fields(stock_clean, ["http.request.method", "http.request.uri"], "-Y", "http.request")
    responses = stock_ws.fields(stock_clean, ["http.response.code"], "-Y", "http.response")
    assert requests == [["GET", "/download/CHANGES.bro-aux.txt"]]
    assert responses == [["200"]]
    # One TCP connection, complete: SYN, SYN-ACK, ACK, data, FIN (1+2+4+8+16).
    streams = stock_ws.fields(stock_clean, ["tcp.stream", "tcp.completeness"], "-2")
    assert {tuple(r) for r in streams} == {("0", "31")}
    # The same in two passes (how Wireshark's Export Specified Packets sees it).
    clean2 = mirror_ws.path("overlap-clean-2pass.pcapng")
    mirror_ws.tshark("-r", src, "-2", "-Y", "!mirror.duplicate", "-w", clean2)
    assert len(stock_ws.fields(stock_ws.copy_in(clean2), ["frame.number"])) == 14


def test_direct_copies_can_be_left_alone(mirror_ws):
    rows = mirror_ws.fields(mirror_ws.path(OVERLAP_CAPTURE), ["frame.number"], "-Y", "mirror.duplicate",
                            "-o", "mirror.duplicates_direct:FALSE")
    assert [int(r[0]) for r in rows] == list(range(2, 43, 3))
    rows = mirror_ws.fields(mirror_ws.path(OVERLAP_CAPTURE), ["frame.number"], "-Y", "mirror.duplicate.direct")
    assert [int(r[0]) for r in rows] == list(range(3, 43, 3))


def test_direct_copies_on_a_raw_ip_link(mirror_ws, tmp_path):
    """The same capture without Ethernet headers (LINKTYPE_RAW): the direct
    copies are still recognised."""
    from scapy.all import IP, rdpcap, wrpcap

    packets = rdpcap(mirrorref.path(OVERLAP_CAPTURE))
    raw = [p[IP] for p in packets]
    for p, q in zip(raw, packets):
        p.time = q.time
    path = str(tmp_path / "overlap-raw-ip.pcap")
    wrpcap(path, raw, linktype=101)
    capture = mirror_ws.copy_in(path)
    assert mirror_ws.fields(capture, ["frame.protocols"], "-c", "1") == [["raw:ip:udp:vxlan:eth:ethertype:ip:tcp"]]
    rows = mirror_ws.fields(capture, ["frame.number", "mirror.duplicate_of"], "-Y", "mirror.duplicate")
    assert {int(n): int(f) for n, f in rows} == {n: n - (n - 1) % 3 for n in range(1, 43) if (n - 1) % 3}


def test_direct_copy_first(mirror_ws, tmp_path):
    """The direct copy may come first (after the capture's first mirror
    packet): then the mirror copies are its duplicates."""
    from scapy.all import rdpcap, wrpcap

    packets = list(rdpcap(mirrorref.path(OVERLAP_CAPTURE)))
    # Keep the first triple (VNI 4711, VNI 4242, direct); put the direct
    # copy first in every other triple.
    order = [0, 1, 2]
    for lead in range(3, 42, 3):
        order += [lead + 2, lead, lead + 1]
    path = str(tmp_path / "overlap-direct-first.pcap")
    wrpcap(path, [packets[i] for i in order])
    capture = mirror_ws.copy_in(path)
    rows = mirror_ws.fields(capture, ["frame.number", "mirror.duplicate_of"], "-Y", "mirror.duplicate")
    want = {2: 1, 3: 1}
    for n in range(4, 43, 3):
        want[n + 1] = n
        want[n + 2] = n
    assert {int(n): int(f) for n, f in rows} == want
