# Parquet flow logs (issue 13): every row of files written by DuckDB,
# hyparquet-writer and pyarrow shows in tshark as hyparquet (a reader
# apart from ours) reads it; -2, the writer and the reports work through
# the one record builder; nested, foreign and damaged files say what is
# wrong. The files and hyparquet's rows come from tools/gen-parquet.py
# (pcaps/parquet/SOURCES.md).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import collections
import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import PCAPS
from harness import REPO
from tableref import MISSING, expected_cell

PARQUET = os.path.join(PCAPS, "parquet")
READABLE = ["duckdb-gzip-row-groups", "duckdb-v2-delta", "duckdb-snappy", "duckdb-zstd", "duckdb-uncompressed",
            "duckdb-hyphens-subset", "hyparquet-v2-snappy", "hyparquet-v2-uncompressed", "flowlogs-reader__flows"]
# Rows per row group, as each writer was asked for (tools/gen-parquet.mjs).
ROW_GROUP_ROWS = {"duckdb-gzip-row-groups": 2048, "hyparquet-v2-snappy": 256}
def parquet(name):
    return os.path.join(PARQUET, name + ".parquet")


def hyparquet_rows(name):
    with gzip.open(parquet(name) + ".hyparquet.json.gz", "rt") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def vpcflow_fields(ws):
    """Every vpcflow.* field name tshark knows."""
    out = ws.tshark("-G", "fields").stdout
    return {line.split("\t")[2] for line in out.splitlines() if line.startswith("F\t")
            and line.split("\t")[2].startswith("vpcflow.")}


def tshark_rows(ws, name, fields, *extra):
    path = ws.copy_in(parquet(name))
    return ws.fields(path, ["vpcflow.row", "vpcflow.row_group", "_ws.expert.message", *fields], *extra,
                     occurrence="a", aggregator="\x1f")


@pytest.mark.parametrize("name", READABLE)
def test_every_row_as_hyparquet_reads_it(ws, vpcflow_fields, name):
    expected = hyparquet_rows(name)
    cells = [[expected_cell(c, v, vpcflow_fields) for c, v in zip(expected["columns"], row)]
             for row in expected["rows"]]
    fields = sorted({f for row in cells for f, _ in row})
    got = tshark_rows(ws, name, fields)
    assert len(got) == len(expected["rows"]) > 0
    per_group = ROW_GROUP_ROWS.get(name, len(got))
    for i, (row, cell) in enumerate(zip(got, cells)):
        assert row[0] == str(i + 1) and row[1] == str(i // per_group), f"row {i + 1}"
        shown = dict(zip(fields, row[3:]))
        wanted = collections.defaultdict(list)
        for field, value in cell:
            if value is not None:
                wanted[field].append(value)
        for field in fields:
            values = wanted.get(field, [])
            if shown[field] != "\x1f".join(values):
                # a value the dissector refuses is flagged, naming its column, never dropped silently
                column = field.split(".", 1)[1]
                assert column in row[2], f"row {i + 1}, {field}: {shown[field]!r}, expected {values!r}"


WHERE_COLUMNS = ("interface_id", "tgw_attachment_id", "resource_id")


@pytest.mark.parametrize("name", READABLE)
def test_frame_time_and_interface_of_every_row(ws, name):
    """The frame's time is the row's start and its capture interface the
    row's interface (the first of interface_id, tgw_attachment_id,
    resource_id present), as for text: the reader hands the record builder
    where each value lies instead of having it split the row again."""
    expected = hyparquet_rows(name)
    columns = [c.replace("-", "_") for c in expected["columns"]]
    got = tshark_rows(ws, name, ["frame.time_epoch", "frame.interface_name"])
    assert len(got) == len(expected["rows"])
    with_time = 0
    for i, (row, values) in enumerate(zip(got, expected["rows"])):
        cell = {c: (None if v in MISSING else str(v)) for c, v in zip(columns, values)}
        if cell.get("start") is not None:
            assert row[3] == f"{int(cell['start'])}.000000000", f"row {i + 1}"
            with_time += 1
        where = next((cell[c] for c in WHERE_COLUMNS if cell.get(c) is not None), None)
        if where is not None:
            assert row[4] == where, f"row {i + 1}"
    assert with_time > 0


def test_real_sample_numbers_as_strings_and_none(ws):
    """pyarrow's file: ports and counts are strings, "None" is missing;
    frame time = start; one interface per ENI."""
    got = tshark_rows(ws, "flowlogs-reader__flows", ["frame.time_epoch", "frame.interface_name", "vpcflow.srcport",
                                                      "vpcflow.packets", "vpcflow.log_status"])
    assert [r[3:] for r in got] == [
        ["1439387263.000000000", "eni-102010ab", "443", "10", "OK"],
        ["1439387263.000000000", "eni-202010ab", "", "", "NODATA"],
        ["1439387263.000000000", "eni-202010ab", "80", "", "NODATA"],
    ]


def test_two_passes_and_random_access_agree(ws):
    """tshark -2 reads every record again by its position (row group, row)."""
    fields = ["vpcflow.row", "vpcflow.srcaddr", "vpcflow.bytes", "vpcflow.start", "frame.time_epoch"]
    for name in ("duckdb-gzip-row-groups", "hyparquet-v2-snappy"):
        path = ws.copy_in(parquet(name))
        one = ws.fields(path, fields)
        assert ws.fields(path, fields, "-2") == one
        # a filter on the second pass needs the rows of the last row group only
        last = ws.fields(path, fields, "-2", "-R", f"vpcflow.row >= {len(one) - 2}")
        assert last == one[-3:]


def test_writer_gives_text_with_a_header(ws):
    """-F vpcflow writes the rows as an S3 text export, which opens with the same fields."""
    name = "hyparquet-v2-uncompressed"
    expected = hyparquet_rows(name)
    out = ws.path("from-parquet.log")
    ws.tshark("-r", ws.copy_in(parquet(name)), "-w", out, "-F", "vpcflow")
    with open(out) as f:
        lines = f.read().splitlines()
    assert lines[0] == " ".join(c.replace("_", "-") for c in expected["columns"])
    assert lines[1:] == [" ".join("-" if v in MISSING else v for v in row) for row in expected["rows"]]


def test_report_sums_as_hyparquet_rows_do(ws):
    name = "duckdb-gzip-row-groups"
    expected = hyparquet_rows(name)
    action, size = expected["columns"].index("action"), expected["columns"].index("bytes")
    sums = collections.Counter()
    for row in expected["rows"]:
        sums[row[action] or "-"] += int(row[size] or 0)
    out = ws.tshark("-r", ws.copy_in(parquet(name)), "-q", "-z", "vpcflow,sum,bytes,by=action").stdout
    shown = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            shown[parts[0]] = int(parts[1])
    assert shown == dict(sums)
    assert "2500 records" in out


@pytest.mark.parametrize("name,message", [
    ("duckdb-nested", 'column "src_endpoint" is a group (a struct, list or map): nested schemas are not supported'),
    ("duckdb-not-flowlog", "has no flow-log column (its columns: a b)"),
])
def test_refused_with_a_message(ws, name, message):
    proc = ws.tshark("-r", ws.copy_in(parquet(name)), check=False)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert proc.stdout == ""


def test_damaged_row_group_keeps_the_rows_before(ws):
    path = ws.copy_in(parquet("duckdb-damaged-row-group-1"))
    proc = ws.tshark("-r", path, "-T", "fields", "-e", "vpcflow.row", check=False)
    assert proc.stdout.split() == [str(i) for i in range(1, 2049)]
    assert "cannot be read from row 2049 on (row group 1: column \"version\"" in proc.stderr
    assert "the 2048 rows before it were read" in proc.stderr


def test_truncated_file_says_so(ws):
    with open(parquet("duckdb-snappy"), "rb") as f:
        data = f.read()
    path = ws.write("cut.parquet", data[: len(data) // 2])
    proc = ws.tshark("-r", path, check=False)
    assert "does not end with \"PAR1\": it is truncated" in proc.stderr
    assert f"it ends at byte {len(data) // 2} without the footer" in proc.stderr
    assert proc.stdout == ""


def test_encrypted_file_says_so(ws):
    with open(parquet("duckdb-snappy"), "rb") as f:
        data = f.read()
    proc = ws.tshark("-r", ws.write("encrypted.parquet", data[:-4] + b"PARE"), check=False)
    assert "the Parquet file is encrypted" in proc.stderr and proc.stdout == ""


def test_footer_length_past_the_start(ws):
    with open(parquet("duckdb-snappy"), "rb") as f:
        data = bytearray(f.read())
    data[-8:-4] = (len(data) + 100).to_bytes(4, "little")
    proc = ws.tshark("-r", ws.write("long-footer.parquet", bytes(data)), check=False)
    assert "footer length" in proc.stderr and "past the start of the file" in proc.stderr


def test_committed_rows_are_what_hyparquet_reads(tmp_path):
    """The expected rows were written by hyparquet; read the files again
    with it when node and the packages are at hand."""
    sys.path.insert(0, os.path.join(REPO, "tools"))
    import node_packages
    modules = node_packages.NODE_MODULES
    if not shutil.which("node") or not all(os.path.isdir(node_packages.package_dir(p))
                                           for p in ("hyparquet", "hyparquet-compressors")):
        pytest.skip("node or hyparquet not installed (tools/gen-parquet.py installs them)")
    for name in READABLE:
        out = subprocess.run(["node", os.path.join(REPO, "tools", "parquet-rows.mjs"), modules, parquet(name)],
                             check=True, capture_output=True, text=True).stdout
        assert json.loads(out) == hyparquet_rows(name), name
