#!/usr/bin/python3
# Take the screenshot of docs/aws-vpc-profile.png: the real Wireshark GUI,
# with the built plugins and the AWS-VPC profile, on the bundled S3
# sample, in a virtual X server (Xvfb); the second record is selected and
# its VPC Flow Log tree expanded (the details pane found by its name,
# keys typed with xdotool). Needs the GUI packages of the tests
# (tests/gui.py, tools/install-deps.sh); any Wireshark version they run.
#
#   tools/screenshot.py [capture] [output.png]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from gui import Gui  # noqa: E402
from harness import REPO, Wireshark  # noqa: E402

S3 = os.path.join(REPO, "pcaps", "demo", "123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")


def main():
    capture = sys.argv[1] if len(sys.argv) > 1 else S3
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "docs", "aws-vpc-profile.png")
    ws = Wireshark()
    window = None
    try:
        shutil.copytree(os.path.join(REPO, "profiles", "AWS-VPC"), os.path.join(ws.config, "profiles", "AWS-VPC"))
        window = Gui(ws, ws.copy_in(capture), profile="AWS-VPC", args=("-g", "2"))
        # No window manager: click the first line of the details pane to
        # focus it, go down to the VPC Flow Log layer, expand its subtrees.
        x, y, _, _ = window.locate(window.title, "Packet details")
        window.xdotool("mousemove", str(x + 80), str(y + 8), "click", "1")
        time.sleep(1)
        window.keys("Down", "Down", "shift+Right")
        time.sleep(3)
        window.screenshot(output)
        print(f"wrote {output}")
    finally:
        if window:
            window.close()
        ws.cleanup()


if __name__ == "__main__":
    main()
