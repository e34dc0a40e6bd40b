# Golden tests over every public flow-log sample in pcaps/flowlogs: each
# record's fields, as tshark shows them, equal what the independent
# reading in flowref.py expects; every line is a frame; malformed lines
# are flagged and the records after them still decode.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os

import pytest

import flowref
from conftest import FLOWLOGS

# Samples in CloudWatch Logs shapes (JSON, time-stamped export lines) are
# checked by test_cloudwatch.py.
CLOUDWATCH_SHAPES = {
    "elastic-integrations__test-with-message-field.log",
    "goaccess-issue-1341__cwl-export-to-s3-timestamp-prefixed.log",
}
SAMPLES = sorted(f for f in os.listdir(FLOWLOGS) if f.endswith(".log") and f not in CLOUDWATCH_SHAPES)

# Headerless samples whose layout vpcshark must recognise with no help.
RECOGNISED = [
    "awsdocs-vpc__accepted-rejected-default.log",
    "awsdocs-vpc__ipv6-default.log",
    "awsdocs-vpc__nodata-skipdata-default.log",
    "awsdocs-vpc__sg-nacl-icmp-default.log",
    "elastic-beats__v5-all-fields-wavelength.log",
    "elastic-integrations-issue-8532__v5-alphabetical-skipdata.log",
    "elastic-integrations__test-ecs-samples.log",
    "elastic-integrations__test-extra-samples.log",
    "elastic-integrations__test-tgw-samples.log",
    "elastic-integrations__test-v5-all-fields.log",
    "elastic-integrations__test-v8-samples.log",
    "flowlogs-reader__ms-timestamp-skipdata.log",
    "flowlogs-reader__v2-records.log",
    "foxio-logslash__vpc_flow_in.log",
]


def format_of(sample):
    path = os.path.join(FLOWLOGS, sample[:-len(".log")] + ".format")
    if os.path.exists(path):
        with open(path) as f:
            return f.read().split()
    return None


def seconds(token):
    value = int(token)
    return value / 1000 if value >= 10 ** 11 else value


def check_against_reference(ws, path, expected, tshark_args):
    names = []
    for record in expected:
        for name in (record or {}):
            if name not in names:
                names.append(name)
    known = [n for n in names if n in flowref.KINDS]
    fields = ["frame.time_epoch", "vpcflow.duration", "vpcflow.line"]
    for name in known:
        if flowref.KINDS[name] == "time":
            continue
        fields.append(flowref.filter_name(name))
        if flowref.KINDS[name] == "addr":
            fields.append(flowref.filter_name(name) + "_v6")
    rows = ws.fields(path, fields, *tshark_args)
    assert len(rows) == len(expected), "every record line is one frame"

    flagged = ws.tshark("-r", path, "-Y", "vpcflow.malformed", "-T", "fields", "-e", "frame.number",
                        *tshark_args).stdout.split()
    assert [int(n) for n in flagged] == [i + 1 for i, r in enumerate(expected) if r is None]

    unknown = ws.fields(path, ["vpcflow.unknown_field"], *tshark_args, occurrence="a")
    for i, (record, row) in enumerate(zip(expected, rows)):
        if record is None:
            continue
        shown = dict(zip(fields, row))
        for name, token in record.items():
            kind = flowref.KINDS.get(name)
            if kind is None:
                if token != "-":
                    assert token in unknown[i][0].split(","), f"frame {i + 1}: unknown field {name}"
                continue
            if kind == "time":
                continue
            value = shown[flowref.filter_name(name, token)]
            if token == "-":
                assert value == "" and shown.get(flowref.filter_name(name) + "_v6", "") == "", \
                    f"frame {i + 1}: '-' must add no {name} field"
            else:
                assert flowref.same_value(kind, token, value), f"frame {i + 1}: {name} {value!r} != {token!r}"
        if record.get("start", "-") != "-":
            assert float(shown["frame.time_epoch"]) == seconds(record["start"]), "frame time is start"
        if record.get("start", "-") != "-" and record.get("end", "-") != "-":
            assert float(shown["vpcflow.duration"]) == seconds(record["end"]) - seconds(record["start"])


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_matches_reference(ws, sample):
    path = ws.copy_in(os.path.join(FLOWLOGS, sample))
    fmt = format_of(sample)
    args = ["-o", "vpcflow.format:" + " ".join(fmt)] if fmt else []
    check_against_reference(ws, path, flowref.parse(path, fmt), args)


@pytest.mark.parametrize("sample", RECOGNISED)
def test_headerless_layout_recognised_without_help(ws, sample):
    path = ws.copy_in(os.path.join(FLOWLOGS, sample))
    rows = ws.fields(path, ["vpcflow.format_source"])
    assert rows and all(r == ["2"] for r in rows), "format recognised from the values"
    check_against_reference(ws, path, flowref.parse(path, format_of(sample)), [])


def test_unknown_headerless_format_is_opened_and_explained(ws):
    path = ws.copy_in(os.path.join(FLOWLOGS, "awsdocs-vpc__nat-gateway-custom.log"))
    out = ws.tshark("-r", path, "-Y", "vpcflow.format.unknown", "-T", "fields", "-e", "frame.number").stdout
    assert out.split() == ["1", "2", "3", "4", "5", "6"]
    tokens = ws.fields(path, ["vpcflow.token"], occurrence="a")
    assert tokens[0] == ["-,eni-1235b8ca123456789,10.0.1.5,10.0.0.220,10.0.1.5,203.0.113.5"]
