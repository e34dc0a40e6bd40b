# -z vpcflow,...,sql=athena: the query a report prints, run in DuckDB over
# the same records, gives the report's rows, in the report's order.
#
# The records reach DuckDB apart from vpcshark: this file reads the
# flow-log text itself (header line or the default format) into a CSV
# that DuckDB loads with the types of AWS's Athena DDL, and DuckDB reads
# the Parquet sample with its own reader. Text tables are loaded twice, as
# Athena reads them: a text table keeps "-" in string columns (ints are
# NULL), a Parquet table has NULL everywhere a value is missing.
#
# The queries are Athena's (Trino) dialect and run in DuckDB unchanged:
# every construct they use (COALESCE, NULLIF, CAST AS varchar, strpos,
# NULLS LAST, ordinals in GROUP BY / ORDER BY, "quoted" names, -- comments)
# means the same in both. The one adaptation is the table: it is called
# vpc_flow_logs here too, without AWS's partition column "date" (the query
# names it only in a comment).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import csv
import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

from harness import REPO

sys.path.insert(0, os.path.join(REPO, "tools"))
import node_packages  # noqa: E402

# AWS's Athena DDL for VPC flow logs (versions 2 to 5), in its order.
DDL = [("version", "INTEGER"), ("account_id", "VARCHAR"), ("interface_id", "VARCHAR"), ("srcaddr", "VARCHAR"),
       ("dstaddr", "VARCHAR"), ("srcport", "INTEGER"), ("dstport", "INTEGER"), ("protocol", "BIGINT"),
       ("packets", "BIGINT"), ("bytes", "BIGINT"), ("start", "BIGINT"), ("end", "BIGINT"), ("action", "VARCHAR"),
       ("log_status", "VARCHAR"), ("vpc_id", "VARCHAR"), ("subnet_id", "VARCHAR"), ("instance_id", "VARCHAR"),
       ("tcp_flags", "INTEGER"), ("type", "VARCHAR"), ("pkt_srcaddr", "VARCHAR"), ("pkt_dstaddr", "VARCHAR"),
       ("region", "VARCHAR"), ("az_id", "VARCHAR"), ("sublocation_type", "VARCHAR"), ("sublocation_id", "VARCHAR"),
       ("pkt_src_aws_service", "VARCHAR"), ("pkt_dst_aws_service", "VARCHAR"), ("flow_direction", "VARCHAR"),
       ("traffic_path", "INTEGER")]
COLUMNS = [name for name, _ in DDL]
DEFAULT_FORMAT = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
                  "start end action log-status").split()

WORKSHOP = os.path.join(REPO, "pcaps", "demo",
                        "123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")
# Headerless default-format samples: NODATA and SKIPDATA, IPv6, ICMP, REJECT.
DEFAULT_SAMPLES = ["awsdocs-vpc__accepted-rejected-default.log", "awsdocs-vpc__nodata-skipdata-default.log",
                   "awsdocs-vpc__ipv6-default.log", "awsdocs-vpc__sg-nacl-icmp-default.log"]
PARQUET = os.path.join(REPO, "pcaps", "parquet", "duckdb-gzip-row-groups.parquet")

FILTERS = [
    'vpcflow.action == "REJECT" && vpcflow.protocol == 6 && vpcflow.dstport == 22',
    'vpcflow.action != "REJECT"',
    'vpcflow.log_status != "OK"',
    'vpcflow.bytes > 1000',
    'vpcflow.bytes >= 1000 && vpcflow.packets <= 10',
    'vpcflow.dstport < 1024 || vpcflow.srcport lt 1024',
    'vpcflow.srcport ge 1024 and vpcflow.protocol eq 6',
    'vpcflow.srcaddr == 10.0.1.10',
    'vpcflow.srcaddr != 10.0.1.10',
    'vpcflow.dstaddr ne 172.31.16.139',
    '!(vpcflow.bytes > 100)',
    'not vpcflow.bytes',
    'vpcflow.tcp_flags',
    'vpcflow.dstport in {22, 80, 443}',
    'vpcflow.action in {"ACCEPT", "REJECT"}',
    '(vpcflow.action == "ACCEPT" || vpcflow.protocol == 17) && vpcflow.flow_direction == "egress"',
    'vpcflow.interface_id > "eni-0b" && vpcflow.interface_id <= "eni-1"',
    'vpcflow.protocol == 0x6',
    'vpcflow.action == "NONE OF THESE"',
    '!(vpcflow.action == "ACCEPT")',
    'vpcflow.srcaddr == 10.0.0.0/8',
    'vpcflow.dstaddr != 10.0.0.0/23',
    'vpcflow.srcaddr == 203.0.113.0/25 || vpcflow.pkt_dstaddr == 52.219.0.0/16',
    '!(vpcflow.srcaddr == 172.16.0.0/12)',
    'vpcflow',
    # times, as the display filter reads them (the workshop's records start from 12:10:01 to 12:19:11 UTC)
    'vpcflow.start >= "2022-09-26 12:15:05Z"',
    'vpcflow.end < "2022-09-26T14:16:40+02:00"',
    'vpcflow.start > "Sep 26, 2022 12:15:04.5 UTC"',
    'vpcflow.start == "2022-09-26 12:15:05 UTC" || vpcflow.end <= "2022-09-26 09:12:30-0300"',
    'vpcflow.start in {"2022-09-26 12:12Z".."2022-09-26T12:15:05Z", "2022-09-26 12:19:11Z"}',
    '!(vpcflow.start < "2022-09-26 12:17Z")',
    # sets with ranges and networks
    'vpcflow.dstport in {22, 1024..65535}',
    'vpcflow.srcport in {0..1023}',
    'vpcflow.srcaddr in {10.0.0.0/16, 203.0.113.5}',
    'vpcflow.dstaddr in {10.0.1.0..10.0.1.20, 172.16.0.0/12}',
    '!(vpcflow.srcaddr in {10.0.0.0/16})',
]

REPORTS = [
    "count",
    "count,by=action",
    "count,by=srcaddr;dstaddr",
    "count,by=log_status;action,sort=asc",
    "sum,bytes",
    "sum,bytes,by=srcaddr,top=5",
    "sum,bytes,by=srcaddr;dstaddr;flow_direction,top=2",
    "sum,bytes,by=instance_id,top=5",
    "sum,packets,by=dstport,sort=asc,top=7",
    "avg,bytes,by=protocol",
    "avg,packets,by=interface_id,sort=asc",
    "avg,duration",
    "min,bytes,by=dstaddr,top=10",
    "max,bytes,by=srcport,top=10",
    "max,duration,by=action",
    "min,start,by=tcp_flags;type",
    "list,top=20",
    "list,bytes,top=7,sort=asc",
    "list,duration,top=5",
] + [f"count,by=srcaddr,filter={f}" for f in FILTERS] + [
    "sum,bytes,by=action;log_status,filter=vpcflow.bytes > 1000",
    # no by= and no record: no group (an aggregate without GROUP BY has a row)
    'sum,bytes,filter=vpcflow.action == "NONE OF THESE"',
    'list,packets,top=5,filter=vpcflow.action == "REJECT"',
    'list,bytes,top=6,filter=vpcflow.dstport == 22 || vpcflow.dstport == 80',
]


def read_flow_log(text):
    """Records of a flow-log text: a dict per line, field name -> text."""
    lines = [line.split() for line in text.splitlines() if line.strip()]
    names = DEFAULT_FORMAT
    if lines and not lines[0][0].isdigit():
        names, lines = lines[0], lines[1:]
    return [dict(zip(names, values)) for values in lines]


def write_csv(path, records, keep_dash_in_strings):
    """The records in the DDL's columns; empty (NULL) where Athena has no value."""
    types = dict(DDL)
    with open(path, "w", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(COLUMNS)
        for r in records:
            row = []
            for name in COLUMNS:
                value = r.get(name.replace("_", "-"))
                if value == "-" and not (keep_dash_in_strings and types[name] == "VARCHAR"):
                    value = None
                row.append("" if value is None else value)
            out.writerow(row)


def create_table(name, select):
    columns = ", ".join(f'"{c}" {t}' for c, t in DDL)
    return [f"CREATE TABLE {name} ({columns})", f"INSERT INTO {name} {select}"]


def csv_table(name, path):
    types = ", ".join(f"'{c}': '{t}'" for c, t in DDL)
    return create_table(name, f"SELECT * FROM read_csv('{path}', header = true, nullstr = '', "
                              f"columns = {{{types}}})")


def parquet_table(name, path):
    have = set(duckdb_run([], [f"SELECT * FROM read_parquet('{path}') LIMIT 0"])[0]["columns"])
    picks = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in COLUMNS)
    return create_table(name, f"SELECT {picks} FROM read_parquet('{path}')")


def node_modules():
    if not shutil.which("node"):
        pytest.skip("node is not installed here (the Debian roots have none): DuckDB runs on the host only")
    try:
        return node_packages.ensure("@duckdb/node-api@1.5.6-r.1")
    except (OSError, subprocess.CalledProcessError) as e:
        pytest.skip(f"@duckdb/node-api cannot be installed: {e}")


def duckdb_run(setup, queries):
    out = subprocess.run(["node", os.path.join(REPO, "tools", "duckdb-queries.mjs"), node_modules()],
                         input=json.dumps({"setup": setup, "queries": queries}), check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def report_blocks(stdout):
    """The printed reports, in the order tshark prints them (the reverse of the -z options)."""
    rule = "=" * 67
    parts = stdout.split(rule + "\n")
    return [p for p in parts[1::2]]


def report_table(block):
    """(heading, rows) of a printed report: each row its cells."""
    lines = block.splitlines()
    dashes = next(i for i, line in enumerate(lines) if line.startswith("---"))
    rows = []
    for line in lines[dashes + 1:]:
        if not line.strip():
            break
        rows.append(line.split())
    return lines[dashes - 1].split(), rows


def with_sql(spec):
    """The spec asking for the query: sql=athena before filter=, which runs to the end."""
    head, sep, tail = spec.partition(",filter=")
    return f"vpcflow,{head},sql=athena{sep}{tail}"


QUERIES = {}


def sql_of(ws, spec):
    """The query tshark prints for a report: with no capture file, as nothing is read for it."""
    if spec not in QUERIES:
        proc = ws.tshark("-q", "-z", with_sql(spec), check=False)
        assert proc.returncode == 0, proc.stderr
        QUERIES[spec] = proc.stdout
    return QUERIES[spec]


def cell(value, op):
    if value is None:
        return "-"
    return f"{float(value):.1f}" if op == "avg" else value


def check_groups(spec, heading, report_rows, answer):
    op = spec.split(",")[0]
    rows = [[cell(v, op if i == len(r) - 1 else None) for i, v in enumerate(r)] for r in answer["rows"]]
    assert len(answer["columns"]) == len(heading), (spec, answer["columns"], heading)
    assert rows == report_rows, spec


def check_list(spec, heading, report_rows, answer, records):
    """Row by row, but for the order of records whose sort values tie (the
    report keeps file order, SQL has none): the sort values must be the
    same sequence, and the records of each value the same, but for the
    last value, cut by top=, whose records must be some of the file's."""
    second = spec.split(",")[1]
    field = "start" if "=" in second else second
    index = [COLUMNS.index(name.replace("-", "_")) for name in heading]
    sql_rows = [[("-" if r[i] is None else r[i]) for i in index] for r in answer["rows"]]
    assert len(sql_rows) == len(report_rows), spec

    def sort_value(row):
        if field == "duration":
            return int(row[heading.index("end")]) - int(row[heading.index("start")])
        return int(row[heading.index(field)])

    values = [sort_value(r) for r in report_rows]
    assert [sort_value(r) for r in sql_rows] == values, spec
    if not values:
        return
    last = values[-1]
    assert sorted(r for r in sql_rows if sort_value(r) != last) == \
        sorted(r for r in report_rows if sort_value(r) != last), spec
    everything = [[rec.get(name, "-") for name in heading] for rec in records]
    for row in report_rows:
        if sort_value(row) == last:
            assert row in everything, (spec, row)


def run_all(ws, capture, tables, records):
    """Every report on the capture, against its query on each table."""
    queries, specs = [], []
    for spec in REPORTS:
        sql = sql_of(ws, spec)
        assert "FROM vpc_flow_logs\n" in sql
        for table in tables:
            queries.append(sql.replace("FROM vpc_flow_logs\n", f"FROM {table}\n"))
            specs.append(spec)
    setup = []
    for table, statements in tables.items():
        setup += statements
    answers = duckdb_run(setup, queries)

    args = ["-r", capture, "-q"]
    for spec in REPORTS:
        args += ["-z", f"vpcflow,{spec}"]
    blocks = report_blocks(ws.tshark(*args).stdout)[::-1]
    assert len(blocks) == len(REPORTS)
    printed = dict(zip(REPORTS, blocks))
    compared = 0
    for spec, answer in zip(specs, answers):
        heading, rows = report_table(printed[spec])
        if spec.startswith("list"):
            check_list(spec, heading, rows, answer, records)
        else:
            check_groups(spec, heading, rows, answer)
        compared += len(rows)
    return compared


def test_text_flow_log_reports_match_their_queries(ws, tmp_path):
    """The workshop's S3 file (29 fields, alphabetical header) as a text and as a Parquet table."""
    node_modules()
    with gzip.open(WORKSHOP, "rt") as f:
        records = read_flow_log(f.read())
    text_csv, null_csv = str(tmp_path / "text.csv"), str(tmp_path / "null.csv")
    write_csv(text_csv, records, keep_dash_in_strings=True)
    write_csv(null_csv, records, keep_dash_in_strings=False)
    tables = {"text_table": csv_table("text_table", text_csv), "parquet_table": csv_table("parquet_table", null_csv)}
    assert run_all(ws, ws.copy_in(WORKSHOP), tables, records) > 300


def test_default_format_samples_match_their_queries(ws, tmp_path):
    """Headerless v2 records: NODATA and SKIPDATA, IPv6 addresses, ICMP."""
    node_modules()
    text = "".join(open(os.path.join(REPO, "pcaps", "flowlogs", name)).read() for name in DEFAULT_SAMPLES)
    records = read_flow_log(text)
    assert {r["log-status"] for r in records} >= {"NODATA", "SKIPDATA"}
    assert any(":" in r["srcaddr"] for r in records)
    capture = ws.write("default-samples.log", text.encode())
    text_csv, null_csv = str(tmp_path / "text.csv"), str(tmp_path / "null.csv")
    write_csv(text_csv, records, keep_dash_in_strings=True)
    write_csv(null_csv, records, keep_dash_in_strings=False)
    tables = {"text_table": csv_table("text_table", text_csv), "parquet_table": csv_table("parquet_table", null_csv)}
    assert run_all(ws, capture, tables, records) > 50


def test_parquet_sample_matches_its_queries(ws):
    """The DuckDB-written Parquet sample in AWS's layout: tshark reads it
    with vpcshark's decoder, DuckDB with its own."""
    node_modules()
    rows = duckdb_run([], [f"SELECT * FROM read_parquet('{PARQUET}')"])[0]
    records = [{name.replace("_", "-"): ("-" if v is None else v) for name, v in zip(rows["columns"], row)}
               for row in rows["rows"]]
    assert run_all(ws, ws.copy_in(PARQUET), {"flows": parquet_table("flows", PARQUET)}, records) > 300


UNTRANSLATABLE = [
    ("count,by=ecs_cluster_name", "by=: ecs-cluster-name is not a column of AWS's Athena table"),
    ("sum,packets_lost_no_route", "sum: packets-lost-no-route is not a column"),
    # display filters take ten digits of a second; Unix seconds here keep nine
    ("count,filter=vpcflow.start > \"2022-09-26 12:10:00.1234567891Z\"", "is not a time translated here"),
    ("count,filter=vpcflow.action in {\"A\"..\"C\"}", "ranges of text are not translated"),
    ("count,filter=vpcflow.srcaddr > 10.0.0.1", "addresses are compared with == and != only"),
    ("count,filter=vpcflow.addr == 10.0.0.1", "vpcflow.addr has no column of its own"),
    ("count,filter=ip.src == 10.0.0.1", "\"ip.src\" is not a flow-log field of the Athena table"),
    ("count,filter=vpcflow.action contains \"REJ\"", "after vpcflow.action is not translated"),
    ("count,filter=vpcflow.action matches \"^R\"", "after vpcflow.action is not translated"),
    ("count,filter=vpcflow.dstport == 1 || vpcflow.dstport == 2 && vpcflow.bytes > 3",
     "&& and || are mixed without parentheses"),
    ("count,filter=vpcflow.dstport == 022", "\"022\" is not a number in decimal or 0x hex"),
]


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/New_York"])
def test_local_times_are_read_in_the_zone_tshark_runs_in(ws, zone):
    """A time without a zone is local time to the display filter; the query holds the
    Unix seconds of that time in the zone tshark runs in (TZ), here worked out by
    Python's zoneinfo, and the report filtered by it counts what the UTC form counts."""
    from datetime import datetime
    from zoneinfo import ZoneInfo
    local = datetime(2022, 9, 26, 12, 15, 5, tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
    seconds = int(local.timestamp())
    assert seconds == 1664194505
    spec = f'count,by=action,filter=vpcflow.start >= "{local:%Y-%m-%d %H:%M:%S}"'
    proc = ws.tshark("-q", "-z", with_sql(spec), env={"TZ": zone})
    assert f"WHERE start >= {seconds} /* 2022-09-26 12:15:05 UTC */" in proc.stdout
    capture = ws.copy_in(WORKSHOP)
    by_local = ws.tshark("-r", capture, "-q", "-z", f"vpcflow,{spec}", env={"TZ": zone}).stdout
    by_utc = ws.tshark("-r", capture, "-q", "-z",
                       'vpcflow,count,by=action,filter=vpcflow.start >= "2022-09-26 12:15:05Z"').stdout
    assert report_table(report_blocks(by_local)[0])[1] == report_table(report_blocks(by_utc)[0])[1]
    assert report_table(report_blocks(by_utc)[0])[1]


@pytest.mark.parametrize("spec,message", UNTRANSLATABLE)
def test_untranslatable_reports_say_why(ws, spec, message):
    proc = ws.tshark("-q", "-z", with_sql(spec), check=False)
    assert proc.returncode != 0 and proc.stdout == ""
    assert "sql=athena" in proc.stderr and message in proc.stderr, proc.stderr



def test_documented_query_is_what_tshark_prints(ws):
    """The example in docs/vpcflow.md is tshark's output, to the character."""
    with open(os.path.join(REPO, "docs", "vpcflow.md")) as f:
        doc = f.read()
    start = doc.index("    -- VPC Flow Log report: sum(bytes) by srcaddr; top 2")
    end = doc.index("    LIMIT 2;\n", start) + len("    LIMIT 2;\n")
    example = "".join(line[4:] + "\n" for line in doc[start:end].splitlines())
    spec = 'sum,bytes,by=srcaddr,top=2,filter=vpcflow.action == "REJECT" && vpcflow.dstport == 22'
    assert sql_of(ws, spec) == example


def test_a_downloaded_result_opens_as_flow_records(ws, tmp_path):
    """The README's path for more data than one machine: the query of a
    report, run where the data is (DuckDB here, over the workshop's records
    in a table of AWS's DDL), its result saved as the Athena console saves
    it (header, every value quoted), opened in tshark: the list query brings
    back the records themselves, the sum query one record per group
    holding the group's total. Expected from the records read in Python."""
    node_modules()
    with gzip.open(WORKSHOP, "rt") as f:
        records = read_flow_log(f.read())
    table = str(tmp_path / "table.csv")
    write_csv(table, records, keep_dash_in_strings=True)
    listed, summed = ws.path("ssh-rejects.csv"), ws.path("top-sources.csv")
    queries = {listed: 'list,bytes,top=5000,filter=vpcflow.action == "REJECT" && vpcflow.dstport == 22',
               summed: "sum,bytes,by=srcaddr,top=5"}
    copies = []
    for path, spec in queries.items():
        query = sql_of(ws, spec).strip()
        assert query.endswith(";")
        copies.append(f"COPY ({query[:-1]}\n) TO '{path}' (HEADER, FORCE_QUOTE *)")
    duckdb_run(csv_table("vpc_flow_logs", table) + copies, [])
    for path in queries:
        os.chmod(path, 0o644)

    rejects = [r for r in records if r["action"] == "REJECT" and r["dstport"] == "22" and r["bytes"] != "-"]
    assert len(rejects) >= 2
    got = ws.fields(listed, ["vpcflow.srcaddr", "vpcflow.bytes", "vpcflow.action", "vpcflow.dstport",
                             "frame.time_epoch", "frame.interface_name"])
    assert sorted(got) == sorted([r["srcaddr"], r["bytes"], "REJECT", "22", f"{r['start']}.000000000",
                                  r["interface-id"]] for r in rejects)
    assert [int(row[1]) for row in got] == sorted((int(r["bytes"]) for r in rejects), reverse=True)

    totals = {}
    for r in records:
        if r["bytes"] != "-":
            totals[r["srcaddr"]] = totals.get(r["srcaddr"], 0) + int(r["bytes"])
    top = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    got = ws.fields(summed, ["vpcflow.srcaddr", "vpcflow.bytes"])
    assert got == [[address, str(total)] for address, total in top]
