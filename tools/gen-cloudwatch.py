#!/usr/bin/python3
# Generate the CloudWatch Logs shapes of flow logs that no public sample
# has, for vpcshark's tests (pcaps/cloudwatch/):
#
#   filter-log-events-pages.json   two pages of `aws logs filter-log-events` output, concatenated
#   get-log-events.json            `aws logs get-log-events` output (no stream names in events)
#   query-events-array.json        `aws logs filter-log-events --query events` (a top-level array)
#   firehose-subscription.gz       subscription payloads as Firehose writes them to S3: gzip
#                                  members back to back, one JSON document each, no separators,
#                                  a CONTROL_MESSAGE among them
#   lambda-event.json              the Lambda form {"awslogs":{"data":"<base64 gzip payload>"}}
#   messages.ndjson                one {"message": ...} document per line
#   000000.gz                      a CloudWatch Logs export to S3 ("<ISO time> <record>" lines)
#
# and expected.json: for every file, the records in order with the values
# the generator put there (message, stream, group, event time), which
# the tests compare with what tshark shows.
#
# Deterministic: rerunning reproduces the committed files byte for byte.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import base64
import datetime
import gzip
import io
import json
import os
import random

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "pcaps", "cloudwatch")
T0 = 1700000000                     # 2023-11-14 22:13:20 UTC
ACCOUNT = "123456789012"
GROUP = "/aws/vpc/flowlogs"


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def records(rng, n, eni):
    """Default-format (v2) records of one interface."""
    out = []
    for i in range(n):
        start = T0 + rng.randint(0, 600)
        src = f"10.0.{rng.randint(0, 9)}.{rng.randint(1, 254)}"
        dst = f"203.0.113.{rng.randint(1, 254)}"
        pkts = rng.randint(1, 90)
        action = rng.choice(["ACCEPT", "ACCEPT", "REJECT"])
        out.append(f"2 {ACCOUNT} {eni} {src} {dst} {rng.randint(1024, 65535)} {rng.choice([22, 80, 443])} 6 "
                   f"{pkts} {pkts * rng.randint(40, 1500)} {start} {start + rng.randint(1, 59)} {action} OK")
    return out


def event(message, ts, stream=None, ingestion=None, event_id=None):
    ev = {}
    if stream:
        ev["logStreamName"] = stream
    ev["timestamp"] = ts
    ev["message"] = message
    if ingestion:
        ev["ingestionTime"] = ingestion
    if event_id:
        ev["eventId"] = event_id
    return ev


def expect(message, ts=None, stream=None, group=None, control=False):
    return {"message": message, "event_time_ms": ts, "log_stream": stream, "log_group": group, "control": control}


def main():
    rng = random.Random(5)
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    # filter-log-events: two pages, pretty-printed like the CLI does
    pages, exp = [], []
    for page in range(2):
        events = []
        for eni in ("eni-0aaa1111bbbb2222c", "eni-0ddd3333eeee4444f"):
            for msg in records(rng, 3, eni):
                ts = int(msg.split()[10]) * 1000
                events.append(event(msg, ts, f"{eni}-all", ts + 65000, f"{rng.getrandbits(100)}"))
                exp.append(expect(msg, ts, f"{eni}-all"))
        doc = {"events": events, "searchedLogStreams": [
            {"logStreamName": "eni-0aaa1111bbbb2222c-all", "searchedCompletely": True}]}
        if page == 0:
            doc["nextToken"] = "Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrI7fXLrZ"
        pages.append(json.dumps(doc, indent=4))
    with open(os.path.join(OUT, "filter-log-events-pages.json"), "w") as f:
        f.write("\n".join(pages) + "\n")
    expected["filter-log-events-pages.json"] = exp

    # get-log-events: one stream, no stream name in the events
    msgs = records(rng, 4, "eni-0aaa1111bbbb2222c")
    events = [event(m, int(m.split()[10]) * 1000, ingestion=int(m.split()[11]) * 1000 + 30000) for m in msgs]
    doc = {"events": events, "nextForwardToken": "f/37617839221382417227291893537898046536123064245738717184/s",
           "nextBackwardToken": "b/37617839202224924557426357437624245318097613113584746496/s"}
    with open(os.path.join(OUT, "get-log-events.json"), "w") as f:
        f.write(json.dumps(doc, indent=4) + "\n")
    expected["get-log-events.json"] = [expect(m, int(m.split()[10]) * 1000) for m in msgs]

    # --query events: a bare array of events
    msgs = records(rng, 3, "eni-0ddd3333eeee4444f")
    events = [event(m, int(m.split()[10]) * 1000, "eni-0ddd3333eeee4444f-all") for m in msgs]
    with open(os.path.join(OUT, "query-events-array.json"), "w") as f:
        f.write(json.dumps(events, indent=2) + "\n")
    expected["query-events-array.json"] = [expect(m, int(m.split()[10]) * 1000, "eni-0ddd3333eeee4444f-all")
                                           for m in msgs]

    # Firehose to S3: gzip members back to back, compact JSON, no newline between documents
    blob, exp = b"", []
    for n, eni in enumerate(("eni-0aaa1111bbbb2222c", "eni-0ddd3333eeee4444f", "eni-0aaa1111bbbb2222c")):
        if n == 1:
            control = {"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "",
                       "logStream": "", "subscriptionFilters": [],
                       "logEvents": [{"id": "", "timestamp": T0 * 1000,
                                      "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}
            blob += gz(json.dumps(control, separators=(",", ":")).encode())
            exp.append(expect(control["logEvents"][0]["message"], T0 * 1000, control=True))
        msgs = records(rng, 4, eni)
        payload = {"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": GROUP, "logStream": f"{eni}-all",
                   "subscriptionFilters": ["to-firehose"],
                   "logEvents": [{"id": str(rng.getrandbits(120)), "timestamp": int(m.split()[10]) * 1000,
                                  "message": m} for m in msgs]}
        blob += gz(json.dumps(payload, separators=(",", ":")).encode())
        exp += [expect(m, int(m.split()[10]) * 1000, f"{eni}-all", GROUP) for m in msgs]
    with open(os.path.join(OUT, "firehose-subscription.gz"), "wb") as f:
        f.write(blob)
    expected["firehose-subscription.gz"] = exp

    # Lambda: base64 of a gzip'd payload
    msgs = records(rng, 5, "eni-0ddd3333eeee4444f")
    payload = {"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": GROUP,
               "logStream": "eni-0ddd3333eeee4444f-all", "subscriptionFilters": ["to-lambda"],
               "logEvents": [{"id": str(i), "timestamp": int(m.split()[10]) * 1000, "message": m}
                             for i, m in enumerate(msgs)]}
    data = base64.b64encode(gz(json.dumps(payload).encode())).decode()
    with open(os.path.join(OUT, "lambda-event.json"), "w") as f:
        f.write(json.dumps({"awslogs": {"data": data}}) + "\n")
    expected["lambda-event.json"] = [expect(m, int(m.split()[10]) * 1000, "eni-0ddd3333eeee4444f-all", GROUP)
                                     for m in msgs]

    # NDJSON, as log shippers write it
    msgs = records(rng, 4, "eni-0aaa1111bbbb2222c")
    with open(os.path.join(OUT, "messages.ndjson"), "w") as f:
        for m in msgs:
            f.write(json.dumps({"message": m}) + "\n")
    expected["messages.ndjson"] = [expect(m) for m in msgs]

    # CloudWatch Logs export to S3: "<event time> <record>", gzip, no header
    msgs = records(rng, 6, "eni-0ddd3333eeee4444f")
    lines = []
    for m in msgs:
        ts = int(m.split()[10]) * 1000 + 123
        stamp = datetime.datetime.fromtimestamp(ts / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
        lines.append(f"{stamp[:-3]}Z {m}")
    with open(os.path.join(OUT, "000000.gz"), "wb") as f:
        f.write(gz(("\n".join(lines) + "\n").encode()))
    expected["000000.gz"] = [expect(m, int(m.split()[10]) * 1000 + 123) for m in msgs]

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
