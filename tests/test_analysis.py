# Flow-log analysis (issue 4): conversations and endpoints count the
# traffic inside the records, the -z vpcflow reports answer the AWS
# workshop's five Logs Insights questions, the statistics trees count
# what they say. Every expected answer is computed here, in Python, from
# the sample text.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import collections
import gzip
import os

import pytest

from conftest import PCAPS
from harness import endpoint_bytes_shown, size_shown

DEMO = os.path.join(PCAPS, "demo")
S3 = os.path.join(DEMO, "123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")
CLOUDWATCH = os.path.join(DEMO, "workshop-cloudwatch.log")


def records():
    with gzip.open(S3, "rt") as f:
        lines = f.read().splitlines()
    names = lines[0].split()
    return [dict(zip(names, line.split())) for line in lines[1:]]


def report_rows(text):
    """The table rows of every -z vpcflow report in tshark's output, per report."""
    reports, rows, in_table = [], None, False
    for line in text.splitlines():
        if line.startswith("VPC Flow Log report:"):
            rows = []
            reports.append(rows)
            in_table = False
        elif rows is not None and line.startswith("---"):
            in_table = True
        elif rows is not None and in_table:
            if not line.strip():
                in_table = False
                rows = None
            else:
                rows.append(line.split())
    return reports


def top(groups, n=None):
    """Groups sorted as the report sorts: value descending, then key."""
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))
    return [list(k) + [str(v)] for k, v in ordered[:n]]


def query(ws, path, *specs):
    args = ["-r", path, "-q"]
    for spec in specs:
        args += ["-z", spec]
    return report_rows(ws.tshark(*args).stdout)


# The workshop's five questions, each with its Logs Insights query (after
# the parse statement), the tshark -z argument, and the answer worked out here.

def q1_expected(recs):
    latest = sorted(recs, key=lambda r: int(r["start"]), reverse=True)[:20]
    return [[r["version"], r["account-id"], r["interface-id"], r["srcaddr"], r["dstaddr"]] for r in latest]


def q2_expected(recs):
    sums = collections.Counter()
    for r in recs:
        if r["bytes"] != "-":
            sums[(r["srcaddr"], r["dstaddr"], r["flow-direction"])] += int(r["bytes"])
    return top(sums, 2)


def q3_expected(recs):
    sums = collections.Counter()
    for r in recs:
        sums[(r["instance-id"],)] += int(r["bytes"]) if r["bytes"] != "-" else 0
    return top(sums, 5)


def q4_expected(recs):
    sums = collections.Counter()
    for r in recs:
        if r["action"] == "REJECT" and r["protocol"] == "6" and r["dstport"] == "22":
            sums[(r["srcaddr"],)] += int(r["bytes"])
    return top(sums, 2)


def q5_expected(recs):
    return top(collections.Counter((r["srcaddr"],) for r in recs if r["action"] == "REJECT"))


COOKBOOK = [
    ("vpcflow,list,top=20", q1_expected),
    ("vpcflow,sum,bytes,by=srcaddr;dstaddr;flow_direction,top=2", q2_expected),
    ("vpcflow,sum,bytes,by=instance_id,top=5", q3_expected),
    ('vpcflow,sum,bytes,by=srcaddr,top=2,filter=vpcflow.action == "REJECT" && vpcflow.protocol == 6 '
     '&& vpcflow.dstport == 22', q4_expected),
    ('vpcflow,count,by=srcaddr,filter=vpcflow.action == "REJECT"', q5_expected),
]


@pytest.mark.parametrize("sample", [S3, CLOUDWATCH], ids=["s3", "cloudwatch"])
@pytest.mark.parametrize("spec,answer", COOKBOOK, ids=["q1-latest", "q2-bytes-by-pair", "q3-bytes-by-instance",
                                                        "q4-rejected-ssh", "q5-rejects-by-source"])
def test_cookbook_query(ws, sample, spec, answer):
    rows = query(ws, ws.copy_in(sample), spec)[0]
    expected = answer(records())
    if spec.startswith("vpcflow,list"):
        rows = [r[:5] for r in rows]
    assert rows == expected
    assert len(expected) >= 2


def test_all_five_in_one_pass(ws):
    reports = query(ws, ws.copy_in(S3), *[spec for spec, _ in COOKBOOK])
    assert len(reports) == 5
    # tshark prints the reports in reverse order of the -z options
    for rows, (spec, answer) in zip(reversed(reports), COOKBOOK):
        if spec.startswith("vpcflow,list"):
            rows = [r[:5] for r in rows]
        assert rows == answer(records())


@pytest.mark.parametrize("spec,message", [
    ("vpcflow,median,bytes", '"median" is not count, sum, avg, min, max or list'),
    ("vpcflow,sum", "sum needs a numeric field, such as bytes"),
    ("vpcflow,sum,action", '"action" is not a numeric field'),
    ("vpcflow,count,by=nosuchfield", 'by=: "nosuchfield" is not a flow-log field'),
    ("vpcflow,count,top=0", 'top=: "0" is not a number from 1 to 100000'),
    ("vpcflow,count,filter=vpcflow.bytes >", "vpcflow,count,filter=vpcflow.bytes >"),
])
def test_report_mistakes_are_explained(ws, spec, message):
    proc = ws.tshark("-r", ws.copy_in(S3), "-q", "-z", spec, check=False)
    assert proc.returncode != 0
    assert message in proc.stderr


def test_avg_min_max_and_ascending(ws):
    all_recs = records()
    recs = [r for r in all_recs if r["bytes"] != "-"]
    by_dir = collections.defaultdict(list)
    for r in recs:
        by_dir[r["flow-direction"]].append(int(r["bytes"]))
    reports = query(ws, ws.copy_in(S3), "vpcflow,max,bytes,by=flow_direction,sort=asc",
                    "vpcflow,min,packets", "vpcflow,avg,duration,by=flow_direction")
    avg, minimum, maximum = reports
    # groups whose records have no value (the NODATA row: direction "-") come last
    without = sorted({r["flow-direction"] for r in all_recs} - set(by_dir))
    assert without == ["-"]
    assert maximum == sorted([[d, str(max(v))] for d, v in by_dir.items()],
                             key=lambda r: (int(r[1]), r[0])) + [[d, "-"] for d in without]
    assert minimum == [[str(min(int(r["packets"]) for r in recs))]]
    durations = collections.defaultdict(list)
    for r in all_recs:          # the NODATA row has a start and an end too
        durations[r["flow-direction"]].append(int(r["end"]) - int(r["start"]))
    expected = sorted(([d, f"{sum(v) / len(v):.1f}"] for d, v in durations.items()),
                      key=lambda r: (-float(r[1]), r[0]))
    assert avg == expected


def write_flows(ws, name, lines):
    header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    return ws.write(name, header + "\n" + "\n".join(lines) + "\n")


def test_conversations_count_the_traffic_inside_records(ws):
    # A -> B three records on the same ports, one reply B -> A
    path = write_flows(ws, "conv.log", [
        "2 1 eni-1 10.0.0.1 10.0.0.2 40000 443 6 1 100 1000 1010 ACCEPT OK",
        "2 1 eni-1 10.0.0.1 10.0.0.2 40000 443 6 2 200 1020 1030 ACCEPT OK",
        "2 1 eni-1 10.0.0.1 10.0.0.2 40000 443 6 3 300 1040 1090 ACCEPT OK",
        "2 1 eni-1 10.0.0.2 10.0.0.1 443 40000 6 4 400 1000 1005 ACCEPT OK",
    ])
    out = ws.tshark("-r", path, "-q", "-z", "conv,vpcflow").stdout
    rows = [l.split() for l in out.splitlines() if "<->" in l]
    assert len(rows) == 1
    # A <- B: 4 packets 400 bytes; A -> B: 6 packets 600 bytes; total 10 / 1000;
    # relative start 0 (first record), duration 90 s (1000 to 1090)
    assert rows[0] == ["10.0.0.1", "<->", "10.0.0.2", "4", "400", "bytes", "6", "600", "bytes", "10", "1000",
                       "bytes", "0.000000000", "90.0000"]


def test_endpoints_and_io_sum(ws):
    path = write_flows(ws, "ep.log", [
        "2 1 eni-1 10.0.0.1 10.0.0.2 40000 443 6 1 100 1000 1010 ACCEPT OK",
        "2 1 eni-1 10.0.0.3 10.0.0.2 40001 443 17 5 500 1005 1010 ACCEPT OK",
        "2 1 eni-1 - - - - - - - 1000 1060 - NODATA",
    ])
    out = ws.tshark("-r", path, "-q", "-z", "endpoints,vpcflow").stdout
    # packets, bytes, tx packets, tx bytes, rx packets, rx bytes (4.6 prints "bytes" after each byte count)
    rows = {l.split()[0]: [c for c in l.split()[1:] if c != "bytes"] for l in out.splitlines() if l.startswith("10.")}
    assert rows == {"10.0.0.2": ["6", "600", "0", "0", "6", "600"],
                    "10.0.0.3": ["5", "500", "5", "500", "0", "0"],
                    "10.0.0.1": ["1", "100", "1", "100", "0", "0"]}
    io = ws.tshark("-r", path, "-q", "-z", "io,stat,0,SUM(vpcflow.bytes)vpcflow.bytes").stdout
    assert "| 0.000 <> 5.000 | 600 |" in io


def test_large_counts_do_not_wrap(ws):
    # 10 GB in one record, more than the 32-bit counts the table API takes at once
    path = write_flows(ws, "big.log", ["2 1 eni-1 10.0.0.1 10.0.0.2 40000 443 6 7000000 10000000000 1000 1600 ACCEPT OK"])
    out = ws.tshark("-r", path, "-q", "-z", "conv,vpcflow").stdout
    row = [l.split() for l in out.splitlines() if "<->" in l][0]
    assert row[6:9] == ["7000000", "10", "GB"]
    assert query(ws, path, "vpcflow,sum,bytes") == [[["10000000000"]]]


def test_impossible_counts_are_capped_in_the_tables(ws):
    # A damaged record claiming 2^64 - 1 bytes: the tables take their int-sized
    # pieces of it, at most 8192 (8192 * (2^31 - 1) = 17,592,186,036,224 bytes),
    # instead of 2^33 calls that never end; other conversations are untouched.
    path = write_flows(ws, "impossible.log", [
        "2 1 eni-1 10.0.0.1 10.0.0.2 40000 443 6 5 18446744073709551615 1000 1600 ACCEPT OK",
        "2 1 eni-1 10.0.0.3 10.0.0.4 40000 443 6 5 500 1000 1600 ACCEPT OK",
    ])
    out = ws.tshark("-r", path, "-q", "-z", "endpoints,vpcflow", "-z", "conv,vpcflow", timeout=60).stdout
    cap = 8192 * (2**31 - 1)
    endpoints = {l.split()[0]: " ".join(l.split()[1:]) for l in out.splitlines()
                 if l.startswith("10.") and "<->" not in l}
    big, small, none = endpoint_bytes_shown(cap), endpoint_bytes_shown(500), endpoint_bytes_shown(0)
    assert endpoints["10.0.0.1"] == f"5 {big} 5 {big} 0 {none}"
    assert endpoints["10.0.0.2"] == f"5 {big} 0 {none} 5 {big}"
    assert endpoints["10.0.0.3"] == f"5 {small} 5 {small} 0 {none}"
    conv = {l.split()[0]: l.split() for l in out.splitlines() if "<->" in l}
    assert " ".join(conv["10.0.0.1"][6:9]) == f"5 {size_shown(cap)}" == "5 17 TB"
    assert " ".join(conv["10.0.0.3"][6:9]) == f"5 {size_shown(500)}" == "5 500 bytes"


def tree_counts(text):
    """Item -> count of a -z <tree> output."""
    counts = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    return counts


def test_statistics_trees(ws):
    recs = records()
    path = ws.copy_in(S3)
    out = ws.tshark("-r", path, "-q", "-z", "vpcflow_rejects,tree").stdout
    counts = tree_counts(out)
    for src, n in collections.Counter(r["srcaddr"] for r in recs if r["action"] == "REJECT").items():
        assert counts[src] == n
    out = ws.tshark("-r", path, "-q", "-z", "vpcflow_instances,tree").stdout
    counts = tree_counts(out)
    per_instance = collections.Counter()
    for r in recs:
        if r["bytes"] != "-":
            per_instance[r["instance-id"]] += int(r["bytes"])
    assert len(per_instance) == 2
    for instance, total in per_instance.items():
        assert counts[instance] == total // 1024
    out = ws.tshark("-r", path, "-q", "-z", "vpcflow_interfaces,tree").stdout
    counts = tree_counts(out)
    top_line = [l for l in out.splitlines() if l.startswith("KiB by interface")][0]
    assert int(top_line.split()[3]) == sum(per_instance.values()) // 1024
    out = ws.tshark("-r", path, "-q", "-z", "vpcflow_talkers,tree").stdout
    counts = tree_counts(out)
    sent = collections.Counter()
    for r in recs:
        if r["bytes"] != "-":
            sent[r["srcaddr"]] += int(r["bytes"])
    for src, total in sent.items():
        assert counts[src] == total // 1024


def test_report_tree_follows_the_preference(ws):
    recs = records()
    path = ws.copy_in(S3)
    out = ws.tshark("-r", path, "-q", "-z", "vpcflow_report,tree", "-o", "vpcflow.report:count,by=action;log_status").stdout
    counts = {}
    for line in out.splitlines():
        # rows "ACCEPT / OK  128 ...", not the header or the title (from 4.4 on
        # "VPC Flow Logs / Report (...):", the menu path with its "//" shown so)
        if " / " in line and not line.startswith("Topic") and not line.rstrip().endswith(":"):
            label, rest = line.split("  ", 1)
            counts[label.strip()] = int(rest.split()[0])
    assert counts == {f"{a} / {s}": n for (a, s), n in
                      collections.Counter((r["action"], r["log-status"]) for r in recs).items()}
    bad = ws.tshark("-r", path, "-q", "-z", "vpcflow_report,tree", "-o", "vpcflow.report:median,bytes").stdout
    assert "The vpcflow.report preference is not a report" in bad
    # sql=athena belongs to tshark: the tree says where the query is printed and still counts
    sql = ws.tshark("-r", path, "-q", "-z", "vpcflow_report,tree", "-o",
                    "vpcflow.report:count,by=action;log_status,sql=athena").stdout
    assert "the Athena query is printed by tshark -q -z vpcflow,count,by=action;log_status,sql=athena" in sql
    shown = [line for line in sql.splitlines() if line.strip().startswith("ACCEPT / OK")]
    assert shown and int(shown[0].split("  ", 1)[1].split()[0]) == counts["ACCEPT / OK"]
