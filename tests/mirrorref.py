# Independent references for the Traffic Mirror tests: what the
# generator put in its captures (pcaps/mirror/expected.json), the bundled
# session table, and readings of the public captures made here with
# scapy, never with tshark.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import csv
import json
import os
import re

from harness import REPO, field_bool

MIRROR = os.path.join(REPO, "pcaps", "mirror")
TABLE = os.path.join(MIRROR, "mirror_sessions")
SESSIONS_JSON = os.path.join(MIRROR, "describe-traffic-mirror-sessions.json")
INTERFACES_JSON = os.path.join(MIRROR, "describe-network-interfaces.json")

with open(os.path.join(MIRROR, "expected.json")) as _f:
    EXPECTED = json.load(_f)

GENERATED = sorted(EXPECTED)
PUBLIC = sorted(f for f in os.listdir(MIRROR) if f.endswith((".pcap", ".pcapng")) and not f.startswith("gen-"))
AWS_CAPTURE = "sv-vxlan-decoder-03-aws-mirror.pcap"
OVERLAP_CAPTURE = "zeek-vxlan-overlapping-http-get.pcap"

MIRROR_FIELDS = ["frame.number", "mirror.vni", "mirror.session", "mirror.direction", "mirror.truncated",
                 "mirror.copy_length", "mirror.duplicate", "mirror.duplicate_of"]


def path(name):
    return os.path.join(MIRROR, name)


def stock_vxlan_ports(stock_ws):
    """The UDP ports stock Wireshark gives VXLAN (tshark -G decodes): 4789,
    and from 4.2 on 8472 too (Linux's default)."""
    ports = set()
    for line in stock_ws.tshark("-G", "decodes").stdout.splitlines():
        cells = line.split("\t")
        if len(cells) == 3 and cells[0] == "udp.port" and cells[2] == "vxlan":
            ports.add(int(cells[1]))
    assert 4789 in ports
    return ports


def outer_udp_ports(stock_ws, capture):
    """Frame number -> outer UDP destination port, as stock tshark reads it."""
    rows = stock_ws.fields(capture, ["frame.number", "udp.dstport"])
    return {int(number): int(port) for number, port in rows if port}


def table_rows():
    """Rows of the bundled table, as lists of strings."""
    with open(TABLE) as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return [row for row in csv.reader(lines)]


def uat_options(rows):
    """-o arguments that put rows in the mirror_sessions table."""
    args = []
    for row in rows:
        args += ["-o", "uat:mirror_sessions:" + ",".join('"%s"' % v for v in row)]
    return args


def expected_rows(capture):
    """What each mirror frame of a generated capture must show, as tshark
    -T fields prints MIRROR_FIELDS (empty string: field absent)."""
    rows = {}
    for fact in EXPECTED[capture]["frames"]:
        rows[fact["frame"]] = [
            str(fact["frame"]),
            str(fact["vni"]),
            fact["session"] or "",
            fact["direction"] or "",
            str(fact["truncated"]) if fact["truncated"] else "",
            str(fact["copy_length"]) if fact["truncated"] else "",
            field_bool(True) if fact["duplicate_of"] else "",
            str(fact["duplicate_of"]) if fact["duplicate_of"] else "",
        ]
    return rows


def aws_capture_reference():
    """Frame by frame, the real AWS capture as read with scapy: VNI, outer
    source, inner addresses, the direction the documented rule gives
    (inner source = outer source: egress; inner destination = outer
    source: ingress) and the length of the mirrored frame."""
    from scapy.all import IP, UDP, rdpcap

    frames = []
    for pkt in rdpcap(path(AWS_CAPTURE)):
        outer = pkt[IP]
        udp = outer[UDP]
        payload = bytes(udp.payload)
        vni = int.from_bytes(payload[4:7], "big")
        inner = payload[8:]
        ethertype = int.from_bytes(inner[12:14], "big")
        assert ethertype == 0x0800
        src = ".".join(str(b) for b in inner[26:30])
        dst = ".".join(str(b) for b in inner[30:34])
        direction = "egress" if src == outer.src else "ingress" if dst == outer.src else ""
        frames.append({"vni": vni, "outer": outer.src, "src": src, "dst": dst, "direction": direction,
                       "inner_len": len(inner), "proto": inner[23]})
    return frames


def normalise_pdml(text):
    """PDML of one run, without what differs between two runs of the same
    file in different folders."""
    text = re.sub(r'capture_file="[^"]*"', 'capture_file=""', text)
    text = re.sub(r'time="[^"]*"', 'time=""', text)
    return text


def parse_stats_tree(text):
    """-z <x>,tree output: {path: count} where path joins the names of the
    node and its parents with " / "."""
    counts = {}
    stack = []
    in_table = False
    for line in text.splitlines():
        if line.startswith("---"):
            in_table = True
            continue
        if not in_table or not line.strip() or line.startswith("="):
            continue
        indent = len(line) - len(line.lstrip(" "))
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) < 2 or not cells[1].isdigit():
            continue
        name, count = cells[0], int(cells[1])
        level = indent // 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, name))
        counts[" / ".join(n for _, n in stack)] = count
    return counts
