# The Traffic Mirror receiver extcap (vpcshark-mirror, issue 14 part 1):
# the bundled mirror captures' VXLAN datagrams are sent to it over
# loopback, each original outer source from its own 127.0.0.x address,
# and what tshark decodes from its output must be what it decodes from
# the originals: sessions, directions, cut copies, duplicates, inner
# frames. Expected values come from the original captures (scapy, and
# tshark on the originals), never from the extcap's output.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import random
import shutil
import signal
import socket
import struct
import time

import pytest

from extcapref import (EXTCAP, INTERFACE, ISB_FILTERACCEPT, ISB_IFDROP, ISB_IFRECV, ISB_USRDELIV, Receiver,
                       Senders, counter, free_udp_port, read_pcapng)
from mirrorref import AWS_CAPTURE, path, table_rows, uat_options

REPLAYED = ["gen-two-sessions.pcap", "gen-both-ends-duplicates.pcap", "gen-packet-length-truncation.pcap",
            "gen-ipv6-outer.pcap", AWS_CAPTURE]
FIELDS = ["vxlan.vni", "mirror.session", "mirror.direction", "mirror.truncated", "mirror.copy_length",
          "mirror.duplicate", "mirror.duplicate_of"]
LINKTYPE_RAW = 101

pytestmark = pytest.mark.skipif(not os.path.exists(EXTCAP), reason="vpcshark-mirror not built")


def vxlan_datagrams(name):
    """(frame number, time, outer source, UDP payload) of each frame of a
    capture whose outermost UDP goes to 4789, read with scapy. Frames the
    capture cut (snap length) are left out: no socket receives them so."""
    from scapy.all import IP, UDP, IPv6, rdpcap

    found = []
    for number, pkt in enumerate(rdpcap(path(name)), 1):
        outer = pkt.payload  # the captures are Ethernet
        udp = outer.payload if isinstance(outer, (IP, IPv6)) else None
        if isinstance(udp, UDP) and udp.dport == 4789 and pkt.wirelen == len(pkt):
            found.append((number, float(pkt.time), outer.src, bytes(udp.payload)))
    return found


def loopback_sources(datagrams):
    """Original outer source -> the loopback address that stands in for it."""
    mapping = {}
    v4 = 2
    for _, _, source, _ in datagrams:
        if source in mapping:
            continue
        if ":" in source:
            assert "::1" not in mapping.values(), "IPv6 loopback offers one source only"
            mapping[source] = "::1"
        else:
            mapping[source] = f"127.0.0.{v4}"
            v4 += 1
    return mapping


def session_rows(datagrams, mapping=None):
    """The bundled session table, each row's ENI addresses completed with
    the outer sources its VNI came from in the original capture, so that
    direction does not depend on the outer source (which the replay
    changes); with mapping, outer-source keys are the loopback stand-ins."""
    by_vni = {}
    for _, _, source, payload in datagrams:
        by_vni.setdefault(str(int.from_bytes(payload[4:7], "big")), set()).add(source)
    rows = []
    covered = set()
    for row in table_rows():
        row = row + [""] * (9 - len(row))
        sources = sorted(by_vni.get(row[0], ()))
        if row[1]:
            sources = [row[1]] if row[1] in sources else []
            if mapping:
                row[1] = mapping.get(row[1], row[1])
        covered.update((row[0], s) for s in sources)
        row[7] = " ".join(row[7].split() + [s for s in sources if s not in row[7].split()])
        rows.append(row)
    # Sources no row covers (a shared VNI from an ENI the table lacks): a
    # row of their own, keyed by the outer source, with no name.
    for vni, sources in sorted(by_vni.items()):
        for s in sorted(sources):
            if (vni, s) not in covered:
                rows.append([vni, mapping.get(s, s) if mapping else s, "", "", "", "", "", s, ""])
    return rows


# Duplicates are copies less than a window apart. The replay keeps the
# captures' gaps up to MAX_GAP, longer ones shrink to it: with a window
# shorter than MAX_GAP, copies in the window stay in it and the others out.
DUPLICATE_WINDOW = ("-o", "mirror.duplicate_window_ms:50")
MAX_GAP = 0.15


def replay(receiver, datagrams, mapping):
    senders = Senders()
    ports = []
    try:
        start = time.monotonic()
        due = 0.0
        previous = datagrams[0][1]
        for _, when, source, payload in datagrams:
            due += min(max(when - previous, 0.0), MAX_GAP)
            previous = when
            delay = start + due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            ports.append(senders.send(mapping[source], payload, receiver.port))
        return ports
    finally:
        senders.close()


def test_extcap_protocol():
    import subprocess

    def ask(*args):
        proc = subprocess.run([EXTCAP, *args], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    interfaces = ask("--extcap-interfaces", "--extcap-version=4.0")
    assert f"interface {{value={INTERFACE}}}" in interfaces
    assert ask("--extcap-dlts", "--extcap-interface", INTERFACE).startswith(f"dlt {{number={LINKTYPE_RAW}}}")
    config = ask("--extcap-config", "--extcap-interface", INTERFACE)
    for call, default in (("--bind", "0.0.0.0"), ("--port", "4789"), ("--buffer-size", None), ("--vni", None)):
        line = next(line for line in config.splitlines() if f"{{call={call}}}" in line)
        if default:
            assert f"{{default={default}}}" in line
    bad = subprocess.run([EXTCAP, "--extcap-dlts", "--extcap-interface", "eth0"], capture_output=True, text=True)
    assert bad.returncode != 0 and "no such interface" in bad.stderr
    bad = subprocess.run([EXTCAP, "--capture", "--extcap-interface", INTERFACE, "--fifo", "/dev/null",
                          "--vni", "16777216"], capture_output=True, text=True)
    assert bad.returncode != 0 and "16777216" in bad.stderr


@pytest.mark.parametrize("capture", REPLAYED)
def test_replay_decodes_like_the_original(ws, tmp_path, capture):
    datagrams = vxlan_datagrams(capture)
    assert datagrams
    mapping = loopback_sources(datagrams)
    output = str(tmp_path / "live.pcapng")
    receiver = Receiver(output)
    before = time.time_ns()
    source_ports = replay(receiver, datagrams, mapping)
    time.sleep(0.2)
    receiver.stop()
    after = time.time_ns()

    # The frames: rebuilt outer headers around the datagrams, byte for byte.
    interfaces, packets, stats = read_pcapng(output)
    assert [linktype for linktype, _ in interfaces] == [LINKTYPE_RAW]
    assert len(packets) == len(datagrams)
    for (_, _, source, payload), sport, packet in zip(datagrams, source_ports, packets):
        frame = packet["data"]
        assert packet["captured"] == packet["original"] == len(frame)
        assert before <= packet["ts"] <= after
        loopback = mapping[source]
        if ":" in loopback:
            assert frame[0] >> 4 == 6 and frame[6] == 17
            assert frame[8:24] == frame[24:40] == socket.inet_pton(socket.AF_INET6, "::1")
            udp = frame[40:48]
            assert struct.unpack(">H", frame[4:6])[0] == 8 + len(payload)
        else:
            assert frame[0] == 0x45 and frame[9] == 17
            assert frame[12:16] == socket.inet_aton(loopback) and frame[16:20] == socket.inet_aton("127.0.0.1")
            assert struct.unpack(">H", frame[2:4])[0] == 28 + len(payload)
            udp = frame[20:28]
        assert struct.unpack(">HHH", udp[:6]) == (sport, receiver.port, 8 + len(payload))
        assert frame[len(frame) - len(payload):] == payload
    assert [p["ts"] for p in packets] == sorted(p["ts"] for p in packets)
    assert counter(stats[-1], ISB_IFDROP) == 0
    assert counter(stats[-1], ISB_IFRECV) == counter(stats[-1], ISB_USRDELIV) == len(datagrams)

    # What the mirror layer makes of them: the same as of the originals.
    # (A world without a table file: rows given with -o come after the
    # file's, and the first row of a VNI wins.)
    live = ws.copy_in(output, f"live-{capture}.pcapng")
    original_file = ws.copy_in(path(capture))
    only_4789 = ("-Y", "udp.dstport == 4789 && vxlan && frame.len == frame.cap_len", *DUPLICATE_WINDOW)
    original = ws.fields(original_file, FIELDS, *uat_options(session_rows(datagrams)), *only_4789)
    bundled_table = ws.fields(original_file, FIELDS, *uat_options(table_rows()), *only_4789)
    assert original == bundled_table, "the completed table changed the original's decoding"
    replayed = ws.fields(live, FIELDS, *uat_options(session_rows(datagrams, mapping)),
                         "-d", f"udp.port=={receiver.port},vxlan", *DUPLICATE_WINDOW)
    numbers = {number: str(i) for i, (number, _, _, _) in enumerate(datagrams, 1)}
    expected = [row[:-1] + [numbers.get(int(row[-1]), "?") if row[-1] else ""] for row in original]
    assert replayed == expected
    assert any(row[2] for row in replayed), "no direction decided: the comparison proves little"

    # The rebuilt headers' checksums verify (first occurrences: the outer
    # layers): IPv4 header sum good and UDP checksum absent (0) as AWS
    # sends it; IPv6's UDP checksum, which IPv6 requires, good.
    checks = ws.fields(live, ["frame.protocols", "ip.checksum.status", "udp.checksum.status"],
                       "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE")
    good, absent = "1", "3"  # Wireshark's PROTO_CHECKSUM_E_GOOD, _NOT_PRESENT
    for protocols, ip_status, udp_status in checks:
        if protocols.startswith("raw:ipv6:udp"):
            assert udp_status == good
        else:
            assert protocols.startswith("raw:ip:udp") and (ip_status, udp_status) == (good, absent)


def vxlan(vni, inner=b""):
    return bytes([0x08, 0, 0, 0]) + vni.to_bytes(3, "big") + b"\x00" + inner


def inner_ipv4(src, dst):
    """An Ethernet frame with an IPv4 header (UDP, no payload)."""
    ip = bytes([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0]) + socket.inet_aton(src) + socket.inet_aton(dst)
    return bytes(6) + bytes(6) + b"\x08\x00" + ip + bytes(8)


def test_direction_follows_the_true_outer_source(ws, tmp_path):
    """With no table, direction comes from the outer source alone: a copy
    whose inner source is the sender's own address is egress, one sent to
    it ingress; from another sender neither."""
    output = str(tmp_path / "direction.pcapng")
    receiver = Receiver(output, bind="127.0.0.1")
    senders = Senders()
    senders.send("127.0.0.2", vxlan(7, inner_ipv4("127.0.0.2", "192.0.2.9")), receiver.port)
    senders.send("127.0.0.2", vxlan(7, inner_ipv4("192.0.2.9", "127.0.0.2")), receiver.port)
    senders.send("127.0.0.3", vxlan(7, inner_ipv4("127.0.0.2", "192.0.2.9")), receiver.port)
    senders.close()
    time.sleep(0.2)
    receiver.stop()
    rows = ws.fields(ws.copy_in(output), ["ip.src", "mirror.vni", "mirror.direction"],
                     "-d", f"udp.port=={receiver.port},vxlan")
    # (-T fields shows the first ip.src: the outer one)
    assert rows == [["127.0.0.2", "7", "egress"], ["127.0.0.2", "7", "ingress"], ["127.0.0.3", "7", ""]]


def test_vni_filter_keeps_only_chosen_sessions(ws, tmp_path):
    output = str(tmp_path / "filtered.pcapng")
    receiver = Receiver(output, extra=("--vni", "23456, 100,12345"))
    senders = Senders()
    sent = []
    for i, vni in enumerate([12345, 500, 23456, 100, 200, 12345, 16777215, 0]):
        sent.append(vni)
        senders.send("127.0.0.2", vxlan(vni, bytes([i]) * 20), receiver.port)
    for junk in (b"", b"\x08", b"\x00\x00\x00\x00\x00\x30\x39\x00", b"not vxlan at all"):
        senders.send("127.0.0.3", junk, receiver.port)  # no I flag, or too short
    senders.close()
    time.sleep(0.2)
    receiver.stop()
    kept = [vni for vni in sent if vni in (12345, 23456, 100)]
    _, packets, stats = read_pcapng(output)
    assert [int.from_bytes(p["data"][28 + 4:28 + 7], "big") for p in packets] == kept
    assert counter(stats[-1], ISB_IFRECV) == len(sent) + 4
    assert counter(stats[-1], ISB_FILTERACCEPT) == counter(stats[-1], ISB_USRDELIV) == len(kept)
    rows = ws.fields(ws.copy_in(output), ["vxlan.vni"], "-d", f"udp.port=={receiver.port},vxlan",
                     "-Y", "vxlan.vni == 12345")
    assert rows == [["12345"], ["12345"]]


def test_closed_fifo_ends_the_capture(tmp_path):
    """When Wireshark closes its end of the fifo, the extcap notices (even
    with no traffic) and ends."""
    import subprocess
    import threading

    fifo = str(tmp_path / "fifo")
    os.mkfifo(fifo)
    proc = subprocess.Popen([EXTCAP, "--capture", "--extcap-interface=" + INTERFACE, "--fifo", fifo,
                             "--bind", "127.0.0.1", "--port", str(free_udp_port())], stderr=subprocess.PIPE)
    header = []
    reader = threading.Thread(target=lambda: header.append(open(fifo, "rb").read(8)))
    reader.start()
    reader.join(10)
    assert header and header[0][:4] == b"\x0a\x0d\x0d\x0a"
    # the reader's end is closed now
    proc.wait(timeout=5)
    assert proc.returncode == 0


def test_hostile_datagrams(ws, tmp_path):
    """Datagrams of any size and content: each becomes one frame, whole,
    and tshark reads the file cleanly."""
    rng = random.Random(14)
    sizes = [0, 1, 7, 8, 9, 65507] + [rng.randrange(0, 9000) for _ in range(40)]
    payloads = [bytes(rng.getrandbits(8) for _ in range(n)) if n < 10000 else os.urandom(n) for n in sizes]
    payloads += [vxlan(rng.randrange(1 << 24), os.urandom(rng.randrange(0, 200))) for _ in range(20)]
    output = str(tmp_path / "hostile.pcapng")
    receiver = Receiver(output, bind="127.0.0.1")
    senders = Senders()
    for payload in payloads:
        senders.send("127.0.0.2", payload, receiver.port)
        time.sleep(0.001)
    senders.close()
    time.sleep(0.2)
    receiver.stop()
    _, packets, stats = read_pcapng(output)
    assert [p["data"][28:] for p in packets] == payloads
    assert counter(stats[-1], ISB_IFDROP) == 0
    ws.tshark("-r", ws.copy_in(output), "-d", f"udp.port=={receiver.port},vxlan", "-V")


def test_kernel_drops_are_reported(tmp_path):
    """A receive buffer of almost nothing, the extcap frozen (SIGSTOP) while
    datagrams arrive: the kernel drops most, and the statistics block says
    how many, so that frames + drops = datagrams sent."""
    output = str(tmp_path / "drops.pcapng")
    receiver = Receiver(output, bind="127.0.0.1", extra=("--buffer-size", "1"))
    senders = Senders()
    receiver.proc.send_signal(signal.SIGSTOP)
    sent = 300
    try:
        for i in range(sent):
            senders.send("127.0.0.2", vxlan(42, i.to_bytes(4, "big") * 50), receiver.port)
    finally:
        receiver.proc.send_signal(signal.SIGCONT)
    senders.close()
    time.sleep(0.3)
    receiver.stop()
    _, packets, stats = read_pcapng(output)
    dropped = counter(stats[-1], ISB_IFDROP)
    assert dropped > 0 and len(packets) > 0
    assert len(packets) + dropped == sent
    assert counter(stats[-1], ISB_IFRECV) == sent
    # the frames that made it are whole and in order
    numbers = [int.from_bytes(p["data"][36:40], "big") for p in packets]
    assert numbers == sorted(numbers)


def staged_extcaps(ws):
    """A world-readable extcap folder holding vpcshark-mirror (what make
    install does; Wireshark 4.0 finds it through WIRESHARK_EXTCAP_DIR)."""
    folder = os.path.join(ws.root, "extcap")
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    shutil.copy(EXTCAP, folder)
    os.chmod(os.path.join(folder, "vpcshark-mirror"), 0o755)
    return {"WIRESHARK_EXTCAP_DIR": folder}


def test_tshark_lists_and_captures(ws, tmp_path):
    env = staged_extcaps(ws)
    listed = ws.tshark("-D", env=env).stdout
    assert "vpcshark-mirror (AWS Traffic Mirror receiver" in listed
    port = free_udp_port()
    output = ws.path("tshark-live.pcapng")
    import subprocess
    tshark = subprocess.Popen(ws.command("tshark", "-i", INTERFACE, "-o", f"extcap.vpcshark_mirror.port:{port}",
                                         "-o", "extcap.vpcshark_mirror.bind:127.0.0.1", "-a", "duration:6",
                                         "-w", output),
                              cwd=ws.work, env=ws.env(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wait until the extcap listens
    deadline = time.monotonic() + 20
    while f":{port:04X} " not in open("/proc/net/udp").read():
        assert time.monotonic() < deadline and tshark.poll() is None, tshark.stderr.read()
        time.sleep(0.05)
    senders = Senders()
    for vni in (12345, 23456, 12345):
        senders.send("127.0.0.2", vxlan(vni, inner_ipv4("10.0.1.10", "10.0.2.20")), port)
    senders.close()
    _, err = tshark.communicate(timeout=30)
    assert tshark.returncode == 0, err
    rows = ws.fields(output, ["ip.src", "vxlan.vni"], "-d", f"udp.port=={port},vxlan")
    assert rows == [["127.0.0.2", "12345"], ["127.0.0.2", "23456"], ["127.0.0.2", "12345"]]
    # dumpcap passes the extcap's statistics on into tshark's file (the
    # periodic ones: it stops reading before the extcap's last block)
    _, _, stats = read_pcapng(output)
    assert stats and counter(stats[-1], ISB_IFRECV) == 3 and counter(stats[-1], ISB_IFDROP) == 0


def test_make_install_puts_the_extcap_where_tshark_finds_it(ws):
    """tools/install-plugins.sh (make install) for one user: tshark run as
    that user lists the interface, from the personal extcap folder (4.2
    on), or from WIRESHARK_EXTCAP_DIR pointing there (4.0 reads no
    personal folder, and install says so)."""
    import subprocess

    from extcapref import extcap_folders
    from harness import BUILD, REPO

    home = os.path.join(ws.root, "install-home")  # where the unprivileged tshark may look
    os.makedirs(home)
    os.chmod(home, 0o755)
    env = dict(os.environ, HOME=home)
    env.pop("XDG_CONFIG_HOME", None)
    proc = subprocess.run([os.path.join(REPO, "tools", "install-plugins.sh"), BUILD], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    folder = os.path.join(home, ".local", "lib", "wireshark", "extcap")
    program = os.path.join(folder, "vpcshark-mirror")
    assert os.access(program, os.X_OK)
    extra = {"HOME": home}
    if extcap_folders()[1] is None:
        assert "WIRESHARK_EXTCAP_DIR" in proc.stdout
        extra["WIRESHARK_EXTCAP_DIR"] = folder
    listed = ws.tshark("-D", env=extra).stdout
    assert "vpcshark-mirror (AWS Traffic Mirror receiver" in listed
    # the CloudWatch Logs extcap goes along (tests/test_cloudwatch_extcap.py)
    assert os.access(os.path.join(folder, "vpcflow-cloudwatch"), os.X_OK)
    assert "vpcflow-cloudwatch (AWS VPC Flow Logs from CloudWatch Logs" in listed
    proc = subprocess.run([os.path.join(REPO, "tools", "install-plugins.sh"), BUILD, "--uninstall"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and not os.path.exists(program)
    assert not os.path.exists(os.path.join(folder, "vpcflow-cloudwatch"))
