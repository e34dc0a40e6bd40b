#!/usr/bin/python3
# The highest rate vpcshark-mirror sustains with no loss: the VXLAN
# datagrams of the bundled mirror captures are sent over loopback from
# four sources (127.0.0.2-5) at a fixed rate for a while (10 s), the
# extcap writing to a file; its final interface statistics block says how
# many datagrams the kernel dropped. The rate is raised until there are
# drops or the sender cannot keep up, then bisected.
#
# A figure, not a test: on loopback the sender also pays for the kernel's
# receive path, and the machine may be shared, so say which machine and
# what else ran when quoting it.
#
#   /usr/bin/python3 bench/mirror_extcap.py [--seconds 10] [--start 20000] [--buffer-kib 4096]
#                                           [--rates R1,R2,...]
# VPCSHARK_BUILD=DIR uses the extcap built in DIR instead of build/.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import glob
import os
import socket
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from extcapref import ISB_IFDROP, ISB_IFRECV, ISB_USRDELIV, Receiver, free_udp_port, options  # noqa: E402
from harness import REPO  # noqa: E402

SOURCES = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]


def mirror_payloads():
    """UDP payloads to port 4789 of the bundled mirror captures (classic
    pcap, Ethernet, IPv4), read here with struct."""
    payloads = []
    for path in sorted(glob.glob(os.path.join(REPO, "pcaps", "mirror", "*.pcap"))):
        with open(path, "rb") as f:
            data = f.read()
        if data[:4] != b"\xd4\xc3\xb2\xa1":
            continue
        pos = 24
        while pos + 16 <= len(data):
            caplen, wirelen = struct.unpack_from("<II", data, pos + 8)
            frame = data[pos + 16:pos + 16 + caplen]
            pos += 16 + caplen
            if caplen != wirelen or len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
                continue
            ihl = (frame[14] & 0x0F) * 4
            if struct.unpack_from("!H", frame, 14 + ihl + 2)[0] == 4789:
                payloads.append(frame[14 + ihl + 8:])
    return payloads


def last_statistics(path):
    """The options of the file's last block, which is the final interface
    statistics block."""
    with open(path, "rb") as f:
        f.seek(-4, os.SEEK_END)
        total = struct.unpack("=I", f.read(4))[0]
        f.seek(-total, os.SEEK_END)
        block = f.read(total)
    assert struct.unpack_from("=I", block)[0] == 5, "the file does not end with a statistics block"
    found = options(block[8 + 12:-4], "=")
    return {code: struct.unpack("=Q", value)[0] for code, value in found.items() if len(value) == 8}


def run(rate, seconds, buffer_kib, payloads):
    """Sends at rate datagrams/s for seconds; returns (sent, received,
    dropped, written, achieved rate)."""
    with tempfile.TemporaryDirectory(prefix="vpcshark-bench-") as tmp:
        output = os.path.join(tmp, "out.pcapng")
        receiver = Receiver(output, bind="127.0.0.1", port=free_udp_port(),
                            extra=("--buffer-size", str(buffer_kib)))
        senders = []
        for source in SOURCES:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((source, 0))
            senders.append(s)
        target = ("127.0.0.1", receiver.port)
        tick = 0.001  # send in bursts a millisecond apart
        start = time.monotonic()
        sent = 0
        n = len(payloads)
        while True:
            now = time.monotonic() - start
            if now >= seconds:
                break
            due = int(rate * min(now + tick, seconds))
            while sent < due:
                senders[sent & 3].sendto(payloads[sent % n], target)
                sent += 1
            delay = start + sent / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        elapsed = time.monotonic() - start
        time.sleep(0.5)
        receiver.stop()
        for s in senders:
            s.close()
        stats = last_statistics(output)
        return sent, stats.get(ISB_IFRECV), stats.get(ISB_IFDROP), stats.get(ISB_USRDELIV), sent / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--start", type=int, default=20000)
    parser.add_argument("--buffer-kib", type=int, default=4096)
    parser.add_argument("--rates", help="comma-separated rates to try instead of searching")
    args = parser.parse_args()
    payloads = mirror_payloads()
    mean = sum(len(p) for p in payloads) / len(payloads)
    print(f"{len(payloads)} distinct datagrams, {mean:.0f} bytes on average; {args.seconds:g} s per rate; "
          f"receive buffer asked: {args.buffer_kib} KiB; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")

    def trial(rate):
        sent, received, dropped, written, achieved = run(rate, args.seconds, args.buffer_kib, payloads)
        ok = dropped == 0 and achieved >= 0.97 * rate and received == sent
        print(f"  {rate:>8} /s asked, {achieved:>9.0f} /s sent: {sent} sent, {received} received, "
              f"{dropped} dropped, {written} written{'' if ok else '  <- not sustained'}", flush=True)
        return ok, achieved

    if args.rates:
        for rate in (int(r) for r in args.rates.split(",")):
            trial(rate)
        return
    good, good_sent, bad = 0, 0.0, None
    rate = args.start
    while bad is None:
        ok, achieved = trial(rate)
        if ok:
            good, good_sent, rate = rate, achieved, rate * 2
        else:
            bad = rate
    while bad - good > max(good // 10, 1000):
        rate = (good + bad) // 2
        ok, achieved = trial(rate)
        if ok:
            good, good_sent = rate, achieved
        else:
            bad = rate
    print(f"highest rate sustained for {args.seconds:g} s with no drops: {good_sent:.0f} datagrams/s sent "
          f"({good} /s asked; first failure at {bad} /s asked; load now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
