#!/usr/bin/python3
# The accessibility side of the GUI driver (tests/gui.py): Wireshark's
# widgets as Qt shows them to screen readers (AT-SPI), so the driver finds
# a menu item or a button by its name, whatever the Wireshark version lays
# out where. Run by gui.py as a child process, one per wireshark window,
# with AT_SPI_BUS_ADDRESS naming that window's accessibility bus (the
# AT-SPI library keeps the first bus it meets for the life of a process,
# so each window needs a process of its own). It reads one JSON request a
# line on stdin and answers one JSON line on stdout:
#
#   {"op": "ready", "pid": P}               the application of process P is on the bus
#   {"op": "press", "pid": P, "path": [...]} press the element at the path (see find)
#   {"op": "locate", "pid": P, "path": [...]} [x, y, width, height] of it on the screen
#   {"op": "windows", "pid": P}             the names of the application's shown windows
#   {"op": "dump", "pid": P, "depth": N}    its shown windows' elements, as indented lines
#
# Answers: {"ok": value} or {"error": "message"}.
#
# gui_a11y.py --announce ADDRESS instead owns org.a11y.Bus on the D-Bus of
# DBUS_SESSION_BUS_ADDRESS and answers its GetAddress with ADDRESS: how a
# desktop tells applications where the accessibility bus is.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import os
import sys

try:
    import pyatspi
    from gi.repository import Atspi
except ImportError:  # --announce does without; the driver checks it is there
    pyatspi = None

# Elements whose children are rows of data (the packet list, a dialog's
# table): never searched, there are thousands and no buttons among them.
DATA_ROLES = {"table", "tree", "tree table", "list", "table cell", "tree item", "list item"}
PRESS_ACTIONS = ("press", "click", "activate", "toggle")
# Kinds of element a path may name, by the roles each has (Qt 5 and 6 and
# the AT-SPI versions with them name a button's role differently).
KINDS = {
    "button": {"push button", "button", "push button menu", "button menu"},
    "menu item": {"menu item"},
    "tab": {"page tab"},
}


def application(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop[i]
        try:
            if app is not None and app.get_process_id() == pid:
                # the AT-SPI library keeps what it read of the application, and a
                # main loop would tell it what changed: this process runs none
                app.set_cache_mask(Atspi.Cache.NONE)
                app.clear_cache()
                return app
        except Exception:  # an application leaving the bus
            continue
    return None


def role(node):
    return node.getRoleName()


def children(node):
    try:
        count = node.childCount
    except Exception:
        return []
    out = []
    for i in range(count):
        try:
            child = node[i]
        except Exception:
            continue
        if child is not None:
            out.append(child)
    return out


def showing(node):
    return node.getState().contains(pyatspi.STATE_SHOWING)


def search(start, name, wanted_roles=None):
    """The first element below start (breadth first) named name, of one
    of wanted_roles when given, the first shown one if any is (hidden
    dialogs the main window keeps have their own filter entries and
    buttons); data rows are not searched."""
    queue = children(start)
    hidden = None
    while queue:
        node = queue.pop(0)
        try:
            node_role = role(node)
            node_name = node.name
        except Exception:
            continue
        if node_name == name and (wanted_roles is None or node_role in wanted_roles):
            if showing(node):
                return node
            hidden = hidden or node
        if node_role not in DATA_ROLES:
            queue.extend(children(node))
    return hidden


def windows(app):
    return [w for w in children(app) if showing(w)]


def find(app, path):
    """The element at path: its first step is a window title (a shown
    window whose name contains it) or "menu" (the main window's menu
    bar); each further step is the name of an element below the one
    before, "kind:name" to say its kind as well ("button:Copy", KINDS).
    Menus that pop up are not there: Qt lists no popup window."""
    first, rest = path[0], path[1:]
    if first == "menu":
        node = None
        for w in windows(app):
            node = next((c for c in children(w) if role(c) == "menu bar"), None) or \
                search(w, "", {"menu bar"})
            if node is not None:
                break
    else:
        node = next((w for w in windows(app) if first in w.name), None)
    if node is None:
        raise LookupError(f"no {first!r} window")
    for step in rest:
        wanted = None
        if ":" in step and step.split(":", 1)[0] in KINDS:
            kind, step = step.split(":", 1)
            wanted = KINDS[kind]
        found = search(node, step, wanted)
        if found is None:
            names = sorted({c.name for c in children(node) if c.name})
            raise LookupError(f"no {step!r} under {node.name or role(node)!r} (there: {names[:40]})")
        node = found
    return node


def press(node):
    action = node.queryAction()
    names = [action.getName(i).lower() for i in range(action.nActions)]
    for wanted in PRESS_ACTIONS:
        if wanted in names:
            action.doAction(names.index(wanted))
            return names[names.index(wanted)]
    if action.nActions:
        action.doAction(0)
        return names[0]
    raise LookupError(f"{node.name!r} ({role(node)}) has no action")


def dump(app, depth):
    lines = []

    def walk(node, level):
        try:
            lines.append("  " * level + f"{role(node)} {node.name!r}" + ("" if showing(node) else " (hidden)"))
        except Exception as e:
            lines.append("  " * level + f"? {e}")
            return
        if level < depth and role(node) not in DATA_ROLES:
            for child in children(node):
                walk(child, level + 1)
    for w in windows(app):
        walk(w, 0)
    return "\n".join(lines)


def serve(request):
    app = application(request["pid"])
    if request["op"] == "ready":
        return app is not None and bool(windows(app))
    if app is None:
        raise LookupError("the application is not on the accessibility bus")
    if request["op"] == "dump":
        return dump(app, request.get("depth", 8))
    if request["op"] == "windows":
        return [w.name for w in windows(app)]
    if request["op"] == "press":
        return press(find(app, request["path"]))
    if request["op"] == "locate":
        node = find(app, request["path"])
        box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return [box.x, box.y, box.width, box.height]
    raise ValueError("unknown op " + request["op"])


ANNOUNCER = """<node><interface name="org.a11y.Bus">
<method name="GetAddress"><arg type="s" direction="out"/></method>
</interface><interface name="org.a11y.Status">
<property name="IsEnabled" type="b" access="read"/>
<property name="ScreenReaderEnabled" type="b" access="read"/>
</interface></node>"""


def announce(address):
    from gi.repository import Gio, GLib
    bus = Gio.DBusConnection.new_for_address_sync(
        os.environ["DBUS_SESSION_BUS_ADDRESS"],
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    info = Gio.DBusNodeInfo.new_for_xml(ANNOUNCER)

    def call(connection, sender, path, interface, method, params, invocation):
        invocation.return_value(GLib.Variant("(s)", (address,)))

    def get(connection, sender, path, interface, name):
        return GLib.Variant("b", True)
    for interface in info.interfaces:
        bus.register_object("/org/a11y/bus", interface, call, get, None)
    Gio.bus_own_name_on_connection(bus, "org.a11y.Bus", Gio.BusNameOwnerFlags.NONE, None, None)
    GLib.MainLoop().run()


def main():
    if sys.argv[1:2] == ["--announce"]:
        announce(sys.argv[2])
        return
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"ok": serve(request)}
        except Exception as e:  # told to the driver, which fails the test with it
            answer = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
