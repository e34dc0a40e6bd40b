# Every seed and every input that once failed a fuzz target, run once
# through the target: with the normal build's replay programs (gcc, no
# sanitizer: the invariants still abort), and with the libFuzzer binaries
# (clang, ASan and UBSan). A bug fixed once stays fixed.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import subprocess

import pytest

from harness import BUILD, FUZZ_BUILD, REPO

FUZZ = os.path.join(REPO, "fuzz")
TARGETS = sorted(os.listdir(os.path.join(FUZZ, "corpus")))


def inputs(target):
    dirs = [os.path.join(FUZZ, "corpus", target)]
    regressions = os.path.join(FUZZ, "regressions", target)
    if os.path.isdir(regressions):
        dirs.append(regressions)
    return dirs


def count_inputs(target, empty=True):
    return sum(1 for d in inputs(target) for name in os.listdir(d)
               if empty or os.path.getsize(os.path.join(d, name)) > 0)


def test_every_target_has_seeds_and_a_build():
    cmake = open(os.path.join(FUZZ, "CMakeLists.txt")).read()
    listed = re.search(r"set\(VPCSHARK_FUZZ_TARGETS(.*?)\)", cmake, re.S).group(1).split()
    assert sorted(listed) == TARGETS
    for target in TARGETS:
        assert count_inputs(target) >= 5, f"{target}: too few seeds"


@pytest.mark.parametrize("target", TARGETS)
def test_replay(target):
    binary = os.path.join(BUILD, "fuzz", f"replay-{target}")
    proc = subprocess.run([binary, *inputs(target)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert proc.stdout.strip() == f"replayed {count_inputs(target)} inputs"


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_replay_with_sanitizers(target):
    binary = os.path.join(FUZZ_BUILD, "fuzz", f"fuzz-{target}")
    if not os.path.exists(binary):
        pytest.fail(f"{binary} not built; run 'make fuzz-build' (clang)")
    proc = subprocess.run([binary, "-runs=0", *inputs(target)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    # libFuzzer says how many inputs it read (duplicates merged, so at most all).
    read = int(re.search(r"INFO: seed corpus: files: (\d+)", proc.stderr).group(1))
    # Newer libFuzzer (clang 19, Debian 13) leaves empty files out of that
    # count; it runs the empty input anyway.
    assert read in (count_inputs(target), count_inputs(target, empty=False))
