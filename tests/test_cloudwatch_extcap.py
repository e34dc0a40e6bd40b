# The CloudWatch Logs extcap (vpcflow-cloudwatch, issue 14 part 2) against
# moto's server mode, an emulator of the AWS API, on 127.0.0.1 only.
# The test puts flow records into a log group with boto3 while the extcap
# runs, and checks what tshark decodes from the extcap's output against
# the records it put: every event once and in order, the fields, a stop
# and a restart from a start time, and the errors AWS gives for wrong
# credentials and an unknown log group.
#
# moto runs in IAM mode (INITIAL_NO_AUTH_ACTION_COUNT): after the first
# requests, which create an IAM user and its access key, every request
# must carry a valid AWS Signature Version 4 of a key moto knows. So a
# capture that works proves libcurl's signature is what AWS computes,
# and a wrong key or secret gets the refusal AWS would give (moto names
# them InvalidClientTokenId and SignatureDoesNotMatch; AWS's CloudWatch
# Logs says UnrecognizedClientException and InvalidSignatureException).
#
# Debian 12 has no python3-moto: there the test skips. Debian 13 (the 4.4
# root) has it: make test WIRESHARK=4.4 PYTEST_ARGS='-k cloudwatch_extcap'.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from extcapref import read_pcapng
from harness import BUILD

EXTCAP = os.path.join(BUILD, "extcap", "vpcflow-cloudwatch")
INTERFACE = "vpcflow-cloudwatch"
REGION = "eu-west-1"
LINKTYPE_WIRESHARK_UPPER_PDU = 252

try:
    import boto3
    import moto  # noqa: F401 (only its presence is asked)
    HAVE_MOTO = True
except ImportError:
    HAVE_MOTO = False

pytestmark = pytest.mark.skipif(not os.path.exists(EXTCAP),
                                reason="vpcflow-cloudwatch not built (libcurl4-openssl-dev?)")
needs_moto = pytest.mark.skipif(not HAVE_MOTO, reason="moto is not installed (Debian 13's python3-moto; Debian 12 "
                                                      "has none): run make test WIRESHARK=4.4 "
                                                      "PYTEST_ARGS='-k cloudwatch_extcap'")

FIELDS = ["vpcflow.event_id", "vpcflow.log_group", "vpcflow.log_stream", "vpcflow.srcaddr", "vpcflow.dstaddr",
          "vpcflow.srcport", "vpcflow.dstport", "vpcflow.action", "vpcflow.interface_id", "frame.time_epoch",
          "frame.interface_name"]


def free_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    """moto's server on a free loopback port, in IAM mode, with one IAM
    user allowed everything: its key signs every request after setup."""

    def __init__(self):
        self.port = free_tcp_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3")
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
            env.pop(k, None)
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert self.proc.poll() is None and time.monotonic() < deadline, "moto server did not start"
                time.sleep(0.2)
        iam = self.client("iam", "AKIAUNAUTHENTICATED", "setup")
        iam.create_user(UserName="analyst")
        key = iam.create_access_key(UserName="analyst")["AccessKey"]
        self.key_id, self.secret = key["AccessKeyId"], key["SecretAccessKey"]
        iam = self.client("iam")
        iam.put_user_policy(UserName="analyst", PolicyName="all", PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'))
        self.logs = self.client("logs")

    def client(self, service, key_id=None, secret=None):
        return boto3.client(service, region_name=REGION, endpoint_url=self.url,
                            aws_access_key_id=key_id or self.key_id, aws_secret_access_key=secret or self.secret)

    def credentials_env(self):
        return {"AWS_ACCESS_KEY_ID": self.key_id, "AWS_SECRET_ACCESS_KEY": self.secret}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def aws():
    server = Moto()
    yield server
    server.stop()


def clean_env(extra, home):
    """The extcap's environment: no AWS settings of this machine, a home
    without ~/.aws, and extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = home
    # Without keys the chain would ask this machine's instance metadata service; only the
    # tests of that link (which name their own stand-in) let it.
    if not any(k.startswith(("AWS_EC2_METADATA", "AWS_CONTAINER_")) for k in extra):
        env["AWS_EC2_METADATA_DISABLED"] = "true"
    env.update(extra)
    return env


def run_extcap(output, aws, group, *args, env=None, home):
    return subprocess.Popen([EXTCAP, "--capture", "--extcap-interface", INTERFACE, "--fifo", output,
                             "--region", REGION, "--log-group", group, "--endpoint-url", aws.url, *args],
                            env=clean_env(aws.credentials_env() if env is None else env, home),
                            stderr=subprocess.PIPE, text=True)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return err


def packets_in(output):
    try:
        return len(read_pcapng(output)[1])
    except (AssertionError, FileNotFoundError, Exception):
        return 0  # a block half written


def wait_for(output, count, proc, timeout=40):
    deadline = time.monotonic() + timeout
    while packets_in(output) < count:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, f"{packets_in(output)} of {count} events arrived"
        time.sleep(0.2)


# Records of the default format (version 2); the source port numbers them.
def v2_record(n, eni, start, end):
    return {"version": "2", "account": "123456789012", "eni": eni, "src": f"10.0.{n % 200}.{n % 250 + 1}",
            "dst": "10.0.2.20", "srcport": str(20000 + n), "dstport": "443", "protocol": "6", "packets": "10",
            "bytes": str(840 + n), "start": str(start), "end": str(end), "action": "REJECT" if n % 3 == 0 else
            "ACCEPT", "status": "OK"}


def v2_message(r):
    return " ".join(r[k] for k in ("version", "account", "eni", "src", "dst", "srcport", "dstport", "protocol",
                                   "packets", "bytes", "start", "end", "action", "status"))


class Group:
    """A log group with streams named by their ENIs; put() keeps what it put."""

    def __init__(self, aws, name, enis):
        self.aws, self.name, self.enis = aws, name, enis
        aws.logs.create_log_group(logGroupName=name)
        for eni in enis:
            aws.logs.create_log_stream(logGroupName=name, logStreamName=f"{eni}-all")
        self.put_records = []   # (event time ms, stream, record dict)
        self.n = 0
        self.clock = int(time.time() * 1000) - 600_000    # event times: increasing, in the past 10 minutes

    def put(self, per_stream):
        """One batch: per_stream events into every stream, event times
        increasing across the whole group."""
        for eni in self.enis:
            events = []
            for _ in range(per_stream):
                self.clock += 7
                start = self.clock // 1000 - 60
                record = v2_record(self.n, eni, start, start + 55)
                self.n += 1
                events.append({"timestamp": self.clock, "message": v2_message(record)})
                self.put_records.append((self.clock, f"{eni}-all", record))
            self.aws.logs.put_log_events(logGroupName=self.name, logStreamName=f"{eni}-all", logEvents=events)

    def expected(self):
        """What tshark must decode, in event-time order."""
        return [[self.name, stream, r["src"], r["dst"], r["srcport"], r["dstport"], r["action"], r["eni"],
                 r["start"], stream] for _, stream, r in sorted(self.put_records, key=lambda e: e[0])]


def decoded(ws, output):
    rows = ws.fields(output, FIELDS)
    ids = [r[0] for r in rows]
    # frame.time_epoch: whole seconds of the record's start
    return ids, [r[1:9] + [r[9].split(".")[0], r[10]] for r in rows]


def iso(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@needs_moto
def test_events_arrive_once_in_order_and_decode(aws, ws):
    group = Group(aws, "/vpc/flow-logs/live", ["eni-0a1b2c3d4e5f60001", "eni-0a1b2c3d4e5f60002"])
    group.put(4)
    output = ws.path("live.pcapng")
    # a page of 7 events: every poll follows nextToken over several pages
    proc = run_extcap(output, aws, group.name, "--start-time", "-15m", "--poll-interval", "1", "--page-limit", "7",
                      home=ws.home)
    wait_for(output, 8, proc)
    for _ in range(3):          # more batches while it runs
        group.put(5)
        time.sleep(1.5)
    wait_for(output, 38, proc)
    time.sleep(2.5)             # two more polls: nothing may come twice
    stop(proc)

    interfaces, packets, _ = read_pcapng(output)
    assert {linktype for linktype, _ in interfaces} == {LINKTYPE_WIRESHARK_UPPER_PDU}
    assert len(packets) == 38
    ids, rows = decoded(ws, output)
    assert rows == group.expected()
    assert len(set(ids)) == 38 and all(ids)
    # one interface per stream
    assert len(interfaces) == 2
    # no secret in the capture
    data = open(output, "rb").read()
    assert aws.secret.encode() not in data and aws.key_id.encode() not in data


@needs_moto
def test_restart_from_a_start_time_resumes_without_loss_or_duplicates(aws, ws):
    group = Group(aws, "/vpc/flow-logs/restart", ["eni-0a1b2c3d4e5f60003"])
    group.put(6)
    first = ws.path("first.pcapng")
    proc = run_extcap(first, aws, group.name, "--start-time", "-1h", "--poll-interval", "1", home=ws.home)
    wait_for(first, 6, proc)
    group.put(3)
    wait_for(first, 9, proc)
    stop(proc)
    # the analyst restarts from just after the last event time seen
    last_ms = max(t for t, _, _ in group.put_records)
    group.put(5)                # while nothing was capturing
    second = ws.path("second.pcapng")
    proc = run_extcap(second, aws, group.name, "--start-time", iso(last_ms + 1), "--poll-interval", "1",
                      home=ws.home)
    wait_for(second, 5, proc)
    group.put(2)
    wait_for(second, 7, proc)
    time.sleep(2.5)
    stop(proc)
    ids1, rows1 = decoded(ws, first)
    ids2, rows2 = decoded(ws, second)
    assert rows1 + rows2 == group.expected()
    assert len(set(ids1 + ids2)) == 16


@needs_moto
def test_workshop_layout_is_detected(aws, ws):
    """The 29 fields up to version 5 sorted by name (the workshop's
    layout), recognised from the first events as the file reader does."""
    names = ["account-id", "action", "az-id", "bytes", "dstaddr", "dstport", "end", "flow-direction",
             "instance-id", "interface-id", "log-status", "packets", "pkt-dst-aws-service", "pkt-dstaddr",
             "pkt-src-aws-service", "pkt-srcaddr", "protocol", "region", "srcaddr", "srcport", "start",
             "sublocation-id", "sublocation-type", "subnet-id", "tcp-flags", "traffic-path", "type", "version",
             "vpc-id"]
    assert len(names) == 29
    aws.logs.create_log_group(logGroupName="/workshop")
    aws.logs.create_log_stream(logGroupName="/workshop", logStreamName="eni-0a1b")
    now = int(time.time())
    events = []
    for i in range(12):
        values = {"account-id": "123456789012", "action": "ACCEPT", "az-id": "use1-az1", "bytes": str(500 + i),
                  "dstaddr": "10.0.1.10", "dstport": "80", "end": str(now - 5), "flow-direction": "ingress",
                  "instance-id": "i-0a1b2c3d4e5f60001", "interface-id": "eni-0a1b", "log-status": "OK",
                  "packets": "4", "pkt-dst-aws-service": "-", "pkt-dstaddr": "10.0.1.10",
                  "pkt-src-aws-service": "-", "pkt-srcaddr": f"203.0.113.{i + 1}", "protocol": "6",
                  "region": "us-east-1", "srcaddr": f"203.0.113.{i + 1}", "srcport": str(40000 + i),
                  "start": str(now - 60), "sublocation-id": "-", "sublocation-type": "-",
                  "subnet-id": "subnet-0aa11bb22cc33dd01", "tcp-flags": "2", "traffic-path": "-", "type": "IPv4",
                  "version": "5", "vpc-id": "vpc-0a1b2c3d4e5f60718"}
        events.append({"timestamp": (now - 30) * 1000 + i, "message": " ".join(values[n] for n in names)})
    aws.logs.put_log_events(logGroupName="/workshop", logStreamName="eni-0a1b", logEvents=events)
    output = ws.path("workshop.pcapng")
    proc = run_extcap(output, aws, "/workshop", "--poll-interval", "1", "--start-time", "-5m", home=ws.home)
    wait_for(output, 12, proc)
    stop(proc)
    rows = ws.fields(output, ["vpcflow.srcaddr", "vpcflow.srcport", "vpcflow.bytes", "vpcflow.version"])
    assert rows == [[f"203.0.113.{i + 1}", str(40000 + i), str(500 + i), "5"] for i in range(12)]


def write_profile_files(ws, name, credentials="", config=""):
    folder = os.path.join(ws.root, "aws-" + name)
    os.makedirs(folder, exist_ok=True)
    paths = {}
    for kind, text in (("credentials", credentials), ("config", config)):
        paths[kind] = os.path.join(folder, kind)
        with open(paths[kind], "w") as f:
            f.write(text)
    return {"AWS_SHARED_CREDENTIALS_FILE": paths["credentials"], "AWS_CONFIG_FILE": paths["config"]}


def refused(aws, ws, group, env, *args):
    output = ws.path("refused.pcapng")
    proc = run_extcap(output, aws, group, *args, env=env, home=ws.home)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    return err


@needs_moto
def test_wrong_credentials_and_unknown_group_give_their_messages(aws, ws):
    Group(aws, "/vpc/flow-logs/refusals", ["eni-0a1b2c3d4e5f60004"])
    # a key moto does not know, from a named profile
    env = write_profile_files(ws, "unknown", credentials="[stale]\naws_access_key_id = AKIAUNKNOWN0000000000\n"
                                                         "aws_secret_access_key = wrong-secret-abc\n")
    err = refused(aws, ws, "/vpc/flow-logs/refusals", env, "--profile", "stale")
    assert "InvalidClientTokenId" in err and 'AWS profile "stale"' in err and "HTTP 403" in err
    assert "wrong-secret-abc" not in err
    # the right key with a wrong secret: the signature does not match
    env = {"AWS_ACCESS_KEY_ID": aws.key_id, "AWS_SECRET_ACCESS_KEY": "not-" + aws.secret}
    err = refused(aws, ws, "/vpc/flow-logs/refusals", env)
    assert "SignatureDoesNotMatch" in err and "the environment" in err
    assert aws.secret not in err
    # no credentials anywhere
    env = write_profile_files(ws, "none")
    err = refused(aws, ws, "/vpc/flow-logs/refusals", env)
    assert 'no AWS credentials' in err and 'profile "default"' in err
    # an unknown log group
    err = refused(aws, ws, "/vpc/flow-logs/no-such-group", aws.credentials_env())
    assert "ResourceNotFoundException" in err and "/vpc/flow-logs/no-such-group" in err


@needs_moto
def test_credential_process_profile(aws, ws):
    """credential_process of a [profile x] section in the config file,
    printing Version 1 JSON with a session token and an expiry."""
    group = Group(aws, "/vpc/flow-logs/process", ["eni-0a1b2c3d4e5f60005"])
    group.put(3)
    script = os.path.join(ws.root, "creds.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\ncat <<EOF\n{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\", "
                "\"Expiration\": \"2099-01-01T00:00:00Z\"}\nEOF\n" % (aws.key_id, aws.secret))
    os.chmod(script, 0o755)
    env = write_profile_files(ws, "process", config=f"[default]\nregion = us-east-2\n\n[profile sso]\n"
                                                    f"credential_process = {script} --profile sso\n")
    output = ws.path("process.pcapng")
    proc = run_extcap(output, aws, group.name, "--profile", "sso", "--poll-interval", "1", "--start-time", "-1h",
                      env=env, home=ws.home)
    wait_for(output, 3, proc)
    stop(proc)
    _, rows = decoded(ws, output)
    assert rows == group.expected()


def staged_extcaps(ws):
    folder = os.path.join(ws.root, "extcap")
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    shutil.copy(EXTCAP, folder)
    os.chmod(os.path.join(folder, INTERFACE), 0o755)
    return {"WIRESHARK_EXTCAP_DIR": folder}


@needs_moto
def test_tshark_lists_and_captures(aws, ws):
    group = Group(aws, "/vpc/flow-logs/tshark", ["eni-0a1b2c3d4e5f60006"])
    group.put(4)
    env = staged_extcaps(ws)
    listed = ws.tshark("-D", env=env).stdout
    assert "vpcflow-cloudwatch (AWS VPC Flow Logs from CloudWatch Logs (live))" in listed
    env.update(aws.credentials_env())
    output = ws.path("tshark-live.pcapng")
    proc = ws.tshark("-i", INTERFACE, "-o", f"extcap.vpcflow_cloudwatch.region:{REGION}",
                     "-o", f"extcap.vpcflow_cloudwatch.loggroup:{group.name}",
                     "-o", f"extcap.vpcflow_cloudwatch.endpointurl:{aws.url}",
                     "-o", "extcap.vpcflow_cloudwatch.starttime:-1h",
                     "-o", "extcap.vpcflow_cloudwatch.pollinterval:1", "-a", "duration:6", "-w", output,
                     env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    _, rows = decoded(ws, output)
    assert rows == group.expected()


# --- against a scripted stand-in for the API (no moto needed) ---

class ScriptedApi:
    """An HTTP server on 127.0.0.1 that answers each request with the next
    of a list of (status, body), then with empty pages; it keeps each
    request's headers and JSON body."""

    def __init__(self, answers):
        import http.server
        import json
        import threading

        self.answers = list(answers)
        self.requests = []
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                api.requests.append((dict(self.headers), json.loads(body)))
                status, answer = api.answers.pop(0) if api.answers else (200, b'{"events":[]}')
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


FAKE_KEYS = {"AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE0001", "AWS_SECRET_ACCESS_KEY": "fake-secret-never-sent",
             "AWS_SESSION_TOKEN": "fake-session-token"}


def page(events, token=None):
    import json
    doc = {"events": events, "searchedLogStreams": []}
    if token:
        doc["nextToken"] = token
    return 200, json.dumps(doc).encode()


def event(n, stream="eni-0a1b2c3d4e5f60009-all"):
    start = 1700000000 + n
    return {"logStreamName": stream, "timestamp": start * 1000 + 500, "ingestionTime": start * 1000 + 900,
            "eventId": f"3{n:055d}",
            "message": f"2 123456789012 eni-0a1b2c3d4e5f60009 10.0.0.{n} 10.0.0.200 {30000 + n} 22 6 1 60 "
                       f"{start} {start + 50} REJECT OK"}


def run_scripted(ws, api, name, *args):
    output = ws.path(name)
    proc = subprocess.Popen([EXTCAP, "--capture", "--extcap-interface", INTERFACE, "--fifo", output,
                             "--region", "eu-west-1", "--log-group", "/scripted", "--endpoint-url", api.url,
                             "--start-time", "2023-11-14T22:00:00Z", "--poll-interval", "1", *args],
                            env=clean_env(FAKE_KEYS, ws.home), stderr=subprocess.PIPE, text=True)
    return output, proc


def test_throttling_is_waited_out_and_pages_followed(ws):
    throttled = (400, b'{"__type":"ThrottlingException","message":"Rate exceeded"}')
    api = ScriptedApi([throttled, throttled, page([event(1), event(2)], token="page-2"), page([event(3)])])
    try:
        output, proc = run_scripted(ws, api, "scripted.pcapng", "--log-streams", "eni-0a1b2c3d4e5f60009-all")
        wait_for(output, 3, proc)
        time.sleep(1.5)
        err = stop(proc)
    finally:
        api.close()
    assert "ThrottlingException from CloudWatch Logs; waiting 1.0 s" in err
    assert "ThrottlingException from CloudWatch Logs; waiting 2.0 s" in err
    rows = ws.fields(output, ["vpcflow.srcaddr", "vpcflow.dstport", "vpcflow.action", "vpcflow.event_id",
                              "vpcflow.log_group", "vpcflow.log_stream", "frame.time_epoch"])
    # frame time: the record's start, not the event time
    assert rows == [[f"10.0.0.{n}", "22", "REJECT", event(n)["eventId"], "/scripted", "eni-0a1b2c3d4e5f60009-all",
                     f"{1700000000 + n}.000000000"] for n in (1, 2, 3)]
    # what was asked: the same first page until it was served, then the second by its token
    bodies = [body for _, body in api.requests]
    assert [b.get("nextToken") for b in bodies[:4]] == [None, None, None, "page-2"]
    assert all(b["logGroupName"] == "/scripted" and b["startTime"] == 1699999200000 and
               b["logStreamNames"] == ["eni-0a1b2c3d4e5f60009-all"] for b in bodies[:4])
    # later polls start 5 minutes before the newest event, no earlier than the start time
    assert len(bodies) > 4 and all(b["startTime"] == event(3)["timestamp"] - 300_000 for b in bodies[4:])
    headers = api.requests[0][0]
    assert headers["X-Amz-Target"] == "Logs_20140328.FilterLogEvents"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert headers["X-Amz-Security-Token"] == "fake-session-token"
    assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/")
    assert "/eu-west-1/logs/aws4_request" in headers["Authorization"]
    assert "x-amz-security-token" in headers["Authorization"].split("SignedHeaders=")[1]
    for h, _ in api.requests:
        assert "fake-secret-never-sent" not in repr(h)
    data = open(output, "rb").read()
    for secret in FAKE_KEYS.values():
        assert secret.encode() not in data


@pytest.mark.parametrize("answer,message", [
    ((200, b'{"events":[{"message":"x"' + b" " * 100), "not valid JSON"),
    ((200, b"[" * 100000), "unreadable answer"),
    ((200, b"<html>gateway</html>"), "unreadable answer"),
    ((200, b'{"events":[' + b'{"message":"' + b"A" * (9 * 1024 * 1024) + b'"}]}'), "larger than"),
    ((403, b'{"__type":"AccessDeniedException","message":"User is not authorized"}'), "AccessDeniedException"),
], ids=["cut", "deep", "html", "oversized", "denied"])
def test_hostile_or_refusing_answers_end_with_a_message(ws, answer, message):
    api = ScriptedApi([answer])
    try:
        _, proc = run_scripted(ws, api, "hostile.pcapng")
        _, err = proc.communicate(timeout=60)
    finally:
        api.close()
    assert proc.returncode == 1, err      # an exit, not a crash
    assert message in err


def test_unreadable_events_are_skipped_and_said(ws):
    api = ScriptedApi([page([{"message": 5}, event(4), {"timestamp": 3}, event(4)])])
    try:
        output, proc = run_scripted(ws, api, "skipped.pcapng")
        wait_for(output, 1, proc)
        time.sleep(1.5)
        err = stop(proc)
    finally:
        api.close()
    assert "skipped 2 unreadable events" in err
    # the same event id twice in a page: delivered once
    assert len(read_pcapng(output)[1]) == 1


class InstanceMetadata:
    """A stand-in for an EC2 instance's metadata service (IMDSv2) on
    127.0.0.1, or with container=True for the ECS/EKS credentials
    endpoint: it hands out the next of a list of (key set, seconds to
    expiry) at each credentials request, the last one again and again,
    and keeps every request (method, path, headers)."""

    TOKEN = "AQAEAImdsSessionToken=="
    ROLE = "mirror-target-role"

    def __init__(self, keys, container=False):
        import http.server
        import json
        import threading

        self.keys = list(keys)
        self.requests = []
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self, status, body):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def credentials(self):
                (key_id, secret, token), expires_in = service.keys.pop(0) if len(service.keys) > 1 else service.keys[0]
                expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=expires_in)
                doc = {"AccessKeyId": key_id, "SecretAccessKey": secret, "Token": token,
                       "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ")}
                if not container:
                    doc.update(Code="Success", Type="AWS-HMAC")
                return json.dumps(doc)

            def do_PUT(self):
                service.requests.append(("PUT", self.path, dict(self.headers)))
                if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                    self.answer(200, service.TOKEN)
                else:
                    self.answer(400, "")

            def do_GET(self):
                service.requests.append(("GET", self.path, dict(self.headers)))
                roles = "/latest/meta-data/iam/security-credentials/"
                if container:
                    self.answer(200, self.credentials())
                elif self.headers.get("X-aws-ec2-metadata-token") != service.TOKEN:
                    self.answer(401, "")
                elif self.path == roles:
                    self.answer(200, service.ROLE)
                elif self.path == roles + service.ROLE:
                    self.answer(200, self.credentials())
                else:
                    self.answer(404, "")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


INSTANCE_KEYS = [("ASIAINSTANCEKEY00001", "instance-secret-1", "instance-token-1"),
                 ("ASIAINSTANCEKEY00002", "instance-secret-2", "instance-token-2")]


def run_with_env(ws, api, name, env):
    output = ws.path(name)
    proc = subprocess.Popen([EXTCAP, "--capture", "--extcap-interface", INTERFACE, "--fifo", output,
                             "--region", "eu-west-1", "--log-group", "/scripted", "--endpoint-url", api.url,
                             "--start-time", "2023-11-14T22:00:00Z", "--poll-interval", "1"],
                            env=clean_env(env, ws.home), stderr=subprocess.PIPE, text=True)
    return output, proc


def test_credentials_of_the_ec2_instance_role(ws):
    """No keys and no profile, on an EC2 instance (the mirror target): the
    role's credentials from the metadata service (IMDSv2), fetched again
    when they come within 5 minutes of expiry; nothing of them in the capture."""
    # the first set reaches the 5-minute margin 3 s after it is handed out
    imds = InstanceMetadata([(INSTANCE_KEYS[0], 303), (INSTANCE_KEYS[1], 3600)])
    api = ScriptedApi([page([event(1)]), page([event(2)])])
    try:
        output, proc = run_with_env(ws, api, "instance.pcapng", {"AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.url})
        wait_for(output, 2, proc)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "KEY00002" not in api.requests[-1][0]["Authorization"]:
            time.sleep(0.2)
        stop(proc)
    finally:
        api.close()
        imds.close()
    assert [(m, p) for m, p, _ in imds.requests[:3]] == [
        ("PUT", "/latest/api/token"), ("GET", "/latest/meta-data/iam/security-credentials/"),
        ("GET", "/latest/meta-data/iam/security-credentials/mirror-target-role")]
    assert imds.requests[0][2]["X-aws-ec2-metadata-token-ttl-seconds"] == "21600"
    assert all(h["X-aws-ec2-metadata-token"] == InstanceMetadata.TOKEN for _, _, h in imds.requests[1:3])
    first, later = api.requests[0][0], api.requests[-1][0]
    assert first["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=ASIAINSTANCEKEY00001/")
    assert first["X-Amz-Security-Token"] == "instance-token-1"
    # expiring within the margin: fetched again, and the next calls are signed with the new keys
    assert later["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=ASIAINSTANCEKEY00002/")
    assert later["X-Amz-Security-Token"] == "instance-token-2"
    assert [r[0] for r in ws.fields(output, ["vpcflow.srcaddr"])] == ["10.0.0.1", "10.0.0.2"]
    data = open(output, "rb").read()
    for key in INSTANCE_KEYS:
        for part in key:
            assert part.encode() not in data


def test_credentials_of_the_container(ws):
    """ECS/EKS: AWS_CONTAINER_CREDENTIALS_FULL_URI (loopback) with its Authorization token."""
    agent = InstanceMetadata([(INSTANCE_KEYS[0], 3600)], container=True)
    api = ScriptedApi([page([event(1)])])
    env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": agent.url + "/v1/credentials",
           "AWS_CONTAINER_AUTHORIZATION_TOKEN": "pod-token",
           "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"}     # never asked
    try:
        output, proc = run_with_env(ws, api, "container.pcapng", env)
        wait_for(output, 1, proc)
        stop(proc)
    finally:
        api.close()
        agent.close()
    assert [(m, p, h.get("Authorization")) for m, p, h in agent.requests] == [("GET", "/v1/credentials", "pod-token")]
    assert api.requests[0][0]["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=ASIAINSTANCEKEY00001/")


def test_off_ec2_the_message_says_where_it_looked(ws):
    port = free_tcp_port()
    api = ScriptedApi([])
    try:
        start = time.monotonic()
        _, proc = run_with_env(ws, api, "nothing.pcapng", {"AWS_EC2_METADATA_SERVICE_ENDPOINT":
                                                           f"http://127.0.0.1:{port}"})
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - start
    finally:
        api.close()
    assert proc.returncode == 1
    assert "no AWS credentials: AWS_ACCESS_KEY_ID is not set and there is no profile \"default\"" in err
    assert f"and no instance metadata service answered at http://127.0.0.1:{port}" in err
    assert took < 15 and not api.requests


def test_extcap_protocol(ws):
    def ask(*args):
        return subprocess.run([EXTCAP, *args], capture_output=True, text=True, check=True).stdout

    assert "interface {value=vpcflow-cloudwatch}" in ask("--extcap-interfaces")
    assert ask("--extcap-dlts", "--extcap-interface", INTERFACE).startswith(
        f"dlt {{number={LINKTYPE_WIRESHARK_UPPER_PDU}}}")
    config = ask("--extcap-config", "--extcap-interface", INTERFACE)
    calls = [line.split("{call=")[1].split("}")[0] for line in config.splitlines()]
    assert calls == ["--region", "--log-group", "--log-streams", "--filter-pattern", "--start-time",
                     "--poll-interval", "--profile", "--endpoint-url"]
    # no option takes a secret
    assert not any(word in call for call in calls for word in ("secret", "key", "token", "password"))
    bad = subprocess.run([EXTCAP, "--capture", "--extcap-interface", INTERFACE, "--fifo", "/dev/null",
                          "--log-group", "g", "--region", "eu-west-1", "--start-time", "yesterday"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "no start time" in bad.stderr
    staged = staged_extcaps(ws)
    assert "vpcflow-cloudwatch (AWS VPC Flow Logs from CloudWatch Logs (live))" in ws.tshark("-D", env=staged).stdout
