# Valgrind memcheck over a representative part of the suite: every way
# the reader opens a file (headerless, header, gzip, format preference,
# time-stamped export, malformed lines, CloudWatch CLI JSON, subscription
# gzip, Lambda payload, NDJSON), the writer, the dissector on a saved
# pcapng, and the Traffic Mirror layer with its table, taps and decapsulated
# file; each read twice (tshark -2: sequential, then random access).
# Then the fuzz targets' seeds and regression inputs through the replay
# programs, for the library alone.
#
# Passes only with zero memcheck errors and zero definite leaks.
# Suppressed: only Wireshark's own (tests/valgrind/wireshark.supp, each
# explained). tshark runs with tests/valgrind/keep-plugins.c preloaded so
# that memory our plugins keep for the whole run counts as reachable, not
# lost, when tshark unloads them at exit.
#
#   make valgrind      (this file alone)
#
# SPDX-License-Identifier: GPL-2.0-or-later

import concurrent.futures
import os
import re
import shutil
import subprocess

import pytest

import mirrorref
from harness import BUILD, REPO, Wireshark

pytestmark = pytest.mark.slow

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPRESSIONS = os.path.join(HERE, "valgrind", "wireshark.supp")
SHIM = os.path.join(BUILD, "tests", "valgrind", "libkeep-plugins.so")
PCAPS = os.path.join(REPO, "pcaps")
FUZZ = os.path.join(REPO, "fuzz")


def memcheck(suppressions=SUPPRESSIONS):
    """The valgrind command line, with the suppressions file at that path."""
    return ["valgrind", "--tool=memcheck", "--error-exitcode=42", "--leak-check=full",
            "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite", "--keep-debuginfo=yes",
            "--num-callers=40", f"--suppressions={suppressions}"]


def read_format(name):
    with open(os.path.join(PCAPS, "flowlogs", name)) as f:
        return " ".join(f.read().split())


MIRROR_TABLE = mirrorref.uat_options(mirrorref.table_rows())

# name: (sample under pcaps/, extra tshark options)
CASES = {
    "headerless-default": ("flowlogs/awsdocs-vpc__accepted-rejected-default.log", []),
    "s3-gzip-header": ("demo/123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz", []),
    "format-preference": ("flowlogs/vector-vrl__v8-v11-custom.log",
                          ["-o", "vpcflow.format:" + read_format("vector-vrl__v8-v11-custom.format")]),
    "time-stamped-export": ("flowlogs/goaccess-issue-1341__cwl-export-to-s3-timestamp-prefixed.log", []),
    "malformed-lines": ("flowlogs/otel-contrib__vpc_flow_log_too_many_fields.log", []),
    "cloudwatch-cli-json": ("cloudwatch/filter-log-events-pages.json", []),
    "subscription-gzip": ("cloudwatch/firehose-subscription.gz", []),
    "lambda-payload": ("cloudwatch/lambda-event.json", []),
    "ndjson": ("cloudwatch/messages.ndjson", []),
    # Parquet: v2 pages over row groups (random access), pyarrow's GZIP dictionaries and "None"
    "parquet-v2": ("parquet/hyparquet-v2-snappy.parquet", []),
    "parquet-pyarrow": ("parquet/flowlogs-reader__flows.parquet", []),
    # CSV query results: bad rows (wrong counts, unclosed quote), gzip with rows spanning lines
    "csv-bad-rows": ("query-results/bad-rows.csv", []),
    "csv-gzip": ("query-results/duckdb-hyphens-note.csv.gz", []),
    # Traffic Mirror: the session table, every mirror tap, the decapsulated file
    "mirror-sessions": ("mirror/gen-two-sessions.pcap",
                        MIRROR_TABLE + ["-z", "mirror,tree", "-z", "conv,mirror", "-z", "endpoints,mirror",
                         "-z", "mirror,decap,valgrind-inner.pcapng"]),
    "mirror-duplicates": ("mirror/zeek-vxlan-overlapping-http-get.pcap", ["-Y", "!mirror.duplicate"]),
    "mirror-cut-copies": ("mirror/gen-packet-length-truncation.pcap", MIRROR_TABLE),
}


def valgrind_errors(stderr):
    """The number memcheck reports, and its error records for the message."""
    m = re.findall(r"ERROR SUMMARY: (\d+) errors", stderr)
    count = int(m[-1]) if m else -1
    records = [r for r in re.split(r"\n==\d+== \n", stderr)
               if re.search(r"Invalid|uninitialised|Conditional jump|definitely lost in|Mismatched|overlap", r)]
    return count, "\n\n".join(records)[:20000]


class ValgrindWorld:
    def __init__(self):
        if not shutil.which("valgrind"):
            pytest.fail("valgrind is not installed (tools/install-deps.sh installs it)")
        if not os.path.exists(SHIM):
            pytest.fail(f"{SHIM} not built; run 'make build'")
        self.ws = Wireshark()
        # Copies the unprivileged tshark can read: the clone may sit in a
        # folder only root can enter (mktemp -d).
        self.shim = os.path.join(self.ws.root, "libkeep-plugins.so")
        shutil.copy(SHIM, self.shim)
        os.chmod(self.shim, 0o755)
        self.suppressions = os.path.join(self.ws.root, "wireshark.supp")
        shutil.copy(SUPPRESSIONS, self.suppressions)
        os.chmod(self.suppressions, 0o644)

    def tshark(self, *args):
        cmd = self.ws.command("env", f"LD_PRELOAD={self.shim}", *memcheck(self.suppressions), "tshark", *args)
        return subprocess.run(cmd, cwd=self.ws.work, env=self.ws.env(), capture_output=True, text=True,
                              timeout=900)

    def run_case(self, name):
        sample, options = CASES[name]
        path = self.ws.copy_in(os.path.join(PCAPS, sample), f"{name}-{os.path.basename(sample)}")
        return [self.tshark(*options, "-2", "-V", "-r", path)]

    def run_writer(self):
        """Write a flow log and a pcapng, then dissect the pcapng."""
        src = self.ws.copy_in(os.path.join(PCAPS, CASES["headerless-default"][0]), "writer-in.log")
        out_log, out_pcapng = self.ws.path("written.log"), self.ws.path("written.pcapng")
        return [self.tshark("-r", src, "-w", out_log, "-F", "vpcflow"),
                self.tshark("-r", src, "-w", out_pcapng, "-F", "pcapng"),
                self.tshark("-2", "-V", "-r", out_pcapng)]

    def cleanup(self):
        self.ws.cleanup()


@pytest.fixture(scope="module")
def valgrind_results():
    """All runs, two at a time (each tshark under memcheck takes seconds)."""
    world = ValgrindWorld()
    jobs = {name: (lambda n=name: world.run_case(n)) for name in CASES}
    jobs["writer"] = world.run_writer
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            futures = {name: pool.submit(job) for name, job in jobs.items()}
            yield {name: f.result() for name, f in futures.items()}
    finally:
        world.cleanup()


@pytest.mark.parametrize("name", list(CASES) + ["writer"])
def test_tshark_under_memcheck(valgrind_results, name):
    for proc in valgrind_results[name]:
        count, records = valgrind_errors(proc.stderr)
        assert count == 0 and proc.returncode == 0, \
            f"memcheck: {count} error(s), exit {proc.returncode}:\n{records or proc.stderr[-5000:]}"
    # The runs did decode flow records or mirror copies (so the plugins were there).
    layer = "Traffic Mirror Session" if name.startswith("mirror") else "VPC Flow Log"
    assert layer in valgrind_results[name][-1].stdout


def replay_targets():
    return sorted(d for d in os.listdir(os.path.join(FUZZ, "corpus")))


@pytest.mark.parametrize("target", replay_targets())
def test_fuzz_inputs_under_memcheck(target):
    """The library alone on every seed and every input that once failed."""
    binary = os.path.join(BUILD, "fuzz", f"replay-{target}")
    inputs = [os.path.join(FUZZ, "corpus", target)]
    if os.path.isdir(os.path.join(FUZZ, "regressions", target)):
        inputs.append(os.path.join(FUZZ, "regressions", target))
    proc = subprocess.run(memcheck() + [binary, *inputs], capture_output=True, text=True, timeout=900)
    count, records = valgrind_errors(proc.stderr)
    assert count == 0 and proc.returncode == 0, f"memcheck: {count} error(s):\n{records or proc.stderr[-5000:]}"
    assert re.search(r"replayed [1-9]\d* inputs", proc.stdout), proc.stdout
