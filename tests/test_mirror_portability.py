# The Traffic Mirror sources compile (syntax and types, warnings as
# errors) against the headers of later Wireshark versions, through
# epan-compat.h. Needs those headers unpacked somewhere (Debian's
# libwireshark-dev/libwiretap-dev/libwsutil-dev 4.4 and 4.6, dpkg -x);
# set VPCSHARK_WS_HEADERS to "DIR_4.4:DIR_4.6" (each holding
# usr/include/wireshark). Skipped when none is found.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import shutil
import subprocess

import pytest

from harness import REPO

DEFAULT = "/tmp/wsdebs/x4.4:/tmp/wsdebs/x4.6"
ROOTS = [r for r in os.environ.get("VPCSHARK_WS_HEADERS", DEFAULT).split(":") if r]
SOURCES = sorted(glob.glob(os.path.join(REPO, "plugin", "epan", "*mirror*.c")) +
                 [os.path.join(REPO, "plugin", "epan", "packet-gwlb.c")] +
                 glob.glob(os.path.join(REPO, "plugin", "lib", "mirror-*.c")) +
                 glob.glob(os.path.join(REPO, "plugin", "lib", "gwlb-*.c")))


@pytest.mark.parametrize("root", ROOTS)
def test_compiles_against_later_headers(root):
    include = os.path.join(root, "usr", "include", "wireshark")
    if not os.path.exists(os.path.join(include, "ws_version.h")) or shutil.which("gcc") is None:
        pytest.skip(f"no Wireshark headers in {root}")
    glib = subprocess.run(["pkg-config", "--cflags", "glib-2.0"], capture_output=True, text=True,
                          check=True).stdout.split()
    for source in SOURCES:
        proc = subprocess.run(["gcc", "-std=c11", "-fsyntax-only", "-Wall", "-Wextra", "-Wshadow", "-Wformat=2",
                               "-Werror", "-DVPCSHARK_VERSION=\"test\"", "-I" + include,
                               "-I" + os.path.join(REPO, "plugin", "include"),
                               "-I" + os.path.join(REPO, "plugin", "epan"),
                               "-I" + os.path.join(REPO, "plugin", "lib"), *glib, source],
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"{source} against {include}:\n{proc.stderr}"
