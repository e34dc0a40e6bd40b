#!/usr/bin/python3
# Generates a consistent pair for issue 12 (flow records and mirrored
# packets, joined), and the facts the tests check the join against:
#
#   pcaps/correlation/mirror.pcap      what the mirror target captured (VXLAN, a session per ENI)
#   pcaps/correlation/flows.log        the flow log AWS would write for the same traffic
#   pcaps/correlation/mirror_sessions  the session table (VNI -> source ENI)
#   pcaps/correlation/facts.json       which mirrored packet belongs to which record
#
#   /usr/bin/python3 tools/gen-correlation.py [OUTDIR]     (default pcaps/correlation)
#
# --workshop writes the seed workshop's shape instead (default
# pcaps/correlation-workshop): a web tier (an ALB in front of two web
# instances on 80 and 443, one database), the flow log in the 29-field
# "select all" layout a CloudWatch Logs export gives (flows.log, no
# header) and the same records in the S3 text shape (flows-s3.log, with
# its header), line for line.
#
# One model of the traffic makes both files: every packet crosses the
# interfaces of its sender and its receiver; each crossing is aggregated
# into the flow log of that interface (per 5-tuple, direction and 1-minute
# interval, stamped a few seconds late as AWS allows) and copied by that
# interface's mirror session if it has one, is running, and its filter
# takes the packet. The facts are written from the model, never from
# tshark. Known disagreements are put in on purpose (see DISAGREEMENTS).
#
# Deterministic: same bytes on every run.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import importlib.util
import json
import os
import sys
import zlib

from scapy.all import ICMP, IP, TCP, UDP, Ether, Raw, raw

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The capture and session helpers of the mirror samples' generator.
_spec = importlib.util.spec_from_file_location("gen_mirror_pcaps", os.path.join(REPO, "tools", "gen-mirror-pcaps.py"))
mirror_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mirror_gen)

T0 = 1_700_000_040          # a multiple of 60: intervals start on whole minutes
INTERVAL = 60               # a Nitro instance's aggregation interval
INTERVALS = 4
MAX_STAMP_LAG = 7           # seconds AWS stamps start/end after the packets here (AWS: up to 60)
ACCOUNT = "123456789012"
TARGET = "10.0.9.9"
RECEIVER_DELAY = 0.0003     # the receiver's copy leaves its host this much later

FORMAT = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
          "start end action log-status flow-direction")

# Interfaces: address, ENI, flow log on it, mirror session (VNI, name, packet
# length, running from), what the session's filter drops.
INTERFACES = {
    "web":     dict(addr="10.0.1.10", eni="eni-0c1a2b3c4d5e60001", flow_log=True,
                    session=(1001, "web", None, 0), filter_drops=("udp", 514)),
    "app":     dict(addr="10.0.2.20", eni="eni-0c1a2b3c4d5e60002", flow_log=True,
                    session=(1002, "app-cut-100", 100, 0), filter_drops=None),
    "db":      dict(addr="10.0.3.30", eni="eni-0c1a2b3c4d5e60003", flow_log=True,
                    session=(1003, "db-late", None, 95), filter_drops=None),
    "cache":   dict(addr="10.0.4.40", eni="eni-0c1a2b3c4d5e60004", flow_log=True,
                    session=None, filter_drops=None),
    "idle":    dict(addr="10.0.5.50", eni="eni-0c1a2b3c4d5e60005", flow_log=True,
                    session=(1005, "idle", None, 0), filter_drops=None),
    "bastion": dict(addr="10.0.6.60", eni="eni-0c1a2b3c4d5e60006", flow_log=False,
                    session=(1006, "bastion", None, 0), filter_drops=None),
}

DISAGREEMENTS = {
    "filter": "web's session filter drops UDP 514: web's syslog records are logged, never mirrored",
    "late-session": "db's session starts 95 s in: db's records of the first minute are not seen, "
                    "of the second partly",
    "no-session": "cache has no mirror session: its records are not seen",
    "reject-ingress": "a scan of web:22 rejected by web's security group: REJECT ingress record, "
                      "not mirrored (AWS: packets dropped at the source by security group or ACL "
                      "rules are not mirrored)",
    "reject-mirrored": "web's outbound SMTP rejected by its outbound rules: REJECT egress record whose "
                       "packets were mirrored (the reading of AWS's 'mirrored outbound traffic is not "
                       "subject to security group evaluation' that docs/correlation.md leaves open)",
    "nodata": "idle has a session and a flow log and no traffic: NODATA every minute",
    "no-flow-log": "bastion is mirrored but has no flow log: its copies are outside every record",
    "cut": "app's session keeps 100 bytes: its copies are cut, bytes come from the inner IP header",
    "both-ends": "web <-> app and app <-> db are mirrored at both ends: each copy counts at its own interface",
}


# ---------------------------------------------------------------- traffic

def wire_packets():
    """Every packet on the wire: (time, src, dst, proto, sport, dport, ip bytes, verdict).
    verdict: None (delivered), "reject-in" (receiver's rules drop it),
    "reject-out" (sender's rules drop it)."""
    out = []

    def tcp_talk(client, server, cport, sport, offset, request, replies, every=10, until=INTERVALS * INTERVAL):
        t = offset
        while t < until:
            out.append((t, client, server, "tcp", cport, sport, request, None))
            for k, size in enumerate(replies):
                out.append((t + 0.05 + 0.01 * k, server, client, "tcp", sport, cport, size, None))
            t += every

    web, app, db = INTERFACES["web"]["addr"], INTERFACES["app"]["addr"], INTERFACES["db"]["addr"]
    cache, bastion = INTERFACES["cache"]["addr"], INTERFACES["bastion"]["addr"]
    client, scanner, smtp, syslog = "203.0.113.50", "198.51.100.7", "203.0.113.99", "10.0.7.70"

    tcp_talk(client, web, 40000, 443, 2, 120, (1400, 1400))     # the web tier
    tcp_talk(web, app, 50000, 8080, 4, 300, (900,))              # both ends mirrored
    tcp_talk(app, db, 50001, 5432, 6, 200, (600,))               # db's session starts late
    tcp_talk(app, cache, 50002, 6379, 8, 80, (150,))             # cache has no session
    tcp_talk(bastion, web, 50003, 22, 12, 100, (200,), every=60, until=150)  # bastion has no flow log
    for t in range(5, INTERVALS * INTERVAL, 10):                 # syslog: filtered out of the mirror
        out.append((t, web, syslog, "udp", 514, 514, 180, None))
    for t in (30, 31, 33):                                       # a scan, rejected on the way in
        out.append((t, scanner, web, "tcp", 51515, 22, 44, "reject-in"))
    for t in (150, 151, 153):                                    # outbound SMTP, rejected on the way out
        out.append((t, web, smtp, "tcp", 40001, 25, 60, "reject-out"))
    for t in (45, 46, 47):                                       # ping: ICMP records carry ports 0 0
        out.append((t, client, web, "icmp", 0, 0, 84, None))
        out.append((t + 0.001, web, client, "icmp", 0, 0, 84, None))
    out.sort(key=lambda p: (p[0], p[1], p[2]))
    return out

# ---------------------------------------------------------------- flow-log lines

# The workshop's "select all" custom format as CloudWatch Logs Insights
# parses it: the 29 fields of versions 2 to 5, in alphabetical order.
CLOUDWATCH_FIELDS = ("account_id action az_id bytes dstaddr dstport end flow_direction instance_id interface_id "
                     "log_status packets pkt_dst_aws_service pkt_dstaddr pkt_src_aws_service pkt_srcaddr protocol "
                     "region srcaddr srcport start sublocation_id sublocation_type subnet_id tcp_flags traffic_path "
                     "type version vpc_id").split()
REGION, VPC = "us-east-1", "vpc-0a1b2c3d4e5f60718"


def s3_line(fields, interfaces):
    """A record in FORMAT's order; "-" for what it lacks."""
    return " ".join(str(fields.get(name.replace("-", "_"), "-")) for name in FORMAT.split())


def cloudwatch_line(fields, interfaces):
    """A record in the 29-field layout; where it was logged adds the
    interface's instance, subnet, zone, VPC and region."""
    itf = next(i for i in interfaces.values() if i["eni"] == fields["interface_id"])
    where = dict(instance_id=itf.get("instance", "-"), subnet_id=itf.get("subnet", "-"), az_id=itf.get("az", "-"),
                 vpc_id=VPC, region=REGION, type="IPv4")
    return " ".join(str(fields.get(name, where.get(name, "-"))) for name in CLOUDWATCH_FIELDS)


def inner_frame(src, dst, proto, sport, dport, ip_len, seq, by_addr):
    """The Ethernet frame of a packet whose IP length is ip_len."""
    if proto == "tcp":
        l4 = TCP(sport=sport, dport=dport, seq=1000 + seq, ack=1, flags="S" if ip_len <= 44 else "PA", window=64240)
        head = 20 + 20
    elif proto == "udp":
        l4 = UDP(sport=sport, dport=dport)
        head = 20 + 8
    else:
        l4 = ICMP(type=8 if by_addr.get(dst) else 0, id=7, seq=seq)
        head = 20 + 8
    pkt = Ether(src="02:00:00:00:00:99", dst="02:00:00:00:00:01") / \
        IP(src=src, dst=dst, ttl=64, id=seq & 0xffff, flags="DF") / l4 / Raw(b"\x00" * (ip_len - head))
    data = raw(pkt)
    assert len(data) == 14 + ip_len
    return data


def protocol_number(proto):
    return {"tcp": 6, "udp": 17, "icmp": 1}[proto]


def filter_drops(itf, proto, sport, dport):
    drops = itf["filter_drops"]
    return drops is not None and drops[0] == proto and drops[1] in (sport, dport)


def stamp_lag(key):
    """Seconds AWS stamped this record late: fixed per record, 0..MAX_STAMP_LAG."""
    return zlib.crc32(repr(key).encode()) % (MAX_STAMP_LAG + 1)


# ---------------------------------------------------------------- the workshop's web tier

# The seed workshop mirrors its web instance (VNI 12345). Here: an ALB
# (a flow log, no mirror session) in front of two web instances, one on
# 80, one on 443, each mirrored; a database with a flow log and no session.
WORKSHOP_INTERFACES = {
    "alb":  dict(addr="10.0.0.6", eni="eni-0e1f2a3b4c5d60001", flow_log=True, session=None, filter_drops=None,
                 subnet="subnet-0aa11bb22cc33dd00", az="use1-az1"),
    "web1": dict(addr="10.0.1.10", eni="eni-0e1f2a3b4c5d60002", flow_log=True, session=(12345, "web1", None, 0),
                 filter_drops=None, instance="i-0a1b2c3d4e5f60001", subnet="subnet-0aa11bb22cc33dd01", az="use1-az1"),
    "web2": dict(addr="10.0.1.11", eni="eni-0e1f2a3b4c5d60003", flow_log=True, session=(12346, "web2-late", None, 130),
                 filter_drops=None, instance="i-0a1b2c3d4e5f60002", subnet="subnet-0aa11bb22cc33dd01", az="use1-az1"),
    "db":   dict(addr="10.0.2.30", eni="eni-0e1f2a3b4c5d60004", flow_log=True, session=None, filter_drops=None,
                 instance="i-0a1b2c3d4e5f60003", subnet="subnet-0aa11bb22cc33dd02", az="use1-az2"),
}

WORKSHOP_DISAGREEMENTS = {
    "no-session": "the ALB and the database have flow logs and no mirror session: their records are not seen",
    "late-session": "web2's session starts 130 s in: its records of the first two minutes are not seen, "
                    "of the third partly",
    "reject-ingress": "SSH to web1 from the internet, rejected by its security group (the workshop's question 4): "
                      "REJECT ingress record, not mirrored",
    "both-ends": "the ALB's and the database's sides of the web instances' traffic are logged there too: "
                 "each record counts what crossed its own interface",
}


def workshop_packets():
    out = []

    def tcp_talk(client, server, cport, sport, offset, request, replies, every=10):
        t = offset
        while t < INTERVALS * INTERVAL:
            out.append((t, client, server, "tcp", cport, sport, request, None))
            for k, size in enumerate(replies):
                out.append((t + 0.05 + 0.01 * k, server, client, "tcp", sport, cport, size, None))
            t += every

    alb, web1, web2, db = (WORKSHOP_INTERFACES[n]["addr"] for n in ("alb", "web1", "web2", "db"))
    client, scanner = "203.0.113.50", "203.0.113.5"
    tcp_talk(client, alb, 40000, 443, 1, 140, (1400, 600))       # the internet to the ALB
    tcp_talk(alb, web1, 44812, 80, 2, 400, (1200, 1200, 300))    # the ALB to web1 on 80
    tcp_talk(alb, web2, 44813, 443, 3, 420, (1400, 500))         # the ALB to web2 on 443
    tcp_talk(web1, db, 50010, 3306, 4, 160, (700,), every=15)    # both web instances query the database
    tcp_talk(web2, db, 50011, 3306, 6, 180, (900,), every=20)
    for t in (70, 71, 73):                                       # SSH from the internet, rejected
        out.append((t, scanner, web1, "tcp", 51515, 22, 44, "reject-in"))
    out.sort(key=lambda p: (p[0], p[1], p[2]))
    return out


def scenario(interfaces, traffic, disagreements, flow_logs, session_note, about):
    return dict(interfaces=interfaces, by_addr={i["addr"]: name for name, i in interfaces.items()}, traffic=traffic,
                disagreements=disagreements, flow_logs=flow_logs, session_note=session_note, about=about)


PAIR = scenario(INTERFACES, wire_packets, DISAGREEMENTS, (("flows.log", "s3"),), "issue 12 pair: ",
                "Generated by tools/gen-correlation.py: the model's truth, not tshark's output. Record lines count "
                "from 1 after the header of flows.log; packet frames are mirror.pcap's.")
WORKSHOP = scenario(WORKSHOP_INTERFACES, workshop_packets, WORKSHOP_DISAGREEMENTS,
                    (("flows.log", "cloudwatch"), ("flows-s3.log", "s3")), "workshop web tier: ",
                    "Generated by tools/gen-correlation.py --workshop: the model's truth, not tshark's output. "
                    "flows.log is the 29-field CloudWatch layout (no header), flows-s3.log the same records in "
                    "the S3 text shape (after its header); record lines count from 1 in that order in both; "
                    "packet frames are mirror.pcap's.")


# ---------------------------------------------------------------- the model

def tcp_flags(proto, ip_len):
    """The flags inner_frame gives a packet (SYN alone, else PSH+ACK), as flow logs count them."""
    return 0 if proto != "tcp" else (2 if ip_len <= 44 else 0x18)


def build(scn):
    interfaces, by_addr = scn["interfaces"], scn["by_addr"]
    records = {}    # (itf, 5-tuple, interval) -> record
    copies = []     # mirror copies: dict
    for seq, (t, src, dst, proto, sport, dport, ip_len, verdict) in enumerate(scn["traffic"]()):
        frame = inner_frame(src, dst, proto, sport, dport, ip_len, seq, by_addr)
        copied = False
        crossings = []
        if src in by_addr:
            crossings.append((by_addr[src], "egress", t))
        if dst in by_addr and verdict != "reject-out":
            crossings.append((by_addr[dst], "ingress", t + RECEIVER_DELAY))
        for name, direction, when in crossings:
            itf = interfaces[name]
            tup = (src, dst, sport, dport, protocol_number(proto))
            interval = int(t // INTERVAL)
            rejected = (verdict == "reject-in" and direction == "ingress") or \
                       (verdict == "reject-out" and direction == "egress")
            key = None
            if itf["flow_log"]:
                key = (name, tup, interval)
                rec = records.setdefault(key, dict(interface=name, tuple=tup, interval=interval, direction=direction,
                                                   action="REJECT" if rejected else "ACCEPT", times=[], bytes=0,
                                                   copies=[], tcp_flags=0))
                rec["times"].append(t)
                rec["bytes"] += ip_len
                rec["tcp_flags"] |= tcp_flags(proto, ip_len)
            session = itf["session"]
            mirrored = session is not None and when >= session[3] and \
                not filter_drops(itf, proto, sport, dport) and \
                not (verdict == "reject-in" and direction == "ingress")
            if mirrored:
                vni, _, plen, _ = session
                copies.append(dict(time=when, vni=vni, interface=name, direction=direction, frame=frame,
                                   cut=plen if plen is not None and plen < len(frame) else None,
                                   ip_len=ip_len, record=key, duplicate=copied))
                copied = True
    copies.sort(key=lambda c: (c["time"], c["vni"]))
    return records, copies


def write_outputs(outdir, scn):
    interfaces = scn["interfaces"]
    records, copies = build(scn)

    # The mirror capture.
    cap = mirror_gen.Pcap()
    for n, c in enumerate(copies, start=1):
        data = mirror_gen.mirror_copy(c["vni"], interfaces[c["interface"]]["addr"], c["frame"], target=TARGET,
                                      cut=c["cut"])
        t_us = round((T0 - mirror_gen.T0 + c["time"]) * 1_000_000)
        cap.add(t_us, data)
        c["pcap_frame"] = n
    cap.write(os.path.join(outdir, "mirror.pcap"))

    # The flow log: records of each interval, NODATA for an interface with a
    # flow log and no traffic in an interval.
    lines = []
    for key, rec in records.items():
        lag = stamp_lag(key)
        src, dst, sport, dport, proto = rec["tuple"]
        rec["start"] = T0 + int(min(rec["times"])) + lag
        rec["end"] = T0 + int(max(rec["times"])) + lag
        fields = dict(version=5, account_id=ACCOUNT, interface_id=interfaces[rec["interface"]]["eni"], srcaddr=src,
                      dstaddr=dst, srcport=sport, dstport=dport, protocol=proto, packets=len(rec["times"]),
                      bytes=rec["bytes"], start=rec["start"], end=rec["end"], action=rec["action"], log_status="OK",
                      flow_direction=rec["direction"], tcp_flags=rec["tcp_flags"], pkt_srcaddr=src, pkt_dstaddr=dst)
        lines.append((rec["start"], interfaces[rec["interface"]]["eni"], fields, key))
    for name, itf in interfaces.items():
        if not itf["flow_log"]:
            continue
        for interval in range(INTERVALS):
            if any(k[0] == name and k[2] == interval for k in records):
                continue
            start, end = T0 + interval * INTERVAL, T0 + (interval + 1) * INTERVAL
            fields = dict(version=5, account_id=ACCOUNT, interface_id=itf["eni"], start=start, end=end,
                          log_status="NODATA")
            lines.append((start, itf["eni"], fields, ("nodata", name, interval)))
    lines.sort(key=lambda line: (line[0], line[1], s3_line(line[2], interfaces)))
    line_of = {}
    for n, (_, _, _, key) in enumerate(lines, start=1):
        line_of[key] = n
    for name, layout in scn["flow_logs"]:
        with open(os.path.join(outdir, name), "w") as f:
            if layout == "s3":
                f.write(FORMAT + "\n")
            for _, _, fields, _ in lines:
                f.write((s3_line if layout == "s3" else cloudwatch_line)(fields, interfaces) + "\n")

    # The session table.
    with open(os.path.join(outdir, "mirror_sessions"), "w") as f:
        f.write("# Traffic Mirror session table (Wireshark UAT \"mirror_sessions\") for mirror.pcap.\n")
        f.write("# VNI, outer source, name, session ID, source ENI, packet length, description, "
                "ENI addresses, ENI MAC\n")
        for name, itf in interfaces.items():
            if itf["session"] is None:
                continue
            vni, sname, plen, _ = itf["session"]
            f.write(mirror_gen.uat_line((vni, "", sname, "tms-0c1a2b3c4d5e6%04d" % vni, itf["eni"],
                                         plen or "", scn["session_note"] + name, itf["addr"], "")))

    # The facts.
    facts_records = []
    for key, n in sorted(line_of.items(), key=lambda kv: kv[1]):
        if key[0] == "nodata":
            facts_records.append(dict(line=n, interface=interfaces[key[1]]["eni"], log_status="NODATA",
                                      takes_part=False))
            continue
        rec = records[key]
        mine = [c for c in copies if c["record"] == key]
        logged = len(rec["times"])
        if not mine:
            verdict = "not seen"
        elif len(mine) == logged:
            verdict = "fully seen"
        else:
            verdict = "partly seen" if len(mine) < logged else "more than logged"
        facts_records.append(dict(
            line=n, interface=interfaces[rec["interface"]]["eni"], direction=rec["direction"],
            srcaddr=rec["tuple"][0], dstaddr=rec["tuple"][1], srcport=rec["tuple"][2], dstport=rec["tuple"][3],
            protocol=rec["tuple"][4], action=rec["action"], log_status="OK", takes_part=True,
            start=rec["start"], end=rec["end"], stamp_lag_s=rec["start"] - T0 - int(min(rec["times"])),
            logged_packets=logged, logged_bytes=rec["bytes"],
            mirrored_packets=len(mine), mirrored_bytes=sum(c["ip_len"] for c in mine),
            first_frame=min((c["pcap_frame"] for c in mine), default=None),
            last_frame=max((c["pcap_frame"] for c in mine), default=None),
            verdict=verdict, reject_mirrored=rec["action"] == "REJECT" and bool(mine)))
    facts_packets = [dict(frame=c["pcap_frame"], time=round(T0 + c["time"], 6), vni=c["vni"],
                          interface=interfaces[c["interface"]]["eni"], direction=c["direction"],
                          ip_len=c["ip_len"], cut=c["cut"], duplicate=c["duplicate"],
                          record_line=line_of.get(c["record"]) if c["record"] else None,
                          status="matched" if c["record"] else "outside")
                     for c in copies]
    taking_part = [r for r in facts_records if r["takes_part"]]
    totals = dict(records=len(taking_part),
                  fully_seen=sum(r["verdict"] == "fully seen" for r in taking_part),
                  partly_seen=sum(r["verdict"] == "partly seen" for r in taking_part),
                  not_seen=sum(r["verdict"] == "not seen" for r in taking_part),
                  more_than_logged=sum(r["verdict"] == "more than logged" for r in taking_part),
                  reject_mirrored=sum(r["reject_mirrored"] for r in taking_part),
                  packets=len(facts_packets),
                  matched=sum(p["status"] == "matched" for p in facts_packets),
                  outside=sum(p["status"] == "outside" for p in facts_packets))
    facts = dict(
        about=scn["about"],
        lag_allowance_s=60, max_stamp_lag_s=MAX_STAMP_LAG, interval_s=INTERVAL, t0=T0,
        disagreements=scn["disagreements"], totals=totals, records=facts_records, packets=facts_packets)
    with open(os.path.join(outdir, "facts.json"), "w") as f:
        json.dump(facts, f, indent=1)
        f.write("\n")
    return facts


def main():
    args = sys.argv[1:]
    workshop = "--workshop" in args
    args = [a for a in args if a != "--workshop"]
    scn = WORKSHOP if workshop else PAIR
    outdir = args[0] if args else os.path.join(REPO, "pcaps", "correlation-workshop" if workshop else "correlation")
    os.makedirs(outdir, exist_ok=True)
    facts = write_outputs(outdir, scn)
    print(f"{outdir}: {len(facts['records'])} records, {len(facts['packets'])} mirrored packets; "
          f"totals {facts['totals']}")


if __name__ == "__main__":
    main()
