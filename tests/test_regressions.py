# Files that once crashed tshark with our plugins (found by fuzzing, see
# docs/fuzzing.md), read again the ways the whole-program fuzzer reads
# them: "tshark -nVxr", "tshark -2 -nr", and the extra command lines in
# <file>.args (one per line) when there is one. Each must finish with an
# exit status of 0 (read) or 2 (refused or cut short, with a message),
# with no dissector bug and no GLib critical: with the normal build, and
# with the plugins built with ASan and UBSan.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import shlex

import pytest

from harness import ASAN_BUILD, OUR_PLUGINS, REPO, Wireshark

REGRESSIONS = os.path.join(REPO, "tests", "regressions")
FILES = sorted(f for f in os.listdir(REGRESSIONS) if not f.endswith((".args", ".md")))
ABORT = {"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1", "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS": "1"}
PROBLEMS = re.compile(r"ERROR: AddressSanitizer|runtime error:|Dissector bug|CRITICAL|\bWARNING\b \*\*")


def command_lines(name):
    lines = [["-nVxr"], ["-2", "-nr"]]
    args = os.path.join(REGRESSIONS, name + ".args")
    if os.path.exists(args):
        with open(args) as f:
            lines += [shlex.split(line) + ["-r"] for line in f if line.strip()]
    return lines


def check_file(world, name):
    path = world.copy_in(os.path.join(REGRESSIONS, name))
    for args in command_lines(name):
        proc = world.tshark(*args, path, env=ABORT, check=False, timeout=300)
        assert proc.returncode in (0, 2), f"tshark {' '.join(args)} {name}: exit {proc.returncode}\n{proc.stderr[-5000:]}"
        assert not PROBLEMS.search(proc.stderr), f"tshark {' '.join(args)} {name}:\n{proc.stderr[-5000:]}"
        assert proc.stdout or proc.stderr, "tshark said nothing"


@pytest.fixture(scope="module")
def asan_ws():
    if not os.path.exists(os.path.join(ASAN_BUILD, OUR_PLUGINS["epan"])):
        pytest.fail(f"no sanitizer build in {ASAN_BUILD}; run 'make asan-build'")
    world = Wireshark(build=ASAN_BUILD, sanitized=True)
    yield world
    world.cleanup()


def test_there_are_regression_files():
    assert FILES


@pytest.mark.parametrize("name", FILES)
def test_regression(ws, name):
    check_file(ws, name)


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_regression_with_sanitizers(asan_ws, name):
    check_file(asan_ws, name)
