# Expected contents of flow-log files, worked out independently of the C
# code: a deliberately plain reading of the AWS text format, with its own
# field list typed from the AWS documentation. Tests compare what tshark
# shows with what this says.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import gzip
import ipaddress

# AWS field name -> kind ("str", "int", "addr", "time"), from
# https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
# and the Transit Gateway flow-log page.
KINDS = {}
for name in ("version srcport dstport protocol packets bytes tcp-flags traffic-path "
             "encryption-status packets-lost-no-route packets-lost-blackhole "
             "packets-lost-mtu-exceeded packets-lost-ttl-expired").split():
    KINDS[name] = "int"
for name in "srcaddr dstaddr pkt-srcaddr pkt-dstaddr".split():
    KINDS[name] = "addr"
for name in "start end".split():
    KINDS[name] = "time"
for name in ("account-id interface-id action log-status vpc-id subnet-id instance-id type region "
             "az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service "
             "flow-direction ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn "
             "ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name "
             "ecs-task-definition-arn ecs-task-arn ecs-task-id reject-reason resource-id "
             "instance-tag instance-tag-2 interface-tag interface-tag-2 asg-tag asg-tag-2 "
             "interface-type next-hop-interface-id next-hop-subnet-id next-hop-az-id next-hop-vpc-id "
             "next-hop-interface-type resource-type tgw-id tgw-attachment-id tgw-src-vpc-account-id "
             "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
             "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id").split():
    KINDS[name] = "str"

DEFAULT_FORMAT = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol "
                  "packets bytes start end action log-status").split()


def canonical(name):
    """AWS spelling of a field name written with underscores."""
    return name.replace("_", "-")


def filter_name(name, value=None):
    """The vpcflow.* field for a column (IPv6 addresses have their own)."""
    base = "vpcflow." + name.replace("-", "_")
    if KINDS.get(name) == "addr" and value is not None and ":" in value:
        return base + "_v6"
    return base


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.splitlines()


def is_header(line):
    names = line.split()
    return bool(names) and all(canonical(n) in KINDS for n in names)


def parse(path, fmt=None):
    """Records of a flow-log file: dicts of name -> token, or None for a
    line that does not have as many tokens as the format has names.
    fmt is the field list of a headerless file (default: version 2)."""
    records = []
    current = [canonical(n) for n in fmt] if fmt else DEFAULT_FORMAT
    for line in read_lines(path):
        if not line.strip():
            continue
        if is_header(line):
            current = [canonical(n) for n in line.split()]
            continue
        tokens = line.split()
        # Documentation examples end some records with a "#comment".
        for i, tok in enumerate(tokens):
            if tok.startswith("#") and i == len(current):
                tokens = tokens[:i]
                break
        records.append(dict(zip(current, tokens)) if len(tokens) == len(current) else None)
    return records


def same_value(kind, expected, shown):
    """Does the tshark -T fields text show the expected token?"""
    if kind == "int":
        return int(shown, 0) == int(expected)
    if kind == "addr":
        return ipaddress.ip_address(shown) == ipaddress.ip_address(expected)
    return shown == expected
