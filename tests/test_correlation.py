# Flow records and mirrored packets, joined in one capture (issue 12): the
# pair of pcaps/correlation merged with mergecap, read in two passes (as
# the GUI does), gives every record and every mirrored packet the link
# the generator's facts say; one pass gives no join fields (the rules and
# the passes: docs/correlation.md).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import re
import os

import pytest

from harness import REPO, Wireshark

PAIR = os.path.join(REPO, "pcaps", "correlation")

with open(os.path.join(PAIR, "facts.json")) as _f:
    FACTS = json.load(_f)

FIELDS = ["vpcflow.interface_id", "vpcflow.mirror.packets", "vpcflow.mirror.bytes", "vpcflow.mirror.first_frame",
          "vpcflow.mirror.last_frame", "vpcflow.mirror.verdict", "mirror.vni", "mirror.flow", "mirror.flow.action",
          "mirror.flow.log_status"]


@pytest.fixture(scope="module")
def merged():
    world = Wireshark()
    world.use_session_table(os.path.join(PAIR, "mirror_sessions"))
    for name in ("flows.log", "mirror.pcap"):
        world.copy_in(os.path.join(PAIR, name))
    both = world.path("both.pcapng")
    world.run("mergecap", "-w", both, world.path("flows.log"), world.path("mirror.pcap"))
    yield world, both
    world.cleanup()


def read(world, both, *args):
    """Rows by merged frame number, and the merged frame of each record
    line and of each mirror.pcap frame (mergecap keeps each file's order)."""
    rows = {}
    record_frame, packet_frame = {}, {}
    for n, row in enumerate(world.fields(both, FIELDS, *args), start=1):
        rows[n] = dict(zip(FIELDS, row))
        if row[0]:
            record_frame[len(record_frame) + 1] = n
        elif row[6]:
            packet_frame[len(packet_frame) + 1] = n
    assert len(record_frame) == len(FACTS["records"]) and len(packet_frame) == len(FACTS["packets"])
    return rows, record_frame, packet_frame


def test_every_record_counts_its_packets(merged):
    rows, record_frame, packet_frame = read(*merged, "-2")
    for rec in FACTS["records"]:
        row = rows[record_frame[rec["line"]]]
        if not rec["takes_part"]:
            assert row["vpcflow.mirror.packets"] == row["vpcflow.mirror.verdict"] == "", rec
            continue
        want_first = str(packet_frame[rec["first_frame"]]) if rec["first_frame"] else ""
        want_last = str(packet_frame[rec["last_frame"]]) if rec["last_frame"] else ""
        assert (row["vpcflow.mirror.packets"], row["vpcflow.mirror.bytes"], row["vpcflow.mirror.first_frame"],
                row["vpcflow.mirror.last_frame"], row["vpcflow.mirror.verdict"]) == \
            (str(rec["mirrored_packets"]), str(rec["mirrored_bytes"]), want_first, want_last, rec["verdict"]), rec


def test_every_packet_links_its_record(merged):
    rows, record_frame, packet_frame = read(*merged, "-2")
    for pkt in FACTS["packets"]:
        row = rows[packet_frame[pkt["frame"]]]
        if pkt["record_line"] is None:
            assert row["mirror.flow"] == row["mirror.flow.action"] == "", pkt
            continue
        rec = FACTS["records"][pkt["record_line"] - 1]
        assert (row["mirror.flow"], row["mirror.flow.action"], row["mirror.flow.log_status"]) == \
            (str(record_frame[pkt["record_line"]]), rec["action"], "OK"), pkt


def count(world, both, display_filter):
    return len(world.fields(both, ["frame.number"], "-2", "-Y", display_filter))


def test_filters_of_the_issue(merged):
    world, both = merged
    t = FACTS["totals"]
    rejected = sum(r["mirrored_packets"] for r in FACTS["records"] if r.get("reject_mirrored"))
    assert rejected == 3
    assert count(world, both, 'mirror.flow.action == "REJECT"') == rejected
    assert count(world, both, "mirror && !mirror.flow") == t["outside"]
    assert count(world, both, "vpcflow.mirror.disagree") == t["partly_seen"] + t["not_seen"]
    assert count(world, both, "vpcflow.mirror.reject_mirrored") == t["reject_mirrored"]
    assert count(world, both, "mirror.flow.outside") == t["outside"]


def test_one_pass_gives_no_join_fields(merged):
    rows, _, _ = read(*merged)
    assert not any(r["vpcflow.mirror.packets"] or r["mirror.flow"] for r in rows.values())


def test_either_file_alone_gets_no_join_fields(merged):
    world, _ = merged
    for name, field in (("flows.log", "vpcflow.mirror.verdict"), ("mirror.pcap", "mirror.flow")):
        rows = world.fields(world.path(name), [field], "-2")
        assert rows and not any(r[0] for r in rows)
    assert world.fields(world.path("mirror.pcap"), ["frame.number"], "-2", "-Y", "mirror.flow.outside") == []


def test_report_in_one_pass(merged):
    """-z vpcflow,mirror: one row per record taking part, then the totals, in one pass."""
    world, both = merged
    _, record_frame, _ = read(world, both, "-2")
    out = world.tshark("-r", both, "-q", "-z", "vpcflow,mirror").stdout
    rows = {}
    for line in out.splitlines():
        m = re.match(r"(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(-?\d+) +(fully seen|partly seen|not seen|more than logged) ",
                     line)
        if m:
            rows[int(m.group(1))] = (*(int(g) for g in m.groups()[1:6]), m.group(7))
    want = {record_frame[r["line"]]: (r["logged_packets"], r["logged_bytes"], r["mirrored_packets"],
                                      r["mirrored_bytes"], r["logged_packets"] - r["mirrored_packets"], r["verdict"])
            for r in FACTS["records"] if r["takes_part"]}
    assert rows == want
    t = FACTS["totals"]
    assert (f"Records: {t['records']}; fully seen {t['fully_seen']}, partly seen {t['partly_seen']}, "
            f"not seen {t['not_seen']}, more than logged {t['more_than_logged']}; "
            f"REJECT with mirrored packets {t['reject_mirrored']}") in out
    assert (f"Mirrored packets: {t['packets']}; in a record {t['matched']}, second copies 0, "
            f"outside every record {t['outside']}") in out


def test_report_takes_no_options(merged):
    world, both = merged
    proc = world.tshark("-r", both, "-q", "-z", "vpcflow,mirror,x", check=False)
    assert proc.returncode != 0 and "takes no options" in proc.stderr


def test_preferences(merged):
    world, both = merged
    off = world.fields(both, ["vpcflow.mirror.packets", "mirror.flow"], "-2", "-o", "vpcflow.mirror_join:FALSE")
    assert not any(r[0] or r[1] for r in off)
    out = world.tshark("-r", both, "-q", "-z", "vpcflow,mirror", "-o", "vpcflow.mirror_join:FALSE").stdout
    assert "The join is off" in out and "Records: 0;" in out
    # Every record is stamped 0-7 s after its packets: with no lag allowed, the
    # packets before a record's stamped start are outside every record.
    lagged = [r for r in FACTS["records"] if r["takes_part"] and r["stamp_lag_s"] > 0 and r["mirrored_packets"]]
    assert lagged
    assert count(world, both, "mirror && !mirror.flow") == FACTS["totals"]["outside"]
    assert len(world.fields(both, ["frame.number"], "-2", "-o", "vpcflow.mirror_lag:0", "-Y",
                            "mirror && !mirror.flow")) > FACTS["totals"]["outside"]


def test_direct_captures_count_nothing_twice(merged, tmp_path):
    """A direct capture of packets the web session also mirrored, merged in
    too: each direct packet is a duplicate linked to the record of its
    mirrored copy (by addresses and ports: it has no interface), and no
    record's count changes."""
    from scapy.all import Ether, PcapReader, PcapWriter

    world, both = merged
    chosen = [p for p in FACTS["packets"] if p["vni"] == 1001 and p["direction"] == "egress" and p["record_line"]][:20]
    wanted = {p["frame"] for p in chosen}
    direct = world.path("direct.pcap")
    with PcapReader(os.path.join(PAIR, "mirror.pcap")) as reader, PcapWriter(direct, linktype=1) as writer:
        for n, pkt in enumerate(reader, start=1):
            if n in wanted:
                inner = Ether(bytes(pkt)[50:])          # after outer Ethernet, IPv4, UDP, VXLAN
                inner.time = pkt.time + 0.0001
                writer.write(inner)
    os.chmod(direct, 0o644)
    three = world.path("three.pcapng")
    world.run("mergecap", "-w", three, world.path("flows.log"), world.path("mirror.pcap"), direct)
    fields = ["vpcflow.interface_id", "vpcflow.mirror.packets", "mirror.vni", "mirror.duplicate_of", "mirror.flow"]
    rows = world.fields(three, fields, "-2")
    record_frame, packet_frame, direct_rows = {}, {}, []
    for n, row in enumerate(rows, start=1):
        if row[0]:
            record_frame[len(record_frame) + 1] = (n, row[1])
        elif row[2]:
            packet_frame[len(packet_frame) + 1] = n
        elif row[3]:
            direct_rows.append(row)
    assert len(direct_rows) == len(chosen)
    for pkt, row in zip(chosen, direct_rows):
        assert row[3:5] == [str(packet_frame[pkt["frame"]]), str(record_frame[pkt["record_line"]][0])]
    for rec in FACTS["records"]:
        if rec["takes_part"]:
            assert record_frame[rec["line"]][1] == str(rec["mirrored_packets"]), rec
