# Opening flow-log files: container formats, line endings and spacing,
# headers and formats, what is not claimed, and how broken files fail.
# Expected values are read off the inputs written here by hand.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import gzip
import os
import subprocess

import pytest

from conftest import FLOWLOGS, PCAPS
from harness import field_bool

HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
REC1 = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
REC2 = "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530011 1418530070 REJECT OK"
S3_DEMO = os.path.join(PCAPS, "demo", "123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")

BASIC_FIELDS = ["vpcflow.srcaddr", "vpcflow.dstport", "vpcflow.action", "frame.time_epoch"]
BASIC_EXPECTED = [["172.31.16.139", "22", "ACCEPT", "1418530010.000000000"],
                  ["172.31.9.69", "3389", "REJECT", "1418530011.000000000"]]


def compress(ws, name, data, tool):
    raw = ws.write(name, data)
    out = raw + {"gzip": ".gz", "zstd": ".zst", "lz4": ".lz4"}[tool]
    with open(out, "wb") as f:
        subprocess.run([tool, "-c", raw], stdout=f, check=True)
    os.chmod(out, 0o644)
    return out


@pytest.mark.parametrize("tool", ["gzip", "zstd", "lz4"])
def test_compressed_files_read_transparently(ws, tool):
    path = compress(ws, f"c-{tool}.log", f"{HEADER}\n{REC1}\n{REC2}\n", tool)
    assert ws.fields(path, BASIC_FIELDS) == BASIC_EXPECTED
    assert ws.fields(path, BASIC_FIELDS, "-2") == BASIC_EXPECTED


@pytest.mark.parametrize("variant", ["crlf", "bom", "tabs", "spaces", "blank-lines", "no-final-newline"])
def test_line_endings_and_spacing_tolerated(ws, variant):
    text = f"{HEADER}\n{REC1}\n{REC2}\n"
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "bom":
        text = "\ufeff" + text
    elif variant == "tabs":
        text = text.replace(" ", "\t")
    elif variant == "spaces":
        text = "\n".join("  " + line.replace(" ", "   ") + "  " for line in text.splitlines()) + "\n"
    elif variant == "blank-lines":
        text = f"\n{HEADER}\n\n   \n{REC1}\n\n{REC2}\n\n"
    elif variant == "no-final-newline":
        text = text.rstrip("\n")
    path = ws.write(f"v-{variant}.log", text.encode())
    assert ws.fields(path, BASIC_FIELDS) == BASIC_EXPECTED


def test_line_numbers_count_every_line(ws):
    path = ws.write("lines.log", f"\n{HEADER}\n\n{REC1}\nbogus\n{REC2}\n")
    assert ws.fields(path, ["vpcflow.line"]) == [["4"], ["5"], ["6"]]
    assert ws.fields(path, ["vpcflow.line"], "-2") == [["4"], ["5"], ["6"]]


def test_header_in_any_order_and_subset(ws):
    path = ws.write("order.log", "log-status dstport srcaddr bytes start\nOK 443 10.1.2.3 999 1418530010\n")
    assert ws.fields(path, ["vpcflow.log_status", "vpcflow.dstport", "vpcflow.srcaddr", "vpcflow.bytes",
                            "frame.time_epoch", "vpcflow.format_source"]) == \
        [["OK", "443", "10.1.2.3", "999", "1418530010.000000000", "1"]]


def test_underscore_header_and_unknown_names_kept(ws):
    path = ws.write("under.log", "account_id src_addr new-field-2030 dstaddr\n000012345678 10.0.0.1 hello 10.0.0.2\n")
    rows = ws.fields(path, ["vpcflow.account_id", "vpcflow.srcaddr", "vpcflow.unknown_field", "vpcflow.dstaddr"])
    assert rows == [["000012345678", "10.0.0.1", "hello", "10.0.0.2"]]
    detail = ws.tshark("-r", path, "-O", "vpcflow", "-V").stdout
    assert "new-field-2030: hello" in detail


def test_concatenated_exports_switch_format_at_each_header(ws):
    """cat a.log.gz b.log.gz: gzip members back to back, a header in each."""
    first = gzip.compress(f"{HEADER}\n{REC1}\n".encode())
    second = gzip.compress(b"srcaddr dstaddr action start\n10.9.9.9 10.8.8.8 REJECT 1500000000\n")
    path = ws.write("cat.log.gz", first + second)
    fields = ["vpcflow.srcaddr", "vpcflow.dstaddr", "vpcflow.action", "vpcflow.dstport", "frame.time_epoch"]
    expected = [["172.31.16.139", "172.31.16.21", "ACCEPT", "22", "1418530010.000000000"],
                ["10.9.9.9", "10.8.8.8", "REJECT", "", "1500000000.000000000"]]
    assert ws.fields(path, fields) == expected
    assert ws.fields(path, fields, "-2") == expected


@pytest.mark.parametrize("spec", [
    "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport "
    "pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status",
    "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} "
    "${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} "
    "${start} ${end} ${action} ${tcp-flags} ${log-status}",
    "parse @message \"* * * * * * * * * * * * * * * * * * * * *\" as version, vpc_id, subnet_id, instance_id, "
    "interface_id, account_id, type, srcaddr, dstaddr, srcport, dstport, pkt_srcaddr, pkt_dstaddr, protocol, "
    "bytes, packets, start, end, action, tcp_flags, log_status",
])
def test_format_preference_accepts_aws_plain_and_insights_forms(ws, spec):
    path = ws.copy_in(os.path.join(FLOWLOGS, "awsdocs-vpc__tcp-flag-sequence-v3-custom.log"))
    rows = ws.fields(path, ["vpcflow.srcport", "vpcflow.bytes", "vpcflow.packets", "vpcflow.tcp_flags",
                            "vpcflow.tcp_flags.syn", "frame.time_epoch"], "-o", "vpcflow.format:" + spec)
    # first line of the sample: ... 43416 5001 ... 6 568 8 1566848875 1566848933 ACCEPT 2 OK
    # tcp-flags in decimal, as AWS writes it
    assert rows[0] == ["43416", "568", "8", "2", field_bool(True), "1566848875.000000000"]
    assert len(rows) == 8


def test_format_from_environment_for_wiretap_tools(ws):
    """capinfos has no preferences: VPCFLOW_FORMAT reaches the reader."""
    path = ws.copy_in(os.path.join(FLOWLOGS, "awsdocs-vpc__nat-gateway-custom.log"))
    fmt = "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr"
    assert "Number of packets:   6" in ws.run("capinfos", "-c", path).stdout
    rows = ws.fields(path, ["vpcflow.format_source", "vpcflow.pkt_dstaddr"], env={"VPCFLOW_FORMAT": fmt})
    assert rows[0] == ["3", "203.0.113.5"]


def test_preference_overrides_detected_but_not_header(ws):
    plain = ws.write("pref-plain.log", f"{REC1}\n")
    header = ws.write("pref-header.log", f"{HEADER}\n{REC1}\n")
    swap = "-o", "vpcflow.format:" + HEADER.replace("srcaddr dstaddr", "dstaddr srcaddr")
    assert ws.fields(plain, ["vpcflow.srcaddr", "vpcflow.format_source"], *swap) == [["172.31.16.21", "4"]]
    assert ws.fields(header, ["vpcflow.srcaddr", "vpcflow.format_source"], *swap) == [["172.31.16.139", "1"]]


def test_ipv6_addresses_and_filters(ws):
    path = ws.copy_in(os.path.join(FLOWLOGS, "awsdocs-vpc__ipv6-default.log"))
    assert ws.fields(path, ["vpcflow.srcaddr_v6", "vpcflow.srcaddr"]) == \
        [["2001:db8:1234:a100:8d6e:3477:df66:f105", ""]]
    out = ws.tshark("-r", path, "-Y", "vpcflow.srcaddr_v6 == 2001:db8:1234::/48 && vpcflow.addr_v6").stdout
    assert len(out.splitlines()) == 1


def test_typed_filters(ws):
    path = ws.copy_in(S3_DEMO)
    def count(flt):
        return len(ws.tshark("-r", path, "-Y", flt).stdout.splitlines())
    # Counted from the generator's records by hand-checked rules in
    # test_cookbook-style independent parsing below.
    records = [dict(zip(lines[0].split(), l.split())) for lines in [gzip.open(S3_DEMO, "rt").read().splitlines()]
               for l in lines[1:]]
    assert count('vpcflow.action == "REJECT" && vpcflow.dstport == 22') == \
        sum(r["action"] == "REJECT" and r["dstport"] == "22" for r in records)
    assert count("vpcflow.srcaddr == 10.0.0.0/8") == sum(r["srcaddr"].startswith("10.") for r in records)
    assert count("vpcflow.tcp_flags.syn == 1") == \
        sum(r["tcp-flags"] != "-" and int(r["tcp-flags"]) & 2 != 0 for r in records)
    assert count('vpcflow.log_status == "NODATA"') == sum(r["log-status"] == "NODATA" for r in records) == 1
    assert count("vpcflow.port == 443") == sum("443" in (r["srcport"], r["dstport"]) for r in records)
    assert count("vpcflow.duration > 30") == \
        sum(r["start"] != "-" and int(r["end"]) - int(r["start"]) > 30 for r in records)
    assert count("vpcflow.protocol == 17") == sum(r["protocol"] == "17" for r in records)


def test_columns_and_info(ws):
    path = ws.copy_in(S3_DEMO)
    row = ws.fields(path, ["_ws.col.Source", "_ws.col.Destination", "_ws.col.Protocol", "_ws.col.Info"], "-c", "1")
    # A record is a log line, not a packet: the Protocol column says so, as CFLOW's does for NetFlow.
    assert row == [["203.0.113.5", "10.0.1.10", "VPCFLOW",
                    "REJECT TCP 203.0.113.5:51515 \u2192 10.0.1.10:22  3 pkts 180 B  ingress eni-0a1b"]]
    nodata = ws.copy_in(os.path.join(FLOWLOGS, "awsdocs-vpc__nodata-skipdata-default.log"))
    assert ws.fields(nodata, ["_ws.col.Info"]) == [["NODATA  eni-1235b8ca123456789"],
                                                   ["SKIPDATA  eni-11111111aaaaaaaaa"]]


def test_two_pass_gives_the_same_fields(ws):
    path = ws.copy_in(S3_DEMO)
    one = ws.tshark("-r", path, "-T", "json", "-j", "vpcflow").stdout
    two = ws.tshark("-2", "-r", path, "-T", "json", "-j", "vpcflow").stdout
    assert one == two and '"vpcflow.srcaddr"' in one


def test_forced_reader_and_file_type_listing(ws):
    listing = ws.tshark("-F", check=False).stderr
    assert "vpcflow - AWS VPC Flow Log" in listing
    path = ws.copy_in(S3_DEMO)
    assert "File type:           AWS VPC Flow Log (gzip compressed)" in ws.run("capinfos", "-t", path).stdout
    out = ws.tshark("-X", "read_format:vpcflow", "-r", path, "-c", "1").stdout
    assert "REJECT TCP" in out


@pytest.mark.parametrize("name,text", [
    ("syslog.log", "Nov 27 00:10:32 host sshd[123]: Accepted publickey for root from 10.0.0.1 port 52344 ssh2\n"
                   "Nov 27 00:10:33 host systemd[1]: Started Session 4 of user root.\n"),
    # (a CSV of flow-log columns is a query result and opens: tests/test_query_results.py)
    ("table.csv", "id,version,action,bytes\n1,2.0,deploy,100\n"),
    ("README.txt", "vpcshark\n========\n\nWireshark plugins for AWS VPC flow logs and traffic mirroring.\n"),
    ("words.log", "start end\nthe quick brown fox jumps\n"),
])
def test_other_text_files_are_not_claimed(ws, name, text):
    path = ws.write(name, text)
    proc = ws.tshark("-r", path, check=False)
    assert proc.returncode != 0
    assert "isn't a capture file in a format TShark understands" in proc.stderr


def test_pcap_files_still_open_with_their_own_reader(ws):
    pcap = ws.path("one.pcap")
    ws.tshark("-r", ws.copy_in(S3_DEMO), "-c", "1", "-w", pcap, "-F", "pcapng")
    assert "Wireshark/... - pcapng" in ws.run("capinfos", "-t", pcap).stdout


def test_broken_parquet_gets_a_clear_message(ws):
    """An empty footer (length 0): damaged Parquet, not "unknown format" (Parquet reading: test_parquet.py)."""
    path = ws.write("flows.log.parquet", b"PAR1" + bytes(64) + b"PAR1")
    proc = ws.tshark("-r", path, check=False)
    assert proc.returncode != 0
    assert "vpcflow: Parquet metadata: the Thrift data ends early" in proc.stderr


def test_truncated_gzip_reports_position_and_keeps_earlier_records(ws):
    text = HEADER + "\n" + "".join(REC1.replace("20641", str(20000 + i)) + "\n" for i in range(2000))
    data = gzip.compress(text.encode())
    path = ws.write("cut.log.gz", data[: len(data) // 2])
    proc = ws.tshark("-r", path, "-T", "fields", "-e", "vpcflow.srcport", check=False)
    assert proc.returncode != 0
    assert "ends in the middle of its compressed data, after line" in proc.stderr
    ports = proc.stdout.split()
    assert len(ports) > 100
    assert ports[:3] == ["20000", "20001", "20002"]


def test_overlong_line_is_flagged_and_reading_goes_on(ws):
    long_line = "2 " + "x" * 200000 + " tail"
    path = ws.write("long.log", f"{HEADER}\n{REC1}\n{long_line}\n{REC2}\n")
    rows = ws.fields(path, ["vpcflow.srcaddr", "frame.cap_len"])
    assert [r[0] for r in rows] == ["172.31.16.139", "", "172.31.9.69"]
    assert int(rows[1][1]) < 70000, "only the start of the line is kept"
    msg = ws.fields(path, ["_ws.expert.message"], "-Y", "vpcflow.malformed", occurrence="a", aggregator="|")
    # "2 " + 200000 letters + " tail": 200007 bytes, the end of line not counted
    assert "Malformed line 3: 200007 bytes long; only the first 65536 are kept" in msg[0][0].split("|")


def test_overlong_crlf_line_is_measured_without_its_end_of_line(ws):
    long_line = "2 " + "y" * 70000
    path = ws.write("long-crlf.log", f"{HEADER}\r\n{REC1}\r\n{long_line}\r\n{REC2}\r\n")
    msg = ws.fields(path, ["_ws.expert.message"], "-Y", "vpcflow.malformed", occurrence="a", aggregator="|")
    assert "Malformed line 3: 70002 bytes long; only the first 65536 are kept" in msg[0][0].split("|")
    assert [r[0] for r in ws.fields(path, ["vpcflow.srcaddr"])] == ["172.31.16.139", "", "172.31.9.69"]


def test_one_capture_interface_per_network_interface(ws):
    path = ws.copy_in(S3_DEMO)
    records = [dict(zip(lines[0].split(), l.split())) for lines in [gzip.open(S3_DEMO, "rt").read().splitlines()]
               for l in lines[1:]]
    enis = sorted({r["interface-id"] for r in records})
    assert enis == ["eni-0a1b", "eni-0c2d"]
    for eni in enis:
        shown = ws.tshark("-r", path, "-Y", f'frame.interface_name == "{eni}"').stdout.splitlines()
        assert len(shown) == sum(r["interface-id"] == eni for r in records)
    # names survive a pcapng round trip
    saved = ws.path("ifaces.pcapng")
    ws.tshark("-r", path, "-w", saved, "-F", "pcapng")
    info = ws.run("capinfos", "-I", saved).stdout
    assert "Name = eni-0a1b" in info and "Name = eni-0c2d" in info


def test_interfaces_are_capped_and_records_without_one_use_the_first(ws):
    # 10,001 distinct ENIs and one record with "-" as interface: the file's own
    # interface 0 takes the record without one and every ENI past the cap.
    lines = ["version interface-id srcaddr dstaddr action log-status"]
    lines += [f"2 eni-{n:08x} 10.0.0.1 10.0.0.2 ACCEPT OK" for n in range(10001)]
    lines.append("2 - 10.0.0.1 10.0.0.2 ACCEPT OK")
    path = ws.write("many-enis.log", "\n".join(lines) + "\n")
    rows = ws.fields(path, ["frame.interface_id", "frame.interface_name", "vpcflow.interface_id"])
    assert len(rows) == 10002
    # the first 10,000 ENIs get interfaces 1..10000, named after them
    assert [int(r[0]) for r in rows[:10000]] == list(range(1, 10001))
    assert all(r[1] == r[2] for r in rows[:10000])
    assert [int(r[0]) for r in rows[10000:]] == [0, 0]
    assert rows[-2][2] == "eni-00002710" and rows[-1][2] == ""


def test_nat_gateway_record_is_on_the_interface_its_resource_id_names(ws):
    # A regional NAT gateway logs "-" as interface-id and its id in
    # resource-id: the frame's interface and the Info column name the gateway,
    # and a record with an ENI keeps the ENI even when it has a resource id.
    header = "version interface-id resource-id srcaddr dstaddr action log-status"
    path = ws.write("nat.log", f"{header}\n"
                               "9 - nat-0123456789abcdef0 10.0.1.5 198.51.100.7 ACCEPT OK\n"
                               "9 eni-0a1b nat-0123456789abcdef0 10.0.1.5 198.51.100.7 ACCEPT OK\n")
    rows = ws.fields(path, ["frame.interface_name", "vpcflow.resource_id", "_ws.col.Info"])
    assert [r[0] for r in rows] == ["nat-0123456789abcdef0", "eni-0a1b"]
    assert rows[0][2].endswith("nat-0123456789abcdef0") and rows[1][2].endswith("eni-0a1b")
