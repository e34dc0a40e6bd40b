#!/usr/bin/python3
# Rebuild the seed corpora of the fuzz targets (fuzz/corpus/<target>/)
# from the samples in pcaps/ and a few hand-written cases.
#
#   /usr/bin/python3 fuzz/make-seeds.py [BUILD]
#
# Frame seeds are the frames the reader makes of the samples, so the
# plugins must be built (BUILD, default ./build). Seeds are kept small:
# libFuzzer mutates short inputs fastest.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import base64
import glob
import gzip
import hashlib
import json
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests"))

from harness import Wireshark  # noqa: E402

CORPUS = os.path.join(HERE, "corpus")
PCAPS = os.path.join(REPO, "pcaps")
SEED_MAX = 16 * 1024


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if path.endswith(".gz") else data


def text_logs():
    paths = sorted(glob.glob(os.path.join(PCAPS, "flowlogs", "*.log")))
    paths += sorted(glob.glob(os.path.join(PCAPS, "demo", "*.log*")))
    return paths


def json_files():
    paths = sorted(glob.glob(os.path.join(PCAPS, "flowlogs", "*.json")))
    paths += [p for p in sorted(glob.glob(os.path.join(PCAPS, "cloudwatch", "*")))
              if not p.endswith("expected.json")]
    return paths


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(CORPUS, target)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.count = 0

    def add(self, data, name=None):
        if isinstance(data, str):
            data = data.encode()
        data = data[:SEED_MAX]
        name = name or hashlib.sha1(data).hexdigest()[:16]
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)
        self.count += 1


def tokens_seeds():
    c = Corpus("tokens")
    seen = set()
    for path in text_logs():
        for line in read(path).splitlines()[:4]:
            if line not in seen:
                seen.add(line)
                c.add(line)
    for hand in ["18446744073709551615 18446744073709551616 00000000000000000001 -",
                 "::ffff:192.0.2.1 2001:db8::1 fe80::1%eth0 1.2.3.4 01.2.3.4 256.1.1.1",
                 "2018-09-22T20:28:14.000Z 2018-09-22T20:28:14Z 2016-02-29T23:59:60.123456789Z",
                 "1418530010 1418530010123 99999999999 100000000000",
                 "us-east-1 use1-az4 usw2-lax1-az1 AMAZON ROUTE53_HEALTHCHECKS ingress egress\r\n",
                 "\tvpc-1 subnet-2 i-3 tgw-attach-4 arn:aws:x\t unknown 123456789012 "]:
        c.add(hand)
    return c


def format_seeds():
    c = Corpus("format")
    for path in sorted(glob.glob(os.path.join(PCAPS, "flowlogs", "*.format"))):
        c.add(read(path))
    for path in text_logs():
        first = read(path).splitlines()[:1]
        if first and first[0][:1].isalpha():
            c.add(first[0])
    for hand in ["${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport}",
                 "version,srcaddr, dstaddr ,log_status,logStatus,startTime,endTime",
                 'fields @timestamp | parse @message "* * * * *" as version, accountId, interfaceId, srcAddr, dstAddr'
                 ' | filter action="REJECT"',
                 'PARSE @message "* *" AS srcaddr, dstaddr',
                 "version srcaddr my-own-field srcaddr",
                 "version srcaddr 10.0.0.1"]:
        c.add(hand)
    return c


def layout_seeds():
    c = Corpus("layout")
    for path in text_logs():
        lines = read(path).splitlines()
        if lines and lines[0][:1].isalpha() and not lines[0].startswith(b"TransitGateway"):
            lines = lines[1:]       # the header is the format target's job
        if lines:
            c.add(b"\n".join(lines[:32]))
    return c


def frame_seeds(build):
    """The frames the reader makes: what the dissector sees in a pcapng."""
    c = Corpus("frame")
    ws = Wireshark(build=build)
    try:
        for path in text_logs() + json_files():
            src = ws.copy_in(path, "in-" + os.path.basename(path))
            out = ws.path("out.pcapng")
            proc = ws.tshark("-r", src, "-w", out, "-F", "pcapng", check=False)
            if proc.returncode != 0 or not os.path.exists(out):
                continue
            for frame in pcapng_packets(out)[:3]:
                c.add(frame)
            os.unlink(out)
    finally:
        ws.cleanup()
    # Hand-written: an envelope with metadata items running past the end.
    env = b"VF\x01\x01" + struct.pack(">IIHH", 7, 20, 7, 9) + b"version" + b"\x02\x00\x10eni-" + b"\x01\x00" + b"x"
    c.add(env)
    # For the record builder: a format line, then a record (where it was
    # seen: an interface, a NAT gateway's resource id, a TGW attachment).
    c.add(b"version interface-id resource-id srcaddr start\n5 - nat-0a1b 10.0.0.1 1418530010")
    c.add(b"version interface-id srcaddr start\n2 eni-0a1b 10.0.0.1 1418530010123")
    c.add(b"tgw-attachment-id start end\ntgw-attach-1 - -")
    c.add(struct.pack(">HH", 12, 8) + b"vpcflow\x00" + struct.pack(">HH", 0, 0) + env)
    return c


def pcapng_packets(path):
    """Packet data of the Enhanced Packet Blocks of a little-endian pcapng."""
    data = open(path, "rb").read()
    packets, off = [], 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if blen < 12:
            break
        if btype == 6:
            caplen = struct.unpack_from("<I", data, off + 20)[0]
            packets.append(data[off + 28:off + 28 + caplen])
        off += blen
    return packets


def json_scan_seeds():
    c = Corpus("json-scan")
    for i, path in enumerate(json_files()):
        c.add(bytes([i % 61 + 2]) + read(path))
    for hand in [b'[{"message":"2 x"},{"message":"3 y"}]',
                 b'{"events":[{"message":"a\\"b","timestamp":1}],"nextToken":"x"} {"events":[]}',
                 b'{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'
                 b']]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"b":1}\n{"message":"2 after"}',
                 b'{"logEvents":[{"id":"1","message":"x"}],"messageType":"CONTROL_MESSAGE"}{"x":]}{"message":"y"}']:
        c.add(b"\x05" + hand)
    return c


def events_of(doc):
    if isinstance(doc, list):
        for d in doc:
            yield from events_of(d)
    elif isinstance(doc, dict):
        for key in ("events", "logEvents"):
            for ev in doc.get(key, []):
                yield ev
        if "message" in doc:
            yield doc


def json_documents(data):
    decoder, text, pos, docs = json.JSONDecoder(), data.decode("utf-8", "replace"), 0, []
    while pos < len(text):
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            break
        try:
            doc, pos = decoder.raw_decode(text, pos)
        except ValueError:
            break
        docs.append(doc)
    return docs


def json_event_seeds():
    c = Corpus("json-event")
    seen = 0
    for path in json_files():
        for doc in json_documents(read(path)):
            for ev in list(events_of(doc))[:2]:
                c.add(b"\x01" + json.dumps(ev).encode())
                seen += 1
    for hand in [b'{"message":"x","timestamp":1e300,"ingestionTime":-5,"id":7}',
                 b'{"message":"\\u0000\\ud800","logStreamName":"eni-1"}',
                 b'{"message":["not","text"]}']:
        c.add(b"\x02" + hand)
    return c


def json_payload_seeds():
    c = Corpus("json-payload")
    for path in json_files():
        for doc in json_documents(read(path)):
            if isinstance(doc, dict) and "awslogs" in doc:
                b64 = doc["awslogs"]["data"]
                c.add(b"\x00" + b64.encode())
                c.add(b"\x01" + gzip.decompress(base64.b64decode(b64))[:2048])
                c.add(b"\x03" + base64.b64decode(b64))
    c.add(b"\x00H4sI\\/\\u0041=")
    c.add(b"\x03" + gzip.compress(b'{"a":1}', mtime=0) * 2)
    return c


def report_seeds():
    """Spec line, format line, records (from the samples with a header)."""
    c = Corpus("report")
    specs = ["count,by=srcaddr;dstaddr", "sum,bytes,by=interface-id,top=5", "list,bytes,top=3",
             "avg,duration,by=action;flow_direction,sort=asc", "max,bytes,by=srcaddr;dstaddr;dstport,top=2",
             'count,by=srcaddr,filter=vpcflow.action == "REJECT", x', "min,start", "list",
             # sql=athena: the query, and filters of every translated shape
             'sum,bytes,by=srcaddr;dstport,top=2,sql=athena,table=db.t,filter=vpcflow.action == "REJECT" && '
             '!(vpcflow.dstport in {22, 0x50}) && (vpcflow.srcaddr != 10.0.0.1 || vpcflow.tcp_flags)',
             'list,duration,sql=athena,filter=not vpcflow.bytes >= 5 or vpcflow.type == "a\\"b\'c"',
             # times and sets with ranges and networks
             'count,by=action,sql=athena,filter=vpcflow.start >= "2022-09-26 12:15:05Z" && vpcflow.end in '
             '{"Sep 26, 2022 12:10:00.5 UTC".."2022-09-26T14:16:40+02:00"} && !(vpcflow.srcaddr in '
             '{10.0.0.0/16, 10.0.1.0..10.0.1.20, 203.0.113.5}) && vpcflow.dstport in {22 1024..65535}']
    samples = [p for p in text_logs() if read(p)[:1].isalpha()]
    for i, spec in enumerate(specs):
        lines = read(samples[i % len(samples)]).splitlines()
        c.add(spec.encode() + b"\n" + b"\n".join(lines[:12]))
    # by hand: values of every group key shape (addresses in and out of
    # canonical form, numbers at the packing limits), and sums past 2^64
    c.add(b"count,by=srcaddr;dstport\nsrcaddr dstport bytes\n"
          b"10.0.0.1 443 1\n010.0.0.1 0443 2\n2001:db8::1 999999999999999999 3\n"
          b"2001:DB8::1 1000000000000000000 4\n::ffff:1.2.3.4 - 5\n:: 0 6\nab\x00c \x1f 7\n")
    c.add(b"sum,bytes,by=action\naction bytes\n"
          b"ACCEPT 18446744073709551615\nACCEPT 18446744073709551615\nREJECT 1\n")
    return c


# --- Traffic Mirror (issue 3) ---

def udp_payloads(path):
    """UDP payloads of a classic pcap (Ethernet, IPv4 or IPv6), read here."""
    data = read(path)
    if data[:4] != b"\xd4\xc3\xb2\xa1":
        return []
    out, pos = [], 24
    while pos + 16 <= len(data):
        caplen = struct.unpack("<I", data[pos + 8:pos + 12])[0]
        frame = data[pos + 16:pos + 16 + caplen]
        pos += 16 + caplen
        if len(frame) < 14:
            continue
        ethertype = struct.unpack("!H", frame[12:14])[0]
        if ethertype == 0x0800 and len(frame) >= 34 and frame[23] == 17:
            out.append(frame[14 + (frame[14] & 0x0f) * 4 + 8:])
        elif ethertype == 0x86DD and len(frame) >= 62 and frame[20] == 17:
            out.append(frame[62:])
    return out


def mirror_frame_seeds():
    """One parameter byte, then a UDP payload (VXLAN, GENEVE) of the mirror captures."""
    c = Corpus("mirror-frame")
    seen = set()
    for path in sorted(glob.glob(os.path.join(PCAPS, "mirror", "*.pcap"))):
        for payload in udp_payloads(path)[:6]:
            if payload[:64] not in seen:
                seen.add(payload[:64])
                c.add(bytes([len(seen) % 4]) + payload[:1024])
    return c


def mirror_import_seeds():
    """The AWS CLI JSON of pcaps/mirror, alone and with the interfaces after a NUL."""
    c = Corpus("mirror-import")
    sessions = read(os.path.join(PCAPS, "mirror", "describe-traffic-mirror-sessions.json"))
    interfaces = read(os.path.join(PCAPS, "mirror", "describe-network-interfaces.json"))
    c.add(sessions)
    c.add(sessions + b"\0" + interfaces)
    c.add(b'[{"VirtualNetworkId": 42, "PacketLength": 20, "Tags": [{"Key": "Name", "Value": "caf\\u00e9"}]}]')
    c.add(b'{"TrafficMirrorSession": {"VirtualNetworkId": 16777215}, "ClientToken": "x"}\0'
          b'{"NetworkInterface": {"NetworkInterfaceId": "eni-1", "MacAddress": "02:00:00:00:00:01"}}')
    for cell in (b"12345", b"10.0.1.10 10.0.1.11, 2600:1f18::1", b"02:85:69:c2:ab:02", b"100", b" 16777216 "):
        c.add(cell)
    return c


def mirror_receiver_seeds():
    """A flags byte, 37 bytes of endpoints, then a UDP payload of the mirror
    captures, as vpcshark-mirror receives it; and short VNI lists."""
    c = Corpus("mirror-receiver")
    v4 = bytes([10, 0, 1, 10]) + bytes(12) + bytes([10, 0, 9, 9]) + bytes(12)
    v6 = bytes.fromhex("26001f18000000040000000000000040") * 2
    ports = struct.pack("!HHB", 65408, 4789, 64)
    seen = set()
    for path in sorted(glob.glob(os.path.join(PCAPS, "mirror", "*.pcap"))):
        for payload in udp_payloads(path)[:4]:
            if payload[:64] not in seen:
                seen.add(payload[:64])
                flags = len(seen) % 4
                c.add(bytes([flags]) + (v6 if flags & 1 else v4) + ports + payload[:1024])
    for text in (b"12345", b"100, 200,300", b"16777216", b"1,,2 3", b""):
        c.add(text)
    return c


def cloudwatch_api_seeds():
    """What vpcflow-cloudwatch reads, behind a selector byte: 0, API pages
    (the CLI exports' events as a FilterLogEvents answer, errors in JSON and
    XML); 1, credential_process output; 2, AWS shared files; 3, start times."""
    c = Corpus("cloudwatch-api")
    for path in json_files()[:8]:
        events = [ev for doc in json_documents(read(path)) for ev in events_of(doc)][:20]
        if events:
            c.add(b"\0" + json.dumps({"events": events, "searchedLogStreams": [],
                                        "nextToken": "f/3" + "0" * 40}).encode())
    c.add(b'\0{"events":[],"searchedLogStreams":[]}')
    c.add(b'\0{"__type":"ThrottlingException","message":"Rate exceeded"}')
    c.add(b"\0<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>invalid</Message></Error>"
          b"</ErrorResponse>")
    c.add(b'\1{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", '
          b'"Expiration": "2030-01-02T03:04:05Z"}')
    c.add(b"\2[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n[profile x]\n"
          b"credential_process = aws configure export-credentials --profile x --format process\ns3 =\n  a = b\n")
    for text in (b"now", b"-15m", b"-2h", b"2024-05-01T10:00:00Z", b"2024-05-01T10:00:00.250+02:00", b"1700000000000"):
        c.add(b"\3" + text)
    return c


def mirror_dedup_seeds():
    """A window/cap byte, then (fingerprint, source|step) pairs."""
    c = Corpus("mirror-dedup")
    c.add(bytes([0x15]) + bytes([1, 0x21, 1, 0x22, 2, 0x20, 1, 0x41, 1, 0x43]))
    c.add(bytes([0x3f]) + bytes(i % 7 for i in range(400)))
    c.add(bytes([0x00]) + bytes([5, 0x80, 5, 0x01, 5, 0x02, 5, 0x00]))
    c.add(bytes([0x0f]) + bytes([9, 0x20, 9, 0x21, 9, 0x06, 9, 0x21, 9, 0x22]))   # a step back within the window
    c.add(bytes([0x31]) + bytes((i * 37) % 256 for i in range(300)))               # many fingerprints, small cap
    return c


def parquet_seeds():
    """The decoder's four modes (fuzz-parquet.c): whole files, one column
    chunk, levels, a compressed page."""
    import subprocess
    import zlib
    c = Corpus("parquet")
    for path in sorted(glob.glob(os.path.join(PCAPS, "parquet", "*.parquet"))):
        data = read(path)
        if len(data) < SEED_MAX:
            c.add(b"\x00" + data)
    # first column chunks (they start after "PAR1"): type, codec, optional, rows
    chunks = {"flowlogs-reader__flows.parquet": (2, 2, 1, 3), "duckdb-snappy.parquet": (1, 1, 1, 200),
              "duckdb-zstd.parquet": (1, 6, 1, 200), "duckdb-hyphens-subset.parquet": (6, 2, 1, 120)}
    for name, head in chunks.items():
        c.add(b"\x01" + bytes(head) + read(os.path.join(PCAPS, "parquet", name))[4:4096])
    c.add(bytes([2, 3, 8, 0, 0x03, 0x88, 0xC6, 0xFA]))                      # 0..7 at width 3, bit-packed
    c.add(bytes([2, 9, 8, 0, 0x0A, 0x2C, 0x01, 0x06, 0x07, 0x00]))          # RLE runs at width 9
    text = b"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 ACCEPT OK"
    size = len(text).to_bytes(3, "little")
    c.add(bytes([3, 0]) + size + text)
    c.add(bytes([3, 2]) + size + zlib.compress(text))
    c.add(bytes([3, 1]) + size + bytes([len(text), 60 << 2, len(text) - 1]) + text)    # snappy: one literal
    zstd = subprocess.run(["zstd", "-q", "-c"], input=text, capture_output=True, check=True).stdout
    c.add(bytes([3, 6]) + size + zstd)
    return c


def csv_seeds():
    """A piece size, then CSV text (fuzz-csv.c): the query-result samples and hand-written edge cases."""
    c = Corpus("csv")
    for path in sorted(glob.glob(os.path.join(PCAPS, "query-results", "*.csv*"))):
        c.add(bytes([7]) + read(path)[:4096])
    c.add(bytes([1]) + b'"a","b ""q"", c\r\nd",\r\n\r\nx,"unclosed\n')
    c.add(bytes([0]) + b'a,b\rc,"x"y"z",\n' + b"1," * 1100 + b"1\n")
    c.add(bytes([3]) + b"\xef\xbb\xbfsrcaddr,dstaddr,dstport\n10.0.0.1,,443\r")
    return c


def correlate_seeds():
    """A lag byte, then 8-byte records (byte 0 even) and packets (odd), as fuzz-correlate.c reads them."""
    c = Corpus("correlate")

    def record(iface=1, proto=0, flags=0, tuple_=0, start=100, duration=20, packets=3):
        return bytes([(iface << 1) | (proto << 3) | (flags << 5), tuple_, start, duration, packets, 60, 0, 0])

    def packet(iface=1, proto=0, dup=False, tuple_=0, t=164, frac=0, length=40, which=0):
        return bytes([1 | (iface << 1) | (proto << 3) | (0x20 if dup else 0), tuple_, t, 0, frac, length, which, 0])

    # One record and its three packets, then a reply that matches nothing.
    c.add(bytes([60]) + record() + packet() + packet(t=170) + packet(t=183) + packet(tuple_=0x05))
    # Consecutive records competing for packets in the overlap of their windows.
    c.add(bytes([60]) + record(start=100, duration=59, packets=2) + record(start=160, duration=59, packets=2)
          + packet(t=150 + 64) + packet(t=155 + 64) + packet(t=158 + 64) + packet(t=165 + 64))
    # Both ends: two interfaces, a duplicate, a packet without interface, ICMP, a NODATA record.
    c.add(bytes([30]) + record(iface=1) + record(iface=2) + record(iface=3, proto=2, flags=1)
          + packet(iface=1) + packet(iface=2, dup=True) + packet(iface=0, dup=True, which=1) + packet(iface=3, proto=2))
    # A long flow: records of consecutive intervals stamped 30 s late, three packets each,
    # on the interface and seen without one.
    flow = b"".join(record(start=10 + 40 * k, duration=39, packets=3) for k in range(5))
    flow += b"".join(packet(iface=k % 2, t=10 + 64 - 30 + 13 * k) for k in range(15))
    c.add(bytes([60]) + flow)
    # REJECT, "-" ports, a record running backwards.
    c.add(bytes([0]) + record(flags=2) + record(flags=4) + bytes([0, 0, 50, 250, 1, 0, 0, 0]) + packet(t=164))
    return c


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build")
    for corpus in (tokens_seeds(), format_seeds(), layout_seeds(), frame_seeds(build), json_scan_seeds(),
                   json_event_seeds(), json_payload_seeds(), report_seeds(),
                   mirror_frame_seeds(), mirror_import_seeds(), mirror_dedup_seeds(), mirror_receiver_seeds(),
                   cloudwatch_api_seeds(),
                   parquet_seeds(), csv_seeds(), correlate_seeds()):
        print(f"{os.path.relpath(corpus.dir, REPO)}: {corpus.count} seeds")


if __name__ == "__main__":
    main()
