# The join in the seed workshop's shape (issue 12): a web tier (an ALB in
# front of two mirrored web instances, one database) whose flow log is the
# workshop's 29-field "select all" CloudWatch layout, merged with the
# mirror capture of the same traffic (tools/gen-correlation.py
# --workshop, pcaps/correlation-workshop). Every record's and every
# mirrored packet's link is checked against the generator's facts, and
# the same records in the S3 text shape give the same answers.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import filecmp
import json
import os
import re
import subprocess

import pytest

from harness import REPO, Wireshark

WORKSHOP = os.path.join(REPO, "pcaps", "correlation-workshop")
FILES = ("flows.log", "flows-s3.log", "mirror.pcap", "mirror_sessions", "facts.json")
SHAPES = ("flows.log", "flows-s3.log")      # CloudWatch 29 fields; S3 text

with open(os.path.join(WORKSHOP, "facts.json")) as _f:
    FACTS = json.load(_f)

FIELDS = ["vpcflow.interface_id", "vpcflow.instance_id", "vpcflow.mirror.packets", "vpcflow.mirror.bytes",
          "vpcflow.mirror.first_frame", "vpcflow.mirror.last_frame", "vpcflow.mirror.verdict", "mirror.vni",
          "mirror.flow", "mirror.flow.action", "mirror.flow.log_status"]


@pytest.fixture(scope="module")
def joined():
    """Per flow-log shape: (rows by merged frame, record line -> frame,
    mirror.pcap frame -> merged frame), read in two passes."""
    world = Wireshark()
    world.use_session_table(os.path.join(WORKSHOP, "mirror_sessions"))
    for name in SHAPES + ("mirror.pcap",):
        world.copy_in(os.path.join(WORKSHOP, name))
    out = {}
    for shape in SHAPES:
        both = world.path(shape + ".pcapng")
        world.run("mergecap", "-w", both, world.path(shape), world.path("mirror.pcap"))
        rows, record_frame, packet_frame = {}, {}, {}
        for n, row in enumerate(world.fields(both, FIELDS, "-2"), start=1):
            rows[n] = dict(zip(FIELDS, row))
            if row[0]:
                record_frame[len(record_frame) + 1] = n
            elif row[7]:
                packet_frame[len(packet_frame) + 1] = n
        assert len(record_frame) == len(FACTS["records"]) and len(packet_frame) == len(FACTS["packets"])
        out[shape] = (world, both, rows, record_frame, packet_frame)
    yield out
    world.cleanup()


def test_files_are_the_generators(tmp_path):
    subprocess.run(["/usr/bin/python3", os.path.join(REPO, "tools", "gen-correlation.py"), "--workshop",
                    str(tmp_path)], check=True, capture_output=True)
    for name in FILES:
        assert filecmp.cmp(os.path.join(WORKSHOP, name), tmp_path / name, shallow=False), f"{name} is stale"


def test_the_workshop_has_its_disagreements():
    t = FACTS["totals"]
    assert t["fully_seen"] and t["partly_seen"] and t["not_seen"]
    assert any(r.get("action") == "REJECT" and r["mirrored_packets"] == 0 for r in FACTS["records"])
    assert {p["vni"] for p in FACTS["packets"]} == {12345, 12346}    # the workshop's VNI, and a second web


def test_cloudwatch_layout_is_read_as_29_fields(joined):
    _, _, rows, record_frame, _ = joined["flows.log"]
    with open(os.path.join(WORKSHOP, "flows.log")) as f:
        lines = f.read().splitlines()
    assert all(len(line.split()) == 29 for line in lines) and not lines[0].startswith("account")
    for line, frame in record_frame.items():
        assert rows[frame]["vpcflow.instance_id"] == ("" if lines[line - 1].split()[8] == "-"
                                                      else lines[line - 1].split()[8])


@pytest.mark.parametrize("shape", SHAPES)
def test_every_record_counts_its_packets(joined, shape):
    _, _, rows, record_frame, packet_frame = joined[shape]
    for rec in FACTS["records"]:
        row = rows[record_frame[rec["line"]]]
        if not rec["takes_part"]:
            assert row["vpcflow.mirror.packets"] == row["vpcflow.mirror.verdict"] == "", rec
            continue
        want_first = str(packet_frame[rec["first_frame"]]) if rec["first_frame"] else ""
        want_last = str(packet_frame[rec["last_frame"]]) if rec["last_frame"] else ""
        assert (row["vpcflow.interface_id"], row["vpcflow.mirror.packets"], row["vpcflow.mirror.bytes"],
                row["vpcflow.mirror.first_frame"], row["vpcflow.mirror.last_frame"], row["vpcflow.mirror.verdict"]) == \
            (rec["interface"], str(rec["mirrored_packets"]), str(rec["mirrored_bytes"]), want_first, want_last,
             rec["verdict"]), rec


@pytest.mark.parametrize("shape", SHAPES)
def test_every_packet_links_its_record(joined, shape):
    _, _, rows, record_frame, packet_frame = joined[shape]
    for pkt in FACTS["packets"]:
        row = rows[packet_frame[pkt["frame"]]]
        if pkt["record_line"] is None:
            assert row["mirror.flow"] == "", pkt
            continue
        rec = FACTS["records"][pkt["record_line"] - 1]
        assert (row["mirror.flow"], row["mirror.flow.action"], row["mirror.flow.log_status"]) == \
            (str(record_frame[pkt["record_line"]]), rec["action"], "OK"), pkt


def test_both_shapes_give_the_same_answers(joined):
    """Record by record and packet by packet (by line and mirror.pcap
    frame: the merged frame numbers differ by the S3 header)."""
    def answers(shape):
        _, _, rows, record_frame, packet_frame = joined[shape]
        by_frame = {f: line for line, f in record_frame.items()}
        recs = {line: tuple(rows[f][k] for k in FIELDS[2:4] + FIELDS[6:7]) for line, f in record_frame.items()}
        pkts = {n: by_frame.get(int(rows[f]["mirror.flow"])) if rows[f]["mirror.flow"] else None
                for n, f in packet_frame.items()}
        return recs, pkts
    assert answers("flows.log") == answers("flows-s3.log")


def test_report_totals(joined):
    world, both = joined["flows.log"][:2]
    out = world.tshark("-r", both, "-q", "-z", "vpcflow,mirror").stdout
    t = FACTS["totals"]
    assert (f"Records: {t['records']}; fully seen {t['fully_seen']}, partly seen {t['partly_seen']}, "
            f"not seen {t['not_seen']}, more than logged {t['more_than_logged']}; "
            f"REJECT with mirrored packets {t['reject_mirrored']}") in out
    assert re.search(rf"Mirrored packets: {t['packets']}; in a record {t['matched']}, second copies \d+, "
                     rf"outside every record {t['outside']}", out)
