# Stock decoding stays as it was: with the mirror protocol disabled the
# full PDML of every capture equals what Wireshark shows without our
# plugins; with it enabled, packets that are not mirror copies are
# untouched, and the UDP heuristic claims no other UDP traffic.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import pytest

import mirrorref
from mirrorref import EXPECTED, GENERATED, PUBLIC

ALL = PUBLIC + GENERATED


def pdml(world, capture, *args):
    out = world.tshark("-r", world.copy_in(mirrorref.path(capture)), "-T", "pdml", *args).stdout
    return mirrorref.normalise_pdml(out)


@pytest.mark.parametrize("capture", ALL)
def test_disabled_mirror_is_stock(mirror_ws, stock_ws, capture):
    stock = pdml(stock_ws, capture)
    ours = pdml(mirror_ws, capture, "--disable-protocol", "mirror")
    assert "<proto name=\"mirror\"" not in ours
    assert ours == stock


@pytest.mark.parametrize("capture", ["gen-gwlb-geneve.pcap", "gen-two-sessions.pcap"])
def test_disabled_mirror_is_stock_two_pass(mirror_ws, stock_ws, capture):
    assert pdml(mirror_ws, capture, "-2", "--disable-protocol", "mirror") == pdml(stock_ws, capture, "-2")


def test_enabled_mirror_shows_it(mirror_ws, stock_ws):
    """The comparison above can fail: with mirror enabled the output differs."""
    assert pdml(mirror_ws, "gen-two-sessions.pcap") != pdml(stock_ws, "gen-two-sessions.pcap")


STOCK_FIELDS = ["frame.protocols", "eth.src", "ip.src", "ip.dst", "udp.port", "vxlan.vni", "vxlan.flags", "tcp.seq",
                "tcp.stream", "dns.qry.name", "geneve.option.class", "_ws.malformed", "_ws.expert.message"]


@pytest.mark.parametrize("capture", ["sv-vxlan-decoder-03-aws-mirror.pcap", "zeek-vxlan-encapsulated-http.pcap",
                                     "zeek-geneve-vxlan-dns-truncated.pcap", "arkime-gre-erspan-vxlan.pcap",
                                     "sv-vxlan-nonzero-reserved.pcap", "gen-gwlb-geneve.pcap"])
def test_stock_fields_unchanged_with_mirror(mirror_ws, stock_ws, capture):
    """With mirror enabled the stock layers still say what they said (the
    annotation adds, it does not change), expert messages aside."""
    fields = STOCK_FIELDS[:-1]
    ours = mirror_ws.fields(mirror_ws.path(capture), fields, occurrence="a")
    stock = stock_ws.fields(stock_ws.copy_in(mirrorref.path(capture)), fields, occurrence="a")
    assert ours == stock


def test_non_vxlan_udp_is_not_claimed(mirror_ws, stock_ws):
    capture = "gen-nonstandard-port.pcap"
    not_vxlan = [n["frame"] for n in EXPECTED[capture]["not_vxlan"]]
    mirror_frames = [f["frame"] for f in EXPECTED[capture]["frames"]]
    ours = mirror_ws.fields(mirror_ws.path(capture), ["frame.number"] + STOCK_FIELDS + ["mirror.vni"])
    stock_path = stock_ws.copy_in(mirrorref.path(capture))
    stock = stock_ws.fields(stock_path, ["frame.number"] + STOCK_FIELDS)
    # Stock decodes VXLAN on its own ports only: 4789, and 8472 from 4.2 on.
    stock_ports = mirrorref.stock_vxlan_ports(stock_ws)
    dports = mirrorref.outer_udp_ports(stock_ws, stock_path)
    assert any(dports[n] not in stock_ports for n in mirror_frames), "no frame left for the heuristic"
    for row, stock_row in zip(ours, stock):
        number = int(row[0])
        if number in not_vxlan:
            assert row[:-1] == stock_row and row[-1] == "", row
        else:
            assert number in mirror_frames
            assert "vxlan" in row[1]
            assert ("vxlan" in stock_row[1]) == (dports[number] in stock_ports), row
            assert row[-1] == "600"
    # Off: VXLAN is decoded where stock decodes it, nowhere else.
    off = mirror_ws.fields(mirror_ws.path(capture), ["frame.number"] + STOCK_FIELDS,
                           "--disable-heuristic", "mirror_vxlan_udp")
    assert off == stock


def test_heuristic_rejects_random_udp(mirror_ws, tmp_path):
    """Thousands of UDP payloads built to look like VXLAN up to the point
    where they stop being a mirror copy: none is claimed."""
    import random
    import struct

    from scapy.all import IP, UDP, Ether, Raw, wrpcap

    rng = random.Random(3)
    packets = []
    for i in range(3000):
        kind = i % 4
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 120)))
        if kind == 0:       # VXLAN header, random frame
            payload = struct.pack("!II", 0x08000000, rng.getrandbits(24) << 8) + body
        elif kind == 1:     # VXLAN header, Ethernet, IPv4 ethertype, random header (bad checksum)
            payload = struct.pack("!II", 0x08000000, 5 << 8) + bytes(6) + b"\x02" + bytes(5) + b"\x08\x00" + \
                b"\x45" + body
        elif kind == 2:     # first byte 0x08, random rest
            payload = b"\x08" + body
        else:               # random
            payload = body
        packets.append(Ether() / IP(src="10.1.0.1", dst="10.1.0.2") /
                       UDP(sport=30000 + i % 1000, dport=40000 + i % 997) / Raw(payload))
    path = str(tmp_path / "random-udp.pcap")
    wrpcap(path, packets)
    capture = mirror_ws.copy_in(path)
    claimed = mirror_ws.fields(capture, ["frame.number"], "-Y", "mirror || vxlan")
    assert claimed == []
    # The same check claims a real copy among them (the test can fail).
    inner = Ether(src="02:00:00:00:00:05") / IP(src="10.1.1.1", dst="10.1.1.2") / UDP(sport=1, dport=2)
    wrpcap(path, packets[:10] + [Ether() / IP() / UDP(sport=5, dport=4444) /
                                 Raw(struct.pack("!II", 0x08000000, 9 << 8) + bytes(inner))])
    capture = mirror_ws.copy_in(path, "random-udp-2.pcap")
    assert mirror_ws.fields(capture, ["frame.number", "mirror.vni"], "-Y", "mirror") == [["11", "9"]]
