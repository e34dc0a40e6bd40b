#!/usr/bin/python3
# Opening CloudWatch Logs JSON exports (issue 5): memory and random access.
#
# Generates the same 1,000,000 flow records as one `aws logs
# filter-log-events` JSON document and as S3 text, then measures tshark on
# both, alternating, median of N runs:
#
#   read      tshark -r FILE                   time and peak memory
#   two-pass  tshark -2 -r FILE -Y <filter>    the second pass reads every
#                                              record again through seek_read
#
# It prints the JSON's size next to tshark's peak memory (a reader that
# held the document would need more than its size), the JSON/text ratios,
# and the two-pass/one-pass ratio of each (a seek_read that re-parsed
# from the start of the document would make that grow with the file).
#
# Usage: bench/cloudwatch_read.py [--events N] [--runs N]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from flowlog_read import HEADER, flows, measure  # noqa: E402
from harness import Wireshark  # noqa: E402


def lines(n):
    for eni, src, dst, sport, dport, proto, pkts, nbytes, start, end, action in flows(n):
        yield eni, (f"2 123456789012 {eni} {src} {dst} {sport} {dport} {proto} {pkts} {nbytes} "
                    f"{start} {end} {action} OK"), start


def write_json(path, n):
    with open(path, "w") as f:
        f.write('{\n    "events": [\n')
        for i, (eni, line, start) in enumerate(lines(n)):
            event = {"logStreamName": f"{eni}-all", "timestamp": start * 1000, "message": line,
                     "ingestionTime": start * 1000 + 61000, "eventId": f"{37000000000000000000000000 + i}"}
            f.write(("        " if i == 0 else ",\n        ") + json.dumps(event))
        f.write('\n    ],\n    "searchedLogStreams": []\n}\n')


def write_text(path, n):
    with open(path, "w") as f:
        f.write(HEADER + "\n")
        for _, line, _ in lines(n):
            f.write(line + "\n")


def median_run(ws, args, runs):
    results = [measure(ws, args) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main():
    parser = argparse.ArgumentParser(description="CloudWatch Logs JSON reading cost in tshark")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()

    ws = Wireshark()
    try:
        js, text = ws.path("events.json"), ws.path("records.log")
        print(f"generating {opts.events} events ...", file=sys.stderr, flush=True)
        write_json(js, opts.events)
        write_text(text, opts.events)
        for p in (js, text):
            os.chmod(p, 0o644)
        size = os.path.getsize(js)
        flt = "vpcflow.dstport == 22"
        timings = {}
        for label, args in (("read", ["-r", "{}"]), ("two-pass", ["-2", "-r", "{}", "-Y", flt])):
            for name, path in (("json", js), ("text", text)):
                timings[(label, name)] = []
            for _ in range(opts.runs):
                for name, path in (("json", js), ("text", text)):
                    timings[(label, name)].append(measure(ws, [a.replace("{}", path) for a in args]))
        med = {k: (statistics.median(t for t, _ in v), statistics.median(m for _, m in v)) for k, v in timings.items()}
        print(f"tshark {ws.version}, {opts.events} events, JSON file {size / 2**20:.0f} MiB, "
              f"median of {opts.runs} alternating runs")
        for label in ("read", "two-pass"):
            (tj, mj), (tt, mt) = med[(label, "json")], med[(label, "text")]
            print(f"{label:9} JSON {tj:7.2f} CPU-s {mj / 1024:7.1f} MB | text {tt:7.2f} CPU-s {mt / 1024:7.1f} MB | "
                  f"JSON/text time {tj / tt:4.2f} memory {mj / mt:4.2f}")
        for name in ("json", "text"):
            print(f"{name}: two-pass/one-pass time {med[('two-pass', name)][0] / med[('read', name)][0]:4.2f}")
        print(f"peak memory of tshark -2 on the JSON: {med[('two-pass', 'json')][1] / 1024:.0f} MB for a "
              f"{size / 2**20:.0f} MiB document")
    finally:
        ws.cleanup()


if __name__ == "__main__":
    main()
