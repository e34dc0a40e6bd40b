# CSV query results (issue 13): what Athena's console, Trino's CLI and
# DuckDB write when flow logs are narrowed with SQL opens as flow records.
# Every row of the samples (pcaps/query-results, written by DuckDB: see
# tools/gen-query-results.py) shows in tshark as Python's csv module reads
# the same file; -2, the writer and the reports work through the one
# record builder; bad rows are flagged frames naming line and column; an
# ordinary CSV is not claimed.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import collections
import csv
import gzip
import io
import os

import pytest

from conftest import PCAPS
from harness import field_time_utc, tshark_exit_invalid_file
from tableref import expected_cell

RESULTS = os.path.join(PCAPS, "query-results")
READABLE = ["athena-console.csv", "duckdb-top-talkers.csv", "duckdb-hyphens-note.csv.gz"]
NOT_CLAIMED = "isn't a capture file in a format TShark understands"


def result(name):
    return os.path.join(RESULTS, name)


def python_rows(name):
    """(header, [(first line, values)]) as Python's csv module reads the file."""
    opener = gzip.open if name.endswith(".gz") else open
    with opener(result(name), "rt", newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        line = reader.line_num
        for values in reader:
            if values:                      # blank lines are skipped
                rows.append((line + 1, values))
            line = reader.line_num
    return header, rows


@pytest.fixture(scope="module")
def vpcflow_fields(ws):
    out = ws.tshark("-G", "fields").stdout
    return {line.split("\t")[2] for line in out.splitlines() if line.startswith("F\t")
            and line.split("\t")[2].startswith("vpcflow.")}


def assert_rows_as_python_reads(ws, vpcflow_fields, path, rows):
    """Each frame of path shows its row of rows, (line, header, values), as tableref maps it."""
    cells = [[expected_cell(c, v, vpcflow_fields) for c, v in zip(header, values)] for _, header, values in rows]
    fields = sorted({f for row in cells for f, _ in row})
    got = ws.fields(path, ["vpcflow.line", "frame.time_epoch", "_ws.expert.message", *fields],
                    occurrence="a", aggregator="\x1f")
    assert len(got) == len(rows) > 0
    for (line, header, values), cell, row in zip(rows, cells, got):
        assert row[0] == str(line)
        start = values[header.index("start")]
        assert row[1] == (f"{start}.000000000" if start else "0.000000000"), f"line {line}"
        shown = dict(zip(fields, row[3:]))
        wanted = collections.defaultdict(list)
        for field, value in cell:
            if value is not None:
                wanted[field].append(value)
        for field in fields:
            assert shown[field] == "\x1f".join(wanted.get(field, [])), f"line {line}, {field}"
        assert "Malformed" not in row[2], f"line {line}: {row[2]}"


@pytest.mark.parametrize("name", READABLE)
def test_every_row_as_python_csv_reads_it(ws, vpcflow_fields, name):
    header, rows = python_rows(name)
    assert_rows_as_python_reads(ws, vpcflow_fields, ws.copy_in(result(name)),
                                [(line, header, values) for line, values in rows])


def test_results_joined_end_to_end(ws, vpcflow_fields):
    """cat a.csv b.csv: the second header is no record, and the rows after it take
    its columns (other ones here: 26 columns, then 9 with a count "n")."""
    first, second = "athena-console.csv", "duckdb-top-talkers.csv"
    with open(result(first), "rb") as a, open(result(second), "rb") as b:
        text_a, text_b = a.read(), b.read()
    path = ws.path("joined.csv")
    with open(path, "wb") as f:
        f.write(text_a + b"\xef\xbb\xbf" + text_b)      # the second one with a byte order mark
    lines_a = text_a.count(b"\n")
    header_a, rows_a = python_rows(first)
    header_b, rows_b = python_rows(second)
    assert header_a != header_b
    expected = [(line, header_a, values) for line, values in rows_a] + \
        [(lines_a + line, header_b, values) for line, values in rows_b]
    assert_rows_as_python_reads(ws, vpcflow_fields, path, expected)
    # random access takes each row's own header too
    fields = ["vpcflow.line", "vpcflow.srcaddr", "vpcflow.interface_id", "vpcflow.unknown_field"]
    assert ws.fields(path, fields, "-2") == ws.fields(path, fields)


def test_rows_spanning_lines_keep_their_first_line(ws):
    """A value with a line break is one record; the next record's line counts both lines."""
    header, rows = python_rows("duckdb-hyphens-note.csv.gz")
    spanning = [line for line, values in rows if "\n" in values[header.index("note")]]
    assert spanning
    got = ws.fields(ws.copy_in(result("duckdb-hyphens-note.csv.gz")), ["vpcflow.line"])
    assert [r[0] for r in got] == [str(line) for line, _ in rows]
    assert int(got[-1][0]) == len(rows) + 1 + len(spanning)


def test_frame_time_and_interfaces(ws):
    """Frame time = start; one capture interface per ENI, as for text."""
    header, rows = python_rows("athena-console.csv")
    eni = header.index("interface_id")
    got = ws.fields(ws.copy_in(result("athena-console.csv")), ["frame.time", "frame.interface_name"], "-t", "ud")
    assert [r[1] for r in got] == [values[eni] for _, values in rows]
    start = header.index("start")
    assert [r[0] for r in ws.fields(ws.copy_in(result("athena-console.csv")), ["vpcflow.start"])] == \
        [field_time_utc(int(values[start])) for _, values in rows]


@pytest.mark.parametrize("name", READABLE)
def test_two_passes_and_random_access_agree(ws, name):
    fields = ["vpcflow.line", "vpcflow.srcaddr", "vpcflow.bytes", "vpcflow.start", "vpcflow.unknown_field",
              "frame.time_epoch"]
    path = ws.copy_in(result(name))
    one = ws.fields(path, fields)
    assert ws.fields(path, fields, "-2") == one
    last = ws.fields(path, fields, "-2", "-R", f"vpcflow.line >= {one[-3][0]}")
    assert last == one[-3:]


def test_writer_gives_text_with_a_header(ws):
    """-F vpcflow writes the rows as an S3 text export: names with hyphens, "-" for empty."""
    header, rows = python_rows("duckdb-top-talkers.csv")
    out = ws.path("from-csv.log")
    ws.tshark("-r", ws.copy_in(result("duckdb-top-talkers.csv")), "-w", out, "-F", "vpcflow")
    with open(out) as f:
        lines = f.read().splitlines()
    assert lines[0] == " ".join(c.replace("_", "-") for c in header)
    assert lines[1:] == [" ".join(v or "-" for v in values) for _, values in rows]
    fields = ["vpcflow.srcaddr", "vpcflow.bytes", "vpcflow.unknown_field"]
    assert ws.fields(out, fields) == ws.fields(ws.copy_in(result("duckdb-top-talkers.csv")), fields)


def test_report_sums_as_python_does(ws):
    header, rows = python_rows("athena-console.csv")
    action, size = header.index("action"), header.index("bytes")
    sums = collections.Counter()
    for _, values in rows:
        sums[values[action] or "-"] += int(values[size] or 0)
    out = ws.tshark("-r", ws.copy_in(result("athena-console.csv")), "-q", "-z", "vpcflow,sum,bytes,by=action").stdout
    shown = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            shown[parts[0]] = int(parts[1])
    assert shown == dict(sums)
    assert f"{len(rows)} records" in out


def test_bad_rows_are_flagged_never_lost(ws):
    """bad-rows.csv: BOM, CRLF, too few and too many values, a blank line,
    a row spanning lines, a quoted value the file ends inside."""
    got = ws.fields(ws.copy_in(result("bad-rows.csv")),
                    ["vpcflow.line", "vpcflow.srcaddr", "vpcflow.unknown_field", "_ws.col.Info"])
    lines = [r[0] for r in got]
    assert lines == ["2", "3", "4", "6", "8", "9"]
    assert got[0][1:3] == ["10.0.1.10", "ok"]
    assert got[1][3] == "Malformed CSV: line 3: 3 values where the header names 9 columns"
    assert got[2][3] == "Malformed CSV: line 4: 10 values where the header names 9 columns"
    assert got[3][1:3] == ["10.0.1.13", "two%0D%0Alines"]
    assert got[4][1:3] == ["10.0.1.14", "ok"]
    assert got[5][3] == ("Malformed CSV: line 9, column 9: the file ends inside this quoted value "
                         "(truncated, or a quote is missing)")


@pytest.mark.parametrize("header", [
    "id,name,version,action,start,end,bytes",               # releases: generic words only
    "instance_id,vpc_id,subnet_id,account_id,region,az_id,type",   # an inventory of instances
    "srcaddr,total",                                         # one flow-log column is not enough
    "version,notes",
    "a,b,c",
])
def test_other_csv_is_not_claimed(ws, header):
    path = ws.write("other.csv", header + "\n" + ",".join(str(i) for i in range(header.count(",") + 1)) + "\n")
    proc = ws.tshark("-r", path, check=False)
    assert proc.returncode == tshark_exit_invalid_file() and NOT_CLAIMED in proc.stderr


def test_committed_ordinary_csv_is_not_claimed(ws):
    proc = ws.tshark("-r", ws.copy_in(result("not-flowlog-releases.csv")), check=False)
    assert proc.returncode == tshark_exit_invalid_file() and NOT_CLAIMED in proc.stderr


@pytest.mark.parametrize("header", ['"srcaddr","bytes"', "dstaddr,dstport,n", "log-status,interface-id",
                                    "SRCADDR,DSTADDR"])
def test_two_flow_log_columns_are_enough(ws, header):
    path = ws.write("small.csv", header + "\n" + ",".join(["10.0.0.1"] * (header.count(",") + 1)) + "\n")
    assert len(ws.fields(path, ["vpcflow.line"])) == 1


def test_truncated_gzip_keeps_the_rows_before(ws):
    with open(result("duckdb-hyphens-note.csv.gz"), "rb") as f:
        data = f.read()
    path = ws.write("cut.csv.gz", data[: len(data) // 2])
    proc = ws.tshark("-r", path, "-T", "fields", "-e", "vpcflow.line", check=False)
    lines = [int(x) for x in proc.stdout.split()]
    assert lines and lines == sorted(lines) and lines[0] == 2
    assert "the file ends in the middle of its compressed data, after line" in proc.stderr


def test_hostile_rows_in_bounded_memory(ws):
    """A 40 MB quoted value and a row of 2,000,000 columns: cut and
    counted, flagged, and the rows after them read."""
    good = b'"10.0.0.1","10.0.0.2","443"\n'
    data = (b'srcaddr,dstaddr,dstport\n' + b'"10.0.0.1","' + b'x,"",\n' * 8_000_000 + b'","443"\n' + good +
            b'1,' * 2_000_000 + b'1\n' + good)
    path = ws.write("hostile.csv", data)
    got = ws.fields(path, ["vpcflow.line", "vpcflow.srcaddr", "_ws.expert.message"], "-t", "ud")
    assert [r[0] for r in got] == ["2", "8000003", "8000004", "8000005"]
    assert "only the first" in got[0][2]
    assert got[1][1] == "10.0.0.1" and got[3][1] == "10.0.0.1"
    assert "line 8000004: 2000001 values where the header names 3 columns" in got[2][2]
