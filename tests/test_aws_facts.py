# The AWS facts of docs/aws-facts.md, as tshark shows them: TCP flags as
# AWS records them, REJECT's meanings, reject-reason values AWS has not
# documented, region names of every partition, and what cut a mirrored
# copy. Expected values are worked out by hand from AWS's pages (cited in
# docs/aws-facts.md), never read off tshark.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import pytest

from harness import field_bool
from mirrorref import EXPECTED

FLAGS_HEADER = "version srcaddr dstaddr srcport dstport protocol start end action tcp-flags log-status"
FLAGS_RECORD = "3 10.0.0.62 52.213.180.42 5001 43638 6 1566933133 1566933193 ACCEPT {} OK"

# tcp-flags value -> (FIN, SYN, RST, SYN-ACK, names, not recorded by VPC logs).
# 3 and 19 are AWS's own examples ("SYN and FIN", "SYN-ACK and FIN");
# SYN-ACK is 18 = SYN 2 + ACK 16, so a SYN in the same interval adds nothing.
FLAGS = {
    0: (0, 0, 0, 0, "no FIN, SYN, RST or SYN-ACK", False),
    1: (1, 0, 0, 0, "FIN", False),
    2: (0, 1, 0, 0, "SYN", False),
    3: (1, 1, 0, 0, "SYN + FIN", False),
    4: (0, 0, 1, 0, "RST", False),
    18: (0, 1, 0, 1, "SYN-ACK", False),
    19: (1, 1, 0, 1, "SYN-ACK + FIN", False),
    22: (0, 1, 1, 1, "SYN-ACK + RST", False),
    8: (0, 0, 0, 0, "PSH", True),
    16: (0, 0, 0, 0, "ACK", True),
    32: (0, 0, 0, 0, "URG", True),
}


def flags_file(ws, name, values):
    lines = [FLAGS_HEADER] + [FLAGS_RECORD.format(v) for v in values]
    return ws.write(name, "\n".join(lines) + "\n")


def test_tcp_flags_show_what_aws_records(ws):
    values = list(FLAGS)
    path = flags_file(ws, "flags.log", values)
    rows = ws.fields(path, ["vpcflow.tcp_flags", "vpcflow.tcp_flags.fin", "vpcflow.tcp_flags.syn",
                            "vpcflow.tcp_flags.rst", "vpcflow.tcp_flags.syn_ack", "_ws.expert.message"])
    assert len(rows) == len(values)
    for value, row in zip(values, rows):
        fin, syn, rst, syn_ack, _, odd = FLAGS[value]
        assert row[:5] == [str(value), *map(field_bool, (fin, syn, rst, syn_ack))], (value, row)
        assert ("do not record" in row[5]) == odd, (value, row)
    text = ws.tshark("-r", path, "-V").stdout
    for value, (_, _, _, _, names, _) in FLAGS.items():
        assert f"TCP flags: {value} ({names})" in text


def test_tcp_flags_fields_without_meaning_are_gone(ws):
    fields = {line.split("\t")[2] for line in ws.tshark("-G", "fields").stdout.splitlines()
              if line.startswith("F\t")}
    assert {"vpcflow.tcp_flags.fin", "vpcflow.tcp_flags.syn", "vpcflow.tcp_flags.rst",
            "vpcflow.tcp_flags.syn_ack"} <= fields
    assert not {"vpcflow.tcp_flags.psh", "vpcflow.tcp_flags.ack", "vpcflow.tcp_flags.urg"} & fields


def test_tcp_flags_dash_adds_no_field(ws):
    """AWS writes "-" when the flags make an invalid combination."""
    path = flags_file(ws, "flags-dash.log", ["-", 2])
    assert ws.fields(path, ["vpcflow.tcp_flags", "vpcflow.protocol", "_ws.malformed"]) == \
        [["", "6", ""], ["2", "6", ""]]
    out = ws.tshark("-r", path, "-Y", "vpcflow.protocol == 6 && !vpcflow.tcp_flags").stdout
    assert len(out.splitlines()) == 1


def test_tcp_flags_of_transit_gateway_records(ws):
    """The Transit Gateway page also lists PSH 8, ACK 16 and URG 32, and
    says a flow of ACKs alone reports 0."""
    header = "version resource-type tgw-id srcaddr dstaddr protocol tcp-flags log-status"
    record = "6 TransitGateway tgw-0123456789abcdef0 10.0.0.62 10.1.0.9 6 {} OK"
    path = ws.write("tgw-flags.log", "\n".join([header] + [record.format(v) for v in (8, 24, 32, 16, 64)]) + "\n")
    notes = [row[0] for row in ws.fields(path, ["_ws.expert.message"])]
    assert ["do not record" in n for n in notes] == [False, False, False, True, True]
    assert "Transit Gateway flow logs do not record" in notes[3]


def test_reject_says_what_it_covers(ws):
    header = "version srcaddr dstaddr srcport dstport protocol action log-status"
    path = ws.write("reject.log", f"{header}\n3 203.0.113.5 10.0.1.10 51515 22 6 REJECT OK\n")
    note = ws.fields(path, ["_ws.expert.message"])[0][0]
    assert "security group or network ACL" in note
    assert "after its connection closed" in note
    assert "Block Public Access" in note
    fields = ws.tshark("-G", "fields").stdout
    blurb = next(line for line in fields.splitlines() if "\tvpcflow.action\t" in line)
    assert "after its connection closed" in blurb and "Block Public Access" in blurb


# The 40 fields up to version 8, in AWS table order (the console's "all
# fields" of a version-8 flow log), headerless.
ALL_V8 = ("8 123456789010 eni-1235b8ca123456789 203.0.113.5 10.0.1.10 51515 22 6 3 180 1700000000 1700000060 "
          "REJECT OK vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 2 IPv4 203.0.113.5 "
          "10.0.1.10 {region} {az} - - - - ingress - - - - - - - - - - - {reason}")


@pytest.mark.parametrize("reason", ["BPA", "EC", "SOME_FUTURE_REASON"])
def test_reject_reason_any_value_is_text(ws, reason):
    """AWS documents BPA; other values are text, never malformed, and never
    keep a headerless layout from being recognised."""
    header = "version srcaddr dstaddr protocol action reject-reason log-status"
    with_header = ws.write(f"reason-{reason}.log", f"{header}\n8 203.0.113.5 10.0.1.10 6 REJECT {reason} OK\n")
    assert ws.fields(with_header, ["vpcflow.reject_reason", "_ws.malformed"]) == [[reason, ""]]
    line = ALL_V8.format(region="us-east-1", az="use1-az1", reason=reason)
    assert len(line.split()) == 40
    headerless = ws.write(f"reason-{reason}-all.log", f"{line}\n{line}\n")
    rows = ws.fields(headerless, ["vpcflow.format_source", "vpcflow.reject_reason", "vpcflow.region",
                                  "_ws.malformed"])
    assert rows == [["2", reason, "us-east-1", ""]] * 2


# One region (and AZ ID, where one is published) of each partition.
PARTITIONS = {
    "aws": ("mx-central-1", "-"),
    "aws-apse5": ("ap-southeast-5", "-"),
    "aws-us-gov": ("us-gov-west-1", "usgw1-az1"),
    "aws-cn": ("cn-north-1", "cnn1-az1"),
    "aws-iso": ("us-iso-east-1", "-"),
    "aws-iso-b": ("us-isob-east-1", "-"),
    "aws-iso-e": ("eu-isoe-west-1", "-"),
    "aws-iso-f": ("us-isof-south-1", "-"),
    "aws-eusc": ("eusc-de-east-1", "-"),
}


@pytest.mark.parametrize("partition", sorted(PARTITIONS))
def test_headerless_layout_in_every_partition(ws, partition):
    region, az = PARTITIONS[partition]
    line = ALL_V8.format(region=region, az=az, reason="-")
    path = ws.write(f"region-{partition}.log", f"{line}\n{line}\n")
    rows = ws.fields(path, ["vpcflow.format_source", "vpcflow.region", "vpcflow.az_id"])
    assert rows == [["2", region, "" if az == "-" else az]] * 2


# What the generator says cut each copy of gen-mtu-cuts.pcap, and the
# numbers AWS documents for it: 8500 - 54 = 8446 for a GWLB, 74 bytes of
# IPv6 outer headers.
CAUSES = {
    "gwlb-mtu": "by the Gateway Load Balancer's MTU (8500 - 54 = 8446 bytes pass whole)",
    "packet-length": "by the session's packet length (a Gateway Load Balancer passes 8446 bytes whole)",
    "unknown": "by the session's packet length or the target's MTU (mirroring adds 74 bytes)",
}


def test_mirror_cut_causes(mirror_ws):
    capture = "gen-mtu-cuts.pcap"
    facts = EXPECTED[capture]["frames"]
    assert {f["cause"] for f in facts} == set(CAUSES)
    rows = {int(r[0]): r for r in mirror_ws.fields(mirror_ws.path(capture),
                                                   ["frame.number", "mirror.truncated", "_ws.expert.message"],
                                                   occurrence="a")}
    for fact in facts:
        row = rows[fact["frame"]]
        assert row[1] == str(fact["truncated"])
        assert CAUSES[fact["cause"]] in row[2], row
