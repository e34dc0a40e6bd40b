# Statistics > Traffic Mirror Sessions, i.e. tshark -q -z mirror,tree:
# packets and bytes per session and direction, cut and duplicate copies;
# expected counts summed from the generator's facts (or, for the real
# capture, from a scapy reading).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import pytest

import mirrorref
from mirrorref import AWS_CAPTURE, EXPECTED, GENERATED

PACKETS = "Packets by session"
BYTES = "Bytes by session (mirrored frames at their original length)"


def expected_tree(frames):
    """frames: dicts with vni, session, direction, truncated, duplicate_of, inner_len."""
    tree = {}

    def add(path, value):
        tree[path] = tree.get(path, 0) + value

    for f in frames:
        label = "%s (VNI %d)" % (f["session"], f["vni"]) if f["session"] else \
            "VNI %d (not in the session table)" % f["vni"]
        direction = f["direction"] or "direction unknown"
        add(PACKETS, 1)
        add(f"{PACKETS} / {label}", 1)
        add(f"{PACKETS} / {label} / {direction}", 1)
        if f["truncated"]:
            add(f"{PACKETS} / {label} / cut copies", 1)
        if f["duplicate_of"]:
            add(f"{PACKETS} / {label} / duplicate copies", 1)
        add(BYTES, f["inner_len"])
        add(f"{BYTES} / {label}", f["inner_len"])
        add(f"{BYTES} / {label} / {direction}", f["inner_len"])
    return tree


@pytest.mark.parametrize("capture", GENERATED)
def test_tree_of_generated(mirror_ws, capture):
    out = mirror_ws.tshark("-r", mirror_ws.path(capture), "-q", "-z", "mirror,tree").stdout
    assert mirrorref.parse_stats_tree(out) == expected_tree(EXPECTED[capture]["frames"])


def test_tree_of_real_capture(mirror_ws):
    frames = [dict(r, session="sv-aws-demo", truncated=None, duplicate_of=None)
              for r in mirrorref.aws_capture_reference()]
    out = mirror_ws.tshark("-r", mirror_ws.path(AWS_CAPTURE), "-q", "-z", "mirror,tree").stdout
    got = mirrorref.parse_stats_tree(out)
    assert got == expected_tree(frames)
    assert got[PACKETS] == 100


def test_tree_with_filter_and_direct_duplicates(mirror_ws):
    out = mirror_ws.tshark("-r", mirror_ws.path(mirrorref.OVERLAP_CAPTURE), "-q", "-z", "mirror,tree").stdout
    got = mirrorref.parse_stats_tree(out)
    assert got["Packets captured directly, also mirrored (duplicates)"] == 14
    assert got[f"{PACKETS} / VNI 4711 (not in the session table)"] == 14
    assert got.get(f"{PACKETS} / VNI 4711 (not in the session table) / duplicate copies", 0) == 0
    assert got[f"{PACKETS} / VNI 4242 (not in the session table) / duplicate copies"] == 14
    out = mirror_ws.tshark("-r", mirror_ws.path(mirrorref.OVERLAP_CAPTURE), "-q",
                           "-z", "mirror,tree,!mirror.duplicate").stdout
    got = mirrorref.parse_stats_tree(out)
    assert got[PACKETS] == 14
    assert f"{PACKETS} / VNI 4242 (not in the session table)" not in got
