# The Traffic Mirror library files (plugin/lib; mirror-import.c uses
# wsutil/wsjson.h) compile, warnings as errors, against the headers of
# Debian's Wireshark 4.4 and 4.6 packages, like the plugin sources do in
# test_api_versions.py (same header cache and fetch script).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import subprocess

import pytest

from harness import REPO
from test_api_versions import CACHE, FLAGS, RELEASES

SOURCES = sorted(glob.glob(os.path.join(REPO, "plugin", "lib", "mirror-*.c")) +
                 glob.glob(os.path.join(REPO, "plugin", "lib", "gwlb-*.c")))


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_mirror_library_compiles_against(release):
    dest = os.path.join(CACHE, f"wireshark-{release}-headers")
    proc = subprocess.run([os.path.join(REPO, "tools", "fetch-wireshark-headers.sh"), RELEASES[release], dest],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"Wireshark {release} headers unavailable: {proc.stderr.strip()}")
    include = os.path.join(dest, "usr", "include", "wireshark")
    glib = subprocess.run(["pkg-config", "--cflags", "glib-2.0"], capture_output=True, text=True,
                          check=True).stdout.split()
    assert len(SOURCES) == 5
    failures = []
    for source in SOURCES:
        cmd = ["gcc", *FLAGS, f"-I{os.path.join(REPO, 'plugin', 'lib')}", f"-I{include}", *glib, source]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            failures.append(f"{os.path.relpath(source, REPO)}:\n{out.stderr}")
    assert not failures, "\n".join(failures)
