# Drive the real Wireshark GUI in a virtual X server: Xvfb, the wireshark
# binary with the staged plugins (as an unprivileged user, like tshark in
# the other tests), keys and clicks typed with xdotool, and what a dialog
# copies read back from the clipboard with xclip. Used by test_gui.py and
# tools/screenshot.py.
#
# There is no window manager: a dialog is found by its title (xdotool).
# Menu items and buttons are found by their names through the
# accessibility interface Qt gives screen readers (AT-SPI, on a D-Bus of
# the window's own; tests/gui_a11y.py), not at places measured on one
# Wireshark version: 4.0 (Qt 5), 4.4 and 4.6 (Qt 6) order their menus and
# lay out their dialogs differently.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

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


# The AT-SPI registry, which lists the applications on an accessibility bus.
REGISTRYD = ("/usr/libexec/at-spi2-registryd", "/usr/lib/at-spi2-core/at-spi2-registryd")
A11Y_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gui_a11y.py")

# The accessibility bus: any user may connect (wireshark runs as nobody,
# the driver as root); abstract sockets, so no file to clean up.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>accessibility</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def registryd():
    return next((p for p in REGISTRYD if os.access(p, os.X_OK)), None)


def missing_tools():
    tools = ("Xvfb", "wireshark", "xdotool", "xclip", "xprop", "xwd", "dbus-daemon", "dbus-send")
    missing = [t for t in tools if shutil.which(t) is None]
    if registryd() is None:
        missing.append("at-spi2-registryd (at-spi2-core)")
    if subprocess.run([sys.executable, "-c", "import pyatspi"], capture_output=True).returncode != 0:
        missing.append("pyatspi (python3-pyatspi)")
    return missing


def start_a11y_bus(display):
    """(address, [processes]) of a D-Bus that serves as the session bus
    and the accessibility bus, with the AT-SPI registry on it. Qt 6 finds
    it by AT_SPI_BUS_ADDRESS; Qt 5 by the root window's AT_SPI_BUS
    property, as for an application run as root (sometimes: see Gui)."""
    folder = tempfile.mkdtemp(prefix="vpcshark-a11y-")
    config = os.path.join(folder, "bus.conf")
    with open(config, "w") as f:
        f.write(BUS_CONFIG)
    bus = subprocess.Popen(["dbus-daemon", "--config-file=" + config, "--nofork", "--print-address"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = bus.stdout.readline().strip()
    shutil.rmtree(folder)
    if not address:
        bus.wait()
        raise AssertionError("dbus-daemon did not start an accessibility bus")
    env = dict(os.environ, DISPLAY=display, AT_SPI_BUS_ADDRESS=address, DBUS_SESSION_BUS_ADDRESS=address)
    subprocess.run(["xprop", "-root", "-display", display, "-f", "AT_SPI_BUS", "8s", "-set", "AT_SPI_BUS", address],
                   check=True, timeout=30)
    # An application registers once, as it starts: the registry must be there first.
    # It sometimes exits at once (status 1; seen once in some twenty starts): it is started again.
    for attempt in range(3):
        registry = subprocess.Popen([registryd()], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 60
        while registry.poll() is None and time.monotonic() < end:
            owned = subprocess.run(["dbus-send", "--bus=" + address, "--print-reply", "--dest=org.freedesktop.DBus",
                                    "/", "org.freedesktop.DBus.NameHasOwner", "string:org.a11y.atspi.Registry"],
                                   capture_output=True, text=True, timeout=30).stdout
            if "boolean true" in owned:
                return address, [bus, registry]
            time.sleep(0.1)
        if registry.poll() is None:
            registry.kill()
        registry.wait()
        if bus.poll() is not None:
            break
    bus.kill()
    bus.wait()
    raise AssertionError(f"the AT-SPI registry did not start (exit status of the registry: {registry.returncode}, "
                         f"of the bus: {bus.returncode})")


def a11y_env(address):
    """What makes Qt 5 and Qt 6 show their widgets on the bus at address."""
    return {"AT_SPI_BUS_ADDRESS": address, "DBUS_SESSION_BUS_ADDRESS": address,
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}


def stop_processes(*procs):
    """Stop each process still running, in the order given: SIGTERM, and
    SIGKILL after 10 s. None stands for one never started."""
    for proc in procs:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


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
    Conversations dialog shows); recent_common: lines for "recent_common"
    (e.g. what Find Packet searches); profile: a profile name to start with."""

    def __init__(self, ws, capture, recent="", profile=None, args=(), recent_common=""):
        self.ws = ws
        self.title = os.path.basename(capture)
        with open(os.path.join(ws.config, "recent_common"), "w") as f:
            f.write(RECENT_COMMON + recent_common + (f"gui.last_used_profile: {profile}\n" if profile else ""))
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
        self.gui = self.helper = None
        self.bus = []
        self.display, self.xvfb = start_xvfb()
        try:
            address, self.bus = start_a11y_bus(self.display)
            options = ["-C", profile] if profile else []
            # the file as the only argument: what a desktop's double-click runs
            self.gui = subprocess.Popen(ws.command("wireshark", *options, *args, capture), cwd=ws.work,
                                        env=ws.env({"DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb",
                                                    **a11y_env(address)}),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.helper = subprocess.Popen([sys.executable, A11Y_HELPER], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, text=True,
                                           env=dict(os.environ, AT_SPI_BUS_ADDRESS=address,
                                                    DBUS_SESSION_BUS_ADDRESS=address, DISPLAY=self.display))
            self.main = self.window(self.title, exact=True)
            # Qt 5 does not always take the bus from the root window: it does when told of the
            # bus once it runs (announced then, not before: Qt 5 registers too early then).
            self.bus.append(subprocess.Popen([sys.executable, A11Y_HELPER, "--announce", address],
                                             env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address),
                                             stdout=subprocess.DEVNULL))
            self.wait_for(lambda: self.ask("ready"), "wireshark on the accessibility bus")
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

    def ask(self, op, **args):
        """The accessibility helper's answer (tests/gui_a11y.py)."""
        self.helper.stdin.write(json.dumps({"op": op, "pid": self.gui.pid, **args}) + "\n")
        self.helper.stdin.flush()
        line = self.helper.stdout.readline()
        if not line:
            raise AssertionError("the accessibility helper exited")
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(f"{op} {args}: {answer['error']}")
        return answer["ok"]

    def locate(self, *path, timeout=30):
        """(x, y, width, height) on the screen of the element at path
        (tests/gui_a11y.py find), waiting for it to be shown."""
        last = []

        def find():
            try:
                box = self.ask("locate", path=list(path))
            except AssertionError as e:
                last[:] = [str(e)]
                return None
            last[:] = [f"at {box}"]
            return box if box[2] > 0 and box[3] > 0 else None
        try:
            return self.wait_for(find, " › ".join(path), timeout=timeout)
        except AssertionError as e:
            raise AssertionError(f"{e}: {last[0] if last else ''}") from None

    def press(self, *path, timeout=30):
        """Press the menu item or button at path (tests/gui_a11y.py find),
        waiting for it to be there."""
        last = []

        def attempt():
            try:
                return self.ask("press", path=list(path)) or True
            except AssertionError as e:
                last[:] = [str(e)]
                return None
        try:
            return self.wait_for(attempt, " › ".join(path), timeout=timeout)
        except AssertionError as e:
            raise AssertionError(f"{e}: {last[0] if last else ''}") from None

    def click_at(self, *path):
        """Click the middle of the element at path, as a user does."""
        x, y, width, height = self.locate(*path)
        self.xdotool("mousemove", str(x + width // 2), str(y + height // 2), "click", "1")

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
        values count from the right or bottom edge (for a place that is
        no widget of a fixed size: a pane of the main window)."""
        _, x, y, width, height = window
        px = x + (dx if dx >= 0 else width + dx)
        py = y + (dy if dy >= 0 else height + dy)
        self.xdotool("mousemove", str(px), str(py), "click", "1")

    def keys(self, *keys):
        self.xdotool("key", "--delay", "120", *keys)

    # -- what a user does

    def menu(self, *names):
        """Choose the main menu's item at names ("Statistics",
        "Conversations"). The caller then waits for the dialog's title."""
        self.press("menu", *names)

    def reload(self):
        """View › Reload (Ctrl+R): the packets are read, and tapped, again."""
        self.click(self.main, 300, 300)
        self.keys("ctrl+r")

    def copy(self, title, button="Copy", menu_item=None):
        """Click the button of the dialog titled title and, for a button
        with a menu, choose its menu_item-th item; return the text it put
        on the clipboard. (Qt shows no popped-up menu to AT-SPI clients:
        its items are reached by keys.)"""
        subprocess.run(["xclip", "-selection", "clipboard", "-i", "/dev/null"], env=self._env(), timeout=10,
                       stderr=subprocess.DEVNULL)
        self.click_at(title, "button:" + button)
        if menu_item is not None:
            time.sleep(0.5)
            self.keys(*(["Down"] * (menu_item + 1)), "Return")  # the menu opens with nothing selected

        def clipboard():
            out = subprocess.run(["xclip", "-selection", "clipboard", "-o"], env=self._env(), capture_output=True,
                                 text=True, timeout=10).stdout
            return out if out.strip() else None
        return self.wait_for(clipboard, "the copied text", timeout=20)

    def clipboard_after(self, *menu):
        """Choose the main menu's item at menu (a Copy item); return the
        text it put on the clipboard."""
        subprocess.run(["xclip", "-selection", "clipboard", "-i", "/dev/null"], env=self._env(), timeout=10,
                       stderr=subprocess.DEVNULL)
        self.menu(*menu)

        def clipboard():
            out = subprocess.run(["xclip", "-selection", "clipboard", "-o"], env=self._env(), capture_output=True,
                                 text=True, timeout=10).stdout
            return out if out.strip() else None
        return self.wait_for(clipboard, "the copied text", timeout=20)

    def close_dialog(self, window):
        self.xdotool("windowfocus", "--sync", window[0])
        self.keys("Escape")
        time.sleep(0.5)

    def grab(self):
        """(width, height, rows of RGB bytes) of the whole screen, read from
        xwd's dump (ZPixmap, 32 bits a pixel with its colour masks)."""
        dump = subprocess.run(["xwd", "-root", "-display", self.display, "-silent"], capture_output=True,
                              check=True, timeout=60).stdout
        fields = struct.unpack(">25I", dump[:100])
        header_size, _, pixmap_format, _, width, height, _, byte_order = fields[:8]
        bits_per_pixel, bytes_per_line, _, red_mask, green_mask, blue_mask = fields[11:17]
        ncolors = fields[19]
        if pixmap_format != 2 or bits_per_pixel != 32:
            raise AssertionError(f"xwd dump of format {pixmap_format}, {bits_per_pixel} bits a pixel")
        data = dump[header_size + 12 * ncolors:]
        order = "<" if byte_order == 0 else ">"
        shifts = [(mask, (mask & -mask).bit_length() - 1) for mask in (red_mask, green_mask, blue_mask)]
        rows = []
        for y in range(height):
            line = struct.unpack_from(f"{order}{width}I", data, y * bytes_per_line)
            rows.append(bytes(((v & m) >> sh) for v in line for m, sh in shifts))
        return width, height, rows

    def screenshot(self, output):
        """Write the screen to output as a PNG; return what grab() read."""
        width, height, rows = self.grab()

        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        with open(output, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                    + chunk(b"IDAT", zlib.compress(b"".join(b"\0" + row for row in rows), 6)) + chunk(b"IEND", b""))
        return width, height, rows

    def close(self):
        if self.helper and self.helper.poll() is None:
            self.helper.stdin.close()
        stop_processes(self.gui, self.helper, *reversed(self.bus), self.xvfb)
