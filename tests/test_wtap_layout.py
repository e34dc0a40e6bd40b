# Our declarations of struct wtap and struct wtap_dumper (the 4.0 and 4.4
# -dev packages do not install wiretap/wtap-int.h) must match the real
# header of the installed Wireshark member for member: same offsets, same
# sizes. On 4.0 that is the host; on 4.4 the suite in its Debian root
# (make test WIRESHARK=4.4). The real header comes from the Debian source
# package of the installed version, fetched by
# tools/fetch-wireshark-source.sh from the archive the machine's apt uses
# (or WIRESHARK_SOURCE_DIR); the test skips, saying why, when that is not
# possible (the archive this project's machines reach serves 4.0.17's
# source but not 4.4.19's).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import subprocess

import pytest

from harness import REPO, wireshark_version

CACHE = os.environ.get("VPCSHARK_WS_SOURCE", os.path.join(os.path.expanduser("~"), ".cache", "vpcshark",
                                                            "wireshark-source"))
DECLARATIONS = {"4.0": "wtap-decl-4.0.h", "4.4": "wtap-decl-4.4.h"}


def struct_members(header, macro):
    """Member names of the struct declared as `struct MACRO {` in our header."""
    with open(header) as f:
        text = f.read()
    body = re.search(r"struct " + macro + r" \{(.*?)\n\};", text, re.S).group(1)
    names = []
    for line in body.splitlines():
        line = line.split("/*")[0].strip()
        if not line:
            continue
        fn = re.search(r"\(\*(\w+)\)", line)
        names.append(fn.group(1) if fn else re.search(r"(\w+)\s*;$", line).group(1))
    return names


@pytest.fixture(scope="module")
def source_dir():
    if os.environ.get("WIRESHARK_SOURCE_DIR"):
        return os.environ["WIRESHARK_SOURCE_DIR"]
    proc = subprocess.run([os.path.join(REPO, "tools", "fetch-wireshark-source.sh"), CACHE],
                          capture_output=True, text=True)
    if proc.returncode != 0 or not os.path.exists(os.path.join(CACHE, "wiretap", "wtap-int.h")):
        pytest.skip(f"cannot fetch the Wireshark source package to compare with: {proc.stderr.strip()}")
    return CACHE


def test_declared_layout_matches_the_real_header(source_dir, tmp_path):
    version = wireshark_version()
    if version not in DECLARATIONS:
        pytest.skip(f"no declarations for {version} (it uses a public header)")
    decl = os.path.join(REPO, "plugin", "flowlog", "reader", "compat", DECLARATIONS[version])
    checks = []
    for real, ours, macro in (("wtap", "decl_wtap", "VPCSHARK_WTAP_STRUCT"),
                              ("wtap_dumper", "decl_wtap_dumper", "VPCSHARK_WTAP_DUMPER_STRUCT")):
        members = struct_members(decl, macro)
        assert len(members) > 10
        for m in members:
            checks.append(f"_Static_assert(offsetof(struct {real}, {m}) == offsetof(struct {ours}, {m}), "
                          f"\"offset of {real}.{m}\");")
            checks.append(f"_Static_assert(sizeof(((struct {real} *)0)->{m}) == sizeof(((struct {ours} *)0)->{m}), "
                          f"\"size of {real}.{m}\");")
        checks.append(f"_Static_assert(sizeof(struct {real}) == sizeof(struct {ours}), \"size of struct {real}\");")
    check = tmp_path / "layout.c"
    check.write_text("\n".join([
        "#include <stddef.h>",
        "#include <wireshark.h>",
        "#include <wiretap/wtap-int.h>",
        "#define VPCSHARK_WTAP_STRUCT decl_wtap",
        "#define VPCSHARK_WTAP_DUMPER_STRUCT decl_wtap_dumper",
        "#define VPCSHARK_DECLARATIONS_ONLY",
        f'#include "{decl}"',
        *checks,
    ]) + "\n")
    glib = subprocess.run(["pkg-config", "--cflags", "glib-2.0"], capture_output=True, text=True,
                          check=True).stdout.split()
    proc = subprocess.run(["gcc", "-std=gnu11", "-fsyntax-only", "-I/usr/include/wireshark", *glib,
                           "-idirafter", source_dir, str(check)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert len(checks) > 40


def test_a_wrong_declaration_would_be_caught(source_dir, tmp_path):
    """The comparison itself can fail: swap two members and it must."""
    version = wireshark_version()
    if version not in DECLARATIONS:
        pytest.skip(f"no declarations for {version} (it uses a public header)")
    decl = os.path.join(REPO, "plugin", "flowlog", "reader", "compat", DECLARATIONS[version])
    with open(decl) as f:
        text = f.read()
    broken = text.replace("    int             file_encap;\n    int             file_tsprec;\n",
                          "    int             file_tsprec;\n    int             extra;\n    int             file_encap;\n", 1)
    assert broken != text
    bad = tmp_path / "bad-decl.h"
    bad.write_text(broken)
    check = tmp_path / "bad.c"
    check.write_text("\n".join([
        "#include <stddef.h>", "#include <wireshark.h>", "#include <wiretap/wtap-int.h>",
        "#define VPCSHARK_WTAP_STRUCT decl_wtap", "#define VPCSHARK_WTAP_DUMPER_STRUCT decl_wtap_dumper",
        "#define VPCSHARK_DECLARATIONS_ONLY", f'#include "{bad}"',
        "_Static_assert(offsetof(struct wtap, file_encap) == offsetof(struct decl_wtap, file_encap), \"x\");",
    ]) + "\n")
    glib = subprocess.run(["pkg-config", "--cflags", "glib-2.0"], capture_output=True, text=True,
                          check=True).stdout.split()
    proc = subprocess.run(["gcc", "-std=gnu11", "-fsyntax-only", "-I/usr/include/wireshark", *glib,
                           "-idirafter", source_dir, str(check)], capture_output=True, text=True)
    assert proc.returncode != 0
