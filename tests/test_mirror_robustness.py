# Hostile input never crashes: every capture, cut short and with random
# byte errors (editcap -E with fixed seeds), dissected fully (-V, two
# passes, heuristics tried first, all statistics and writers on) with
# WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 and WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import pytest

import mirrorref
from mirrorref import GENERATED, PUBLIC

ABORT = {"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1", "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS": "1"}


def dissect_everything(world, capture, tag):
    proc = world.tshark("-r", capture, "-V", "-2", "-o", "udp.try_heuristic_first:TRUE",
                        "-z", "mirror,tree", "-z", "conv,mirror", "-z", "endpoints,mirror",
                        "-z", "mirror,decap," + world.path(tag + ".decap.pcapng"),
                        env=ABORT, check=False)
    assert proc.returncode == 0, (capture, proc.returncode, proc.stderr[-2000:])
    assert "Dissector bug" not in proc.stdout
    assert "Dissector bug" not in proc.stderr


@pytest.mark.parametrize("capture", PUBLIC + GENERATED)
def test_fuzzed_and_cut(mirror_ws, capture):
    src = mirror_ws.path(capture)
    dissect_everything(mirror_ws, src, capture)
    for seed in (1, 2, 3):
        fuzzed = mirror_ws.path(f"{capture}.fuzz{seed}.pcapng")
        mirror_ws.run("editcap", "-E", "0.03", "--seed", str(seed), src, fuzzed)
        dissect_everything(mirror_ws, fuzzed, f"{capture}.fuzz{seed}")
    for snaplen in (40, 58, 70, 90):
        cut = mirror_ws.path(f"{capture}.s{snaplen}.pcapng")
        mirror_ws.run("editcap", "-s", str(snaplen), src, cut)
        dissect_everything(mirror_ws, cut, f"{capture}.s{snaplen}")
