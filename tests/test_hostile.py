# Hostile inputs, made at test time (nothing big is committed). Each must
# give a clear message or a flagged frame, within a time and peak-memory
# bound, read in one pass and in two (tshark -2: random access to every
# record, as the GUI does). Peak RSS is GNU time's; tshark alone starts at
# about 150 MB here, so the bound leaves room for one big buffer, not for
# holding an input whole.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import base64
import gzip
import os
import re
import subprocess
import time
import zlib

import pytest

from harness import tshark_exit_invalid_file

SECONDS_MAX = 60
RSS_MAX_KB = 450 * 1024
MIB = 1024 * 1024

HEADER = (b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
          b"action log-status\n")
RECORD = (b"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 "
          b"1418530070 ACCEPT OK")


def measured(ws, path, *args):
    """Run tshark on path under GNU time: (process, seconds, peak RSS in KB)."""
    cmd = ws.command("/usr/bin/time", "-f", "VPCSHARK-MAXRSS-KB %M", "tshark", "-r", path, *args)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ws.work, env=ws.env(), capture_output=True, text=True, timeout=SECONDS_MAX * 2)
    elapsed = time.monotonic() - start
    rss = int(re.search(r"VPCSHARK-MAXRSS-KB (\d+)", proc.stderr).group(1))
    return proc, elapsed, rss


def frames(ws, path, passes):
    """Expert messages and actions per frame, checking the bounds."""
    args = ["-T", "fields", "-E", "separator=/t", "-e", "_ws.expert.message", "-e", "vpcflow.action"]
    proc, elapsed, rss = measured(ws, path, *(["-2"] if passes == 2 else []), *args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert elapsed < SECONDS_MAX, f"{elapsed:.1f} s"
    assert rss < RSS_MAX_KB, f"peak RSS {rss // 1024} MB"
    return [line.split("\t") for line in proc.stdout.splitlines()]


def write(ws, name, chunks):
    path = ws.path(name)
    with open(path, "wb") as f:
        for chunk in chunks:
            f.write(chunk)
    os.chmod(path, 0o644)
    return path


@pytest.fixture(scope="module")
def work(ws):
    yield ws
    for name in os.listdir(ws.work):
        if name.startswith("hostile-"):
            os.unlink(ws.path(name))


@pytest.mark.parametrize("passes", [1, 2])
def test_100_mb_single_line(work, passes):
    line = b"2 " + b"x" * (100 * MIB)
    path = write(work, "hostile-long-line.log", [HEADER, RECORD, b"\n", line, b"\n", RECORD, b"\n"])
    rows = frames(work, path, passes)
    assert [r[1] for r in rows] == ["ACCEPT", "", "ACCEPT"]
    m = re.search(r"Malformed line 3: (\d+) bytes long; only the first 65536 are kept", rows[1][0])
    assert m and int(m.group(1)) == len(line), rows[1][0]


@pytest.mark.parametrize("passes", [1, 2])
def test_last_line_cut_without_end_of_line(work, passes):
    """A record whose first 64 KiB decode, then more without a newline:
    the cut must be flagged (it was silently dropped before)."""
    tail = RECORD + b" " * 70000 + b"EXTRA"
    path = write(work, "hostile-last-line.log", [HEADER, RECORD, b"\n", tail])
    rows = frames(work, path, passes)
    assert len(rows) == 2
    assert f"Malformed line 3: {len(tail)} bytes long; only the first 65536 are kept" in rows[1][0]


@pytest.mark.parametrize("passes", [1, 2])
def test_nul_bytes_after_a_header(work, passes):
    path = write(work, "hostile-nul.log", [HEADER, b"\0" * (10 * MIB)])
    rows = frames(work, path, passes)
    assert len(rows) == 1
    assert f"Malformed line 2: {10 * MIB} bytes long; only the first 65536 are kept" in rows[0][0]
    assert "Malformed line 2: 1 fields where the format has 14" in rows[0][0]


def test_header_with_10000_fields(work):
    names = HEADER.split()
    header = b" ".join(names[i % len(names)] for i in range(10000))
    path = write(work, "hostile-wide.log", [header, b"\n", b" ".join([b"1"] * 10000), b"\n"])
    proc, elapsed, rss = measured(work, path)
    assert proc.returncode == tshark_exit_invalid_file()
    assert "vpcflow: the header line names more than 1024 fields, the most vpcshark reads" in proc.stderr
    assert elapsed < SECONDS_MAX and rss < RSS_MAX_KB


@pytest.mark.parametrize("passes", [1, 2])
def test_gzip_bomb(work, passes):
    """512 MiB of one letter, no newline, in 0.5 MB of gzip."""
    size = 512 * MIB
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"A" * MIB
    path = write(work, "hostile-bomb.log.gz",
                 [z.compress(HEADER)] + [z.compress(chunk) for _ in range(size // MIB)] + [z.flush()])
    assert os.path.getsize(path) < MIB
    rows = frames(work, path, passes)
    assert len(rows) == 1
    assert f"Malformed line 2: {size} bytes long; only the first 65536 are kept" in rows[0][0]


@pytest.mark.parametrize("passes", [1, 2])
def test_json_nesting_bomb(work, passes):
    """Ten million nested arrays between two events, then one more event:
    one error frame, and reading goes on with the next document."""
    event = b'{"message":"' + RECORD + b'"}'
    depth = 10 * MIB
    path = write(work, "hostile-nest.json",
                 [b'{"events":[', event, b",", b"[" * depth, b"]" * depth, b",", event, b"]}\n", event, b"\n"])
    rows = frames(work, path, passes)
    assert [r[1] for r in rows] == ["ACCEPT", "", "ACCEPT"]
    assert re.fullmatch(r"Malformed JSON: JSON nested deeper than 64 levels at byte \d+", rows[1][0])


@pytest.mark.parametrize("passes", [1, 2])
def test_lambda_payload_bomb(work, passes):
    """A Lambda event whose 1.4 MB of base64 inflate to 1 GiB."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"A" * MIB
    data = z.compress(b'{"logEvents":[{"message":"') + b"".join(z.compress(chunk) for _ in range(1024))
    data += z.compress(b'"}]}') + z.flush()
    path = write(work, "hostile-lambda-bomb.json", [b'{"awslogs":{"data":"', base64.b64encode(data), b'"}}\n'])
    rows = frames(work, path, passes)
    assert rows == [["Malformed JSON: the Lambda payload inflates to more than 67108864 bytes", ""]]


def test_lambda_payload_of_50000_events_in_two_passes(work):
    """Random access to each event of one payload: it used to inflate the
    payload again for every event (minutes); now once."""
    event = b'{"id":"1","timestamp":1418530010000,"message":"' + RECORD + b'"}'
    n = 50000
    inner = b'{"messageType":"DATA_MESSAGE","logStream":"eni-1","logEvents":[' + b",".join([event] * n) + b"]}"
    path = write(work, "hostile-lambda-many.json",
                 [b'{"awslogs":{"data":"', base64.b64encode(gzip.compress(inner, mtime=0)), b'"}}\n'])
    rows = frames(work, path, 2)
    assert len(rows) == n and all(r == ["", "ACCEPT"] for r in rows)
