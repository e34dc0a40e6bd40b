# What a Wireshark user meets in Analyze › Decode As with the mirror
# layer (issue 10): the dialog saved with the plugins loaded names nothing
# of ours, a user's own entry is saved as the user made it, and a
# Wireshark without the plugins starts on that file with no complaint.
# Driven in the real wireshark under Xvfb (tests/gui.py).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import time

import pytest

import gui
import mirrorref
from harness import Wireshark

MISSING = gui.missing_tools()
pytestmark = pytest.mark.skipif(bool(MISSING), reason="GUI tests need " + ", ".join(MISSING) +
                                " (tools/install-deps.sh installs them)")

# The dialog's Save button (found by its name, tests/gui.py): OK only
# applies, Save applies and writes decode_as_entries.
# A user's own Decode As entry, as Wireshark writes it: UDP port 9999 as stock VXLAN.
USER_ENTRY = "decode_as_entry: udp.port,9999,(none),VXLAN"


def entries(path):
    with open(path) as f:
        return [line.strip() for line in f if line.startswith("decode_as_entry:")]


def visible_windows(window):
    names = []
    for wid in window.xdotool("search", "--onlyvisible", "--name", ".").split():
        name = window.xdotool("getwindowname", wid).strip()
        if name:
            names.append(name)
    return names


@pytest.fixture
def world():
    """Worlds of their own: a decode_as_entries file must not reach other tests."""
    made = []

    def make(**kwargs):
        made.append(Wireshark(**kwargs))
        return made[-1]
    yield make
    for w in made:
        w.cleanup()


CAPTURE = mirrorref.path("gen-nonstandard-port.pcap")


def test_saved_decode_as_names_nothing_of_ours(world):
    """vxlan.udp.port re-registers VXLAN's ports as table changes; the
    mirror layer takes them back as registrations, so the dialog has only
    the user's entry to save, unchanged (it would say "VXLAN (Traffic
    Mirror)" if the layer had changed the user's port or the preference's)."""
    ws = world()
    saved = os.path.join(ws.config, "decode_as_entries")
    with open(saved, "w") as f:
        f.write(USER_ENTRY + "\n")
    os.chmod(saved, 0o666)
    before = os.stat(saved).st_mtime_ns
    window = gui.Gui(ws, ws.copy_in(CAPTURE), args=("-o", "vxlan.udp.port:4789,8472"))
    try:
        window.menu("Analyze", "Decode As…")
        window.window("Decode As")
        time.sleep(1)
        window.click_at("Decode As", "button:Save")
        window.wait_for(lambda: os.stat(saved).st_mtime_ns != before, "decode_as_entries to be written")
        time.sleep(0.5)
    finally:
        window.close()
    # The user's entry, with the port's default as this Wireshark names it, and no other.
    saved_entries = entries(saved)
    assert len(saved_entries) == 1, saved_entries
    table, port, _default, current = saved_entries[0].split(": ", 1)[1].split(",")
    assert (table, port, current) == ("udp.port", "9999", "VXLAN")


def test_wireshark_without_the_plugins_starts_on_an_entry_naming_ours(world):
    """The one entry that names the plugin is one the user chose
    ("VXLAN (Traffic Mirror)"); without the plugin Wireshark skips it
    without a message and decodes the rest as usual."""
    stock_ws = world(with_plugins=False)
    saved = os.path.join(stock_ws.config, "decode_as_entries")
    with open(saved, "w") as f:
        f.write(USER_ENTRY + "\ndecode_as_entry: udp.port,8472,(none),VXLAN (Traffic Mirror)\n")
    os.chmod(saved, 0o666)
    capture = stock_ws.copy_in(CAPTURE)
    window = gui.Gui(stock_ws, capture)
    try:
        time.sleep(3)
        assert visible_windows(window) == [window.title]   # no error or warning dialog
        assert window.gui.poll() is None
    finally:
        window.close()
    # and tshark, which reads the same file, decodes as before and says nothing
    proc = stock_ws.tshark("-r", capture, "-c", "1")
    assert proc.stderr == ""
