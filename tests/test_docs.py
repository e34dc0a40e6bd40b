# The reference documentation must stay true to the code: every field and
# expert item the plugins register is documented.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os

from harness import REPO


def registered(ws, prefix):
    out = ws.tshark("-G", "fields").stdout
    return sorted({line.split("\t")[2] for line in out.splitlines()
                   if line.startswith("F\t") and line.split("\t")[2].startswith(prefix)})


def test_every_vpcflow_field_is_documented(ws):
    with open(os.path.join(REPO, "docs", "vpcflow.md")) as f:
        doc = f.read()
    fields = registered(ws, "vpcflow.")
    assert len(fields) > 90
    missing = [f for f in fields if f"`{f}`" not in doc and f".{f.rsplit('.', 1)[1]}`" not in doc]
    assert not missing, f"not in docs/vpcflow.md: {missing}"
