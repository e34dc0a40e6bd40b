# docs/mirror.md stays true to the code: every field and expert item of
# the mirror and gwlb protocols, every preference and every -z statistic
# they register is documented.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os

from harness import REPO


def test_every_mirror_name_is_documented(ws):
    with open(os.path.join(REPO, "docs", "mirror.md")) as f:
        doc = f.read()
    fields = sorted({line.split("\t")[2] for line in ws.tshark("-G", "fields").stdout.splitlines()
                     if line.startswith("F\t") and line.split("\t")[2].startswith(("mirror.", "gwlb."))})
    assert len(fields) >= 20
    prefs = sorted({line.split(":")[0].lstrip("#").strip() for line in ws.tshark("-G", "defaultprefs").stdout.splitlines()
                    if line.lstrip("#").startswith("mirror.")})
    assert len(prefs) >= 5
    stats = [s for s in ws.tshark("-z", "help").stderr.split() if "mirror" in s]
    assert len(stats) == 6      # with the join's report and tree (docs/correlation.md)
    missing = [name for name in fields if f"`{name}`" not in doc]
    missing += [name for name in prefs + stats if name not in doc]
    assert not missing, f"not in docs/mirror.md: {missing}"
