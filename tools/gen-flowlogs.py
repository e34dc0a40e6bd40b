#!/usr/bin/python3
# Generate the flow-log files vpcshark bundles for its demo and tests.
#
# The traffic imitates the AWS workshop this project serves (a web tier
# behind a load balancer, SSH and RDP probes from the
# internet rejected), written the two ways AWS delivers it:
#
#   pcaps/demo/123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz
#       S3 delivery: gzip, header line, all 29 v2..v5 fields (the names
#       sorted, as the console's "select all" lists them)
#   pcaps/demo/workshop-cloudwatch.log
#       the same records as CloudWatch Logs holds them: no header
#
# Deterministic (fixed seed, fixed gzip mtime): rerunning reproduces the
# committed files byte for byte.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import gzip
import io
import os
import random
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "pcaps", "demo")

FIELDS = sorted("""version account-id interface-id srcaddr dstaddr srcport dstport protocol packets
bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr
region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction
traffic-path""".split())

ACCOUNT = "123456789012"
VPC = "vpc-0a1b2c3d4e5f60718"
REGION = "us-east-1"
T0 = 1664194200          # 2022-09-26 12:10:00 UTC

# The web tier: interface, instance, subnet, az, private address
WEB = [
    ("eni-0a1b", "i-0a1b2c3d4e5f60001", "subnet-0aa11bb22cc33dd01", "use1-az1", "10.0.1.10"),
    ("eni-0c2d", "i-0a1b2c3d4e5f60002", "subnet-0aa11bb22cc33dd02", "use1-az4", "10.0.2.20"),
]
LB_ADDRS = ["10.0.0.5", "10.0.0.6"]
PROBERS = ["203.0.113.5", "198.51.100.77", "192.0.2.200", "203.0.113.66"]
S3_ADDR = "52.219.56.10"


def record(**values):
    base = {name: "-" for name in FIELDS}
    base.update({"version": "5", "account-id": ACCOUNT, "vpc-id": VPC, "region": REGION, "type": "IPv4"})
    base.update(values)
    if base["pkt-srcaddr"] == "-":
        base["pkt-srcaddr"] = base["srcaddr"]
    if base["pkt-dstaddr"] == "-":
        base["pkt-dstaddr"] = base["dstaddr"]
    return base


def on(web, **values):
    eni, instance, subnet, az, _ = web
    return record(**{"interface-id": eni, "instance-id": instance, "subnet-id": subnet, "az-id": az}, **values)


def generate(rng):
    records = []
    # The example the README quotes, first.
    records.append(on(WEB[0], srcaddr="203.0.113.5", dstaddr="10.0.1.10", srcport="51515", dstport="22",
                      protocol="6", packets="3", bytes="180", start=str(T0 + 1), end=str(T0 + 42),
                      action="REJECT", **{"log-status": "OK", "tcp-flags": "2", "flow-direction": "ingress"}))
    for minute in range(10):
        t = T0 + 60 * minute
        for web in WEB:
            addr = web[4]
            for _ in range(rng.randint(2, 4)):
                lb = rng.choice(LB_ADDRS)
                port = rng.randint(32768, 60999)
                pkts = rng.randint(5, 60)
                req = pkts * rng.randint(60, 400)
                resp = pkts * rng.randint(500, 1400)
                s, e = t + rng.randint(0, 20), t + rng.randint(21, 59)
                records.append(on(web, srcaddr=lb, dstaddr=addr, srcport=str(port), dstport="80", protocol="6",
                                  packets=str(pkts), bytes=str(req), start=str(s), end=str(e), action="ACCEPT",
                                  **{"log-status": "OK", "tcp-flags": "19", "flow-direction": "ingress"}))
                records.append(on(web, srcaddr=addr, dstaddr=lb, srcport="80", dstport=str(port), protocol="6",
                                  packets=str(pkts), bytes=str(resp), start=str(s), end=str(e), action="ACCEPT",
                                  **{"log-status": "OK", "tcp-flags": "19", "flow-direction": "egress",
                                     "traffic-path": "1"}))
            if rng.random() < 0.5:
                prober = rng.choice(PROBERS)
                dport = rng.choice(["22", "22", "3389", "23"])
                pkts = rng.randint(1, 6)
                s = t + rng.randint(0, 50)
                records.append(on(web, srcaddr=prober, dstaddr=addr, srcport=str(rng.randint(1024, 65535)),
                                  dstport=dport, protocol="6", packets=str(pkts), bytes=str(pkts * 60),
                                  start=str(s), end=str(s + rng.randint(0, 9)), action="REJECT",
                                  **{"log-status": "OK", "tcp-flags": "2", "flow-direction": "ingress"}))
            if minute % 3 == 0:
                pkts = rng.randint(20, 200)
                s = t + rng.randint(0, 30)
                records.append(on(web, srcaddr=addr, dstaddr=S3_ADDR, srcport=str(rng.randint(32768, 60999)),
                                  dstport="443", protocol="6", packets=str(pkts), bytes=str(pkts * 1200),
                                  start=str(s), end=str(s + 25), action="ACCEPT",
                                  **{"log-status": "OK", "tcp-flags": "3", "flow-direction": "egress",
                                     "pkt-dst-aws-service": "S3", "traffic-path": "8"}))
                records.append(on(web, srcaddr=addr, dstaddr="10.0.0.2", srcport=str(rng.randint(32768, 60999)),
                                  dstport="53", protocol="17", packets="2", bytes="140",
                                  start=str(s), end=str(s), action="ACCEPT",
                                  **{"log-status": "OK", "tcp-flags": "0", "flow-direction": "egress",
                                     "traffic-path": "1"}))
        if minute == 7:
            records.append(on(WEB[1], start=str(t), end=str(t + 59), **{"log-status": "NODATA"}))
    return records


def lines(records):
    return [" ".join(r[name] for name in FIELDS) for r in records]


def write_gzip(path, text):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
        gz.write(text.encode())
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    os.makedirs(OUT, exist_ok=True)
    records = generate(random.Random(20220926))
    body = "\n".join(lines(records)) + "\n"
    s3 = os.path.join(OUT, f"{ACCOUNT}_vpcflowlogs_{REGION}_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")
    write_gzip(s3, " ".join(FIELDS) + "\n" + body)
    with open(os.path.join(OUT, "workshop-cloudwatch.log"), "w") as f:
        f.write(body)
    print(f"{len(records)} records -> {os.path.relpath(s3, REPO)}, pcaps/demo/workshop-cloudwatch.log",
          file=sys.stderr)


if __name__ == "__main__":
    main()
