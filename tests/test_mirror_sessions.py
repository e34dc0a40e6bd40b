# The mirror_sessions table: from the profile, from -o uat:..., filled
# from the AWS CLI's JSON; bad rows and bad files say what is wrong and
# change nothing.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json

import mirrorref
from mirrorref import EXPECTED, MIRROR_FIELDS

TWO = "gen-two-sessions.pcap"


def session_and_direction(world, capture, *args):
    rows = world.fields(capture, ["frame.number", "mirror.session", "mirror.direction"], "-Y", "mirror", *args)
    return {int(r[0]): (r[1], r[2]) for r in rows}


def expected_session_and_direction(capture, sessions=None):
    """From the generator; sessions: the names the table in use knows."""
    out = {}
    for f in EXPECTED[capture]["frames"]:
        name = f["session"] if f["session"] and (sessions is None or f["session"] in sessions) else ""
        out[f["frame"]] = (name, f["direction"] or "")
    return out


def test_command_line_rows(ws):
    """-o 'uat:mirror_sessions:...' rows, columns after the name left out."""
    capture = ws.copy_in(mirrorref.path(TWO))
    args = ["-o", 'uat:mirror_sessions:"12345","","web"',
            "-o", 'uat:mirror_sessions:"23456","","db","tms-2","eni-2","","database"']
    got = session_and_direction(ws, capture, *args)
    want = expected_session_and_direction(TWO, {"web", "db"})
    # Without the ENI addresses and MAC of the bundled table, the frames
    # whose direction only the table could tell have none.
    for f in EXPECTED[TWO]["frames"]:
        if f["session"] == "web" and f["inner_src"] not in ("10.0.1.10", "198.51.100.7"):
            want[f["frame"]] = (want[f["frame"]][0], "")
    assert got == want
    rows = ws.fields(capture, ["mirror.session_id", "mirror.source_eni", "mirror.description"], "-Y",
                     'mirror.session == "db"', *args)
    assert rows and all(r == ["tms-2", "eni-2", "database"] for r in rows)


def test_profile_table(mirror_ws):
    got = session_and_direction(mirror_ws, mirror_ws.path(TWO))
    assert got == expected_session_and_direction(TWO)


def test_invalid_row_is_refused(ws):
    capture = ws.copy_in(mirrorref.path(TWO))
    for row, message in (('"16777216","","big"', "VNI"),
                         ('"1","10.0.0.300","x"', "is not an IPv4 or IPv6 address"),
                         ('"1","","x","","","abc"', "packet length"),
                         ('"1","","x","","","","","10.0.1.10 nope"', "nope"),
                         ('"1","","x","","","","","","02:00"', "is not a MAC address")):
        proc = ws.tshark("-r", capture, "-o", "uat:mirror_sessions:" + row, check=False)
        assert proc.returncode != 0
        assert message in proc.stderr, proc.stderr


def write(world, name, data):
    return world.write(name, data if isinstance(data, str) else json.dumps(data))


def test_json_import(ws):
    """The AWS CLI JSON of the bundled sessions names the frames as the
    bundled table does (for the sessions it lists)."""
    capture = ws.copy_in(mirrorref.path(TWO))
    sessions = ws.copy_in(mirrorref.SESSIONS_JSON)
    interfaces = ws.copy_in(mirrorref.INTERFACES_JSON)
    listed = {s["Tags"][1]["Value"] for s in json.load(open(mirrorref.SESSIONS_JSON))["TrafficMirrorSessions"]}
    assert listed == {"web", "db", "shared-a", "shared-b"}
    got = session_and_direction(ws, capture, "-o", "mirror.sessions_json:" + sessions,
                                "-o", "mirror.interfaces_json:" + interfaces)
    assert got == expected_session_and_direction(TWO, listed)
    # Without the interfaces, the shared VNI cannot be told apart (the
    # first of its sessions is taken) and the ENI-table directions are lost.
    got = session_and_direction(ws, capture, "-o", "mirror.sessions_json:" + sessions)
    shared = [f["frame"] for f in EXPECTED[TWO]["frames"] if f["vni"] == 500]
    assert {got[n][0] for n in shared} == {"shared-a"}


def test_json_import_keeps_typed_rows(ws):
    capture = ws.copy_in(mirrorref.path(TWO))
    sessions = ws.copy_in(mirrorref.SESSIONS_JSON)
    got = session_and_direction(ws, capture, "-o", 'uat:mirror_sessions:"12345","","typed-by-hand"',
                                "-o", "mirror.sessions_json:" + sessions)
    names = {f["frame"]: got[f["frame"]][0] for f in EXPECTED[TWO]["frames"]}
    assert {names[f["frame"]] for f in EXPECTED[TWO]["frames"] if f["vni"] == 12345} == {"typed-by-hand"}
    assert {names[f["frame"]] for f in EXPECTED[TWO]["frames"] if f["vni"] == 23456} == {"db"}


def test_bad_json_changes_nothing(ws):
    capture = ws.copy_in(mirrorref.path(TWO))
    typed = ["-o", 'uat:mirror_sessions:"12345","","typed"']
    before = ws.fields(capture, MIRROR_FIELDS, *typed)
    cases = {
        "truncated.json": ('{"TrafficMirrorSessions": [', "not valid JSON"),
        "other.json": (json.dumps({"Reservations": []}), "no \"TrafficMirrorSessions\" list"),
        "novni.json": (json.dumps({"TrafficMirrorSessions": [{"VirtualNetworkId": 23456},
                                                             {"TrafficMirrorSessionId": "tms-x"}]}),
                       "session 2 (tms-x) has no VirtualNetworkId"),
    }
    for name, (text, message) in cases.items():
        path = write(ws, name, text)
        proc = ws.tshark("-r", capture, "-T", "fields", "-E", "separator=/t", *sum((["-e", f] for f in MIRROR_FIELDS),
                                                                                   []),
                         *typed, "-o", "mirror.sessions_json:" + path)
        assert path in proc.stderr and message in proc.stderr, proc.stderr
        assert "left as it was" in proc.stderr
        assert [line.split("\t") for line in proc.stdout.splitlines()] == before
    proc = ws.tshark("-r", capture, "-o", "mirror.sessions_json:" + ws.path("missing.json"), "-c", "1")
    assert "missing.json" in proc.stderr and "left as it was" in proc.stderr
