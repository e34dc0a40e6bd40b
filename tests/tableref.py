# What tshark should show for one cell of a table of flow records (a
# Parquet row, a CSV query-result row), worked out from the column name
# and the value as an independent reader gives them (hyparquet, Python's
# csv module).
#
# SPDX-License-Identifier: GPL-2.0-or-later

from harness import field_time_utc

ADDRESSES = {"srcaddr", "dstaddr", "pkt_srcaddr", "pkt_dstaddr"}
TIMES = {"start", "end"}
MISSING = (None, "", "-", "None")


def token(value):
    """An unknown column's value as the reader keeps it: one token, blanks percent-encoded."""
    return "".join(f"%{ord(c):02X}" if ord(c) <= 0x20 or ord(c) == 0x7F else c for c in value)


def expected_cell(column, value, known):
    """(tshark field, what -T fields shows) for one cell; None shown = absent.
    known: every vpcflow.* field name tshark has."""
    name = column.replace("-", "_")
    shown = None if value in MISSING else value
    if f"vpcflow.{name}" not in known:
        return "vpcflow.unknown_field", None if shown is None else token(shown)
    if name in ADDRESSES and shown and ":" in shown:
        return f"vpcflow.{name}_v6", shown
    if name in TIMES and shown is not None:
        return f"vpcflow.{name}", field_time_utc(int(shown))
    return f"vpcflow.{name}", shown
