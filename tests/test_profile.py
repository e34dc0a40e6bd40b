# The AWS-VPC configuration profile: it loads, its columns show the flow
# fields, and every coloring rule and filter button is a valid filter.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import shutil

import pytest

from conftest import PCAPS
from harness import REPO, column_utc_suffix

PROFILE = os.path.join(REPO, "profiles", "AWS-VPC")
S3 = os.path.join(PCAPS, "demo", "123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")


@pytest.fixture(scope="module")
def profiled(ws):
    dest = os.path.join(ws.config, "profiles", "AWS-VPC")
    shutil.copytree(PROFILE, dest, dirs_exist_ok=True)
    for root, dirs, files in os.walk(os.path.join(ws.config, "profiles")):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    return ws


def test_columns(profiled):
    out = profiled.tshark("-C", "AWS-VPC", "-r", profiled.copy_in(S3), "-c", "1")
    assert "Warning" not in out.stderr and "rror" not in out.stderr
    # time (UTC), interface, action, source, port, destination, port, transport, packets, bytes, direction,
    # status, protocol (a log record's, not the transport's)
    assert out.stdout.split()[:15] == ["1", "2022-09-26", "12:10:01" + column_utc_suffix(), "eni-0a1b", "REJECT", "203.0.113.5", "51515",
                                       "10.0.1.10", "22", "TCP", "3", "180", "ingress", "OK", "VPCFLOW"]


def filters_of_profile():
    found = []
    with open(os.path.join(PROFILE, "colorfilters")) as f:
        for line in f:
            if line.startswith("@"):
                name, flt = line.split("@")[1:3]
                found.append(pytest.param(flt, id=f"color: {name}"))
    with open(os.path.join(PROFILE, "dfilter_buttons")) as f:
        for line in f:
            if line.startswith('"'):
                fields = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
                found.append(pytest.param(fields[2].replace("\\x22", '"'), id=f"button: {fields[1]}"))
    with open(os.path.join(PROFILE, "io_graphs")) as f:
        for line in f:
            if line.startswith('"'):
                fields = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
                found.append(pytest.param(fields[2].replace("\\x22", '"'), id=f"I/O graph: {fields[1]}"))
    return found


@pytest.mark.parametrize("flt", filters_of_profile())
def test_filter_is_valid(profiled, flt):
    proc = profiled.tshark("-C", "AWS-VPC", "-r", profiled.copy_in(S3), "-Y", flt, check=False)
    assert proc.returncode == 0, proc.stderr


def test_coloring_rules_apply(profiled):
    rows = profiled.fields(profiled.copy_in(S3), ["frame.coloring_rule.name", "vpcflow.action", "vpcflow.log_status"],
                           "-C", "AWS-VPC", "--color")
    for rule, action, status in rows:
        if action == "REJECT":
            assert rule == "Flow rejected"
        elif status == "NODATA":
            assert rule == "No traffic (NODATA)"
    assert sum(r[0] == "Flow rejected" for r in rows) == sum(r[1] == "REJECT" for r in rows) > 0


@pytest.mark.parametrize("capture", ["gen-both-ends-duplicates.pcap", "gen-packet-length-truncation.pcap",
                                     "gen-gwlb-geneve.pcap"])
def test_mirror_coloring_rules_apply(profiled, capture):
    from mirrorref import EXPECTED, MIRROR, TABLE

    shutil.copy(TABLE, os.path.join(profiled.config, "profiles", "AWS-VPC", "mirror_sessions"))
    os.chmod(os.path.join(profiled.config, "profiles", "AWS-VPC", "mirror_sessions"), 0o644)
    rows = profiled.fields(profiled.copy_in(os.path.join(MIRROR, capture)), ["frame.number", "frame.coloring_rule.name"],
                           "-C", "AWS-VPC", "--color")
    got = {int(number): rule for number, rule in rows}
    # the generator's own record of what each frame is
    want = {f["frame"]: "Mirror copy seen twice" for f in EXPECTED[capture]["frames"] if f["duplicate_of"]}
    want.update({f["frame"]: "Mirror copy cut" for f in EXPECTED[capture]["frames"] if f["truncated"]})
    want.update({g["frame"]: "GWLB options missing" for g in EXPECTED[capture].get("gwlb", []) if g["missing"]})
    assert want, "the capture holds nothing these rules color"
    assert {n: rule for n, rule in got.items() if rule} == want
