# Helpers for the tests of the vpcshark-mirror extcap: running it, sending
# it datagrams from several loopback sources, and reading its pcapng
# output with a reader written here from the pcapng specification (not
# with our writer's code, nor with tshark).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import signal
import socket
import struct
import subprocess
import time

from harness import BUILD

EXTCAP = os.path.join(BUILD, "extcap", "vpcshark-mirror")
INTERFACE = "vpcshark-mirror"


def free_udp_port():
    """A UDP port free for IPv4 and IPv6 right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", 0))
        return s.getsockname()[1]


class Receiver:
    """vpcshark-mirror capturing into a file, as Wireshark runs it."""

    def __init__(self, output, bind="::", port=None, extra=()):
        self.output = output
        self.port = port or free_udp_port()
        self.proc = subprocess.Popen(
            [EXTCAP, "--capture", "--extcap-interface=" + INTERFACE, "--fifo", output, "--bind", bind,
             "--port", str(self.port), *extra],
            stderr=subprocess.PIPE, text=True)
        # The output is opened once the socket is bound, and starts with
        # the section header and the interface description.
        deadline = time.monotonic() + 10
        while not (os.path.exists(output) and os.path.getsize(output) > 0):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("vpcshark-mirror did not start: " + self.proc.stderr.read())
            time.sleep(0.01)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        _, err = self.proc.communicate(timeout=10)
        assert self.proc.returncode == 0, err
        return err


class Senders:
    """One UDP socket per emulated source ENI, bound to its own loopback
    address (127.0.0.2, .3, ... ; IPv6 has only ::1)."""

    def __init__(self):
        self.sockets = {}

    def socket_for(self, source):
        if source not in self.sockets:
            family = socket.AF_INET6 if ":" in source else socket.AF_INET
            s = socket.socket(family, socket.SOCK_DGRAM)
            s.bind((source, 0))
            self.sockets[source] = s
        return self.sockets[source]

    def send(self, source, payload, port):
        s = self.socket_for(source)
        target = "::1" if s.family == socket.AF_INET6 else "127.0.0.1"
        s.sendto(payload, (target, port))
        return s.getsockname()[1]

    def close(self):
        for s in self.sockets.values():
            s.close()


def read_pcapng(path):
    """(interfaces, packets, statistics) of a pcapng file: interfaces as
    (link type, {option code: bytes}), packets as dicts (interface, ts in
    ns with the file's nanosecond resolution, captured, original, data),
    statistics as {option code: bytes} per block, in file order."""
    with open(path, "rb") as f:
        data = f.read()
    interfaces, packets, stats = [], [], []
    endian = "<"
    offset = 0
    while offset + 12 <= len(data):
        if data[offset:offset + 4] == b"\x0a\x0d\x0d\x0a":
            magic = data[offset + 8:offset + 12]
            endian = "<" if magic == b"\x4d\x3c\x2b\x1a" else ">"
        block_type, total = struct.unpack_from(endian + "II", data, offset)
        assert total >= 12 and total % 4 == 0 and offset + total <= len(data), f"bad block at {offset}"
        assert struct.unpack_from(endian + "I", data, offset + total - 4)[0] == total
        body = data[offset + 8:offset + total - 4]
        if block_type == 1:
            linktype, _, _ = struct.unpack_from(endian + "HHI", body)
            interfaces.append((linktype, options(body[8:], endian)))
        elif block_type == 6:
            iface, high, low, captured, original = struct.unpack_from(endian + "IIIII", body)
            packets.append({"interface": iface, "ts": high << 32 | low, "captured": captured,
                            "original": original, "data": body[20:20 + captured]})
        elif block_type == 5:
            stats.append(options(body[12:], endian))
        offset += total
    assert offset == len(data), "trailing bytes"
    return interfaces, packets, stats


def options(raw, endian):
    found = {}
    offset = 0
    while offset + 4 <= len(raw):
        code, length = struct.unpack_from(endian + "HH", raw, offset)
        if code == 0:
            break
        found[code] = raw[offset + 4:offset + 4 + length]
        offset += 4 + (length + 3) // 4 * 4
    return found


# Interface statistics options (pcapng specification).
ISB_IFRECV, ISB_IFDROP, ISB_FILTERACCEPT, ISB_USRDELIV = 4, 5, 6, 8


def counter(stats_block, code):
    value = stats_block.get(code)
    # written on this host, in its byte order
    return None if value is None else struct.unpack("=Q", value)[0]


def extcap_folders():
    """(global, personal) extcap folders of the tshark on PATH, as tshark -G
    folders prints them ("Extcap path" up to 4.0, which has no personal
    folder: None)."""
    out = subprocess.run(["tshark", "-G", "folders"], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        name, _, value = line.partition(":")
        found[name.strip()] = value.strip()
    return found.get("Global Extcap path", found.get("Extcap path")), found.get("Personal Extcap path")
