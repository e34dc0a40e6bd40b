# Fixtures shared by the test suite.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os

import pytest

from harness import REPO, Wireshark

PCAPS = os.path.join(REPO, "pcaps")
FLOWLOGS = os.path.join(PCAPS, "flowlogs")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: fuzzing, sanitizer and valgrind runs, the Debian package (make test-quick skips them)")


@pytest.fixture(scope="session")
def ws():
    """Wireshark tools with our plugins staged (run unprivileged when root)."""
    world = Wireshark()
    yield world
    world.cleanup()


@pytest.fixture(scope="session")
def stock_ws():
    """The same tools without our plugins, for comparisons."""
    world = Wireshark(with_plugins=False)
    yield world
    world.cleanup()


@pytest.fixture(scope="session")
def epan_only_ws():
    """Only our dissector plugin: files must open through stock readers."""
    world = Wireshark(kinds=("epan",))
    yield world
    world.cleanup()


# --- Traffic Mirror (issue 3) ---

@pytest.fixture(scope="session")
def mirror_ws():
    """Our plugins, with the bundled mirror_sessions table in the profile
    (the way a user's table is found) and every capture of pcaps/mirror
    copied in (ws.path(name))."""
    from mirrorref import MIRROR, TABLE

    world = Wireshark()
    world.use_session_table(TABLE)
    for name in os.listdir(MIRROR):
        world.copy_in(os.path.join(MIRROR, name))
    yield world
    world.cleanup()
