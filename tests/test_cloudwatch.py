# CloudWatch Logs and Firehose shapes of flow logs (issue 5): each opens
# with no configuration and its records decode exactly as the S3 form
# would, with the log group, stream and event time kept per record.
# Expected values come from the generator (pcaps/cloudwatch/expected.json,
# tools/gen-cloudwatch.py) or from Python's own json/gzip/base64 reading
# of the public samples.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import base64
import gzip
import json
import os

import pytest

import flowref
from conftest import FLOWLOGS, PCAPS
from harness import field_time_utc

CLOUDWATCH = os.path.join(PCAPS, "cloudwatch")
with open(os.path.join(CLOUDWATCH, "expected.json")) as f:
    EXPECTED = json.load(f)

RECORD_FIELDS = ["vpcflow.version", "vpcflow.account_id", "vpcflow.interface_id", "vpcflow.srcaddr",
                 "vpcflow.dstaddr", "vpcflow.srcport", "vpcflow.dstport", "vpcflow.protocol", "vpcflow.packets",
                 "vpcflow.bytes", "vpcflow.action", "vpcflow.log_status"]
META_FIELDS = ["vpcflow.log_stream", "vpcflow.log_group", "vpcflow.event_time", "frame.time_epoch"]


def wireshark_time(ms):
    """An absolute time as tshark -T fields prints it."""
    return field_time_utc(ms // 1000, (ms % 1000) * 1000000)


def expected_record_fields(message):
    tokens = message.split()
    record = dict(zip(flowref.DEFAULT_FORMAT, tokens))
    return [record[n.split(".", 1)[1].replace("_", "-")] for n in RECORD_FIELDS]


def check(ws, path, expected, *args):
    rows = ws.fields(path, RECORD_FIELDS + META_FIELDS, *args)
    assert len(rows) == len(expected), "one frame per event"
    control = ws.tshark("-r", path, "-Y", "vpcflow.control_message", "-T", "fields", "-e", "frame.number",
                        *args).stdout.split()
    assert control == [str(i + 1) for i, e in enumerate(expected) if e["control"]]
    for i, (row, exp) in enumerate(zip(rows, expected)):
        record, meta = row[:len(RECORD_FIELDS)], dict(zip(META_FIELDS, row[len(RECORD_FIELDS):]))
        if exp["control"]:
            assert record == [""] * len(RECORD_FIELDS), f"frame {i + 1}: a control message is no record"
            continue
        assert record == expected_record_fields(exp["message"]), f"frame {i + 1}"
        assert meta["vpcflow.log_stream"] == (exp["log_stream"] or "")
        assert meta["vpcflow.log_group"] == (exp["log_group"] or "")
        if exp["event_time_ms"]:
            assert meta["vpcflow.event_time"] == wireshark_time(exp["event_time_ms"])
        # frame time is the record's start, not the event time
        assert float(meta["frame.time_epoch"]) == int(exp["message"].split()[10])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_generated_shape(ws, name):
    path = ws.copy_in(os.path.join(CLOUDWATCH, name))
    check(ws, path, EXPECTED[name])
    check(ws, path, EXPECTED[name], "-2")


def subscription_expectations(doc):
    out = []
    for ev in doc["logEvents"]:
        out.append({"message": ev["message"], "event_time_ms": ev["timestamp"], "log_stream": doc["logStream"],
                    "log_group": doc["logGroup"], "control": doc["messageType"] == "CONTROL_MESSAGE"})
    return out


@pytest.mark.parametrize("sample", [
    "flowlog-exporter__cwl-kinesis-record-139-events.json",
    "flowlog-exporter__cwl-kinesis-record-2-events.json",
    "otel-contrib__valid_vpc_flow_cw-subscription.json",
    "zdt-streamlogs2fluentd__lambda-awslogs-event-vpcflow.decoded.json",
])
def test_public_subscription_samples(ws, sample):
    with open(os.path.join(FLOWLOGS, sample)) as f:
        doc = json.load(f)
    check(ws, ws.copy_in(os.path.join(FLOWLOGS, sample)), subscription_expectations(doc))


def test_public_lambda_sample(ws):
    sample = os.path.join(FLOWLOGS, "zdt-streamlogs2fluentd__lambda-awslogs-event-vpcflow.json")
    with open(sample) as f:
        payload = json.loads(gzip.decompress(base64.b64decode(json.load(f)["awslogs"]["data"])))
    expected = subscription_expectations(payload)
    assert len(expected) == 2
    path = ws.copy_in(sample)
    check(ws, path, expected)
    check(ws, path, expected, "-2")


def test_public_custom_format_subscription_takes_the_preference(ws):
    sample = "otel-contrib__valid_vpc_flow_cw_custom-subscription.json"
    path = ws.copy_in(os.path.join(FLOWLOGS, sample))
    with open(os.path.join(FLOWLOGS, sample)) as f:
        doc = json.load(f)
    # OTel's test configures this 4-field format for the sample
    rows = ws.fields(path, ["vpcflow.version", "vpcflow.interface_id", "vpcflow.srcaddr", "vpcflow.dstaddr",
                            "vpcflow.log_stream"], "-o", "vpcflow.format:version interface-id srcaddr dstaddr")
    assert rows == [ev["message"].split() + [doc["logStream"]] for ev in doc["logEvents"]]


def test_message_field_ndjson_sample(ws):
    sample = os.path.join(FLOWLOGS, "elastic-integrations__test-with-message-field.log")
    with open(sample) as f:
        message = json.loads(f.readline())["message"]
    rows = ws.fields(ws.copy_in(sample), ["vpcflow.interface_id", "vpcflow.log_status", "frame.time_epoch"])
    tokens = message.split()
    assert rows == [[tokens[2], tokens[13], f"{tokens[10]}.000000000"]]


def test_cloudwatch_export_sample_keeps_the_prefix(ws):
    sample = os.path.join(FLOWLOGS, "goaccess-issue-1341__cwl-export-to-s3-timestamp-prefixed.log")
    with open(sample) as f:
        lines = f.read().splitlines()
    rows = ws.fields(ws.copy_in(sample), ["vpcflow.line_prefix", "vpcflow.srcaddr", "vpcflow.log_status"])
    assert len(rows) == len(lines) == 5
    for line, row in zip(lines, rows):
        prefix, record = line.split(" ", 1)
        tokens = record.split()
        assert row == [prefix, tokens[3] if tokens[3] != "-" else "", tokens[13]]


def test_event_time_orders_records_without_start(ws):
    """A custom format without start: the frame time is the event time."""
    doc = {"events": [{"logStreamName": "eni-1-all", "timestamp": 1700000001234, "message": "10.0.0.1 10.0.0.2 ACCEPT"}]}
    path = ws.write("nostart.json", json.dumps(doc))
    rows = ws.fields(path, ["frame.time_epoch", "vpcflow.srcaddr"], "-o", "vpcflow.format:srcaddr dstaddr action")
    assert rows == [["1700000001.234000000", "10.0.0.1"]]


def test_json_to_flow_log_file(ws):
    path = ws.copy_in(os.path.join(CLOUDWATCH, "firehose-subscription.gz"))
    out = ws.path("from-json.log")
    ws.tshark("-r", path, "-Y", "!vpcflow.control_message", "-w", out, "-F", "vpcflow")
    with open(out) as f:
        lines = f.read().splitlines()
    assert lines == [" ".join(flowref.DEFAULT_FORMAT)] + [e["message"] for e in EXPECTED["firehose-subscription.gz"]
                                                          if not e["control"]]


CLI_EVENT = '{"logStreamName":"eni-1-all","timestamp":1418530010000,"message":"%s"}'
REC = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"


def flagged(ws, path):
    return ws.fields(path, ["frame.number", "_ws.expert.message"], "-Y", "vpcflow.malformed", occurrence="a",
                     aggregator="|")


def test_truncated_json_keeps_events_and_names_the_position(ws):
    text = '{"events":[' + ",".join(CLI_EVENT % REC for _ in range(3)) + "]}"
    cut = text[:-30]                        # inside the third event
    path = ws.write("cut.json", cut)
    rows = ws.fields(path, ["vpcflow.srcaddr"])
    assert [r[0] for r in rows] == ["172.31.16.139", "172.31.16.139", ""]
    assert flagged(ws, path) == [["3", "Malformed JSON: the data ends inside the JSON document "
                                        "that starts at byte 0"]]
    assert ws.fields(path, ["vpcflow.srcaddr"], "-2") == rows


def test_wrong_types_and_non_records_are_flagged(ws):
    events = [CLI_EVENT % REC, '{"timestamp":1418530010000,"message":5}', CLI_EVENT % "hello world",
              CLI_EVENT % REC]
    path = ws.write("types.json", '{"events":[' + ",".join(events) + "]}")
    rows = ws.fields(path, ["vpcflow.srcaddr"])
    assert [r[0] for r in rows] == ["172.31.16.139", "", "", "172.31.16.139"]
    msgs = dict((int(n), m) for n, m in flagged(ws, path))
    assert sorted(msgs) == [2, 3]
    second = len('{"events":[') + len(events[0]) + 1
    assert msgs[2] == (f"Malformed JSON: the object at byte {second} is no CloudWatch Logs event: "
                       'the event has no "message" text')
    third = second + len(events[1]) + 1
    assert msgs[3] == f"Malformed the event at byte {third}: 2 fields where the format has 14"


def test_junk_between_documents_is_flagged_and_reading_goes_on(ws):
    path = ws.write("junk.ndjson", '{"message":"%s"}\nnot json at all\n{"message":"%s"}\n' % (REC, REC))
    rows = ws.fields(path, ["vpcflow.srcaddr"])
    assert [r[0] for r in rows] == ["172.31.16.139", "", "172.31.16.139"]
    junk_at = len('{"message":"%s"}\n' % REC)
    assert flagged(ws, path) == [["2", f"Malformed JSON: text outside any JSON document at byte {junk_at}"]]


@pytest.mark.parametrize("name,text", [
    ("package.json", '{"name": "x", "version": "1.0.0", "dependencies": {"a": "^1"}}\n'),
    ("app-logs.json", '{"events":[{"logStreamName":"web","timestamp":1,"message":"GET / 200 12ms"},'
                      '{"logStreamName":"web","timestamp":2,"message":"GET /health 200 1ms"}]}'),
    ("groups.json", '{"logGroups":[{"logGroupName":"/aws/vpc/flowlogs","storedBytes":0}]}'),
])
def test_other_json_is_left_to_the_json_reader(ws, name, text):
    path = ws.write(name, text)
    assert "JavaScript Object Notation" in ws.run("capinfos", "-t", path).stdout


def test_each_interface_is_a_capture_interface(ws):
    path = ws.copy_in(os.path.join(CLOUDWATCH, "firehose-subscription.gz"))
    enis = {e["message"].split()[2] for e in EXPECTED["firehose-subscription.gz"] if not e["control"]}
    rows = ws.fields(path, ["frame.interface_name", "vpcflow.interface_id"], "-Y", "!vpcflow.control_message")
    assert {r[0] for r in rows} == enis
    assert all(name == eni for name, eni in rows)
