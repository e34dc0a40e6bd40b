# Drive the real Wireshark GUI in a virtual X server: Xvfb, the wireshark
# binary with the staged plugins (as an unprivileged user, like tshark in
# the other tests), keys and clicks typed with xdotool, and what a dialog
# copies read back from the clipboard with xclip. Used by test_gui.py and
# tools/screenshot.py.
#
# There is no window manager: a dialog is found by its title and clicked
# at a place relative to one of its corners, which holds for a given
# Wireshark version and the fixed screen and window sizes set here.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import subprocess
import time

WIDTH, HEIGHT = 1600, 1000

# Window placement and pane sizes, as Wireshark keeps them in recent_common.
RECENT_COMMON = f"""gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: {WIDTH}
gui.geometry_main_height: {HEIGHT}
gui.geometry_main_upper_pane: 420
gui.geometry_main_lower_pane: 330
privs.warn_if_elevated: FALSE
"""


def missing_tools():
    return [t for t in ("Xvfb", "wireshark", "xdotool", "xclip") if shutil.which(t) is None]


def start_xvfb():
    """(display, process) of an Xvfb on a display number nobody uses.
    Another suite's X server may leave no trace in our /tmp (a Debian
    root of tools/debian-root.sh has its own) while it holds the number's
    abstract socket, which the whole machine shares: a server that exits
    at once is started again on the next number."""
    for n in range(90, 200):
        if os.path.exists(f"/tmp/.X{n}-lock") or os.path.exists(f"/tmp/.X11-unix/X{n}"):
            continue
        proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-ac", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                return f":{n}", proc
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        else:
            proc.kill()
            proc.wait()
            raise AssertionError(f"timed out waiting for the X server :{n}")
    raise RuntimeError("no free X display number between :90 and :199")


class Gui:
    """One wireshark window on one capture, in its own X server.

    recent: lines for the profile's "recent" file (e.g. which tabs the
    Conversations dialog shows); profile: a profile name to start with."""

    def __init__(self, ws, capture, recent="", profile=None, args=()):
        self.ws = ws
        self.title = os.path.basename(capture)
        with open(os.path.join(ws.config, "recent_common"), "w") as f:
            f.write(RECENT_COMMON + (f"gui.last_used_profile: {profile}\n" if profile else ""))
        profile_dir = os.path.join(ws.config, "profiles", profile) if profile else ws.config
        os.makedirs(profile_dir, exist_ok=True)
        with open(os.path.join(profile_dir, "recent"), "w") as f:  # each profile has its own
            f.write(recent)
        # wireshark runs as another user and writes its recent files on exit
        os.chmod(ws.config, 0o777)
        for root, dirs, files in os.walk(ws.config):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o777)
            for name in files:
                os.chmod(os.path.join(root, name), 0o666)
        self.gui = None
        self.display, self.xvfb = start_xvfb()
        try:
            options = ["-C", profile] if profile else []
            # the file as the only argument: what a desktop's double-click runs
            self.gui = subprocess.Popen(ws.command("wireshark", *options, *args, capture), cwd=ws.work,
                                        env=ws.env({"DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.main = self.window(self.title, exact=True)
            time.sleep(2)  # the file is read after the window shows
        except BaseException:
            self.close()
            raise

    # -- plumbing

    def _env(self):
        return dict(os.environ, DISPLAY=self.display)

    def wait_for(self, ready, what, timeout=60):
        """ready()'s first true value, polled until timeout; fails if wireshark exits."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.gui is not None and self.gui.poll() is not None:
                raise AssertionError(f"wireshark exited ({self.gui.returncode}) while waiting for {what}")
            value = ready()
            if value:
                return value
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}")

    def xdotool(self, *args):
        return subprocess.run(["xdotool", *args], env=self._env(), capture_output=True, text=True,
                              timeout=30).stdout

    def window(self, title, exact=False):
        """(id, x, y, width, height) of the visible window whose title
        contains title (or is title), waiting for it to appear."""
        def find():
            for wid in self.xdotool("search", "--onlyvisible", "--name", title).split():
                name = self.xdotool("getwindowname", wid).strip()
                if exact and name != title:
                    continue
                geometry = dict(line.split("=") for line in self.xdotool("getwindowgeometry", "--shell", wid).split())
                return wid, int(geometry["X"]), int(geometry["Y"]), int(geometry["WIDTH"]), int(geometry["HEIGHT"])
            return None
        return self.wait_for(find, f"the window {title!r}")

    def click(self, window, dx, dy):
        """Click at (dx, dy) from the window's top left corner; negative
        values count from the right or bottom edge."""
        _, x, y, width, height = window
        px = x + (dx if dx >= 0 else width + dx)
        py = y + (dy if dy >= 0 else height + dy)
        self.xdotool("mousemove", str(px), str(py), "click", "1")

    def keys(self, *keys):
        self.xdotool("key", "--delay", "120", *keys)

    # -- what a user does

    def statistics(self, *keys):
        """Open the Statistics menu (Alt+S, its first item selected) and
        type keys to reach an item (Down, Up, Right into a submenu);
        Return chooses it. The caller then waits for the dialog's title,
        which tells a wrong item from the right one."""
        self.click(self.main, 300, 300)  # focus the packet list, not the filter bar
        self.keys("alt+s")
        time.sleep(0.5)
        self.keys(*keys, "Return")

    def reload(self):
        """View › Reload (Ctrl+R): the packets are read, and tapped, again."""
        self.click(self.main, 300, 300)
        self.keys("ctrl+r")

    def copy(self, window, button, menu_item=None):
        """Press a dialog's Copy button (at button, as for click) and, for
        a button with a menu, the menu_item-th entry; return the text it
        put on the clipboard."""
        subprocess.run(["xclip", "-selection", "clipboard", "-i", "/dev/null"], env=self._env(), timeout=10,
                       stderr=subprocess.DEVNULL)
        self.click(window, *button)
        if menu_item is not None:
            time.sleep(0.5)
            self.keys(*(["Down"] * (menu_item + 1)), "Return")  # the menu opens with nothing selected

        def clipboard():
            out = subprocess.run(["xclip", "-selection", "clipboard", "-o"], env=self._env(), capture_output=True,
                                 text=True, timeout=10).stdout
            return out if out.strip() else None
        return self.wait_for(clipboard, "the copied text", timeout=20)

    def close_dialog(self, window):
        self.xdotool("windowfocus", "--sync", window[0])
        self.keys("Escape")
        time.sleep(0.5)

    def screenshot(self, output):
        dump = subprocess.run(["xwd", "-root", "-display", self.display, "-silent"], capture_output=True,
                              check=True).stdout
        subprocess.run(["/usr/bin/convert", "xwd:-", "png:" + output], input=dump, check=True)

    def close(self):
        for proc in (self.gui, self.xvfb):
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
