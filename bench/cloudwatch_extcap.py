#!/usr/bin/python3
# How fast vpcflow-cloudwatch turns FilterLogEvents pages into frames, and
# what its event-id memory costs. A scripted server on 127.0.0.1 (the
# tests' ScriptedApi) answers one poll with --pages pages of --per-page
# events each (chained by nextToken, prepared in advance so the server
# costs little), then empty pages. Timed: from the first request to the
# last frame in the output file. Memory: the extcap's resident size once
# the poll is done, against a run that is answered with empty pages only;
# every event lies in the five-minute window, so all their ids are kept.
#
# A figure, not a test: the machine may be shared; say what else ran.
#
#   /usr/bin/python3 bench/cloudwatch_extcap.py [--pages 20] [--per-page 10000]
# VPCSHARK_BUILD=DIR uses the extcap built in DIR instead of build/.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from extcapref import read_pcapng  # noqa: E402
from test_cloudwatch_extcap import EXTCAP, FAKE_KEYS, INTERFACE, ScriptedApi  # noqa: E402

START = 1700000000


def pages(count, per_page):
    answers = []
    n = 0
    for p in range(count):
        events = []
        for _ in range(per_page):
            t = START + n // 100
            events.append({"logStreamName": f"eni-{n % 8:017x}-all", "timestamp": t * 1000 + n % 1000,
                           "ingestionTime": t * 1000 + 2000, "eventId": f"{n:056d}",
                           "message": f"2 123456789012 eni-{n % 8:017x} 10.{n >> 16 & 255}.{n >> 8 & 255}."
                                      f"{n & 255} 10.0.2.20 {1024 + n % 60000} 443 6 10 840 {t} {t + 59} ACCEPT OK"})
            n += 1
        doc = {"events": events, "searchedLogStreams": []}
        if p + 1 < count:
            doc["nextToken"] = f"page-{p + 2}"
        answers.append((200, json.dumps(doc).encode()))
    return answers


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run(answers, total, tmp):
    api = ScriptedApi(answers)
    output = os.path.join(tmp, "bench.pcapng")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(FAKE_KEYS)
    started = time.time()
    proc = subprocess.Popen([EXTCAP, "--capture", "--extcap-interface", INTERFACE, "--fifo", output,
                             "--region", "eu-west-1", "--log-group", "/bench", "--endpoint-url", api.url,
                             "--start-time", str(START * 1000), "--poll-interval", "3600"], env=env)
    # the poll is over when the server has answered every prepared page
    # and the file stops growing; the time is that of its last write
    last = -1
    while api.answers or not os.path.exists(output) or os.path.getsize(output) != last:
        last = os.path.getsize(output) if os.path.exists(output) else -1
        time.sleep(0.5)
    elapsed = os.path.getmtime(output) - started
    rss = rss_kib(proc.pid)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    api.close()
    size = os.path.getsize(output)
    frames = len(read_pcapng(output)[1])
    assert frames == total, f"{frames} frames of {total} events"
    return elapsed, rss, size


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--per-page", type=int, default=10000)
    args = parser.parse_args()
    total = args.pages * args.per_page
    answers = pages(args.pages, args.per_page)
    body_bytes = sum(len(b) for _, b in answers)
    with tempfile.TemporaryDirectory() as tmp:
        _, base_rss, _ = run([], 0, tmp)
        elapsed, rss, size = run(answers, total, tmp)
    print(f"{total:,} events in {args.pages} pages ({body_bytes / 1e6:.1f} MB of JSON): {elapsed:.2f} s, "
          f"{total / elapsed:,.0f} events/s, {size / 1e6:.1f} MB of pcapng")
    print(f"resident: {base_rss:,} KiB with no events, {rss:,} KiB with {total:,} event ids kept: "
          f"{(rss - base_rss) * 1024 / total:.0f} bytes per id")


if __name__ == "__main__":
    main()
