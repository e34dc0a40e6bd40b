# The Wireshark GUI itself (issues 3 and 4): the dialogs a user opens
# from the Statistics menu, driven in a real wireshark window under Xvfb
# (tests/gui.py), their tables read back through each dialog's Copy
# button. The expected values are computed here from the sample text and
# the mirror generator's facts, as in the tshark tests of the same taps.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import collections
import contextlib
import csv
import io
import os
import shutil
import struct
import time

import pytest

import gui
import mirrorref
from harness import BUILD, REPO, wireshark_version
from test_analysis import S3, records, tree_counts
from test_mirror_export import inner_frames, read_pcapng
from test_mirror_stats import expected_tree

MISSING = gui.missing_tools()
pytestmark = pytest.mark.skipif(bool(MISSING), reason="GUI tests need " + ", ".join(MISSING) +
                                " (tools/install-deps.sh installs them)")

# Menu paths to each dialog, by the items' names (tests/gui.py finds them
# through the accessibility interface, whatever their order in a version).
CONVERSATIONS = ("Statistics", "Conversations")
ENDPOINTS = ("Statistics", "Endpoints")
IO_GRAPHS = ("Statistics", "I/O Graphs")
MIRROR_SESSIONS = ("Statistics", "Traffic Mirror Sessions")
VPC_FLOW_LOGS = ("Statistics", "VPC Flow Logs")
REJECTS_BY_SOURCE = VPC_FLOW_LOGS + ("Rejects by source",)
BYTES_BY_INSTANCE = VPC_FLOW_LOGS + ("Bytes by instance (KiB)",)

TRANSPORT = {"6": "tcp", "17": "udp", "132": "sctp"}
MTU_CUTS = "gen-mtu-cuts.pcap"
SCREENSHOTS = os.path.join(BUILD, "gui-screenshots")


@contextlib.contextmanager
def dialog(window, menu, title):
    window.menu(*menu)
    found = window.window(title)
    time.sleep(1)  # the dialog reads the capture again once shown
    try:
        yield title
    finally:
        window.close_dialog(found)


def copy_csv(window, title):
    """The table of the dialog titled title, through its Copy button's
    first item (as CSV, in every version)."""
    return list(csv.DictReader(io.StringIO(window.copy(title, menu_item=0))))


@pytest.fixture(scope="module")
def flowlog_gui(ws):
    window = gui.Gui(ws, ws.copy_in(S3), recent="gui.conversation_tabs: VPCFLOW\ngui.endpoint_tabs: VPCFLOW\n")
    yield window
    window.close()


@pytest.fixture(scope="module")
def profile_gui(ws):
    shutil.copytree(os.path.join(REPO, "profiles", "AWS-VPC"), os.path.join(ws.config, "profiles", "AWS-VPC"),
                    dirs_exist_ok=True)
    window = gui.Gui(ws, ws.copy_in(S3), profile="AWS-VPC")
    yield window
    window.close()


@pytest.fixture(scope="module")
def mirror_gui(mirror_ws):
    window = gui.Gui(mirror_ws, mirror_ws.path("gen-two-sessions.pcap"),
                     recent="gui.conversation_tabs: Mirror\ngui.endpoint_tabs: Mirror\n")
    yield window
    window.close()


@pytest.fixture(scope="module")
def mirror_profile_gui(mirror_ws):
    """A mirror capture with the AWS-VPC profile (and the session table
    in it), showing only the copies cut short."""
    profile = os.path.join(mirror_ws.config, "profiles", "AWS-VPC")
    shutil.copytree(os.path.join(REPO, "profiles", "AWS-VPC"), profile, dirs_exist_ok=True)
    shutil.copy(mirrorref.TABLE, os.path.join(profile, "mirror_sessions"))
    window = gui.Gui(mirror_ws, mirror_ws.path(MTU_CUTS), profile="AWS-VPC", args=("-Y", "mirror.truncated"))
    yield window
    window.close()


def traffic_records():
    return [r for r in records() if r["srcaddr"] != "-" and r["packets"] != "-"]


def test_conversations_dialog_counts_the_traffic_inside_records(flowlog_gui):
    recs = traffic_records()
    first_frame = int(records()[0]["start"])
    expected = {}
    for r in recs:
        a, b = (r["srcaddr"], r["srcport"]), (r["dstaddr"], r["dstport"])
        key = (TRANSPORT.get(r["protocol"]), frozenset((a, b)))
        conv = expected.setdefault(key, {"packets": collections.Counter(),
                                         "bytes": collections.Counter(), "start": int(r["start"]),
                                         "end": int(r["end"])})
        conv["packets"][a] += int(r["packets"])
        conv["bytes"][a] += int(r["bytes"])
        conv["start"] = min(conv["start"], int(r["start"]))
        conv["end"] = max(conv["end"], int(r["end"]))
    with dialog(flowlog_gui, CONVERSATIONS, "Conversations") as found:
        rows = copy_csv(flowlog_gui, found)
    assert len(rows) == len(expected) > 50
    seen = set()
    for row in rows:
        a, b = (row["Address A"], row["Port A"]), (row["Address B"], row["Port B"])
        matches = [k for k in expected if k[1] == frozenset((a, b)) and k not in seen]
        assert matches, row
        conv = expected[matches[0]]
        seen.add(matches[0])
        assert int(row["Packets A → B"]) == conv["packets"][a]
        assert int(row["Bytes A → B"]) == conv["bytes"][a]
        assert int(row["Packets B → A"]) == conv["packets"][b]
        assert int(row["Bytes B → A"]) == conv["bytes"][b]
        assert int(row["Packets"]) == conv["packets"][a] + conv["packets"][b]
        assert float(row["Rel Start"]) == conv["start"] - first_frame
        assert float(row["Duration"]) == conv["end"] - conv["start"]


def test_endpoints_dialog_counts_the_traffic_inside_records(flowlog_gui):
    expected = collections.defaultdict(lambda: [0, 0, 0, 0])  # tx packets, tx bytes, rx packets, rx bytes
    for r in traffic_records():
        transport = TRANSPORT.get(r["protocol"])
        tx = expected[(transport, r["srcaddr"], r["srcport"])]
        rx = expected[(transport, r["dstaddr"], r["dstport"])]
        tx[0] += int(r["packets"])
        tx[1] += int(r["bytes"])
        rx[2] += int(r["packets"])
        rx[3] += int(r["bytes"])
    with dialog(flowlog_gui, ENDPOINTS, "Endpoints") as found:
        rows = copy_csv(flowlog_gui, found)
    got = collections.Counter()
    for row in rows:
        got[(row["Address"], row["Port"])] += 1
        counts = [int(row[c]) for c in ("Tx Packets", "Tx Bytes", "Rx Packets", "Rx Bytes")]
        assert int(row["Packets"]) == counts[0] + counts[2]
        assert int(row["Bytes"]) == counts[1] + counts[3]
        assert counts in [v for k, v in expected.items() if k[1:] == (row["Address"], row["Port"])], row
    assert sum(got.values()) == len(expected)


def test_statistics_tree_dialogs(flowlog_gui):
    recs = traffic_records()
    # The second opens while the first is still open: Qt 5 does not show
    # AT-SPI a statistics dialog opened after one of its kind was closed.
    with dialog(flowlog_gui, REJECTS_BY_SOURCE, "Rejects by source") as found:
        rejects_counts = tree_counts(flowlog_gui.copy(found))
        with dialog(flowlog_gui, BYTES_BY_INSTANCE, "Bytes by instance") as found:
            instance_counts = tree_counts(flowlog_gui.copy(found))
    rejects = collections.Counter(r["srcaddr"] for r in recs if r["action"] == "REJECT")
    assert rejects and all(rejects_counts[src] == n for src, n in rejects.items())
    per_instance = collections.Counter()
    for r in recs:
        per_instance[r["instance-id"]] += int(r["bytes"])
    assert len(per_instance) == 2
    assert all(instance_counts[instance] == total // 1024 for instance, total in per_instance.items())


def test_io_graphs_of_the_profile_sum_the_bytes_inside_records(profile_gui):
    """The AWS-VPC profile's I/O graphs: bytes in records and rejected
    bytes, per second from the first frame (a record counts at its start)."""
    recs = traffic_records()
    first_frame = int(records()[0]["start"])
    total, rejected = collections.Counter(), collections.Counter()
    for r in recs:
        second = int(r["start"]) - first_frame
        total[second] += int(r["bytes"])
        if r["action"] == "REJECT":
            rejected[second] += int(r["bytes"])
    assert min(total) >= 0 and sum(rejected.values()) > 0
    with dialog(profile_gui, IO_GRAPHS, "I/O Graphs") as found:
        rows = list(csv.DictReader(io.StringIO(profile_gui.copy(found))))
    assert [int(row["Interval start"]) for row in rows] == list(range(max(total) + 1))
    assert {int(row["Interval start"]): int(row["Bytes in records"]) for row in rows if row["Bytes in records"] != "0"} \
        == dict(+total)
    assert {int(row["Interval start"]): int(row["Rejected bytes"]) for row in rows if row["Rejected bytes"] != "0"} \
        == dict(+rejected)


def test_traffic_mirror_sessions_dialog(mirror_gui):
    with dialog(mirror_gui, MIRROR_SESSIONS, "Traffic Mirror Sessions") as found:
        text = mirror_gui.copy(found)
    assert mirrorref.parse_stats_tree(text) == expected_tree(mirrorref.EXPECTED["gen-two-sessions.pcap"]["frames"])


def test_mirror_conversations_tab(mirror_gui):
    """The Mirror tab counts the inner packets at their original length."""
    expected = collections.Counter()
    for f in mirrorref.EXPECTED["gen-two-sessions.pcap"]["frames"]:
        key = frozenset((f["inner_src"], f["inner_dst"]))
        expected[(key, "packets")] += 1
        expected[(key, "bytes")] += f["inner_len"]
    with dialog(mirror_gui, CONVERSATIONS, "Conversations") as found:
        rows = copy_csv(mirror_gui, found)
    got = collections.Counter()
    for row in rows:
        key = frozenset((row["Address A"], row["Address B"]))
        got[(key, "packets")] += int(row["Packets"])
        got[(key, "bytes")] += int(row["Bytes"])
    assert got == expected


def test_decap_file_from_wireshark(mirror_ws):
    """wireshark -z mirror,decap,FILE: Wireshark 4.0 starts -z taps after
    reading the file, so the frames are written at the first reload; each
    reload writes the file anew instead of adding a second copy."""
    capture = "gen-two-sessions.pcap"
    facts = mirrorref.EXPECTED[capture]["frames"]
    out = mirror_ws.path("gui-inner.pcapng")

    def written():
        try:
            return len(read_pcapng(out)[1]) >= len(facts)
        except (AssertionError, struct.error):  # not there yet, or a block half written
            return False

    window = gui.Gui(mirror_ws, mirror_ws.path(capture), args=("-z", "mirror,decap," + out))
    try:
        for _ in range(2):
            window.reload()
            time.sleep(3)
            window.wait_for(written, "the decapsulated frames")
    finally:
        window.close()
    _, packets = read_pcapng(out)
    frames = inner_frames(capture)
    assert [p[3] for p in packets] == [frames[f["frame"] - 1] for f in facts]
    assert all(len(p[2]) == 1 and p[2][0].startswith("Traffic Mirror") for p in packets)


def rule_background(name):
    """The 8-bit background colour of the AWS-VPC profile's coloring rule
    called name (the file gives 16-bit colours)."""
    with open(os.path.join(REPO, "profiles", "AWS-VPC", "colorfilters")) as f:
        for line in f:
            if line.startswith(f"@{name}@"):
                background = line.rsplit("@", 1)[1].split("]")[0].strip("[")
                return bytes(int(v) // 257 for v in background.split(","))
    raise AssertionError(f"no coloring rule {name!r} in the profile")


def lines_in_colour(rows, colour, min_pixels=400):
    """How many lines of the screen hold at least min_pixels pixels of colour."""
    return sum(1 for row in rows if sum(1 for x in range(0, len(row), 3) if row[x:x + 3] == colour) >= min_pixels)


def screenshot(window, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    return window.screenshot(os.path.join(SCREENSHOTS, f"{wireshark_version()}-{name}.png"))[2]


def assert_rows_in_rule_colour(window, rule, count, shot, what):
    """count rows of the packet list have the background of the profile's
    coloring rule: at least count - 1 rows' worth of lines (the selected row
    shows the selection's colour) and fewer than count rows' worth (not the
    whole list). The screenshot stays in the build folder."""
    colour = rule_background(rule)
    try:
        window.wait_for(lambda: lines_in_colour(window.grab()[2], colour) >= (count - 1) * 10, what, timeout=30)
    finally:
        rows = screenshot(window, shot)
    assert lines_in_colour(rows, colour) < count * 40


def test_profile_colours_rejected_records_on_screen(profile_gui):
    """The flow log with the AWS-VPC profile, filtered to the rejected
    records as a user types it: each shown row has the profile's
    "Flow rejected" colour."""
    rejected = sum(1 for r in records() if r["action"] == "REJECT")
    assert rejected >= 3
    profile_gui.click_at(profile_gui.title, "Display filter entry")
    profile_gui.keys("ctrl+a")
    profile_gui.xdotool("type", "--delay", "20", 'vpcflow.action == "REJECT"')
    profile_gui.keys("Return")
    try:
        assert_rows_in_rule_colour(profile_gui, "Flow rejected", rejected, "flowlog-profile",
                                   "the rejected records in the profile's colour")
    finally:
        profile_gui.click_at(profile_gui.title, "Display filter entry")
        profile_gui.keys("ctrl+a", "BackSpace", "Return")


def test_profile_colours_cut_mirror_copies_on_screen(mirror_profile_gui):
    cut = sum(1 for f in mirrorref.EXPECTED[MTU_CUTS]["frames"] if f.get("truncated"))
    assert cut >= 2
    assert_rows_in_rule_colour(mirror_profile_gui, "Mirror copy cut", cut, "mirror-profile",
                               "the cut copies in the profile's colour")
