#!/usr/bin/python3
# Run the libFuzzer targets of the internal library.
#
#   fuzz/libfuzzer.py [--build build-fuzz] [--seconds N] [--jobs J] [TARGET ...]
#
# Each target runs for N seconds (0: round after round of FUZZ_ROUND
# seconds each, until interrupted) from its seeds (fuzz/corpus/<target>)
# and the inputs that once failed (fuzz/regressions/<target>); what it
# learns goes to <build>/corpus/<target>, so a later run starts from
# there. J targets run at the same time. Any crash, sanitizer report,
# leak, timeout or broken invariant fails the run: the input is saved as
# <build>/artifacts/<target>-crash-..., to be kept in fuzz/regressions/
# once the bug is fixed. Prints executions per target at the end.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

TARGETS = ["tokens", "format", "layout", "frame", "json-scan", "json-event", "json-payload", "report",
           "mirror-frame", "mirror-import", "mirror-dedup", "mirror-receiver", "cloudwatch-api", "parquet",
           "csv", "correlate"]

# Longest input per target: lines and formats are short, JSON documents less so.
MAX_LEN = {"tokens": 4096, "format": 4096, "layout": 16384, "frame": 8192,
           "json-scan": 16384, "json-event": 8192, "json-payload": 16384, "report": 8192,
           "parquet": 16384, "csv": 16384, "cloudwatch-api": 65536}


def targets_available(build):
    return [t for t in TARGETS if os.path.exists(os.path.join(build, "fuzz", f"fuzz-{t}"))]


def run_target(build, target, seconds, log_dir):
    """Fuzz one target; returns a dict of what happened."""
    binary = os.path.join(build, "fuzz", f"fuzz-{target}")
    work = os.path.join(build, "corpus", target)
    artifacts = os.path.join(build, "artifacts")
    os.makedirs(work, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    cmd = [binary, work, f"-max_total_time={seconds}", "-print_final_stats=1",
           f"-artifact_prefix={artifacts}/{target}-", "-timeout=10", "-rss_limit_mb=2048",
           f"-max_len={MAX_LEN.get(target, 4096)}", "-use_value_profile=1"]
    dictionary = os.path.join(HERE, "dict", f"{target}.dict")
    if os.path.exists(dictionary):
        cmd.append(f"-dict={dictionary}")
    for extra in (os.path.join(HERE, "corpus", target), os.path.join(HERE, "regressions", target)):
        if os.path.isdir(extra):
            cmd.append(extra)
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:allocator_may_return_null=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    log = os.path.join(log_dir, f"{target}.log")
    start = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                              preexec_fn=lambda: os.nice(10))
    elapsed = time.monotonic() - start
    text = open(log, errors="replace").read()
    stats = dict(re.findall(r"^stat::(\w+):\s+(\d+)", text, re.M))
    runs = int(stats.get("number_of_executed_units", 0))
    crash = re.findall(r"^(?:==\d+== ERROR: libFuzzer: .*|.*ERROR: AddressSanitizer.*|.*ERROR: LeakSanitizer.*"
                       r"|.*runtime error:.*|.*invariant failed:.*|.*Test unit written to .*)$", text, re.M)
    return {"target": target, "ok": proc.returncode == 0 and runs > 0, "returncode": proc.returncode,
            "seconds": round(elapsed, 1), "runs": runs,
            "runs_per_second": int(runs / elapsed) if elapsed > 0 else 0,
            "peak_rss_mb": int(stats.get("peak_rss_mb", 0)),
            "corpus": len(os.listdir(work)), "log": log, "problems": crash[:10]}


def run_all(build, targets, seconds, jobs, log_dir):
    os.makedirs(log_dir, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_target, build, t, seconds, log_dir) for t in targets]
        return [f.result() for f in futures]


def report(results, out=sys.stdout):
    for r in results:
        status = "ok" if r["ok"] else f"FAILED (exit {r['returncode']})"
        print(f"fuzz-{r['target']:<13} {r['runs']:>10} runs in {r['seconds']:>6} s "
              f"({r['runs_per_second']}/s, corpus {r['corpus']}, peak RSS {r['peak_rss_mb']} MB): {status}",
              file=out)
        for p in r["problems"]:
            print(f"    {p}", file=out)
        if not r["ok"]:
            print(f"    log: {r['log']}", file=out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default=os.path.join(REPO, "build-fuzz"))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS", "1")))
    parser.add_argument("targets", nargs="*")
    args = parser.parse_args()
    targets = args.targets or targets_available(args.build)
    if not targets:
        sys.exit(f"no fuzz targets in {args.build}/fuzz; run 'make fuzz-build'")
    log_dir = os.path.join(args.build, "logs")
    forever = args.seconds <= 0
    seconds = int(os.environ.get("FUZZ_ROUND", "600")) if forever else args.seconds
    rounds = 0
    while True:
        results = run_all(args.build, targets, seconds, args.jobs, log_dir)
        rounds += 1
        report(results)
        with open(os.path.join(args.build, "fuzz-stats.json"), "w") as f:
            json.dump(results, f, indent=1)
        if not all(r["ok"] for r in results):
            sys.exit(1)
        if not forever:
            break
        print(f"-- round {rounds} done; next round (Ctrl-C to stop)", flush=True)


if __name__ == "__main__":
    main()
