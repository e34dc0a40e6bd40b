#!/usr/bin/python3
# Cost of opening a CSV query result in tshark, against the same records
# as an S3 text export.
#
# Generates the .log.gz of bench/flowlog_read.py (default format, header
# line), writes the same records in Athena's console shape (header and
# every value in double quotes, gzip'd like the text), then runs tshark on
# each, alternating, and prints medians and ratios for:
#
#   read     tshark -r FILE -Y vpcflow            (every record dissected)
#   two-pass tshark -2 -r FILE -Y vpcflow         (peak memory: GNU time %M)
#
# Usage: bench/csv_read.py [--records N] [--runs N]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import gzip
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, HERE)
from flowlog_read import compare, write_flowlog  # noqa: E402
from harness import Wireshark  # noqa: E402


def write_athena_csv(text, out):
    """The records of a text export as Athena's console writes a result: quoted names with underscores."""
    with gzip.open(text, "rt") as src, gzip.open(out, "wt", compresslevel=6) as dst:
        for i, line in enumerate(src):
            values = line.split()
            if i == 0:
                values = [v.replace("-", "_") for v in values]
            dst.write(",".join("" if v == "-" else f'"{v}"' for v in values) + "\n")


def main():
    parser = argparse.ArgumentParser(description="CSV query result vs text flow-log reading cost in tshark")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()

    ws = Wireshark()
    try:
        text, result = ws.path("bench.log.gz"), ws.path("bench.csv.gz")
        print(f"generating {opts.records} records ...", file=sys.stderr, flush=True)
        write_flowlog(text, opts.records)
        write_athena_csv(text, result)
        for p in (text, result):
            os.chmod(p, 0o644)
        print(f"tshark {ws.version}, {opts.records} records, text {os.path.getsize(text) / 1e6:.1f} MB, "
              f"CSV {os.path.getsize(result) / 1e6:.1f} MB (both gzip), median of {opts.runs} alternating runs",
              flush=True)
        compare(ws, "read", ["-r", result, "-Y", "vpcflow"], ["-r", text, "-Y", "vpcflow"], opts.runs)
        compare(ws, "two-pass", ["-2", "-r", result, "-Y", "vpcflow"], ["-2", "-r", text, "-Y", "vpcflow"], opts.runs)
        print("(\"flow log\" = the CSV result, \"pcap\" = the text export)")
    finally:
        ws.cleanup()


if __name__ == "__main__":
    main()
