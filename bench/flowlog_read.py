#!/usr/bin/python3
# Cost of opening a flow log in tshark, against a pcap of the same number
# of frames (issue 2 goals: time <= 1.5x, two-pass memory <= 1.5x).
#
# Generates a 1,000,000-record S3-style .log.gz (default format, header
# line) and a pcap with one Ethernet/IPv4/TCP-or-UDP packet per record
# (same addresses, ports, times), then runs tshark on each, alternating
# A and B so that machine noise hits both, and prints medians and ratios
# of CPU time (user + system: a shared machine stretches wall time):
#
#   read     tshark -r FILE                     (summary line per frame)
#   two-pass tshark -2 -r FILE                  (peak memory: GNU time %M)
#   random   tshark -2 -r FILE -Y <filter>      (second pass = seek_read)
#
# Usage: bench/flowlog_read.py [--records N] [--runs N] [--keep DIR]
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import gzip
import os
import random
import statistics
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from harness import Wireshark  # noqa: E402

HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
T0 = 1664194200


def flows(n, seed=7):
    rng = random.Random(seed)
    enis = [f"eni-{rng.getrandbits(68):017x}" for _ in range(50)]
    for i in range(n):
        src = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        dst = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        proto = 6 if rng.random() < 0.8 else 17
        sport, dport = rng.randint(1024, 65535), rng.choice([443, 80, 53, 22, 8080])
        pkts = rng.randint(1, 500)
        start = T0 + i // 2000
        yield (rng.choice(enis), src, dst, sport, dport, proto, pkts, pkts * rng.randint(40, 1400), start,
               start + rng.randint(0, 59), "ACCEPT" if rng.random() < 0.9 else "REJECT")


def write_flowlog(path, n):
    with gzip.open(path, "wt", compresslevel=6) as f:
        f.write(HEADER + "\n")
        for eni, src, dst, sport, dport, proto, pkts, nbytes, start, end, action in flows(n):
            f.write(f"2 123456789012 {eni} {src} {dst} {sport} {dport} {proto} {pkts} {nbytes} "
                    f"{start} {end} {action} OK\n")


def ip_bytes(addr):
    return bytes(int(x) for x in addr.split("."))


def checksum(data):
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF


def write_pcap(path, n):
    """One packet per flow record: Ethernet, IPv4, TCP (or UDP), 16 bytes of payload."""
    eth = bytes.fromhex("0a0b0c0d0e0f" "020304050607" "0800")
    payload = b"x" * 16
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for _, src, dst, sport, dport, proto, _, _, start, _, _ in flows(n):
            if proto == 6:
                l4 = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 0x50, 0x18, 65535, 0, 0) + payload
            else:
                l4 = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0, 64, proto, 0, ip_bytes(src), ip_bytes(dst))
            ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
            frame = eth + ip + l4
            f.write(struct.pack("<IIII", start, 0, len(frame), len(frame)))
            f.write(frame)


def measure(ws, args):
    """CPU seconds (user + system) and peak RSS (kB) of one tshark run. CPU,
    not wall time: the machines are shared, and a neighbour's load stretches
    the wall time of one run and not of the next."""
    cmd = ws.command("/usr/bin/time", "-f", "%U %S %M", "tshark", *args)
    proc = subprocess.run(cmd, cwd=ws.work, env=ws.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"tshark {' '.join(args)} failed:\n{proc.stderr}")
    user, system, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(user) + float(system), int(rss)


def compare(ws, label, flow_args, pcap_args, runs):
    a_t, a_m, b_t, b_m = [], [], [], []
    for _ in range(runs):
        t, m = measure(ws, flow_args)
        a_t.append(t)
        a_m.append(m)
        t, m = measure(ws, pcap_args)
        b_t.append(t)
        b_m.append(m)
    ta, tb = statistics.median(a_t), statistics.median(b_t)
    ma, mb = statistics.median(a_m), statistics.median(b_m)
    print(f"{label:9} flow log {ta:7.2f} CPU-s {ma / 1024:7.1f} MB | pcap {tb:7.2f} CPU-s {mb / 1024:7.1f} MB | "
          f"time ratio {ta / tb:4.2f}  memory ratio {ma / mb:4.2f}", flush=True)
    return ta / tb, ma / mb


def main():
    parser = argparse.ArgumentParser(description="flow-log vs pcap reading cost in tshark")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="folder to keep the generated files in")
    opts = parser.parse_args()

    ws = Wireshark()
    try:
        flowlog = ws.path("bench.log.gz")
        pcap = ws.path("bench.pcap")
        print(f"generating {opts.records} records ...", file=sys.stderr, flush=True)
        write_flowlog(flowlog, opts.records)
        write_pcap(pcap, opts.records)
        for p in (flowlog, pcap):
            os.chmod(p, 0o644)
        print(f"tshark {ws.version}, {opts.records} frames, median of {opts.runs} alternating runs", flush=True)
        results = [
            compare(ws, "read", ["-r", flowlog], ["-r", pcap], opts.runs),
            compare(ws, "two-pass", ["-2", "-r", flowlog], ["-2", "-r", pcap], opts.runs),
            compare(ws, "random", ["-2", "-r", flowlog, "-Y", "vpcflow.dstport == 22"],
                    ["-2", "-r", pcap, "-Y", "tcp.dstport == 22 || udp.dstport == 22"], opts.runs),
        ]
        worst_time = max(r[0] for r in results)
        worst_memory = max(r[1] for r in results[1:])
        print(f"goal: time ratio <= 1.50 (worst {worst_time:.2f}), two-pass memory ratio <= 1.50 "
              f"(worst {worst_memory:.2f})")
        if opts.keep:
            os.makedirs(opts.keep, exist_ok=True)
            for p in (flowlog, pcap):
                os.replace(p, os.path.join(opts.keep, os.path.basename(p)))
    finally:
        ws.cleanup()


if __name__ == "__main__":
    main()
