# Every plugin source compiles, warnings as errors, against the
# development headers of each supported Wireshark (DESIGN.md), whichever
# one this machine runs: the installed headers for its own version (the
# build uses them too, with all the build's flags), and for the others the
# headers that the Debian suite carrying them has now, fetched from this
# machine's archive (tools/fetch-wireshark-headers.sh). A fast check of
# the API for a developer who builds only for the host; the build and the
# suite inside each version's Debian root (make test-versions) are the
# real thing. When the headers cannot be fetched the test skips and says so.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import subprocess

import pytest

from harness import PLUGIN_SOURCE, REPO, source_dirs, wireshark_version

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "vpcshark")
RELEASES = ("4.0", "4.4", "4.6")    # the Debian suite of each: tools/debian-archive.sh
FLAGS = ["-std=gnu11", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wpointer-arith",
         "-Wformat=2", "-Werror=incompatible-pointer-types", "-Werror=implicit-function-declaration",
         '-DVPCSHARK_VERSION="check"']


def sources():
    """Every C file of the plugins and their libraries."""
    return sorted(glob.glob(os.path.join(PLUGIN_SOURCE, "**", "*.c"), recursive=True))


def headers(release):
    """The include folder of release's development headers: the installed
    ones for the version this machine runs, else fetched into the cache;
    skips the test when they cannot be fetched."""
    if release == wireshark_version():
        return "/usr/include/wireshark"
    dest = os.path.join(CACHE, f"wireshark-{release}-headers")
    proc = subprocess.run([os.path.join(REPO, "tools", "fetch-wireshark-headers.sh"), release, dest],
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
