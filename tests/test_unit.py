# Runs the GLib g_test unit tests of the internal library, one pytest case
# per g_test path, so the suite's closing line counts them.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import subprocess

import pytest

from harness import BUILD


def unit_cases():
    cases = []
    for binary in sorted(glob.glob(os.path.join(BUILD, "tests", "unit", "test-*"))):
        if not os.access(binary, os.X_OK) or binary.endswith(".c"):
            continue
        listing = subprocess.run([binary, "-l"], capture_output=True, text=True, check=True).stdout
        for path in listing.split():
            if path.startswith("/"):
                cases.append(pytest.param(binary, path, id=f"{os.path.basename(binary)}{path}"))
    return cases


CASES = unit_cases()


def test_unit_binaries_were_built():
    assert CASES, f"no unit test binaries under {BUILD}/tests/unit; run 'make build'"


@pytest.mark.parametrize("binary,path", CASES)
def test_unit(binary, path):
    proc = subprocess.run([binary, "-p", path], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"ok 1 {path}" in proc.stdout, proc.stdout
