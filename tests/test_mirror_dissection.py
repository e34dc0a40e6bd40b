# The Traffic Mirror Session layer, frame by frame: VNI, session, id, ENI,
# direction, cut copies, duplicates; on the generated captures (checked
# against what the generator put in them) and on the real AWS capture
# (checked against a scapy reading). Same results in one pass and with
# tshark -2 (the way Wireshark re-dissects a clicked packet).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import re

import pytest

import mirrorref
from mirrorref import AWS_CAPTURE, EXPECTED, GENERATED, MIRROR_FIELDS

CONTRACT_FIELDS = {
    "mirror.vni": "FT_UINT24",
    "mirror.session": "FT_STRING",
    "mirror.session_id": "FT_STRING",
    "mirror.source_eni": "FT_STRING",
    "mirror.direction": "FT_STRING",
    "mirror.truncated": "FT_UINT32",
    "mirror.duplicate": "FT_BOOLEAN",
    "mirror.duplicate_of": "FT_FRAMENUM",
    "gwlb.endpoint_id": "FT_STRING",
    "gwlb.attachment_id": "FT_UINT64",
    "gwlb.flow_cookie": "FT_UINT32",
}


def test_contract_names_are_registered(ws):
    protocols = ws.tshark("-G", "protocols").stdout.splitlines()
    names = {line.split("\t")[2]: line.split("\t")[0] for line in protocols}
    assert names["mirror"] == "Traffic Mirror Session"
    assert "gwlb" in names
    fields = {}
    for line in ws.tshark("-G", "fields").stdout.splitlines():
        cells = line.split("\t")
        if cells[0] == "F":
            fields[cells[2]] = cells[3]
    for name, ftype in CONTRACT_FIELDS.items():
        assert fields.get(name) == ftype, name
    # parent, protocol, enabled (4.2 on adds more columns after these)
    heuristics = [line.split("\t")[:3] for line in ws.tshark("-G", "heuristic-decodes").stdout.splitlines()]
    assert ["udp", "mirror", "T"] in heuristics
    zhelp = ws.tshark("-z", "help").stderr.split()
    assert {"mirror,tree", "mirror,decap", "conv,mirror", "endpoints,mirror"} <= set(zhelp)


def mirror_rows(world, capture, *args):
    rows = world.fields(world.path(capture), MIRROR_FIELDS, "-Y", "mirror", *args)
    return {int(row[0]): row for row in rows}


@pytest.mark.parametrize("capture", GENERATED)
@pytest.mark.parametrize("passes", [[], ["-2"]], ids=["one-pass", "two-pass"])
def test_generated_frames(mirror_ws, capture, passes):
    expected = mirrorref.expected_rows(capture)
    assert expected, "the generator wrote no mirror frame"
    assert mirror_rows(mirror_ws, capture, *passes) == expected


def test_session_details_from_the_table(mirror_ws):
    rows = mirror_ws.fields(mirror_ws.path("gen-two-sessions.pcap"),
                            ["mirror.session", "mirror.session_id", "mirror.source_eni", "mirror.description"],
                            "-Y", "mirror.vni == 12345 || mirror.vni == 500")
    seen = set()
    for name, session_id, eni, description in rows:
        if not name:
            continue  # VNI 500 from a source no row names
        row = next(r for r in mirrorref.table_rows() if r[2] == name)
        assert (session_id, eni, description) == (row[3], row[4], row[6])
        seen.add(name)
    assert seen == {"web", "shared-a", "shared-b"}


def test_info_column_names_the_session(mirror_ws):
    rows = mirror_ws.fields(mirror_ws.path("gen-two-sessions.pcap"), ["frame.number", "_ws.col.Info"])
    facts = {f["frame"]: f for f in EXPECTED["gen-two-sessions.pcap"]["frames"]}
    for number, info in rows:
        fact = facts[int(number)]
        label = fact["session"] or "VNI %d" % fact["vni"]
        if fact["direction"]:
            label += " " + fact["direction"]
        assert info.startswith("[%s] " % label), (number, info)


def test_vni_filter_keeps_working(mirror_ws):
    for capture in GENERATED:
        frames = EXPECTED[capture]["frames"]
        for vni in sorted({f["vni"] for f in frames}):
            want = sorted(f["frame"] for f in frames if f["vni"] == vni)
            got = mirror_ws.fields(mirror_ws.path(capture), ["frame.number"], "-Y", "vxlan.vni == %d" % vni)
            assert [int(r[0]) for r in got] == want, (capture, vni)


def test_real_aws_capture(mirror_ws):
    """Every frame of the real capture gets the session of the table and the
    direction that the outer and inner addresses give."""
    reference = mirrorref.aws_capture_reference()
    assert len(reference) == 100
    assert all(r["direction"] for r in reference)
    for passes in ([], ["-2"]):
        rows = mirror_ws.fields(mirror_ws.path(AWS_CAPTURE),
                                ["frame.number", "mirror.vni", "mirror.session", "mirror.direction", "mirror.truncated",
                                 "mirror.duplicate"], *passes)
        assert len(rows) == 100
        for row, ref in zip(rows, reference):
            assert row[1:] == [str(ref["vni"]), "sv-aws-demo", ref["direction"], "", ""], row
    # The counts the reference notes quote: 38 + 44 SSH, 8 + 8 DNS, 1 + 1 NTP.
    by = {}
    for ref in reference:
        key = ("tcp" if ref["proto"] == 6 else "udp", ref["direction"])
        by[key] = by.get(key, 0) + 1
    assert by == {("tcp", "egress"): 38, ("tcp", "ingress"): 44, ("udp", "egress"): 9, ("udp", "ingress"): 9}


def test_without_table_no_session_but_direction(ws):
    """No table at all: VNI and direction still, no session, no expert
    'unknown VNI' noise."""
    capture = ws.copy_in(mirrorref.path(AWS_CAPTURE))
    rows = ws.fields(capture, ["mirror.vni", "mirror.session", "mirror.direction"])
    reference = mirrorref.aws_capture_reference()
    assert [r for r in rows] == [[str(ref["vni"]), "", ref["direction"]] for ref in reference]
    assert ws.fields(capture, ["frame.number"], "-Y", "mirror.vni.unknown") == []


def test_unknown_vni_is_noted_when_there_is_a_table(mirror_ws):
    capture = mirror_ws.path("gen-two-sessions.pcap")
    rows = mirror_ws.fields(capture, ["frame.number"], "-Y", "mirror.vni.unknown")
    want = [f["frame"] for f in EXPECTED["gen-two-sessions.pcap"]["frames"] if f["session"] is None]
    assert [int(r[0]) for r in rows] == want
    assert want


def test_gwlb_options(mirror_ws):
    capture = mirror_ws.path("gen-gwlb-geneve.pcap")
    for passes in ([], ["-2"]):
        rows = mirror_ws.fields(capture, ["frame.number", "gwlb.endpoint_id", "gwlb.attachment_id", "gwlb.flow_cookie",
                                          "gwlb.option.missing", "geneve.vni"], *passes)
        for row, fact in zip(rows, EXPECTED["gen-gwlb-geneve.pcap"]["gwlb"]):
            assert int(row[0]) == fact["frame"]
            assert row[1] == (fact["endpoint_id"] or "")
            assert row[2] == ("" if fact["attachment_id"] is None else "0x%016x" % fact["attachment_id"])
            assert row[3] == ("" if fact["flow_cookie"] is None else "0x%08x" % fact["flow_cookie"])
            assert (row[4] != "") == fact["missing"]
    # Filterable by the vpce- name, as the console shows it.
    got = mirror_ws.fields(capture, ["frame.number"], "-Y", 'gwlb.endpoint_id == "vpce-00123456789abcdef"')
    assert [int(r[0]) for r in got] == [f["frame"] for f in EXPECTED["gen-gwlb-geneve.pcap"]["gwlb"]
                                        if f["endpoint_id"]]
    # Off on its own: the mirror layer inside stays.
    off = mirror_ws.fields(capture, ["gwlb.endpoint_id", "mirror.session"], "--disable-protocol", "gwlb")
    assert all(r[0] == "" for r in off)
    assert [r[1] for r in off][:3] == ["web"] * 3


def test_gwlb_tree_precedes_geneve(mirror_ws):
    """The GWLB options sit right before the GENEVE header they belong to,
    and the mirror layer right before its VXLAN header (the plain order of
    a layer that calls the stock one: nothing is moved in the tree)."""
    text = mirror_ws.tshark("-r", mirror_ws.path("gen-gwlb-geneve.pcap"), "-V", "-c", "1").stdout
    tops = [line for line in text.splitlines() if line and not line.startswith(" ")]
    names = [line.split(",")[0].split(":")[0] for line in tops]
    geneve = names.index("Generic Network Virtualization Encapsulation")
    assert names[geneve - 1] == "AWS Gateway Load Balancer GENEVE options"
    vxlan = names.index("Virtual eXtensible Local Area Network")
    assert names[vxlan - 1] == "Traffic Mirror Session"


def test_only_the_first_vxlan_layer_is_the_session(mirror_ws):
    rows = mirror_ws.fields(mirror_ws.path("zeek-vxlan-triple-v2.pcap"), ["vxlan.vni", "mirror.vni"],
                            occurrence="a")
    assert rows == [["1,2,3", "1"]]


def test_cut_copies_are_not_malformed(mirror_ws, stock_ws):
    """A copy cut by the session's packet length is marked as such, with
    the original length, instead of an IP length error or a malformed
    packet; the inner TCP stream sees full-length segments."""
    capture = "gen-packet-length-truncation.pcap"
    facts = [f for f in EXPECTED[capture]["frames"] if f["truncated"]]
    assert sorted(f["copy_length"] for f in facts) == [20, 100, 100, 1400]
    fields = ["frame.number", "mirror.truncated", "ip.bogus_ip_length", "_ws.malformed", "_ws.expert.message",
              "tcp.len", "tcp.analysis.lost_segment", "_ws.short"]
    rows = {int(r[0]): r for r in mirror_ws.fields(mirror_ws.path(capture), fields, occurrence="a")}
    stock_fields = [f for f in fields if not f.startswith("mirror.")]
    stock_rows = {int(r[0]): r for r in stock_ws.fields(stock_ws.copy_in(mirrorref.path(capture)), stock_fields,
                                                        occurrence="a")}
    for fact in facts:
        row = rows[fact["frame"]]
        assert row[1] == str(fact["truncated"])
        assert row[2] == "" and row[3] == "", row
        assert "a Traffic Mirroring artefact, not a malformed packet" in row[4]
        assert "checksums of the cut inner packet are not meaningful" in row[4]
        if fact["copy_length"] >= 54:
            # TCP payload length as sent: original length - Ethernet, IPv4, TCP headers.
            assert row[5].split(",")[-1] == str(fact["truncated"] - 54)
        else:
            # Cut inside the IP header: shown like a snap length, not malformed.
            assert row[7] != ""
        # Stock Wireshark calls the same frame an IP length error or malformed.
        stock = stock_rows[fact["frame"]]
        assert stock[1] != "" or stock[2] != "", "stock no longer errs: this test proves nothing"
    assert all(r[6] == "" for r in rows.values())
    causes = {int(r[0]): r[4] for r in rows.values()}
    for fact in facts:
        if fact["session"] in ("cut-100", "cut-20"):
            assert "by the session's packet length (%d bytes)" % fact["copy_length"] in causes[fact["frame"]]
        else:
            assert "by the session's packet length or the target's MTU" in causes[fact["frame"]]
    # Cut by the capture's own snap length: not a mirror cut.
    snap = [f["frame"] for f in EXPECTED[capture]["frames"] if f.get("snaplen_cut")]
    assert snap and all(rows[n][1] == "" for n in snap)


def test_ipv6_outer_headers(mirror_ws):
    rows = mirror_rows(mirror_ws, "gen-ipv6-outer.pcap")
    assert all(r[2] == "v6-host" for r in rows.values())
    assert mirror_ws.fields(mirror_ws.path("gen-ipv6-outer.pcap"), ["ipv6.src"], "-Y", "mirror", occurrence="f")[0] == \
        ["2600:1f18:0:4::40"]


def test_endpoints_and_conversations_restricted_to_one_session(mirror_ws):
    """-z endpoints,mirror / conv,mirror count the mirrored packets only
    (never the VXLAN carrier), at their original length, and a display
    filter restricts them to one session."""
    capture = mirror_ws.path("gen-two-sessions.pcap")
    facts = [f for f in EXPECTED["gen-two-sessions.pcap"]["frames"] if f["session"] == "db"]
    assert facts
    expect = {}
    for f in facts:
        for addr in (f["inner_src"], f["inner_dst"]):
            packets, size = expect.get(addr, (0, 0))
            expect[addr] = (packets + 1, size + f["inner_len"])
    out = mirror_ws.tshark("-r", capture, "-q", "-z", 'endpoints,mirror,mirror.session == "db"').stdout
    totals = {}
    for line in out.splitlines():
        cells = line.split()
        if len(cells) >= 3 and re.match(r"^\d+\.\d+\.\d+\.\d+$", cells[0]):
            packets, size = totals.get(cells[0], (0, 0))
            totals[cells[0]] = (packets + int(cells[1]), size + int(cells[2]))
    assert totals == expect

    out = mirror_ws.tshark("-r", capture, "-q", "-z", 'conv,mirror,mirror.session == "db"').stdout
    frames = size = 0
    for line in out.splitlines():
        m = re.match(r"^(\S+)\s+<->\s+(\S+)\s+.*?(\d+) (\d+) bytes\s+\S+\s+\S+\s*$", line)
        if m:
            assert {m.group(1), m.group(2)} <= set(expect)
            frames += int(m.group(3))
            size += int(m.group(4))
    assert (frames, size) == (len(facts), sum(f["inner_len"] for f in facts))


def test_decode_as_and_port_preference_ports_are_annotated(mirror_ws, stock_ws):
    """Ports given to VXLAN by Decode As or the vxlan.udp.port preference
    are annotated like 4789 (the heuristic is off here to prove it). The
    capture has VXLAN on 8472 (stock's own from 4.2 on) and on 14789."""
    capture = mirror_ws.path("gen-nonstandard-port.pcap")
    facts = {f["frame"]: f for f in EXPECTED["gen-nonstandard-port.pcap"]["frames"]}
    dports = mirrorref.outer_udp_ports(stock_ws, capture)
    stock_ports = mirrorref.stock_vxlan_ports(stock_ws)

    def want(ports):
        return [[str(n), "600", facts[n]["direction"]] for n in sorted(facts) if dports[n] in ports]

    assert want({14789}) and not want(stock_ports & {14789})
    # (the preference holds 4789; 8472 is registered beside it, so it stays)
    for args in (["-d", "udp.port==14789,vxlan"], ["-o", "vxlan.udp.port:4789,14789"]):
        rows = mirror_ws.fields(capture, ["frame.number", "mirror.vni", "mirror.direction"], "-Y", "mirror",
                                "--disable-heuristic", "mirror_vxlan_udp", *args)
        assert rows == want(stock_ports | {14789}), args
    rows = mirror_ws.fields(capture, ["frame.number", "mirror.vni", "mirror.direction"], "-Y", "mirror",
                            "--disable-heuristic", "mirror_vxlan_udp")
    assert rows == want(stock_ports)


def test_layer_precedes_vxlan_even_when_the_inner_packet_throws(mirror_ws):
    capture = "gen-packet-length-truncation.pcap"
    frame = next(f["frame"] for f in EXPECTED[capture]["frames"] if f["copy_length"] == 20 and f["truncated"])
    text = mirror_ws.tshark("-r", mirror_ws.path(capture), "-V", "-Y", "frame.number == %d" % frame).stdout
    tops = [line.split(",")[0].split(":")[0] for line in text.splitlines() if line and not line.startswith(" ")]
    vxlan = tops.index("Virtual eXtensible Local Area Network")
    assert tops[vxlan - 1] == "Traffic Mirror Session"
    assert tops[-1].startswith("[Packet size limited during capture")
