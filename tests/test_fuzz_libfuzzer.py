# Bounded libFuzzer runs of every fuzz target of the internal library,
# with ASan and UBSan (the clang build, "make fuzz-build"): any crash,
# sanitizer report, leak, timeout or broken invariant fails. Two targets
# run at a time; each for VPCSHARK_FUZZ_SECONDS (default 60) from its
# seeds, its regression inputs and what earlier runs learnt
# (<build-fuzz>/corpus). Executions per target go to
# <build-fuzz>/fuzz-stats.json. "make fuzz" runs them without a bound.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import os
import sys

import pytest

from harness import FUZZ_BUILD, REPO

sys.path.insert(0, os.path.join(REPO, "fuzz"))
import libfuzzer  # noqa: E402

pytestmark = pytest.mark.slow

SECONDS = int(os.environ.get("VPCSHARK_FUZZ_SECONDS", "60"))
JOBS = int(os.environ.get("VPCSHARK_FUZZ_JOBS", "2"))


@pytest.fixture(scope="module")
def results():
    missing = [t for t in libfuzzer.TARGETS if t not in libfuzzer.targets_available(FUZZ_BUILD)]
    if missing:
        pytest.fail(f"fuzz targets not built in {FUZZ_BUILD}: {missing}; run 'make fuzz-build' (clang)")
    found = libfuzzer.run_all(FUZZ_BUILD, libfuzzer.TARGETS, SECONDS, JOBS, os.path.join(FUZZ_BUILD, "logs"))
    with open(os.path.join(FUZZ_BUILD, "fuzz-stats.json"), "w") as f:
        json.dump(found, f, indent=1)
    return {r["target"]: r for r in found}


@pytest.mark.parametrize("target", libfuzzer.TARGETS)
def test_libfuzzer_target(results, target):
    r = results[target]
    with open(r["log"], errors="replace") as f:
        tail = f.read()[-4000:]
    assert r["ok"], f"fuzz-{target} failed (exit {r['returncode']}): {r['problems']}\n{tail}"
    # It fuzzed, not just started: thousands of inputs in the time given.
    assert r["runs"] >= 1000 and r["seconds"] >= SECONDS, r
