# tools/demo-mirror.sh (called by "make demo") decodes the bundled
# captures with the bundled table: session names and directions show.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import subprocess

from harness import REPO

import mirrorref


def test_demo_shows_sessions_and_directions(ws):
    env = ws.env({"TSHARK": " ".join(ws.command("tshark"))})
    proc = subprocess.run(["bash", os.path.join(REPO, "tools", "demo-mirror.sh")], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    reference = mirrorref.aws_capture_reference()
    for ref in reference[:8]:
        assert "[sv-aws-demo %s]" % ref["direction"] in out
    assert "[client-eni egress] 40000 → 8080 [SYN]" in out
    assert "[server-eni ingress, duplicate]" in out
    assert " web (VNI 12345) " in out
    assert "vpce-00123456789abcdef" in out
    assert "Traffic Mirror session web (VNI 12345, tms-0a1b2c3d4e5f60001, egress)" in out
    assert "\n18\n0\n" in out  # retransmissions before and after dropping duplicates
    assert "tshark:" not in out and "rror" not in proc.stderr
