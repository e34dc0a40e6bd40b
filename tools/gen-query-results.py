#!/usr/bin/python3
# Generate the CSV query results in pcaps/query-results: what Athena's
# console, Trino's CLI and DuckDB give when one narrows flow logs with SQL
# and downloads the answer (docs/query-results.md).
#
# DuckDB (npm @duckdb/node-api, a writer that is not vpcshark's) runs
# queries over the records of pcaps/parquet/duckdb-gzip-row-groups.parquet
# (tools/gen-parquet.py) and writes (tools/gen-query-results.mjs):
#
#   athena-console.csv          Athena's console shape (header and every value
#                               quoted, empty for null): SELECT * with the
#                               partition column day
#   duckdb-top-talkers.csv      DuckDB's shape (quotes only where needed): a
#                               grouped subset, reordered, with sums and count(*) AS n
#   duckdb-hyphens-note.csv.gz  gzip, hyphenated names, a text column with
#                               commas, quotes and line breaks
#   not-flowlog-releases.csv    an ordinary CSV with version/action/start/end/bytes
#                               columns: not a flow-log result, not claimed
#
# and this script writes one file by hand:
#
#   bad-rows.csv                byte order mark, CRLF, rows with too few and too
#                               many values, a blank line, a row spanning lines,
#                               and a quoted value the file ends inside
#
# The tests read every file again with Python's csv module.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import node_packages  # noqa: E402

PACKAGES = ("@duckdb/node-api@1.5.6-r.1",)
OUT = os.path.join(REPO, "pcaps", "query-results")
RECORDS = os.path.join(REPO, "pcaps", "parquet", "duckdb-gzip-row-groups.parquet")

BAD_ROWS = (
    b'\xef\xbb\xbf"srcaddr","dstaddr","srcport","dstport","action","bytes","start","end","note"\r\n'
    b'"10.0.1.10","203.0.113.7","443","50000","ACCEPT","5200","1664194201","1664194260","ok"\r\n'
    b'"10.0.1.11","203.0.113.8","443"\r\n'                                          # too few values
    b'"10.0.1.12","203.0.113.9","443","50001","ACCEPT","10","1664194202","1664194261","ok","extra"\r\n'
    b'\r\n'                                                                         # blank: skipped
    b'"10.0.1.13","203.0.113.10","22","50002","REJECT",,"1664194203","1664194262","two\r\nlines"\r\n'
    b'"10.0.1.14","203.0.113.11","22","50003","REJECT","40","1664194204","1664194263","ok"\r\n'
    b'"10.0.1.15","203.0.113.12","22","50004","ACCEPT","60","1664194205","1664194264","never\r\nclosed'
)


def main():
    modules = node_packages.ensure(*PACKAGES)
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["node", os.path.join(REPO, "tools", "gen-query-results.mjs"), modules, RECORDS, OUT], check=True)
    with open(os.path.join(OUT, "bad-rows.csv"), "wb") as f:
        f.write(BAD_ROWS)
    for name in sorted(os.listdir(OUT)):
        if name != "SOURCES.md":
            print(f"{os.path.getsize(os.path.join(OUT, name)):8d}  pcaps/query-results/{name}")


if __name__ == "__main__":
    main()
