#!/usr/bin/python3
# Cost of opening a Parquet flow log in tshark, against the same records
# as an S3 text export (issue 13 goals: time <= 1.0x the text, memory
# <= 1.2x).
#
# Generates the 1,000,000-record .log.gz of bench/flowlog_read.py (default
# format, header line), has DuckDB (npm @duckdb/node-api, installed under
# ~/.cache/vpcshark/node when missing) write the same records as Parquet in
# AWS's layout (AWS's column names and types, GZIP), then runs tshark on
# each, alternating, and prints medians and ratios for:
#
#   read     tshark -r FILE -Y vpcflow            (every record dissected)
#   two-pass tshark -2 -r FILE -Y vpcflow         (peak memory: GNU time %M)
#   random   tshark -2 -r FILE -Y <filter>        (second pass = random access)
#
# Usage: bench/parquet_read.py [--records N] [--runs N] [--row-group N]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
sys.path.insert(0, HERE)
from flowlog_read import compare, write_flowlog  # noqa: E402
from harness import Wireshark  # noqa: E402
import node_packages  # noqa: E402

DUCKDB_PACKAGE = "@duckdb/node-api"
# AWS's Parquet columns and types (VPC user guide) for the 14 default fields.
COLUMNS = ("version INTEGER, account_id VARCHAR, interface_id VARCHAR, srcaddr VARCHAR, dstaddr VARCHAR, "
           "srcport INTEGER, dstport INTEGER, protocol INTEGER, packets BIGINT, bytes BIGINT, start BIGINT, "
           '"end" BIGINT, action VARCHAR, log_status VARCHAR')
TO_PARQUET = r"""
const { DuckDBInstance } = require(process.argv[2]);
const [src, dst, rowGroup] = process.argv.slice(3);
(async () => {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const names = `%s`.split(', ').map((c) => c.split(' ')[0]);
    const types = `%s`.split(', ').map((c) => c.split(' ').slice(1).join(' '));
    const columns = names.map((n, i) => `'${n.replace(/"/g, '')}': '${types[i]}'`).join(', ');
    await con.run(`COPY (SELECT * FROM read_csv('${src}', delim = ' ', header = true, columns = {${columns}}))
                   TO '${dst}' (FORMAT PARQUET, COMPRESSION GZIP, ROW_GROUP_SIZE ${rowGroup})`);
})();
""" % (COLUMNS, COLUMNS)


def main():
    parser = argparse.ArgumentParser(description="Parquet vs text flow-log reading cost in tshark")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--row-group", type=int, default=122_880, help="rows per row group (DuckDB's default)")
    opts = parser.parse_args()

    node_packages.ensure(DUCKDB_PACKAGE)
    ws = Wireshark()
    try:
        text = ws.path("bench.log.gz")
        parquet = ws.path("bench.log.parquet")
        print(f"generating {opts.records} records ...", file=sys.stderr, flush=True)
        write_flowlog(text, opts.records)
        script = ws.write("to-parquet.js", TO_PARQUET)
        subprocess.run(["node", script, node_packages.package_dir(DUCKDB_PACKAGE), text, parquet,
                        str(opts.row_group)], check=True)
        for p in (text, parquet):
            os.chmod(p, 0o644)
        print(f"tshark {ws.version}, {opts.records} records, text {os.path.getsize(text) / 1e6:.1f} MB, "
              f"Parquet {os.path.getsize(parquet) / 1e6:.1f} MB (GZIP, row groups of {opts.row_group}), "
              f"median of {opts.runs} alternating runs", flush=True)
        results = [
            compare(ws, "read", ["-r", parquet, "-Y", "vpcflow"], ["-r", text, "-Y", "vpcflow"], opts.runs),
            compare(ws, "two-pass", ["-2", "-r", parquet, "-Y", "vpcflow"], ["-2", "-r", text, "-Y", "vpcflow"],
                    opts.runs),
            compare(ws, "random", ["-2", "-r", parquet, "-Y", "vpcflow.dstport == 22"],
                    ["-2", "-r", text, "-Y", "vpcflow.dstport == 22"], opts.runs),
        ]
        print("(\"flow log\" = Parquet, \"pcap\" = the text export)")
        print(f"goal: time ratio <= 1.00 (worst {max(r[0] for r in results):.2f}), memory ratio <= 1.20 "
              f"(worst {max(r[1] for r in results):.2f})")
    finally:
        ws.cleanup()


if __name__ == "__main__":
    main()
