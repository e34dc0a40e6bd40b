# The join of flow records and mirrored packets as a statistics tree
# (issue 12): Statistics › VPC Flow Logs › Flow records and mirrored
# packets in the Wireshark GUI, on the merged pair of pcaps/correlation,
# read back through the dialog's Copy button and compared with the
# generator's facts record by record and in the totals; tshark -2 -z
# vpcflow_mirror,tree prints the same tree, checked the same way. And a
# record's link to its first mirrored frame goes to that frame.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import time

import pytest

import gui
import mirrorref
from harness import Wireshark
from test_correlation import FACTS, PAIR, read

MISSING = gui.missing_tools()
MENU = ("Statistics", "VPC Flow Logs", "Flow records and mirrored packets")
TITLE = "Flow records and mirrored packets"
VERDICT_NODE = {"fully seen": "Records fully seen", "partly seen": "Records partly seen",
                "not seen": "Records not seen", "more than logged": "Records with more packets mirrored than logged"}
OUTSIDE = "Mirrored packets outside every record"


# Find Packet searching the packet details for a string.
FIND_IN_DETAILS = "gui.search_in: PACKET_DETAILS\ngui.search_type: STRING\n"


@pytest.fixture(scope="module")
def merged():
    world = Wireshark()
    world.use_session_table(os.path.join(PAIR, "mirror_sessions"))
    for name in ("flows.log", "mirror.pcap"):
        world.copy_in(os.path.join(PAIR, name))
    both = world.path("both.pcapng")
    world.run("mergecap", "-w", both, world.path("flows.log"), world.path("mirror.pcap"))
    _, record_frame, packet_frame = read(world, both, "-2")
    yield world, both, record_frame, packet_frame
    world.cleanup()


def check(text, record_frame):
    """The tree's text against the facts: each record taking part under
    its verdict with its five numbers, the verdicts' record counts, the
    packets outside every record."""
    counts = mirrorref.parse_stats_tree(text)
    got = {}
    for path, count in counts.items():
        parts = path.split(" / ")
        m = re.match(r"Frame (\d+): ", parts[1]) if len(parts) == 3 else None
        if m:
            got.setdefault((parts[0], int(m.group(1))), {})[parts[2]] = count
    want = {}
    for r in FACTS["records"]:
        if r["takes_part"]:
            want[(VERDICT_NODE[r["verdict"]], record_frame[r["line"]])] = {
                "Logged packets": r["logged_packets"], "Logged bytes": r["logged_bytes"],
                "Mirrored packets": r["mirrored_packets"], "Mirrored bytes": r["mirrored_bytes"],
                "Missing packets": r["logged_packets"] - r["mirrored_packets"]}
    assert got == want
    t = FACTS["totals"]
    for verdict, node in VERDICT_NODE.items():
        assert counts[node] == t[verdict.replace(" ", "_")], node
    assert counts[OUTSIDE] == t["outside"] > 0


def test_tshark_two_passes_print_the_tree(merged):
    world, both, record_frame, _ = merged
    check(world.tshark("-r", both, "-q", "-2", "-z", "vpcflow_mirror,tree").stdout, record_frame)


def test_one_pass_tree_says_it_needs_two(merged):
    world, both, _, _ = merged
    counts = mirrorref.parse_stats_tree(world.tshark("-r", both, "-q", "-z", "vpcflow_mirror,tree").stdout)
    assert counts["The join needs every frame first (tshark -2) and vpcflow.mirror_join on"] > 0
    assert not any(" / " in path for path in counts)


@pytest.mark.skipif(bool(MISSING), reason="GUI tests need " + ", ".join(MISSING))
def test_gui_dialog_shows_the_join_of_every_record(merged):
    world, both, record_frame, _ = merged
    window = gui.Gui(world, both)
    try:
        window.menu(*MENU)
        found = window.window(TITLE)
        time.sleep(2)  # the dialog reads the capture again once shown
        text = window.copy(TITLE)
        window.close_dialog(found)
    finally:
        window.close()
    check(text, record_frame)


@pytest.mark.skipif(bool(MISSING), reason="GUI tests need " + ", ".join(MISSING))
def test_gui_first_frame_link_goes_to_that_frame(merged):
    """Find Packet selects the first record's "First mirrored frame"
    field; Go to Linked Packet (what a double-click on it does) selects
    the frame the facts give."""
    world, both, record_frame, packet_frame = merged
    first = min((r for r in FACTS["records"] if r["takes_part"] and r["first_frame"]),
                key=lambda r: record_frame[r["line"]])
    want = packet_frame[first["first_frame"]]
    window = gui.Gui(world, both, recent_common=FIND_IN_DETAILS)
    try:
        window.menu("Edit", "Find Packet…")
        time.sleep(1)
        window.xdotool("type", "--delay", "50", "First mirrored frame")
        window.keys("Return")
        time.sleep(1.5)
        selected_field = window.clipboard_after("Edit", "Copy", "As Filter")
        window.menu("Go", "Go to Linked Packet")
        time.sleep(1)
        selected_packet = window.clipboard_after("Edit", "Copy", "As Plain Text")
    finally:
        window.close()
    assert selected_field.strip() == f"vpcflow.mirror.first_frame == {want}"
    rows = [line.split("\t") for line in selected_packet.splitlines()]
    assert rows[0][0] == "No." and int(rows[1][0]) == want
