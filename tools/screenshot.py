#!/usr/bin/python3
# Take the screenshot of docs/aws-vpc-profile.png: the real Wireshark GUI,
# with the built plugins and the AWS-VPC profile, on the bundled S3
# sample, in a virtual X server (Xvfb); the second record is selected and
# its VPC Flow Log tree expanded (keys typed with xdotool). Needs the
# Debian packages wireshark-qt, xvfb, x11-apps, xdotool and imagemagick
# (none of them is needed for the tests).
#
#   tools/screenshot.py [capture] [output.png]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from harness import REPO, Wireshark  # noqa: E402

S3 = os.path.join(REPO, "pcaps", "demo", "123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")
DISPLAY = ":97"
DETAILS_FIRST_LINE_Y = 550
WIDTH, HEIGHT = 1600, 1000

# Window placement and pane sizes, as Wireshark keeps them in recent_common.
RECENT_COMMON = f"""gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: {WIDTH}
gui.geometry_main_height: {HEIGHT}
gui.geometry_main_upper_pane: 420
gui.geometry_main_lower_pane: 330
gui.last_used_profile: AWS-VPC
privs.warn_if_elevated: FALSE
"""


def main():
    capture = sys.argv[1] if len(sys.argv) > 1 else S3
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "docs", "aws-vpc-profile.png")
    ws = Wireshark()
    xvfb = gui = None
    try:
        profile = os.path.join(ws.config, "profiles", "AWS-VPC")
        shutil.copytree(os.path.join(REPO, "profiles", "AWS-VPC"), profile)
        with open(os.path.join(ws.config, "recent_common"), "w") as f:
            f.write(RECENT_COMMON)
        for root, dirs, files in os.walk(ws.config):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o777)
            for name in files:
                os.chmod(os.path.join(root, name), 0o666)
        os.chmod(ws.config, 0o777)
        path = ws.copy_in(capture)

        xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-ac", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)
        gui = subprocess.Popen(ws.command("wireshark", "-C", "AWS-VPC", "-r", path, "-g", "2"), cwd=ws.work,
                               env=ws.env({"DISPLAY": DISPLAY, "QT_QPA_PLATFORM": "xcb"}),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(15)
        # No window manager: click the first line of the details pane to
        # focus it, go down to the VPC Flow Log layer, expand its subtrees.
        subprocess.run(["xdotool", "mousemove", "80", str(DETAILS_FIRST_LINE_Y), "click", "1", "sleep", "1",
                        "key", "Down", "Down", "shift+Right"],
                       env=dict(os.environ, DISPLAY=DISPLAY), check=False, timeout=30)
        time.sleep(3)
        dump = subprocess.run(["xwd", "-root", "-display", DISPLAY, "-silent"], capture_output=True, check=True).stdout
        subprocess.run(["/usr/bin/convert", "xwd:-", "png:" + output], input=dump, check=True)
        print(f"wrote {output}")
    finally:
        for proc in (gui, xvfb):
            if proc:
                proc.terminate()
                proc.wait(timeout=10)
        ws.cleanup()


if __name__ == "__main__":
    main()
