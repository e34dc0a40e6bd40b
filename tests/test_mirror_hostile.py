# Hostile inputs for the Traffic Mirror side (issue 6): a session table of
# a million rows, a VXLAN packet whose inner frame is one byte, GENEVE
# option lengths that point past the packet. Each is read with the
# dissector-bug abort on, within the same time and memory bounds as the
# flow-log hostile inputs, and says what is wrong instead of crashing.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import importlib.util
import os
import re
import struct
import subprocess
import time

import pytest

from harness import REPO, Wireshark

SECONDS_MAX = 60
RSS_MAX_KB = 450 * 1024
# A million rows is a hundred times the AWS quota of sessions per account.
# Wireshark's table keeps each row twice (as loaded and as given to us)
# and we index it once more: memory grows with the rows, linearly.
TABLE_ROWS = 1_000_000
TABLE_RSS_MAX_KB = RSS_MAX_KB + TABLE_ROWS * 1536 // 1024
ABORT_ON_BUGS = {"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1", "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS": "1"}

_spec = importlib.util.spec_from_file_location("gen_mirror", os.path.join(REPO, "tools", "gen-mirror-pcaps.py"))
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)


def write_pcap(ws, name, frames):
    pcap = gen.Pcap()
    for i, data in enumerate(frames):
        pcap.add(i * 1000, data)
    path = ws.path(name)
    pcap.write(path)
    os.chmod(path, 0o644)
    return path


def run_bounded(ws, *args, rss_max_kb=RSS_MAX_KB):
    cmd = ws.command("/usr/bin/time", "-f", "VPCSHARK-MAXRSS-KB %M", "tshark", *args)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ws.work, env=ws.env(ABORT_ON_BUGS), capture_output=True, text=True,
                          timeout=SECONDS_MAX * 2)
    elapsed = time.monotonic() - start
    rss = int(re.search(r"VPCSHARK-MAXRSS-KB (\d+)", proc.stderr).group(1))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert elapsed < SECONDS_MAX, f"{elapsed:.1f} s"
    assert rss < rss_max_kb, f"peak RSS {rss // 1024} MB"
    return proc.stdout


@pytest.fixture(scope="module")
def big_table_ws():
    """A world whose profile holds a mirror_sessions table of a million rows."""
    world = Wireshark()
    with open(os.path.join(world.config, "mirror_sessions"), "w") as f:
        for vni in range(TABLE_ROWS):
            f.write(f'"{vni}","","session-{vni}","tms-{vni:017x}","eni-{vni:017x}","","row {vni}","",""\n')
    os.chmod(os.path.join(world.config, "mirror_sessions"), 0o644)
    yield world
    world.cleanup()


@pytest.mark.parametrize("passes", [1, 2])
def test_session_table_of_a_million_rows(big_table_ws, passes):
    inner = gen.tcp_packet("10.0.1.10", "203.0.113.5", 44000, 443, 1, 1, "S")
    path = write_pcap(big_table_ws, "million.pcap", [gen.mirror_copy(12345, "10.0.1.10", inner),
                                                     gen.mirror_copy(999999, "10.0.2.20", inner)])
    out = run_bounded(big_table_ws, "-r", path, *(["-2"] if passes == 2 else []), "-T", "fields",
                      "-e", "mirror.vni", "-e", "mirror.session", "-e", "mirror.source_eni",
                      rss_max_kb=TABLE_RSS_MAX_KB)
    assert out.splitlines() == [f"12345\tsession-12345\teni-{12345:017x}",
                                f"999999\tsession-999999\teni-{999999:017x}"]


def test_inner_frame_of_one_byte(ws):
    path = write_pcap(ws, "one-byte.pcap", [gen.mirror_copy(12345, "10.0.1.10", b"\x02")])
    out = run_bounded(ws, "-r", path, "-2", "-V", "-o", 'uat:mirror_sessions:"12345","","web"')
    assert "Virtual eXtensible Local Area Network" in out
    assert "Traffic Mirror Session" in out and "web" in out
    # the one byte cannot be an Ethernet header: it shows as such, not as a crash
    assert "[Malformed Packet: Ethernet]" in out


@pytest.mark.parametrize("claimed_words", [8, 63])
def test_geneve_option_lengths_past_the_packet(ws, claimed_words):
    # options length says claimed_words words, an AWS option says 8 words of data: only 8 bytes follow
    option = struct.pack("!HBB", 0x0108, 1, 8) + b"\x00" * 4
    geneve = struct.pack("!BBHI", claimed_words & 0x3F, 0, 0x0800, 0) + option
    frame = gen.outer_v4("10.0.0.1", "10.0.0.2", geneve, dport=6081)
    cut_frame = gen.outer_v4("10.0.0.1", "10.0.0.2", struct.pack("!BBHI", 8, 0, 0x0800, 0) + option, dport=6081)
    path = write_pcap(ws, f"geneve-{claimed_words}.pcap", [frame, cut_frame])
    out = run_bounded(ws, "-r", path, "-2", "-V")
    assert out.count("Generic Network Virtualization Encapsulation") == 2
    # both frames are reported as malformed Geneve, and the read goes on to the end
    assert out.count("[Malformed Packet: Geneve]") == 2
