#!/usr/bin/python3
# What joining flow records with mirrored packets costs (issue 12), as
# ratios measured side by side: the same merged capture (a mirror capture
# and the flow log of the same traffic) read with the join on against the
# join off (-o vpcflow.mirror_join:FALSE). Goal: at most 1.3x CPU time and
# 1.3x peak memory.
#
# Three sides, one pass each (a tap forces dissection of every frame):
# A, join off and no report (-z io,stat,0); R, join off with the report's
# tap (-z vpcflow,mirror, which then prints nothing joined); B, join on
# with the report, which resolves the join at the end. B is judged against
# A and R. Runs are interleaved; the ratios are of the smallest CPU times
# (other work on a shared machine only adds time) and of the peak
# resident sizes.
#
# Files are generated here (plain struct, no scapy): PACKETS mirrored
# packets 1 ms apart, in blocks of 10 packets of one flow, flows taking
# turns so that each flow has one block, hence one record, per minute
# (1,000,000 packets give 100,000 records); each record stamped 2 s late.
#
#   /usr/bin/python3 bench/correlation_bench.py [--packets N] [--runs R] [--keep DIR]
# VPCSHARK_BUILD=DIR benchmarks the plugins built in DIR instead of build/.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import mirror_bench  # noqa: E402  (packet builders, sessions, session table)
from harness import BUILD, Wireshark  # noqa: E402

T0 = 1_700_000_040
BLOCK = 10            # packets of one flow in a row: one record's worth
STAMP_LAG = 2         # seconds the records are stamped after their packets


def flows_for(packets):
    """Flows taking turns so that each comes back once a minute."""
    return max(1, 60_000 // BLOCK) if packets >= 60_000 else max(1, packets // BLOCK)


def flow_tuple(flow):
    vni, _, _ = mirror_bench.SESSIONS[flow % len(mirror_bench.SESSIONS)]
    return (f"eni-{vni:017x}", vni, f"10.{1 + flow % 200}.{flow // 200 % 250}.{flow % 250 + 1}", "192.0.2.10",
            20000 + flow % 40000, 443)


def write_pair(folder, packets):
    """The mirror capture and its flow log; returns their paths."""
    n_flows = flows_for(packets)
    mirror = os.path.join(folder, f"mirror-{packets}.pcap")
    log = os.path.join(folder, f"flows-{packets}.log")
    body = bytes(range(256)) * 2
    records = {}

    def copies():
        for i in range(packets):
            block = i // BLOCK
            flow = block % n_flows
            eni, vni, src, dst, sport, dport = flow_tuple(flow)
            payload = body[:(i * 37) % 400]
            inner = mirror_bench.eth(mirror_bench.ipv4(src, dst, 6, mirror_bench.tcp(sport, dport, i, 1, 0x18, payload),
                                                       ident=i))
            t_ms = i
            key = (flow, block)
            rec = records.setdefault(key, [t_ms, t_ms, 0, 0, eni, src, dst, sport, dport])
            rec[1] = t_ms
            rec[2] += 1
            rec[3] += len(inner) - 14
            outer_src = next(s[1] for s in mirror_bench.SESSIONS if s[0] == vni)
            vx = mirror_bench.struct.pack("!II", 0x08000000, vni << 8) + inner
            yield t_ms, mirror_bench.eth(mirror_bench.ipv4(outer_src, "10.0.9.9", 17,
                                                           mirror_bench.udp(65408 + i % 117, 4789, vx)))

    with open(mirror, "wb") as f:
        f.write(mirror_bench.struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t_ms, pkt in copies():
            t_us = T0 * 1_000_000 + t_ms * 1000
            f.write(mirror_bench.struct.pack("<IIII", t_us // 1_000_000, t_us % 1_000_000, len(pkt), len(pkt)))
            f.write(pkt)
    lines = []
    for (flow, block), (first, last, n, nbytes, eni, src, dst, sport, dport) in records.items():
        start, end = T0 + first // 1000 + STAMP_LAG, T0 + last // 1000 + STAMP_LAG
        lines.append((start, f"2 123456789012 {eni} {src} {dst} {sport} {dport} 6 {n} {nbytes} {start} {end} "
                             f"ACCEPT OK"))
    lines.sort()
    with open(log, "w") as f:
        f.write("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start "
                "end action log-status\n")
        for _, line in lines:
            f.write(line + "\n")
    return mirror, log, len(lines)


def run(world, capture, join, report=True):
    """One run: (CPU seconds, peak kB, report text)."""
    cmd = world.command("tshark", "-r", capture, "-q", "-z", "vpcflow,mirror" if report else "io,stat,0", "-o",
                        f"vpcflow.mirror_join:{'TRUE' if join else 'FALSE'}")
    proc = subprocess.Popen(cmd, cwd=world.work, env=world.env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"tshark failed ({status})")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out.decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="folder for the generated files (reused if present)")
    opts = parser.parse_args()

    world = Wireshark(build=os.environ.get("VPCSHARK_BUILD", BUILD))
    with open(os.path.join(world.config, "mirror_sessions"), "w") as f:
        f.write(mirror_bench.session_table())
    os.chmod(os.path.join(world.config, "mirror_sessions"), 0o644)
    folder = opts.keep or tempfile.mkdtemp(prefix="correlation-bench-")
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o1777)     # mergecap runs unprivileged (harness) and writes here
    merged = os.path.join(folder, f"both-{opts.packets}.pcapng")
    if not os.path.exists(merged):
        mirror, log, _ = write_pair(folder, opts.packets)
        for path in (mirror, log):
            os.chmod(path, 0o644)
        world.run("mergecap", "-w", merged + ".tmp", log, mirror)
        os.rename(merged + ".tmp", merged)
    os.chmod(merged, 0o644)
    try:
        sides = {"A": dict(join=False, report=False), "R": dict(join=False, report=True),
                 "B": dict(join=True, report=True)}
        cpu = {k: [] for k in sides}
        rss = {k: [] for k in sides}
        report = ""
        for _ in range(opts.runs):
            for name, how in sides.items():
                c, r, out = run(world, merged, **how)
                cpu[name].append(c)
                rss[name].append(r)
                if name == "B":
                    report = out
        totals = [line for line in report.splitlines() if line.startswith(("Records:", "Mirrored packets:"))]
        print(f"{opts.packets} mirrored packets merged with their flow log; {opts.runs} interleaved runs each; "
              f"A = join off, no report (-z io,stat,0); R = join off, -z vpcflow,mirror; B = join on, "
              f"-z vpcflow,mirror")
        print("\n".join(totals))
        for base in ("A", "R"):
            print(f"B against {base}: CPU min {min(cpu[base]):.2f}s -> {min(cpu['B']):.2f}s ratio "
                  f"{min(cpu['B']) / min(cpu[base]):.3f}; peak RSS {max(rss[base]) / 1024:.0f} MB -> "
                  f"{max(rss['B']) / 1024:.0f} MB ratio {max(rss['B']) / max(rss[base]):.3f} (goal <= 1.3 each)")
    finally:
        world.cleanup()


if __name__ == "__main__":
    main()
