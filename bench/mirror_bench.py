#!/usr/bin/python3
# What the Traffic Mirror part of the plugin costs, as ratios measured
# side by side in one run (the machine is shared, so absolute times are
# noise; runs are interleaved A/B and the medians compared).
#
#   1. a capture with no VXLAN at all: tshark with our plugins installed
#      against tshark without them (goal: at most 1.03);
#   2. an all-VXLAN mirror capture: with our plugins and a session table
#      against stock VXLAN decoding (goal: at most 1.3).
#
# The ratio judged is that of the smallest CPU times of each side (other
# work on the machine only adds time); the median of the per-pair ratios
# and the wall-time ratio are printed beside it.
#
# Captures are generated here (deterministic, plain struct, no scapy:
# a million packets in a few seconds) and kept in a cache folder.
# tshark must dissect every packet, and "tshark -q" alone does not, so
# each run uses "-z io,stat,0" (a tap without a filter: dissection
# without a protocol tree, the cheapest real dissection, where a fixed
# per-packet cost shows the most) and, as a second mode, a display
# filter (dissection with a protocol tree, what the GUI and -Y do).
#
#   /usr/bin/python3 bench/mirror_bench.py [--packets N] [--runs R] [--keep DIR]
#                                          [--modes tap,filter] [--captures plain,vxlan]
#                                          [--callgrind N]
# --callgrind N counts instructions per packet (valgrind) on the first N
# packets instead of timing: deterministic on a busy machine.
# VPCSHARK_BUILD=DIR benchmarks the plugins built in DIR instead of build/.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import os
import re
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from harness import Wireshark  # noqa: E402

SESSIONS = [  # vni, outer (source ENI) address, name
    (12345, "10.0.1.10", "web-eni"),
    (12346, "10.0.2.20", "db-eni"),
    (777, "10.0.3.30", "proxy-eni"),
]


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident=0, ttl=64):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000, ttl, proto, 0,
                      bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src_last, dst_last, proto, payload):
    src = bytes.fromhex("20010db8000000000000000000000000")[:15] + bytes([src_last])
    dst = bytes.fromhex("20010db8000000010000000000000000")[:15] + bytes([dst_last])
    return struct.pack("!IHBB", 0x60000000, len(payload), proto, 64) + src + dst + payload


def tcp(sport, dport, seq, ack, flags, payload):
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags,
                       65535, 0, 0) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def eth(payload, ethertype=0x0800, src=b"\x02\x00\x00\x00\x00\x01", dst=b"\x02\x00\x00\x00\x00\x02"):
    return dst + src + struct.pack("!H", ethertype) + payload


def dns_query(ident, name):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", 1, 1)


def plain_packets(n):
    """n ordinary packets: TCP flows (mostly), DNS, other UDP, some IPv6."""
    body = bytes(range(256)) * 6
    i = 0
    while i < n:
        flow = (i // 40) % 3000
        a = f"10.{1 + flow % 3}.{flow // 250 % 250}.{flow % 250 + 1}"
        b = f"192.0.2.{flow % 200 + 1}"
        sport = 20000 + flow
        k = i % 40
        if k < 30:
            size = (0, 64, 512, 1400)[k % 4]
            if k % 2:
                pkt = eth(ipv4(a, b, 6, tcp(sport, 443, 1000 + k * 1400, 5000, 0x18, body[:size]), ident=i))
            else:
                pkt = eth(ipv4(b, a, 6, tcp(443, sport, 5000 + k * 1400, 1000, 0x10, body[:size]), ident=i))
        elif k < 34:
            if k % 2:
                pkt = eth(ipv4(a, "10.0.0.2", 17, udp(sport, 53, dns_query(i & 0xFFFF, "example.com")), ident=i))
            else:
                pkt = eth(ipv4("10.0.0.2", a, 17, udp(53, sport, dns_query(i & 0xFFFF, "example.com")), ident=i))
        elif k < 37:
            pkt = eth(ipv4(a, b, 17, udp(sport, 40000 + flow % 1000, body[:200 + k]), ident=i))
        else:
            pkt = eth(ipv6(flow % 250, (flow + 1) % 250, 6, tcp(sport, 443, k * 100, 7, 0x18, body[:300])),
                      ethertype=0x86DD)
        yield pkt
        i += 1


def vxlan_packets(n):
    """n mirror copies of the plain packets, spread over the sessions."""
    for i, inner in enumerate(plain_packets(n)):
        vni, outer_src, _ = SESSIONS[i % len(SESSIONS)]
        vx = struct.pack("!II", 0x08000000, vni << 8) + inner
        yield eth(ipv4(outer_src, "10.0.9.9", 17, udp(65408 + i % 117, 4789, vx)))


def write_pcap(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1_700_000_000 * 1_000_000
        for pkt in packets:
            t += 7
            f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(pkt), len(pkt)))
            f.write(pkt)


def session_table():
    return "".join(f'"{vni}","","{name}","tms-{vni:017x}","eni-{vni:017x}","","bench session"\n'
                   for vni, _, name in SESSIONS)


def timed(world, capture, mode):
    """CPU seconds (user + system) of one tshark run, and its wall time.

    CPU time is what the comparison uses: the other jobs on a shared
    machine lengthen wall time far more than they change CPU time."""
    args = ["-r", capture, "-q"]
    args += ["-z", "io,stat,0"] if mode == "tap" else ["-Y", "frame.len < 0"]
    cmd = world.command("tshark", *args)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=world.work, env=world.env(), capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"tshark failed: {proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def instructions(world, capture, mode):
    """Instructions tshark executes (valgrind --tool=callgrind): the same
    on every run, whatever else the machine does."""
    out = world.path("callgrind.out")
    args = ["-r", capture, "-q"]
    args += ["-z", "io,stat,0"] if mode == "tap" else ["-Y", "frame.len < 0"]
    proc = subprocess.run(world.command("valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "tshark",
                                        *args), cwd=world.work, env=world.env(), capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed: {proc.stderr[-2000:]}")
    return int(found.group(1))


def compare_instructions(label, a_world, b_world, capture, packets, mode, folder):
    """Instructions per packet, B against A, start-up excluded (a run on
    the first packet alone is subtracted)."""
    cut = os.path.join(folder, f"{os.path.basename(capture)}.first{packets}.pcap")
    one = os.path.join(folder, f"{os.path.basename(capture)}.first1.pcap")
    for path, n in ((cut, packets), (one, 1)):
        if not os.path.exists(path):
            subprocess.run(["editcap", "-r", capture, path, f"1-{n}"], check=True)
        os.chmod(path, 0o644)
    a = (instructions(a_world, cut, mode) - instructions(a_world, one, mode)) / (packets - 1)
    b = (instructions(b_world, cut, mode) - instructions(b_world, one, mode)) / (packets - 1)
    print(f"{label:<55} {mode:<6} instructions/packet A {a:8.0f} B {b:8.0f} ratio {b / a:5.3f}", flush=True)
    return b / a


def compare(label, a_world, b_world, capture, mode, runs):
    """Interleaved A/B runs. The ratio judged is that of the smallest CPU
    times: on a shared machine other work only ever adds time, so the
    fastest run of each side is the least disturbed one. The median of
    the per-pair ratios is printed too."""
    a_cpu, b_cpu, pair, a_wall, b_wall = [], [], [], [], []
    timed(a_world, capture, mode)  # warm the page cache
    for _ in range(runs):
        ca, wa = timed(a_world, capture, mode)
        cb, wb = timed(b_world, capture, mode)
        a_cpu.append(ca)
        b_cpu.append(cb)
        a_wall.append(wa)
        b_wall.append(wb)
        pair.append(cb / ca)
    ratio = min(b_cpu) / min(a_cpu)
    print(f"{label:<55} {mode:<6} CPU min A {min(a_cpu):6.2f}s B {min(b_cpu):6.2f}s ratio {ratio:5.3f}; "
          f"median of pair ratios {statistics.median(pair):5.3f} ({min(pair):.3f}..{max(pair):.3f}); "
          f"wall medians ratio {statistics.median(b_wall) / statistics.median(a_wall):5.3f}", flush=True)
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", help="folder for the generated captures (reused if present)")
    parser.add_argument("--modes", default="tap,filter",
                        help="tap: -z io,stat,0 (no tree); filter: -Y (protocol tree)")
    parser.add_argument("--captures", default="plain,vxlan", help="plain (no VXLAN) and/or vxlan (all VXLAN)")
    parser.add_argument("--callgrind", type=int, metavar="N",
                        help="instead of timing, count instructions per packet on the first N packets "
                             "(valgrind; deterministic, slow: N=20000 takes minutes)")
    opts = parser.parse_args()

    stock = Wireshark(with_plugins=False)
    ours = Wireshark()
    with open(os.path.join(ours.config, "mirror_sessions"), "w") as f:
        f.write(session_table())
    os.chmod(os.path.join(ours.config, "mirror_sessions"), 0o644)
    folder = opts.keep or tempfile.mkdtemp(prefix="mirror-bench-")
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    plain = os.path.join(folder, f"plain-{opts.packets}.pcap")
    vxlan = os.path.join(folder, f"vxlan-{opts.packets}.pcap")
    for path, gen in ((plain, plain_packets), (vxlan, vxlan_packets)):
        if not os.path.exists(path):
            write_pcap(path + ".tmp", gen(opts.packets))
            os.rename(path + ".tmp", path)
        os.chmod(path, 0o644)
    how = f"instructions on the first {opts.callgrind}" if opts.callgrind else f"{opts.runs} interleaved runs each"
    print(f"{opts.packets} packets per capture, {how}; A = without, B = with the vpcshark plugins", flush=True)
    try:
        results = []
        captures = opts.captures.split(",")
        for mode in opts.modes.split(","):
            if opts.callgrind:
                if "plain" in captures:
                    results.append(("no VXLAN", mode, 1.03,
                                    compare_instructions("no-VXLAN capture: plugins installed vs not", stock, ours,
                                                         plain, opts.callgrind, mode, folder)))
                if "vxlan" in captures:
                    results.append(("all VXLAN", mode, 1.3,
                                    compare_instructions("all-VXLAN capture: plugins + sessions vs stock VXLAN",
                                                         stock, ours, vxlan, opts.callgrind, mode, folder)))
                continue
            if "plain" in captures:
                results.append(("no VXLAN", mode, 1.03,
                                compare("no-VXLAN capture: plugins installed vs not", stock, ours, plain, mode,
                                        opts.runs)))
            if "vxlan" in captures:
                results.append(("all VXLAN", mode, 1.3,
                                compare("all-VXLAN capture: plugins + sessions vs stock VXLAN", stock, ours, vxlan,
                                        mode, opts.runs)))
        print()
        for what, mode, goal, ratio in results:
            print(f"{what:<10} {mode:<8} ratio {ratio:5.3f}  goal <= {goal}  {'ok' if ratio <= goal else 'OVER'}")
    finally:
        stock.cleanup()
        ours.cleanup()
        if not opts.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
