# Writing flow logs (tshark -F vpcflow), saving records as pcapng and
# merging them with packet captures.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import gzip
import os

from conftest import FLOWLOGS, PCAPS

S3_DEMO = os.path.join(PCAPS, "demo", "123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz")
ALL_FIELDS = ["vpcflow.srcaddr", "vpcflow.dstaddr", "vpcflow.srcport", "vpcflow.dstport", "vpcflow.protocol",
              "vpcflow.packets", "vpcflow.bytes", "vpcflow.action", "vpcflow.log_status",
              "vpcflow.interface_id", "vpcflow.flow_direction", "frame.time_epoch"]


def demo_lines():
    with gzip.open(S3_DEMO, "rt") as f:
        return f.read().splitlines()


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode()


def test_filtered_export_is_header_then_records_byte_for_byte(ws):
    path = ws.copy_in(S3_DEMO)
    out = ws.path("rejects.log")
    ws.tshark("-r", path, "-Y", 'vpcflow.action=="REJECT"', "-w", out, "-F", "vpcflow")
    lines = demo_lines()
    action = lines[0].split().index("action")
    expected = [lines[0]] + [l for l in lines[1:] if l.split()[action] == "REJECT"]
    assert read_text(out) == "\n".join(expected) + "\n"
    assert len(expected) > 5


def test_export_reopens_with_the_same_fields(ws):
    path = ws.copy_in(S3_DEMO)
    out = ws.path("all.log")
    ws.tshark("-r", path, "-w", out, "-F", "vpcflow")
    assert ws.fields(out, ALL_FIELDS) == ws.fields(path, ALL_FIELDS)


def test_headerless_input_gets_a_header(ws):
    path = ws.copy_in(os.path.join(FLOWLOGS, "flowlogs-reader__v2-records.log"))
    out = ws.path("v2-with-header.log")
    ws.tshark("-r", path, "-w", out, "-F", "vpcflow")
    with open(path) as f:
        records = f.read().splitlines()
    header = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
              "start end action log-status")
    assert read_text(out).splitlines() == [header] + records


def test_records_of_two_formats_get_a_header_each(ws):
    a = ws.write("fmt-a.log", "srcaddr dstaddr action\n10.0.0.1 10.0.0.2 ACCEPT\n")
    b = ws.write("fmt-b.log", "action srcaddr\nREJECT 10.0.0.3\n")
    merged = ws.path("ab.pcapng")
    ws.run("mergecap", "-a", "-w", merged, a, b)
    out = ws.path("ab.log")
    ws.tshark("-r", merged, "-w", out, "-F", "vpcflow")
    assert read_text(out) == "srcaddr dstaddr action\n10.0.0.1 10.0.0.2 ACCEPT\naction srcaddr\nREJECT 10.0.0.3\n"
    assert ws.fields(out, ["vpcflow.srcaddr", "vpcflow.action"]) == [["10.0.0.1", "ACCEPT"], ["10.0.0.3", "REJECT"]]


def test_other_frames_cannot_be_written_as_flow_logs(ws):
    pcap = ws.path("udp.pcap")
    # one UDP packet from a hex dump (text2pcap wraps it in Ethernet/IPv4/UDP)
    hexdump = ws.write("udp.txt", "0000  68 65 6c 6c 6f\n")
    ws.run("text2pcap", "-q", "-u", "1000,2000", hexdump, pcap)
    proc = ws.tshark("-r", pcap, "-w", ws.path("x.log"), "-F", "vpcflow", check=False)
    assert proc.returncode != 0
    assert "can't be written as a \"vpcflow\" file" in proc.stderr


def test_pcapng_keeps_records_decodable_without_the_reader(ws, epan_only_ws):
    path = ws.copy_in(S3_DEMO)
    saved = ws.path("flows.pcapng")
    ws.tshark("-r", path, "-w", saved, "-F", "pcapng")
    assert "Wireshark Upper PDU export" in ws.run("capinfos", "-E", saved).stdout
    # Reopened by the stock pcapng reader, with only the dissector plugin.
    reopened = epan_only_ws.copy_in(saved)
    assert epan_only_ws.fields(reopened, ALL_FIELDS) == ws.fields(path, ALL_FIELDS)


def test_mergecap_with_a_packet_capture(ws):
    flows = ws.copy_in(S3_DEMO)
    hexdump = ws.write("pkt.txt", "0000  68 65 6c 6c 6f\n")
    pcap = ws.path("pkt.pcap")
    ws.run("text2pcap", "-q", "-t", "%Y-%m-%d %H:%M:%S.", "-u", "1000,2000", hexdump, pcap)
    merged = ws.path("merged.pcapng")
    ws.run("mergecap", "-w", merged, flows, pcap)
    n_records = len(demo_lines()) - 1
    protocols = ws.fields(merged, ["frame.protocols"])
    assert len(protocols) == n_records + 1
    assert sum(p[0].endswith("vpcflow") for p in protocols) == n_records
    assert sum(p[0] == "eth:ethertype:ip:udp:data" for p in protocols) == 1


def test_wiretap_only_tools_know_the_file_type(ws):
    path = ws.copy_in(S3_DEMO)
    info = ws.run("capinfos", "-t", "-E", "-c", path).stdout
    assert "AWS VPC Flow Log (gzip compressed)" in info
    assert f"Number of packets:   {len(demo_lines()) - 1}" in info
    out = ws.path("first10.log")
    ws.run("editcap", "-r", "-F", "vpcflow", path, out, "1-10")
    assert read_text(out).splitlines() == demo_lines()[:11]
