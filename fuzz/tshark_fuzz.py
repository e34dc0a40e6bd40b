#!/usr/bin/python3
# Whole-program fuzzing: tshark with our plugins built with ASan and
# UBSan, over mutated copies of every capture and flow log in pcaps/, the
# way Wireshark fuzzes itself (tools/fuzz-test.sh).
#
#   fuzz/tshark_fuzz.py [--build build-asan] [--seconds N | --forever] [--jobs J] [--seed S] [FILE ...]
#
# Inputs (all of pcaps/ unless files are named):
#   captures (.pcap, .pcapng), plus a pcapng of the frames our reader
#   makes of each flow log: mutated with "editcap -E", so the dissectors
#   meet corrupt envelopes, metadata and packets;
#   flow logs, CloudWatch JSON (text or gzip) and Parquet files: mutated
#   by the byte mutator below (flips, inserts, cuts, repeats, hostile tokens; gzip
#   files either in their compressed bytes or inside), so the reader
#   meets them too.
# Each mutation is read by "tshark -nVxr" (one pass, full tree, with every
# tap of ours: conversations, endpoints, statistics trees, -z vpcflow
# reports) and "tshark -2 -nr" (two passes without a tree: tree-less
# dissection, where no tree item checks lengths for us, then random access
# to every record); headerless logs with their format as the
# vpcflow.format preference; with WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 and
# WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1.
#
# A run fails on a signal, a sanitizer report, a dissector bug, a GLib
# critical or warning, an exit status other than 0 (read) or this
# version's statuses for a file refused or cut short (2 in 4.0; 3 and 2
# in 4.4; 3 and 14 in 4.6), or a hang (--timeout). The input, the
# command and its stderr are kept in <build>/tshark-fuzz-failures/seed-<seed>/ to become a
# regression file in tests/regressions/ once fixed.
#
# Except Wireshark's own crashes: a mutated flow log may be claimed by a
# stock reader (VWR takes some text files) and crash a stock dissector
# that never saw our code. An abort whose stack trace has no frame of our
# plugins is counted and kept apart (in .../stock/), not failed on: we
# cannot fix it, and it would make every run a lottery.
#
# Leaks are not checked here: tshark unloads plugins before exit, so
# LeakSanitizer cannot name their code. tests/test_valgrind.py and the
# libFuzzer targets check leaks instead.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import concurrent.futures
import glob
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests"))

from harness import ASAN_BUILD, Wireshark, tshark_exits_refused_or_cut  # noqa: E402

PCAPS = os.path.join(REPO, "pcaps")
CAPTURE_EXTENSIONS = (".pcap", ".pcapng", ".cap")
SKIP_NAMES = ("SOURCES.md", "expected.json", "facts.json",
              # Traffic Mirror session table and AWS CLI JSON (not captures; fuzzed by fuzz-mirror-import)
              "mirror_sessions", "describe-traffic-mirror-sessions.json", "describe-network-interfaces.json")
# Exported PDU options of our frames (plugin/flowlog/core/vpcflow-frame.h).
EPDU_PREFIX_LEN = 16

# What a failing run prints (stderr); any of these fails the run.
PROBLEMS = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|Dissector bug"
                      r"|-CRITICAL \*\*|-WARNING \*\*|\*\* \(tshark:\d+\): (?:CRITICAL|WARNING)"
                      r"|Segmentation fault|Aborted|AddressSanitizer:DEADLYSIGNAL")

# A frame of our code in a stack trace (ASan prints module or source).
OURS = re.compile(r"vpcshark-dissectors\.so|vpcflow-file\.so|/plugin/")
STACK = re.compile(r"^\s+#\d+ 0x", re.M)

# Every tap of ours, so that what they do with hostile records runs too.
TAPS = ["-z", "conv,vpcflow", "-z", "endpoints,vpcflow", "-z", "vpcflow_actions,tree", "-z", "vpcflow_rejects,tree",
        "-z", "vpcflow_interfaces,tree", "-z", "vpcflow_instances,tree", "-z", "vpcflow_talkers,tree",
        "-z", "vpcflow,count,by=action;flow_direction;srcaddr", "-z", "vpcflow,list,bytes",
        "-z", "vpcflow,avg,duration,by=interface-id,top=5",
        # Traffic Mirror (issue 3)
        "-z", "mirror,tree", "-z", "conv,mirror", "-z", "endpoints,mirror",
        # flow records joined with mirrored packets (issue 12)
        "-z", "vpcflow,mirror", "-z", "vpcflow_mirror,tree"]

# Tokens worth inserting into text: separators, markers, JSON syntax, huge
# or odd numbers and addresses, format names.
TOKENS = [b" ", b"\t", b"\r", b"\n", b"\r\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b"-", b"#", b"{", b"}", b"[", b"]",
          b'"', b"\\", b"\\u0000", b"\\ud800", b",", b":", b"${", b"parse", b" as ", b"|",
          b"18446744073709551615", b"18446744073709551616", b"99999999999999", b"4294967296", b"65536", b"256",
          b"0", b"-1", b"1e308", b"::", b"::ffff:1.2.3.4", b"1.2.3.4.5", b"2018-09-22T20:28:14.000Z ",
          b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
          b"action log-status\n", b"eni-0123456789abcdef0", b"ACCEPT", b"NODATA", b"SKIPDATA",
          b'{"awslogs":{"data":"', b'"message":', b'"events":[', b'"logEvents":[', b"H4sI", b"\x1f\x8b\x08"]


class Mutator:
    """Byte-level mutations of text, JSON and gzip files."""

    def __init__(self, rng):
        self.rng = rng

    def bytes(self, data):
        r = self.rng
        data = bytearray(data)
        for _ in range(r.choice((1, 1, 2, 3, 5, 8))):
            op = r.randrange(9)
            at = r.randrange(len(data) + 1)
            if op == 0 and data:                                  # flip a bit
                at = min(at, len(data) - 1)
                data[at] ^= 1 << r.randrange(8)
            elif op == 1 and data:                                # random byte
                at = min(at, len(data) - 1)
                data[at] = r.randrange(256)
            elif op == 2:                                         # insert a token
                data[at:at] = r.choice(TOKENS)
            elif op == 3 and data:                                # delete a range
                data[at:at + r.randrange(1, 64)] = b""
            elif op == 4 and data:                                # repeat a range
                n = r.randrange(1, 256)
                data[at:at] = bytes(data[at:at + n]) * r.choice((2, 10, 100))
            elif op == 5:                                         # cut the file
                del data[at:]
            elif op == 6:                                         # swap two lines
                lines = bytes(data).split(b"\n")
                if len(lines) > 2:
                    i, j = r.randrange(len(lines)), r.randrange(len(lines))
                    lines[i], lines[j] = lines[j], lines[i]
                    data = bytearray(b"\n".join(lines))
            elif op == 7:                                         # a long run of one byte
                data[at:at] = bytes([r.choice(b" -0\t{[\"\\x")]) * r.choice((100, 4096, 70000))
            elif op == 8 and data:                                # copy a piece elsewhere
                n = r.randrange(1, 512)
                piece = bytes(data[at:at + n])
                to = r.randrange(len(data) + 1)
                data[to:to] = piece
        return bytes(data)

    def gzip(self, data):
        """Mutate inside (then recompress) or the compressed bytes themselves."""
        if self.rng.random() < 0.5:
            try:
                inner = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                inner = data
            return gzip.compress(self.bytes(inner), mtime=0)
        return self.bytes(data)


def is_gzip(path):
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


# Not inputs: formats of headerless samples, the rows hyparquet read from a Parquet sample.
SKIP_ENDINGS = (".format", ".hyparquet.json.gz")


def sample_files(named):
    paths = named or sorted(p for p in glob.glob(os.path.join(PCAPS, "**", "*"), recursive=True)
                            if os.path.isfile(p))
    return [p for p in paths if os.path.basename(p) not in SKIP_NAMES and not p.endswith(SKIP_ENDINGS)]


def is_parquet(path):
    with open(path, "rb") as f:
        return f.read(4) == b"PAR1"


def format_of(path):
    """The format a headerless sample comes with (its .format sibling)."""
    base = re.sub(r"\.(log|json)(\.gz)?$", "", path)
    fmt = base + ".format"
    if os.path.exists(fmt):
        with open(fmt) as f:
            return " ".join(f.read().split())
    return None


class Fuzzer:
    def __init__(self, build, seed, timeout, jobs, log=print):
        self.rng = random.Random(seed)
        self.seed = seed
        self.refused = tshark_exits_refused_or_cut()
        self.timeout = timeout
        self.jobs = jobs
        self.log = log
        self.ws = Wireshark(build=build, sanitized=True)
        # editcap without our plugins, so without the sanitizer runtime: under
        # it, editcap can deadlock at exit (glibc locale lock, p11-kit).
        self.stock = Wireshark(with_plugins=False)
        self.failures_dir = os.path.join(build, "tshark-fuzz-failures", f"seed-{seed}")
        self.failures = []
        self.stock_failures = []
        self.runs = 0
        self.mutations = 0
        self.lock = threading.Lock()
        self.counter = 0

    def close(self):
        self.ws.cleanup()
        self.stock.cleanup()

    def prepare(self, paths):
        """Samples as the tools can read them; flow logs also as pcapng frames."""
        inputs = []
        for path in paths:
            name = os.path.basename(path)
            staged = self.ws.copy_in(path, "sample-" + name)
            kind = "capture" if name.endswith(CAPTURE_EXTENSIONS) else "file"
            inputs.append({"path": staged, "name": name, "kind": kind, "format": format_of(path)})
            if kind == "file":
                frames = self.ws.path("frames-" + name + ".pcapng")
                args = self._format_args(format_of(path)) + ["-r", staged, "-w", frames, "-F", "pcapng"]
                proc = subprocess.run(self.ws.command("tshark", *args), cwd=self.ws.work, env=self.ws.env(),
                                      capture_output=True, timeout=self.timeout)
                if proc.returncode != 0 and (is_parquet(path) or "not-flowlog" in name):
                    continue        # refused or not claimed on purpose (nested, damaged, an ordinary CSV): its bytes are mutated
                if proc.returncode != 0:
                    raise RuntimeError(f"{name}: tshark could not save its frames:\n{proc.stderr.decode()}")
                if os.path.getsize(frames) > 0:
                    # Mutate from our envelope on: the Exported PDU options before it
                    # are Wireshark's to parse, and 4.0 asserts on some of them
                    # (packet-exported_pdu.c: TCP info "version == 1").
                    inputs.append({"path": frames, "name": name + ".pcapng", "kind": "capture",
                                   "format": format_of(path), "skip": EPDU_PREFIX_LEN})
        return inputs

    @staticmethod
    def _format_args(fmt):
        return ["-o", f"vpcflow.format:{fmt}"] if fmt else []

    def mutate(self, sample, rng):
        with self.lock:
            self.counter += 1
            n = self.counter
        out = self.ws.path(f"mut-{n}-{sample['name']}")
        if sample["kind"] == "capture":
            rate = rng.choice((0.002, 0.01, 0.03, 0.1))
            skip = ["-o", str(sample["skip"])] if sample.get("skip") else []
            proc = self.stock.run("editcap", "-E", str(rate), "--seed", str(rng.randrange(1 << 30)), *skip,
                                  sample["path"], out, check=False, timeout=self.timeout)
            if proc.returncode != 0:
                raise RuntimeError(f"editcap failed: {proc.stderr}")
        else:
            with open(sample["path"], "rb") as f:
                data = f.read()
            m = Mutator(rng)
            data = m.gzip(data) if is_gzip(sample["path"]) else m.bytes(data)
            with open(out, "wb") as f:
                f.write(data)
            os.chmod(out, 0o644)
        return out

    def check(self, sample, path, args):
        """Run tshark once; None when fine, else what went wrong."""
        cmd = self._format_args(sample["format"]) + args + [path]
        start = time.monotonic()
        try:
            proc = subprocess.run(self.ws.command("tshark", *cmd), cwd=self.ws.work, env=self.ws.env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=self.timeout)
        except subprocess.TimeoutExpired as e:
            return {"cmd": cmd, "why": f"hang: still running after {self.timeout} s",
                    "stderr": (e.stderr or b"").decode(errors="replace")}
        finally:
            with self.lock:
                self.runs += 1
        stderr = proc.stderr.decode(errors="replace")
        elapsed = time.monotonic() - start
        why = None
        if proc.returncode < 0:
            why = f"killed by signal {-proc.returncode}"
        elif proc.returncode != 0 and proc.returncode not in self.refused:
            why = f"exit status {proc.returncode}"
        elif PROBLEMS.search(stderr):
            why = "problem reported: " + PROBLEMS.search(stderr).group(0)
        if why:
            stock = bool(STACK.search(stderr)) and not OURS.search(stderr) and "runtime error:" not in stderr
            return {"cmd": cmd, "why": why, "stderr": stderr, "seconds": elapsed, "stock": stock}
        return None

    def one(self, sample, rng):
        path = self.mutate(sample, rng)
        with self.lock:
            self.mutations += 1
        problem = None
        # the second run reads twice: the join tree fills in from the second pass
        for args in (TAPS + ["-nVxr"], ["-2", "-z", "vpcflow_mirror,tree", "-nr"]):
            problem = self.check(sample, path, args)
            if problem:
                self.keep(sample, path, problem)
                break
        if not problem:
            os.unlink(path)
        return problem

    def keep(self, sample, path, problem):
        where = os.path.join(self.failures_dir, "stock") if problem.get("stock") else self.failures_dir
        os.makedirs(where, exist_ok=True)
        name = os.path.basename(path)
        shutil.copy(path, os.path.join(where, name))
        with open(os.path.join(where, name + ".txt"), "w") as f:
            f.write(f"sample: {sample['name']}\nwhy: {problem['why']}\n"
                    f"command: tshark {' '.join(problem['cmd'])}\n\n{problem['stderr'][-20000:]}")
        with self.lock:
            (self.stock_failures if problem.get("stock") else self.failures).append((name, problem["why"]))
        if problem.get("stock"):
            self.log(f"stock Wireshark failure, not ours: {name}: {problem['why']} (kept in {where})")
        else:
            self.log(f"FAILED {name}: {problem['why']} (kept in {where})")

    def run(self, inputs, seconds):
        deadline = None if seconds is None else time.monotonic() + seconds
        order = []

        def next_sample():
            with self.lock:
                if not order:
                    order.extend(inputs)
                    self.rng.shuffle(order)
                return order.pop(), random.Random(self.rng.randrange(1 << 62))

        def worker():
            while deadline is None or time.monotonic() < deadline:
                sample, rng = next_sample()
                self.one(sample, rng)

        with concurrent.futures.ThreadPoolExecutor(max_workers=self.jobs) as pool:
            for f in [pool.submit(worker) for _ in range(self.jobs)]:
                f.result()


def main():
    parser = argparse.ArgumentParser(description="Whole-program fuzzing of tshark with the vpcshark plugins")
    parser.add_argument("--build", default=ASAN_BUILD)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_TSHARK_SECONDS", "120")))
    parser.add_argument("--forever", action="store_true", help="run until interrupted")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS", "1")))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--timeout", type=int, default=60, help="seconds before a run counts as a hang")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    fuzzer = Fuzzer(args.build, seed, args.timeout, args.jobs, log=lambda m: print(m, flush=True))
    start = time.monotonic()
    try:
        inputs = fuzzer.prepare(sample_files(args.files))
        print(f"tshark fuzzing: {len(inputs)} inputs, seed {seed}, "
              f"{'until interrupted' if args.forever else f'{args.seconds} s'}, {args.jobs} job(s)", flush=True)
        fuzzer.run(inputs, None if args.forever else args.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        fuzzer.close()
    elapsed = time.monotonic() - start
    print(f"tshark fuzzing: {fuzzer.mutations} mutations, {fuzzer.runs} tshark runs in {elapsed:.0f} s, "
          f"{len(fuzzer.failures)} failure(s), {len(fuzzer.stock_failures)} in Wireshark's own code")
    for name, why in fuzzer.failures:
        print(f"  {name}: {why}")
    sys.exit(1 if fuzzer.failures else 0)


if __name__ == "__main__":
    main()
