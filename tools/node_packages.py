# npm packages the benchmarks, sample generators and tests run with node
# (DuckDB, the hyparquet reader and writer): installed with npm under
# ~/.cache/vpcshark/node, outside the repository, the first time one is
# asked for.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import subprocess
import sys

NODE_DIR = os.path.expanduser("~/.cache/vpcshark/node")
NODE_MODULES = os.path.join(NODE_DIR, "node_modules")


def package_dir(name):
    return os.path.join(NODE_MODULES, *name.split("/"))


def ensure(*specs):
    """Install the packages ("name" or "name@version") that are missing;
    return the node_modules folder."""
    missing = [s for s in specs if not os.path.isdir(package_dir(s.rsplit("@", 1)[0] if s.rfind("@") > 0 else s))]
    if missing:
        print(f"installing {' '.join(missing)} in {NODE_DIR} ...", file=sys.stderr, flush=True)
        os.makedirs(NODE_DIR, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", NODE_DIR, *missing],
                       check=True, stdout=subprocess.DEVNULL)
    return NODE_MODULES
