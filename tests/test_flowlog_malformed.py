# Every line is accounted for: a bad line is a frame flagged with expert
# info naming the problem and where it is, and the records after it
# still decode.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import pytest

HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
GOOD = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"


def with_bad_line(bad):
    return f"{HEADER}\n{GOOD}\n{bad}\n{GOOD.replace('20641', '20642')}\n"


@pytest.mark.parametrize("bad,message", [
    (GOOD.replace(" ACCEPT OK", " ACCEPT"),
     "Malformed line 3: 13 fields where the format has 14"),
    (GOOD + " extra",
     "Malformed line 3: 15 fields where the format has 14"),
    (GOOD.replace("20641", "http"),
     'Malformed line 3, column 6 (srcport): "http" is not a number'),
    (GOOD.replace("20641", "70000"),
     'Malformed line 3, column 6 (srcport): "70000" is out of range (largest is 65535)'),
    (GOOD.replace("172.31.16.139", "172.31.16.300"),
     'Malformed line 3, column 4 (srcaddr): "172.31.16.300" is not an IPv4 or IPv6 address'),
    (GOOD.replace(" 6 20 ", " 6 -20 "),
     'Malformed line 3, column 9 (packets): "-20" is not a number'),
    (GOOD.replace("1418530010", "yesterday"),
     'Malformed line 3, column 11 (start): "yesterday" is not a Unix time'),
    (GOOD.replace(" 6 20", " 256 20"),
     'Malformed line 3, column 8 (protocol): "256" is out of range (largest is 255)'),
])
def test_bad_line_is_a_flagged_frame(ws, bad, message):
    path = ws.write("bad.log", with_bad_line(bad))
    rows = ws.fields(path, ["frame.number", "vpcflow.srcport"])
    assert [r[0] for r in rows] == ["1", "2", "3"], "frames = records + flagged frames"
    assert rows[0][1] == "20641" and rows[2][1] == "20642", "the records around it decode"
    flagged = ws.fields(path, ["frame.number", "_ws.expert.message"], "-Y", "vpcflow.malformed",
                        occurrence="a", aggregator="|")
    assert len(flagged) == 1 and flagged[0][0] == "2"
    assert message in flagged[0][1].split("|")


def test_malformed_counts_as_malformed_in_expert_info(ws):
    path = ws.write("bad2.log", with_bad_line("bogus line"))
    out = ws.tshark("-r", path, "-q", "-z", "expert,error").stdout
    assert "Malformed            VPCFLOW  Malformed line 3: 2 fields where the format has 14" in out


def test_binary_junk_after_header_is_flagged_not_fatal(ws):
    junk = bytes(range(256)) * 4
    path = ws.write("junk.log", HEADER.encode() + b"\n" + GOOD.encode() + b"\n" + junk + b"\n" + GOOD.encode() + b"\n")
    rows = ws.fields(path, ["frame.number", "vpcflow.srcaddr"])
    assert len(rows) >= 3
    assert rows[0][1] == "172.31.16.139" and rows[-1][1] == "172.31.16.139"
    flagged = ws.tshark("-r", path, "-Y", "vpcflow.malformed").stdout.splitlines()
    assert len(flagged) == len(rows) - 2


def test_start_after_end_is_warned(ws):
    path = ws.write("order.log", f"{HEADER}\n{GOOD.replace('1418530070', '1418530000')}\n")
    assert ws.fields(path, ["vpcflow.duration"]) == [["-10.000000000"]]
    assert len(ws.tshark("-r", path, "-Y", "vpcflow.time_order").stdout.splitlines()) == 1
