#!/usr/bin/python3
# Cost of the -z vpcflow report engine by number of groups (issue 10
# goals: time <= 1.5x zcat | awk at any group count; <= 200 bytes of
# memory per group beyond tshark's own).
#
# For each group count, a 1,000,000-record S3-style .log.gz where the
# (srcaddr, dstaddr) pairs take exactly that many values, and these
# commands, run alternating so that machine noise hits all of them:
#
#   report  tshark -r F -q -z "vpcflow,sum,bytes,by=srcaddr;dstaddr"
#   tap     tshark -r F -q -z vpcflow,count   (the same tap, one group and
#           nothing to sum: what tshark and the tap cost before grouping)
#   floor   tshark -r F -q -z io,stat,0   (a stock trivial tap: reads and
#           dissects every record)
#   read    tshark -r F -q                (reads every record, dissects none:
#           the part of the floor that is reading the file)
#   awk     zcat F | awk (the same sum)
#   duckdb  DuckDB (npm @duckdb/node-api) reading F, the same query,
#           written out as CSV
#
# Printed: median wall time and CPU time (user + system), peak RSS (GNU
# time), report/awk and tap/awk ratios (wall and CPU), the engine's
# share of the report's CPU time and its memory per group (both against
# tap). The report, awk and DuckDB results are compared group by group
# once, or the script fails. zcat | awk runs on two cores (a pipe),
# tshark on one, DuckDB on as many as it finds.
#
# DuckDB is installed with npm under ~/.cache/vpcshark/node when missing
# (--no-duckdb skips it).
#
# Usage: bench/report_engine.py [--records N] [--groups 10,10000,800000] [--runs N]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import gzip
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from harness import Wireshark  # noqa: E402
import node_packages  # noqa: E402

HEADER = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
          "log-status")
T0 = 1664150400                 # 2022-09-26 00:00 UTC
SPEC = "vpcflow,sum,bytes,by=srcaddr;dstaddr"
AWK = ("awk '$1 != \"version\" && $10 != \"-\" {s[$4 \" \" $5] += $10} "
       "END {for (k in s) printf \"%s %.0f\\n\", k, s[k]}'")
DUCKDB_PACKAGE = "@duckdb/node-api"
DUCKDB_SCRIPT = r"""
const { DuckDBInstance } = require(process.argv[2]);
(async () => {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const quote = (s) => "'" + s.replace(/'/g, "''") + "'";
    await con.run(`COPY (SELECT srcaddr, dstaddr, sum(bytes) AS bytes
                         FROM read_csv(${quote(process.argv[3])}, delim = ' ', header = true,
                                       nullstr = '-', types = {'bytes': 'UBIGINT'})
                         GROUP BY srcaddr, dstaddr)
                   TO ${quote(process.argv[4])} (HEADER false, DELIMITER ' ')`);
})().catch((e) => { console.error(e.message); process.exit(1); });
"""


def address(n, first_octet):
    """A distinct IPv4 address for each n < 2^24, spread over the space."""
    n = (n * 0x9E3779) & 0xFFFFFF            # odd multiplier: a permutation of 24 bits
    return f"{first_octet}.{n >> 16}.{(n >> 8) & 255}.{n & 255}"


def write_flowlog(path, records, groups, seed=23):
    """records lines whose (srcaddr, dstaddr) pairs take exactly groups values."""
    rng = random.Random(seed)
    sources = max(1, int(groups ** 0.5))
    pairs = list(range(groups)) + [rng.randrange(groups) for _ in range(records - groups)]
    rng.shuffle(pairs)
    enis = [f"eni-{rng.getrandbits(68):017x}" for _ in range(50)]
    with gzip.open(path, "wt", compresslevel=4) as f:
        f.write(HEADER + "\n")
        for i, p in enumerate(pairs):
            start = T0 + i * 86400 // records
            pkts = rng.randint(1, 400)
            f.write(f"2 123456789012 {rng.choice(enis)} {address(p % sources, 10)} {address(p // sources, 100)} "
                    f"{rng.randint(1024, 65535)} 443 6 {pkts} {pkts * rng.randint(40, 1500)} "
                    f"{start} {start + 59} ACCEPT OK\n")
    os.chmod(path, 0o644)


def ensure_duckdb():
    """The path of @duckdb/node-api, installed with npm outside the repository if missing."""
    node_packages.ensure(DUCKDB_PACKAGE)
    return node_packages.package_dir(DUCKDB_PACKAGE)


class Runner:
    """Runs shell commands under GNU time: wall s, CPU s, peak kB."""

    def __init__(self, ws):
        self.ws = ws

    def run(self, shell, privileged=False):
        timing = ["/usr/bin/time", "-f", "%U %S %M", "bash", "-c", shell]
        cmd = timing if privileged else self.ws.command(*timing)
        t = time.monotonic()
        proc = subprocess.run(cmd, cwd=self.ws.work, env=self.ws.env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t
        if proc.returncode != 0:
            raise SystemExit(f"failed: {shell}\n{proc.stderr}")
        user, system, peak = proc.stderr.strip().splitlines()[-1].split()
        return wall, float(user) + float(system), int(peak)


def report_rows(path):
    """{(src, dst): sum} from a -z vpcflow report's table."""
    rows, table = {}, False
    with open(path) as f:
        for line in f:
            if line.startswith("---"):
                table = True
            elif table and not line.strip():
                break
            elif table:
                src, dst, total = line.split()
                rows[(src, dst)] = int(total)
    return rows


def plain_rows(path):
    rows = {}
    with open(path) as f:
        for line in f:
            src, dst, total = line.split()
            rows[(src, dst)] = int(total)
    return rows


def main():
    parser = argparse.ArgumentParser(description="-z vpcflow report engine cost by group count")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--groups", default="10,10000,800000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-duckdb", action="store_true")
    opts = parser.parse_args()
    group_counts = [int(g) for g in opts.groups.split(",")]
    if any(g < 1 or g > opts.records for g in group_counts):
        raise SystemExit("each group count must be from 1 to the number of records")

    ws = Wireshark()
    runner = Runner(ws)
    try:
        duckdb = None if opts.no_duckdb else ensure_duckdb()
        script = ws.write("duckdb-sum.js", DUCKDB_SCRIPT)
        commands = {
            "report": (f"tshark -r F -q -z '{SPEC}' > report.out", False),
            "tap": ("tshark -r F -q -z vpcflow,count > /dev/null", False),
            "floor": ("tshark -r F -q -z io,stat,0 > /dev/null", False),
            "read": ("tshark -r F -q > /dev/null", False),
            "awk": (f"zcat F | {AWK} > awk.out", False),
        }
        if duckdb:
            # node runs as the invoking user: the package lives in its home
            commands["duckdb"] = (f"node {script} {duckdb} F duckdb.out", True)
        awk = os.path.basename(os.path.realpath(shutil.which("awk")))
        print(f"tshark {ws.version}, awk is {awk}, {opts.records} records a file, median of {opts.runs} "
              f"alternating runs; wall s / CPU s / peak MB", flush=True)
        print(f"{'groups':>8} | {'report':>20} | {'tap':>20} | {'floor':>20} | {'read':>20} | "
              f"{'zcat | awk':>20} | {'duckdb':>20} | "
              f"{'report/awk':>13} | {'tap/awk':>13} | engine | B/group", flush=True)
        worst = {"ratio": 0.0, "tap": 0.0, "bytes": 0.0}
        for groups in group_counts:
            path = ws.path(f"groups-{groups}.log.gz")
            print(f"generating {opts.records} records, {groups} groups ...", file=sys.stderr, flush=True)
            write_flowlog(path, opts.records, groups)
            samples = {name: [] for name in commands}
            for _ in range(opts.runs):
                for name, (shell, privileged) in commands.items():
                    samples[name].append(runner.run(shell.replace(" F ", f" {path} "), privileged))
            expected = plain_rows(ws.path("awk.out"))
            if len(expected) != groups or report_rows(ws.path("report.out")) != expected or \
                    (duckdb and plain_rows(ws.path("duckdb.out")) != expected):
                raise SystemExit(f"{groups} groups: the sums disagree")
            med = {name: [statistics.median(s[i] for s in runs) for i in range(3)]
                   for name, runs in samples.items()}
            awk_cpu = max(med["awk"][1], 0.01)     # GNU time counts in hundredths
            wall_ratio = med["report"][0] / med["awk"][0]
            cpu_ratio = med["report"][1] / awk_cpu
            tap_wall = med["tap"][0] / med["awk"][0]
            tap_cpu = med["tap"][1] / awk_cpu
            # CPU time: on a shared machine wall time also counts the others' work
            engine = (med["report"][1] - med["tap"][1]) / max(med["report"][1], 0.01)
            per_group = (med["report"][2] - med["tap"][2]) * 1024 / groups
            worst["ratio"] = max(worst["ratio"], wall_ratio)
            worst["tap"] = max(worst["tap"], tap_wall)
            if groups >= 10000:         # below that the difference is page noise
                worst["bytes"] = max(worst["bytes"], per_group)

            def cell(name):
                if name not in med:
                    return f"{'-':>20}"
                wall, cpu, peak = med[name]
                return f"{wall:6.2f} {cpu:6.2f} {peak / 1024:6.1f}"
            bytes_cell = f"{per_group:7.0f}" if groups >= 10000 else f"{'-':>7}"
            print(f"{groups:8} | {cell('report')} | {cell('tap')} | {cell('floor')} | {cell('read')} | "
                  f"{cell('awk')} | {cell('duckdb')} | "
                  f"{wall_ratio:5.2f}x {cpu_ratio:5.2f}x | {tap_wall:5.2f}x {tap_cpu:5.2f}x | {engine:6.0%} | "
                  f"{bytes_cell}", flush=True)
            os.unlink(path)
        print("ratios: wall, then CPU; engine: (report - tap) / report in CPU time; "
              "B/group: (report - tap) peak RSS / groups")
        print(f"goal: report/awk <= 1.50 (worst {worst['ratio']:.2f}; tshark and the tap alone: worst "
              f"{worst['tap']:.2f}); <= 200 B/group beyond tshark's own (worst {worst['bytes']:.0f}, "
              f"from 10,000 groups up)")
    finally:
        ws.cleanup()


if __name__ == "__main__":
    main()
