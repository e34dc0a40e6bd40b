# The mirrored frames alone, decapsulated, as a capture other tools read:
# tshark -z mirror,decap,FILE[,FILTER] (pcapng, Ethernet, one comment per
# packet naming the session) and Export PDUs (tshark -U "Traffic Mirror
# inner frames", Ethernet, no comments). Read back with scapy (another
# tool) and with stock tshark.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import struct

import mirrorref
from mirrorref import EXPECTED

TRUNC = "gen-packet-length-truncation.pcap"


def read_pcapng(path):
    """(linktype, [(caplen, len, comments, data)]) of a pcapng file, read
    here block by block (EPBs and their opt_comment)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x0a\x0d\x0d\x0a"
    endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    pos, linktypes, packets = 0, [], []
    while pos < len(data):
        btype, blen = struct.unpack(endian + "II", data[pos:pos + 8])
        body = data[pos + 8:pos + blen - 4]
        if btype == 1:
            linktypes.append(struct.unpack(endian + "H", body[:2])[0])
        elif btype == 6:
            _, _, _, caplen, length = struct.unpack(endian + "IIIII", body[:20])
            frame = body[20:20 + caplen]
            opts = body[20 + ((caplen + 3) & ~3):]
            comments = []
            while len(opts) >= 4:
                code, olen = struct.unpack(endian + "HH", opts[:4])
                if code == 0:
                    break
                if code == 1:
                    comments.append(opts[4:4 + olen].decode())
                opts = opts[4 + ((olen + 3) & ~3):]
            packets.append((caplen, length, comments, frame))
        pos += blen
    return linktypes, packets


def inner_frames(capture):
    """The mirrored frames as the generator built them: VXLAN payloads."""
    from scapy.all import UDP, rdpcap
    from scapy.contrib.geneve import GENEVE  # noqa: F401 (binds UDP 6081)

    frames = []
    for pkt in rdpcap(mirrorref.path(capture)):
        udps = [layer for layer in pkt.iterpayloads() if isinstance(layer, UDP) and layer.dport == 4789]
        frames.append(bytes(udps[-1].payload)[8:] if udps else None)
    return frames


def test_decap_writes_commented_frames(mirror_ws, stock_ws):
    capture = "gen-two-sessions.pcap"
    out = mirror_ws.path("two-inner.pcapng")
    mirror_ws.tshark("-r", mirror_ws.path(capture), "-q", "-z", "mirror,decap," + out)
    linktypes, packets = read_pcapng(out)
    assert linktypes == [1]  # Ethernet
    facts = EXPECTED[capture]["frames"]
    frames = inner_frames(capture)
    assert len(packets) == len(facts)
    for (caplen, length, comments, data), fact in zip(packets, facts):
        assert data == frames[fact["frame"] - 1]
        assert caplen == length == fact["inner_len"]
        assert len(comments) == 1
        if fact["session"]:
            assert comments[0].startswith("Traffic Mirror session %s (VNI %d" % (fact["session"], fact["vni"]))
        else:
            assert comments[0].startswith("Traffic Mirror VNI %d (not in the session table" % fact["vni"])
        if fact["direction"]:
            assert fact["direction"] + ")" in comments[0]
    # Each packet keeps the time of its mirrored copy, to the nanosecond.
    times = stock_ws.fields(stock_ws.copy_in(mirrorref.path(capture), "two-outer.pcap"), ["frame.time_epoch"])
    decap_times = stock_ws.fields(stock_ws.copy_in(out), ["frame.time_epoch"])
    assert decap_times == [times[fact["frame"] - 1] for fact in facts]
    assert len({t[0] for t in decap_times}) > 1
    # Stock tshark reads it as plain Ethernet: the inner addresses.
    rows = stock_ws.fields(stock_ws.copy_in(out), ["frame.protocols", "ip.src", "ipv6.src", "frame.comment"])
    for row, fact in zip(rows, facts):
        assert row[0].startswith("eth:ethertype:ip")
        assert fact["inner_src"] in (row[1], row[2])
        assert row[3].startswith("Traffic Mirror")
    # And scapy, another reader.
    from scapy.all import Ether, rdpcap
    assert all(isinstance(p, Ether) for p in rdpcap(out))


def test_decap_keeps_original_length_and_filters(mirror_ws):
    out = mirror_ws.path("trunc-inner.pcapng")
    mirror_ws.tshark("-r", mirror_ws.path(TRUNC), "-q", "-z", "mirror,decap,%s,mirror.truncated" % out)
    _, packets = read_pcapng(out)
    cut = [f for f in EXPECTED[TRUNC]["frames"] if f["truncated"]]
    assert [(p[0], p[1]) for p in packets] == [(f["copy_length"], f["truncated"]) for f in cut]
    assert all(c[0].endswith(", cut by mirroring") for _, _, c, _ in packets)

    out = mirror_ws.path("overlap-inner.pcapng")
    mirror_ws.tshark("-r", mirror_ws.path(mirrorref.OVERLAP_CAPTURE), "-q",
                     "-z", "mirror,decap,%s,!mirror.duplicate" % out)
    _, packets = read_pcapng(out)
    assert len(packets) == 14
    assert all("VNI 4711" in c[0] for _, _, c, _ in packets)


def test_decap_bad_file_is_reported(mirror_ws):
    proc = mirror_ws.tshark("-r", mirror_ws.path(TRUNC), "-q", "-z", "mirror,decap,/nonexistent/dir/x.pcapng",
                            check=False)
    assert proc.returncode != 0
    assert "could not create /nonexistent/dir/x.pcapng" in proc.stderr


def test_export_pdus(mirror_ws):
    out = mirror_ws.path("export.pcapng")
    mirror_ws.tshark("-r", mirror_ws.path(TRUNC), "-U", "Traffic Mirror inner frames", "-w", out)
    linktypes, packets = read_pcapng(out)
    assert linktypes == [1]
    facts = EXPECTED[TRUNC]["frames"]
    frames = inner_frames(TRUNC)
    assert len(packets) == len(facts)
    for (caplen, length, _, data), fact in zip(packets, facts):
        assert length == (fact["truncated"] or fact["inner_len"])
        assert data == frames[fact["frame"] - 1][:caplen]
    # With a display filter, as Export PDUs applies it.
    out = mirror_ws.path("export-dedup.pcapng")
    mirror_ws.tshark("-r", mirror_ws.path(mirrorref.OVERLAP_CAPTURE), "-Y", "!mirror.duplicate",
                     "-U", "Traffic Mirror inner frames", "-w", out)
    assert len(read_pcapng(out)[1]) == 14
