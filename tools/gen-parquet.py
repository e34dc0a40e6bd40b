#!/usr/bin/python3
# Generate the Parquet flow logs in pcaps/parquet with two writers that
# are not vpcshark's and not each other's:
#
#   DuckDB (npm @duckdb/node-api): version 1 data pages, dictionary and
#     PLAIN encodings (DELTA with its version 2), every codec
#       duckdb-gzip-row-groups.parquet  AWS's layout: AWS's columns and types, GZIP,
#                                       2500 rows in 3 row groups
#       duckdb-snappy.parquet, duckdb-zstd.parquet, duckdb-uncompressed.parquet
#                                       the first 200 rows
#       duckdb-v2-delta.parquet         the first 200 rows, ZSTD, its PARQUET_VERSION V2: DELTA_BINARY_PACKED
#                                       and DELTA_LENGTH_BYTE_ARRAY values
#       duckdb-hyphens-subset.parquet   hyphenated names, another order, a subset,
#                                       and two columns that are no flow-log field
#       duckdb-nested.parquet           a struct and a list column (refused)
#       duckdb-not-flowlog.parquet      no flow-log column (refused)
#       duckdb-damaged-row-group-1.parquet  row group 1 of the first, zeroed in part
#   hyparquet-writer (npm): version 2 data pages
#       hyparquet-v2-snappy.parquet     600 rows, SNAPPY, row groups of 256
#       hyparquet-v2-uncompressed.parquet  the 14 default fields, uncompressed
#
# The records are made by tools/gen-parquet.mjs from a fixed seed.
#
# Then every .parquet file of pcaps/parquet (these and the ones copied in,
# see SOURCES.md there) is read with hyparquet (npm, a third reader):
# <name>.hyparquet.json.gz holds its rows as hyparquet gives them, what
# the tests expect tshark to show (tools/parquet-rows.mjs). The tests
# need no node; test_parquet.py reads the files again with hyparquet when
# node is there.
#
# The npm packages are installed under ~/.cache/vpcshark/node when missing.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import gzip
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import node_packages  # noqa: E402

PACKAGES = ("@duckdb/node-api@1.5.6-r.1", "hyparquet-writer@0.17.0", "hyparquet@1.33.0", "hyparquet-compressors@1.1.2")
OUT = os.path.join(REPO, "pcaps", "parquet")


def hyparquet_rows(modules, path):
    """The rows of a Parquet file as hyparquet reads them (JSON text)."""
    return subprocess.run(["node", os.path.join(REPO, "tools", "parquet-rows.mjs"), modules, path], check=True,
                          capture_output=True, text=True).stdout


def main():
    modules = node_packages.ensure(*PACKAGES)
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["node", os.path.join(REPO, "tools", "gen-parquet.mjs"), modules, OUT], check=True)
    for name in sorted(os.listdir(OUT)):
        # hyparquet reads nested rows as objects, and damaged files not at all
        if name.endswith(".parquet") and not any(w in name for w in ("nested", "damaged", "not-flowlog")):
            path = os.path.join(OUT, name)
            with open(path + ".hyparquet.json.gz", "wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
                    f.write(hyparquet_rows(modules, path).encode())
            print(f"{os.path.getsize(path):8d}  pcaps/parquet/{name}")


if __name__ == "__main__":
    main()
