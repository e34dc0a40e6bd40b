#!/usr/bin/python3
# Take docs/<extcap>-options.png: the options dialog Wireshark builds
# from an extcap's --extcap-config, in the real GUI under a virtual X
# server (Xvfb). Wireshark's welcome page lists the interfaces; all types
# but extcap are hidden, and only a folder holding that one extcap is
# given, so the first row is it, and its gear icon opens the dialog. Needs
# the GUI packages of the tests (tests/gui.py), x11-apps and imagemagick.
#
#   tools/screenshot-extcap.py [mirror|cloudwatch] [output.png]
#       mirror (the default): vpcshark-mirror, docs/mirror-extcap-options.png
#       cloudwatch: vpcflow-cloudwatch, docs/cloudwatch-extcap-options.png
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from gui import start_xvfb, stop_processes  # noqa: E402
from harness import BUILD, REPO, Wireshark  # noqa: E402

# Which extcap: its program and where its picture goes.
EXTCAPS = {
    "mirror": ("vpcshark-mirror", "mirror-extcap-options.png"),
    "cloudwatch": ("vpcflow-cloudwatch", "cloudwatch-extcap-options.png"),
}

# Interface types Wireshark 4.0 can hide (capture_ifinfo.h): all but extcap (8).
HIDDEN_TYPES = "0,1,2,3,4,5,6,7,9"
# The gear icon of the first interface row of the welcome page, from the
# main window's top left corner (window 1200x800 at 0,0).
GEAR = (161, 237)


def main():
    args = sys.argv[1:]
    which = args.pop(0) if args and args[0] in EXTCAPS else "mirror"
    program, picture = EXTCAPS[which]
    output = args[0] if args else os.path.join(REPO, "docs", picture)
    ws = Wireshark()
    xvfb = gui = None
    try:
        folder = os.path.join(ws.root, "extcap")
        os.makedirs(folder)
        os.chmod(folder, 0o755)
        shutil.copy(os.path.join(BUILD, "extcap", program), folder)
        os.chmod(os.path.join(folder, program), 0o755)
        with open(os.path.join(ws.config, "recent_common"), "w") as f:
            f.write("gui.geometry_main_x: 0\ngui.geometry_main_y: 0\ngui.geometry_main_width: 1200\n"
                    "gui.geometry_main_height: 800\nprivs.warn_if_elevated: FALSE\n")
        with open(os.path.join(ws.config, "preferences"), "w") as f:
            f.write(f"gui.interfaces_hidden_types: {HIDDEN_TYPES}\n")
        os.chmod(ws.config, 0o777)
        for name in os.listdir(ws.config):
            os.chmod(os.path.join(ws.config, name), 0o666)
        display, xvfb = start_xvfb()
        x_env = dict(os.environ, DISPLAY=display)

        def xdotool(*args):
            return subprocess.run(["xdotool", *args], env=x_env, capture_output=True, text=True, timeout=30).stdout

        def wait_window(title):
            for _ in range(120):
                for wid in xdotool("search", "--onlyvisible", "--name", title).split():
                    return wid
                time.sleep(0.5)
            raise AssertionError(f"no window {title!r}")

        gui = subprocess.Popen(ws.command("wireshark"), cwd=ws.work,
                               env=ws.env({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
                                           "WIRESHARK_EXTCAP_DIR": folder}),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_window("The Wireshark Network Analyzer")
        time.sleep(5)  # the interface list fills after the window shows
        xdotool("mousemove", str(GEAR[0]), str(GEAR[1]), "click", "1")
        dialog = wait_window("Interface Options")
        time.sleep(3)  # drawn after it maps
        dump = subprocess.run(["xwd", "-id", dialog, "-display", display, "-silent"], capture_output=True,
                              check=True).stdout
        subprocess.run(["/usr/bin/convert", "xwd:-", "png:" + output], input=dump, check=True)
        print(f"wrote {output}")
    finally:
        stop_processes(gui, xvfb)
        ws.cleanup()


if __name__ == "__main__":
    main()
