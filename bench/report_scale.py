#!/usr/bin/python3
# A day of flow logs (issue 4 scale goal): 10,000,000 records in 10 S3
# files, summed by source address three ways, side by side:
#
#   tshark     one pass over the files concatenated (cat *.log.gz: gzip
#              members back to back, a header line in each), -q -z report
#   parallel   the same per file, 2 at a time (xargs -P2), partial sums
#              added up with awk: the fan-out the README documents
#   awk        zcat | awk doing the same sum, the baseline
#
# For each: wall time and peak memory (GNU time). The three top-10 lists
# must agree, or the script fails.
#
# Usage: bench/report_scale.py [--records N] [--files N] [--hosts N]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import gzip
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from harness import Wireshark  # noqa: E402

HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
T0 = 1664150400                 # 2022-09-26 00:00 UTC
SPEC = "vpcflow,sum,bytes,by=srcaddr"
AWK_SUM = "awk '$1 != \"version\" && $10 != \"-\" {s[$4] += $10} END {for (a in s) print a, s[a]}'"


def write_files(folder, records, files, hosts, seed=11):
    rng = random.Random(seed)
    addrs = [f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(hosts)]
    remote = [f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
              for _ in range(hosts)]
    enis = [f"eni-{rng.getrandbits(68):017x}" for _ in range(max(1, hosts // 10))]
    paths = []
    per_file = records // files
    for n in range(files):
        path = os.path.join(folder, f"123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T{n:02d}00Z_{n:08x}.log.gz")
        with gzip.open(path, "wt", compresslevel=4) as f:
            f.write(HEADER + "\n")
            for i in range(per_file):
                start = T0 + (n * per_file + i) * 86400 // records
                pkts = rng.randint(1, 400)
                f.write(f"2 123456789012 {rng.choice(enis)} {rng.choice(addrs)} {rng.choice(remote)} "
                        f"{rng.randint(1024, 65535)} 443 6 {pkts} {pkts * rng.randint(40, 1500)} "
                        f"{start} {start + 59} ACCEPT OK\n")
        os.chmod(path, 0o644)
        paths.append(path)
    return paths


def timed(ws, shell):
    """Run a shell command (as the unprivileged tools user); wall seconds, peak kB, stdout."""
    cmd = ws.command("/usr/bin/time", "-f", "%M", "bash", "-c", shell)
    t = time.monotonic()
    proc = subprocess.run(cmd, cwd=ws.work, env=ws.env(), capture_output=True, text=True)
    elapsed = time.monotonic() - t
    if proc.returncode != 0:
        raise SystemExit(f"failed: {shell}\n{proc.stderr}")
    return elapsed, int(proc.stderr.strip().splitlines()[-1]), proc.stdout


def top10(pairs):
    return sorted(pairs, key=lambda p: (-p[1], p[0]))[:10]


def parse_report(text):
    rows, table = [], False
    for line in text.splitlines():
        if line.startswith("---"):
            table = True
        elif table and line.strip() and not line.startswith("="):
            parts = line.split()
            if len(parts) == 2:
                rows.append((parts[0], int(parts[1])))
        elif table and not line.strip():
            table = False
    return rows


def main():
    parser = argparse.ArgumentParser(description="10M flow records: tshark report vs zcat|awk")
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--hosts", type=int, default=5000)
    opts = parser.parse_args()

    ws = Wireshark()
    try:
        print(f"generating {opts.records} records in {opts.files} files ...", file=sys.stderr, flush=True)
        paths = write_files(ws.work, opts.records, opts.files, opts.hosts)
        names = " ".join(os.path.basename(p) for p in paths)
        subprocess.run(f"cat {names} > all.log.gz && chmod 644 all.log.gz", shell=True, cwd=ws.work, check=True)
        size = sum(os.path.getsize(p) for p in paths)

        t_ts, m_ts, out = timed(ws, f"tshark -r all.log.gz -q -z '{SPEC}'")
        ts_rows = parse_report(out)
        t_par, m_par, out = timed(ws, f"ls {names} | xargs -P2 -I{{}} tshark -r {{}} -q -z '{SPEC}' | "
                                      "awk 'NF == 2 && $2 ~ /^[0-9]+$/ {s[$1] += $2} END {for (a in s) print a, s[a]}'")
        par_rows = [(line.split()[0], int(line.split()[1])) for line in out.splitlines()]
        t_awk, m_awk, out = timed(ws, f"zcat all.log.gz | {AWK_SUM}")
        awk_rows = [(line.split()[0], int(line.split()[1])) for line in out.splitlines()]

        if not (top10(ts_rows) == top10(par_rows) == top10(awk_rows)) or len(ts_rows) != len(awk_rows):
            raise SystemExit("the three sums disagree")
        print(f"{opts.records} records, {opts.files} files, {size / 2**20:.0f} MiB gzip, {len(awk_rows)} sources; "
              f"all three top-10 lists agree")
        print(f"tshark one pass   {t_ts:7.1f} s  {m_ts / 1024:7.1f} MB peak")
        print(f"tshark 2 parallel {t_par:7.1f} s  {m_par / 1024:7.1f} MB peak (largest process)")
        print(f"zcat | awk        {t_awk:7.1f} s  {m_awk / 1024:7.1f} MB peak")
        print(f"tshark/awk time {t_ts / t_awk:.1f}x one pass, {t_par / t_awk:.1f}x parallel")
    finally:
        ws.cleanup()


if __name__ == "__main__":
    main()
