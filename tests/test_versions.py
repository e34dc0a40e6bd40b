# What differs between Wireshark versions in what tshark prints, checked
# on stock fields and columns, so that the version-aware expectations of
# the harness (field_bool, field_time_utc, column_utc_suffix,
# tshark_exit_invalid_file) say what this Wireshark does and not what our
# plugins do. And what must not differ: reading a flow log logs nothing
# (4.6 logged a Wiretap CRITICAL for every record while the frames looked
# right).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import datetime
import glob
import os

import pytest

import mirrorref
from conftest import FLOWLOGS, PCAPS
from harness import column_utc_suffix, field_bool, field_time_utc, log_problems, tshark_exit_invalid_file


def test_boolean_fields_print_as_expected(stock_ws):
    # The first packet of the Zeek sample is the inner TCP handshake's SYN (scapy says so).
    from scapy.all import TCP, rdpcap

    capture = mirrorref.path("zeek-vxlan-encapsulated-http.pcap")
    flags = rdpcap(capture, count=1)[0][TCP].flags
    assert "S" in flags and "A" not in flags
    rows = stock_ws.fields(stock_ws.copy_in(capture), ["tcp.flags.syn", "tcp.flags.ack"], "-c", "1")
    assert rows == [[field_bool(True), field_bool(False)]]


def test_utc_times_print_as_expected(stock_ws, tmp_path):
    # An NTP packet whose transmit time (a field shown in UTC in every
    # version) is 2023-11-14 22:13:20.5 UTC.
    import struct

    from scapy.all import IP, UDP, Ether, Raw, wrpcap

    seconds = 1700000000
    ntp = bytearray(48)
    ntp[0] = 0x23  # version 4, client
    ntp[40:48] = struct.pack("!II", seconds + 2208988800, 0x80000000)
    capture = str(tmp_path / "ntp.pcap")
    pkt = Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=123, dport=123) / Raw(bytes(ntp))
    pkt.time = seconds + 0.25
    wrpcap(capture, [pkt])
    path = stock_ws.copy_in(capture)
    assert stock_ws.fields(path, ["ntp.xmt"]) == [[field_time_utc(seconds, 500000000)]]
    t = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    column = stock_ws.fields(path, ["_ws.col.Time"], "-t", "ud")[0][0]
    assert column == f"{t:%Y-%m-%d %H:%M:%S}.250000" + column_utc_suffix()


def test_exit_status_for_a_file_tshark_cannot_read(stock_ws):
    path = stock_ws.write("not-a-capture.txt", "this is no capture file\n" * 20)
    proc = stock_ws.tshark("-r", path, check=False)
    assert "isn't a capture file in a format TShark understands" in proc.stderr
    assert proc.returncode == tshark_exit_invalid_file()


def test_log_problems_are_recognised():
    """The harness's check reads Wireshark's and GLib's log lines."""
    assert log_problems(" ** (tshark:9) 10:00:00.000001 [Wiretap CRITICAL] ./wiretap/wtap.c:1910 -- "
                        "wtap_read(): Length of record buffer (0) less than claimed captured length (571)!\n")
    assert log_problems(" ** (tshark:9) 10:00:00.000001 [Main WARNING] -- vpcflow: struct wtap as declared\n")
    assert log_problems("(tshark:9): GLib-CRITICAL **: 10:00:00.000: g_array_append_vals: assertion\n")
    assert not log_problems("tshark: The file \"x\" isn't a capture file in a format TShark understands.\n")


def flow_log_samples():
    found = sorted(glob.glob(os.path.join(FLOWLOGS, "*.log")) + glob.glob(os.path.join(FLOWLOGS, "*.gz")))
    found += sorted(f for f in glob.glob(os.path.join(PCAPS, "cloudwatch", "*")) if not f.endswith("expected.json"))
    found += sorted(glob.glob(os.path.join(PCAPS, "demo", "*.log*")))
    return found


@pytest.mark.parametrize("passes", [[], ["-2"]], ids=["one-pass", "two-pass"])
def test_reading_flow_logs_logs_nothing(ws, passes):
    """Every sample read in one pass (wtap_read) and two (seek_read too),
    each record dissected: frames, and no warning or critical logged."""
    samples = flow_log_samples()
    assert len(samples) > 20
    read = 0
    for sample in samples:
        args = []
        fmt = os.path.splitext(sample)[0] + ".format"
        if os.path.exists(fmt):
            with open(fmt) as f:
                args = ["-o", "vpcflow.format:" + f.read().strip()]
        proc = ws.tshark("-r", ws.copy_in(sample), "-V", *passes, *args, check=False, log_ok=True)
        assert not log_problems(proc.stderr), (os.path.basename(sample), log_problems(proc.stderr)[:3])
        read += proc.returncode == 0 and "VPC Flow Log" in proc.stdout
    assert read >= len(samples) - 2
