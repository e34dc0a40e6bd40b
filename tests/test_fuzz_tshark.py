# Whole-program fuzzing in the suite: fuzz/tshark_fuzz.py for
# VPCSHARK_TSHARK_FUZZ_SECONDS (default 150), two tshark runs at a time,
# with the plugins built with ASan and UBSan ("make asan-build"). Mutated
# copies of everything in pcaps/ must not crash tshark, make a sanitizer
# report, hit a dissector bug or hang. The seed is new each run (printed
# on failure); failing inputs are kept in
# <build-asan>/tshark-fuzz-failures/seed-<seed>/. "make fuzz-tshark" runs
# it longer.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import os
import random
import subprocess
import sys
import time

import pytest

from harness import ASAN_BUILD, OUR_PLUGINS, REPO, wireshark_at_least, wireshark_version

sys.path.insert(0, os.path.join(REPO, "fuzz"))
import tshark_fuzz  # noqa: E402

pytestmark = pytest.mark.slow

SECONDS = int(os.environ.get("VPCSHARK_TSHARK_FUZZ_SECONDS", "150"))
JOBS = int(os.environ.get("VPCSHARK_FUZZ_JOBS", "2"))


@pytest.fixture(scope="module")
def fuzzer():
    if not os.path.exists(os.path.join(ASAN_BUILD, OUR_PLUGINS["epan"])):
        pytest.fail(f"no sanitizer build in {ASAN_BUILD}; run 'make asan-build'")
    f = tshark_fuzz.Fuzzer(ASAN_BUILD, random.randrange(1 << 31), timeout=60, jobs=JOBS)
    yield f
    f.close()


def test_sanitizer_runtime_is_in_tshark(fuzzer):
    """The preloaded runtime is there: ASan prints its flags on request."""
    cmd = fuzzer.ws.command("env", "ASAN_OPTIONS=help=1", "tshark", "--version")
    proc = subprocess.run(cmd, cwd=fuzzer.ws.work, env=fuzzer.ws.env(), capture_output=True, text=True)
    assert "Available flags for AddressSanitizer" in proc.stderr


def test_plugins_are_the_sanitized_build(fuzzer):
    """tshark decodes flow logs with the instrumented plugins. (Not with
    "tshark -G plugins": that starts the extcap helpers, which hang at
    exit under the preloaded runtime.)"""
    sample = fuzzer.ws.copy_in(os.path.join(REPO, "pcaps", "flowlogs", "awsdocs-vpc__accepted-rejected-default.log"))
    proc = subprocess.run(fuzzer.ws.command("tshark", "-r", sample, "-T", "fields", "-e", "vpcflow.action"),
                          cwd=fuzzer.ws.work, env=fuzzer.ws.env(), capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() == ["ACCEPT", "REJECT"], proc.stderr
    for plugin in OUR_PLUGINS.values():
        with open(os.path.join(ASAN_BUILD, plugin), "rb") as f:
            assert b"__asan_report" in f.read(), plugin


def test_a_failing_run_is_caught_and_kept(fuzzer):
    sample = fuzzer.prepare([os.path.join(REPO, "pcaps", "flowlogs", "awsdocs-vpc__accepted-rejected-default.log")])[0]
    problem = fuzzer.check(sample, sample["path"], ["-z", "no-such-statistic", "-r"])
    assert problem and problem["why"] == "exit status 1"


def test_a_crash_in_wireshark_itself_is_told_apart(fuzzer):
    """An input that aborts a stock dissector (tests/stock-crashes/) is a
    failure, but not ours: its stack has no frame of our plugins."""
    path = fuzzer.ws.copy_in(os.path.join(REPO, "tests", "stock-crashes", "vwr-ixveriwave-assert.log"))
    problem = fuzzer.check({"format": None, "name": "vwr"}, path, ["-nVxr"])
    if problem is None and wireshark_at_least(4, 2):
        # 4.4 and 4.6 read it as a VWR file cut short, without the abort.
        pytest.skip(f"Wireshark {wireshark_version()} no longer aborts on this input: "
                    "no stock crash to tell apart here (4.0 has it)")
    assert problem and problem["why"] == "killed by signal 6" and problem["stock"], problem


def test_whole_program_fuzzing(fuzzer):
    inputs = fuzzer.prepare(tshark_fuzz.sample_files([]))
    start = time.monotonic()
    fuzzer.run(inputs, SECONDS)
    with open(os.path.join(ASAN_BUILD, "tshark-fuzz-stats.json"), "w") as f:
        json.dump({"seed": fuzzer.seed, "seconds": round(time.monotonic() - start), "jobs": JOBS,
                   "inputs": len(inputs), "mutations": fuzzer.mutations, "tshark_runs": fuzzer.runs,
                   "failures": fuzzer.failures, "stock_failures": fuzzer.stock_failures}, f, indent=1)
    assert not fuzzer.failures, (f"seed {fuzzer.seed}: {fuzzer.failures}; inputs and stderr in "
                                 f"{fuzzer.failures_dir}")
    # Every sample, the frames of every flow log (captures have none of
    # their own), and enough mutations to mean something.
    samples = tshark_fuzz.sample_files([])
    logs = [p for p in samples if not p.endswith(tshark_fuzz.CAPTURE_EXTENSIONS)]
    assert len(inputs) >= len(samples) + len(logs) - 5
    assert fuzzer.mutations >= SECONDS // 4, fuzzer.mutations
