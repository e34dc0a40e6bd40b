# The plugins must stay ready for Wireshark 4.2-4.6 (DESIGN.md): every
# source file compiles, warnings as errors, against the development
# headers of Debian's 4.4 and 4.6 packages. The headers are fetched from
# the Debian archive (tools/fetch-wireshark-headers.sh); when a pinned
# package is no longer there the test skips and says so.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import subprocess

import pytest

from harness import PLUGIN_SOURCE, REPO, source_dirs

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "vpcshark")
RELEASES = {
    "4.4": "4.4.19-0+deb13u1",      # Debian 13 (trixie)
    "4.6": "4.6.9-1",               # Debian unstable
}
FLAGS = ["-std=gnu11", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wpointer-arith",
         "-Wformat=2", "-Werror=incompatible-pointer-types", "-Werror=implicit-function-declaration",
         '-DVPCSHARK_VERSION="check"']


def sources():
    """Every C file of the plugins and their libraries."""
    return sorted(glob.glob(os.path.join(PLUGIN_SOURCE, "**", "*.c"), recursive=True))


def headers(release):
    """The include folder of release's development headers (fetched once
    into the cache); skips the test when the archive no longer has them."""
    dest = os.path.join(CACHE, f"wireshark-{release}-headers")
    proc = subprocess.run([os.path.join(REPO, "tools", "fetch-wireshark-headers.sh"), RELEASES[release], dest],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"Wireshark {release} headers unavailable: {proc.stderr.strip()}")
    return os.path.join(dest, "usr", "include", "wireshark")


def compile_failures(files, include, dirs):
    """gcc's complaints about each of files compiled against include, with
    our folders dirs on the include path; empty when all compile."""
    glib = subprocess.run(["pkg-config", "--cflags", "glib-2.0"], capture_output=True, text=True,
                          check=True).stdout.split()
    failures = []
    for source in files:
        cmd = ["gcc", *FLAGS, *[f"-I{d}" for d in dirs], f"-I{include}", *glib, source]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            failures.append(f"{os.path.relpath(source, REPO)}:\n{out.stderr}")
    return failures


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_plugins_compile_against(release):
    include = headers(release)
    with open(os.path.join(include, "ws_version.h")) as f:
        assert f"#define WIRESHARK_VERSION_MINOR {release.split('.')[1]}" in f.read()
    failures = compile_failures(sources(), include, source_dirs())
    assert not failures, "\n".join(failures)
