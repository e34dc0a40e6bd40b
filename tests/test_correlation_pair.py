# The consistent pair of issue 12 (pcaps/correlation: a flow log and a
# mirror capture of the same traffic, tools/gen-correlation.py) and its
# facts: the files are what the generator makes, each half reads as the
# facts say, the two merge into one capture, and the facts hold the
# disagreements the generator was asked to put in. The join itself is
# checked against these facts in test_correlation.py; its rules are
# unit-tested in tests/unit/test-correlate.c.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import filecmp
import json
import os
import subprocess

import pytest

from harness import REPO, Wireshark, field_bool, field_time_utc

PAIR = os.path.join(REPO, "pcaps", "correlation")
FILES = ("flows.log", "mirror.pcap", "mirror_sessions", "facts.json")

with open(os.path.join(PAIR, "facts.json")) as _f:
    FACTS = json.load(_f)

ENI = {"web": "eni-0c1a2b3c4d5e60001", "app": "eni-0c1a2b3c4d5e60002", "db": "eni-0c1a2b3c4d5e60003",
       "cache": "eni-0c1a2b3c4d5e60004", "idle": "eni-0c1a2b3c4d5e60005", "bastion": "eni-0c1a2b3c4d5e60006"}


@pytest.fixture(scope="module")
def pair_ws():
    world = Wireshark()
    world.use_session_table(os.path.join(PAIR, "mirror_sessions"))
    for name in ("flows.log", "mirror.pcap"):
        world.copy_in(os.path.join(PAIR, name))
    yield world
    world.cleanup()


def test_files_are_the_generators(tmp_path):
    subprocess.run(["/usr/bin/python3", os.path.join(REPO, "tools", "gen-correlation.py"), str(tmp_path)],
                   check=True, capture_output=True)
    for name in FILES:
        assert filecmp.cmp(os.path.join(PAIR, name), tmp_path / name, shallow=False), f"{name} is stale"


def test_flow_log_reads_as_the_facts(pair_ws):
    rows = pair_ws.fields(pair_ws.path("flows.log"), ["vpcflow.interface_id", "vpcflow.srcaddr", "vpcflow.dstaddr",
                                                      "vpcflow.packets", "vpcflow.bytes", "vpcflow.action",
                                                      "vpcflow.log_status", "vpcflow.start", "vpcflow.end"])
    assert len(rows) == len(FACTS["records"])
    for row, rec in zip(rows, FACTS["records"]):
        assert row[0] == rec["interface"]
        assert row[6] == rec["log_status"]
        if rec["takes_part"]:
            assert row[1:6] == [rec["srcaddr"], rec["dstaddr"], str(rec["logged_packets"]), str(rec["logged_bytes"]),
                                rec["action"]]
            assert row[7:9] == [field_time_utc(rec["start"]), field_time_utc(rec["end"])]


def test_mirror_copies_read_as_the_facts(pair_ws):
    rows = pair_ws.fields(pair_ws.path("mirror.pcap"), ["mirror.vni", "mirror.source_eni", "mirror.direction",
                                                        "mirror.truncated", "mirror.duplicate"])
    assert len(rows) == len(FACTS["packets"])
    for row, pkt in zip(rows, FACTS["packets"]):
        assert row[:3] == [str(pkt["vni"]), pkt["interface"], pkt["direction"]]
        assert row[3] == (str(14 + pkt["ip_len"]) if pkt["cut"] else "")
        assert row[4] == (field_bool(True) if pkt["duplicate"] else "")


def test_the_two_merge(pair_ws):
    both = pair_ws.path("both.pcapng")
    pair_ws.run("mergecap", "-w", both, pair_ws.path("flows.log"), pair_ws.path("mirror.pcap"))
    rows = pair_ws.fields(both, ["vpcflow.interface_id", "mirror.vni"])
    assert sum(1 for r in rows if r[0]) == len(FACTS["records"])
    assert sum(1 for r in rows if r[1]) == len(FACTS["packets"])
    assert len(rows) == len(FACTS["records"]) + len(FACTS["packets"])


def records(**match):
    return [r for r in FACTS["records"] if r["takes_part"] and all(r.get(k) == v for k, v in match.items())]


def test_facts_hold_every_disagreement():
    # Mirror filter: web's syslog records are logged and never seen.
    syslog = records(interface=ENI["web"], dstport=514)
    assert len(syslog) == 4 and {r["verdict"] for r in syslog} == {"not seen"}
    # Late session: db's records of the first minute not seen, of the second partly, later fully.
    db = sorted(records(interface=ENI["db"]), key=lambda r: r["start"])
    by_minute = {}
    for r in db:
        by_minute.setdefault((r["start"] - r["stamp_lag_s"] - FACTS["t0"]) // 60, set()).add(r["verdict"])
    assert by_minute == {0: {"not seen"}, 1: {"partly seen"}, 2: {"fully seen"}, 3: {"fully seen"}}
    # An ENI without a session: every record not seen.
    assert {r["verdict"] for r in records(interface=ENI["cache"])} == {"not seen"}
    # REJECT: the scan was not mirrored (dropped at the source); the outbound SMTP was.
    rejects = records(action="REJECT")
    assert {(r["direction"], r["verdict"], r["reject_mirrored"]) for r in rejects} == \
        {("ingress", "not seen", False), ("egress", "fully seen", True)}
    # NODATA: idle, every minute; it takes no part.
    nodata = [r for r in FACTS["records"] if r["log_status"] == "NODATA"]
    assert [r["interface"] for r in nodata] == [ENI["idle"]] * 4
    # No flow log on bastion: its copies are outside every record; every other copy has a record.
    outside = [p for p in FACTS["packets"] if p["record_line"] is None]
    assert outside and {p["interface"] for p in outside} == {ENI["bastion"]}
    # Both ends: each copy counts at its own interface, second copies included.
    second = [p for p in FACTS["packets"] if p["duplicate"] and p["record_line"]]
    assert {p["interface"] for p in second} == {ENI["web"], ENI["app"], ENI["db"]}
    assert all(FACTS["records"][p["record_line"] - 1]["interface"] == p["interface"] for p in second)
    # Cut copies count the original IP length.
    app = records(interface=ENI["app"], direction="ingress", dstport=8080)
    assert app and all(r["mirrored_bytes"] == r["logged_bytes"] for r in app)
    assert any(p["cut"] for p in FACTS["packets"])
    # Every stamp lag is within what AWS documents and the join allows.
    assert all(0 <= r["stamp_lag_s"] <= FACTS["max_stamp_lag_s"] <= FACTS["lag_allowance_s"] for r in records())


def test_facts_add_up():
    t = FACTS["totals"]
    taking_part = records()
    assert t["records"] == len(taking_part) == t["fully_seen"] + t["partly_seen"] + t["not_seen"] + \
        t["more_than_logged"]
    assert t["packets"] == len(FACTS["packets"]) == t["matched"] + t["outside"]
    for r in taking_part:
        mine = [p for p in FACTS["packets"] if p["record_line"] == r["line"]]
        assert len(mine) == r["mirrored_packets"] <= r["logged_packets"]
        assert sum(p["ip_len"] for p in mine) == r["mirrored_bytes"]
        assert (r["first_frame"], r["last_frame"]) == \
            ((min(p["frame"] for p in mine), max(p["frame"] for p in mine)) if mine else (None, None))
