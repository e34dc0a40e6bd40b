# The Debian package ("make package", tools/make-deb.sh): it builds, holds
# exactly the plugins, the mirror extcap, the AWS-VPC profile and its doc
# files, depends on
# the soname packages of the Wireshark it was built for within that
# major.minor, passes lintian, installs with dpkg -i, is used by an
# unprivileged tshark from the system folders, removes without a trace,
# and is refused where another Wireshark is installed.
#
# Installing runs on a throwaway overlay of this machine
# (tests/scratch-system.sh, root only): the machine, its package database
# and the system plugin folder the other tests copy stock plugins from are
# never changed.
#
# Expected values come from the machine, not from the package builder:
# the plugin folder from pkg-config, the soname package from dpkg -S of
# the library file the built plugin links, the profile from profiles/.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import datetime
import gzip
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from harness import BUILD, OUR_PLUGINS, REPO, column_utc_suffix, global_plugin_dir, wireshark_version
from test_analysis import S3, records

MAKE_DEB = os.path.join(REPO, "tools", "make-deb.sh")
SCRATCH = os.path.join(REPO, "tests", "scratch-system.sh")
PACKAGE_BUILD = os.environ.get("VPCSHARK_PACKAGE_BUILD", BUILD + "-package")
PROFILE = os.path.join(REPO, "profiles", "AWS-VPC")
PROFILES = "/usr/share/wireshark/profiles"

# lintian warnings that stay, and why (README, "Debian packages"):
#   initial-upload-closes-no-bugs  the package is not uploaded to Debian,
#                                  so there is no ITP bug for it to close
ACCEPTED_LINTIAN = {"initial-upload-closes-no-bugs"}

# Building the package costs a build of its own (hardened flags): with the
# slow runs, in make test (and make test WIRESHARK=4.4 in a root), not in
# make test-quick or the roots' quick suites of .ci/run.
pytestmark = pytest.mark.slow

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="installing needs root (CI runs as root)")


def run(*cmd, check=True, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def deb():
    out = run(MAKE_DEB, PACKAGE_BUILD, os.path.join(PACKAGE_BUILD, "out")).stdout
    path = out.strip().splitlines()[-1]
    assert os.path.isfile(path) and path.endswith(".deb"), out
    return path


def field(deb, name):
    return run("dpkg-deb", "-f", deb, name).stdout.strip()


def relations(text):
    """'a (>= 1), b' -> [('a', '>=', '1'), ('b', None, None)]"""
    found = []
    for item in filter(None, (i.strip() for i in text.split(","))):
        m = re.fullmatch(r"([a-z0-9.+-]+)(?::[a-z0-9]+)?(?: \((<<|<=|=|>=|>>) ([^)]+)\))?", item)
        assert m, f"cannot read the relation {item!r}"
        found.append((m.group(1), m.group(2), m.group(3)))
    return found


def version_ok(version, op, bound):
    return subprocess.run(["dpkg", "--compare-versions", version, {"<<": "lt", "<=": "le", "=": "eq", ">=": "ge",
                                                                  ">>": "gt"}[op], bound]).returncode == 0


def satisfied(rels, name, version):
    """Whether version of package name meets every relation on name."""
    return all(version_ok(version, op, bound) for n, op, bound in rels if n == name and op)


def linked_library_package(soname_prefix):
    """The Debian package of the library our built plugins link whose
    soname starts with soname_prefix, found from the machine: the plugins'
    NEEDED entries, the library file it resolves to, dpkg -S of its real file."""
    needed = set()
    for path in OUR_PLUGINS.values():
        dynamic = run("readelf", "-d", os.path.join(BUILD, path)).stdout
        needed |= set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    soname = [n for n in needed if n.startswith(soname_prefix + ".so.")]
    assert len(soname) == 1, needed
    libdir = run("pkg-config", "--variable=libdir", "wireshark").stdout.strip()
    path = os.path.realpath(os.path.join(libdir, soname[0]))
    assert os.path.isfile(path), path
    owner = run("dpkg", "-S", path).stdout.split(":")[0]
    version = run("dpkg-query", "-W", "-f=${Version}", owner).stdout
    return soname[0], owner, version


def expected_files(version):
    plugin_dir = global_plugin_dir(version)
    package = f"vpcshark-wireshark{version}"
    files = {os.path.join(plugin_dir, path.replace("plugins/", "", 1)) for path in OUR_PLUGINS.values()}
    files |= {os.path.join(PROFILES, "AWS-VPC", name) for name in os.listdir(PROFILE)}
    files |= {f"/usr/share/doc/{package}/copyright", f"/usr/share/doc/{package}/changelog.Debian.gz"}
    files |= extcap_programs()
    return files


def extcap_programs():
    """Where the package puts the extcaps (the mirror receiver, the
    CloudWatch Logs follower): Wireshark's global extcap folder."""
    from extcapref import extcap_folders

    return {os.path.join(extcap_folders()[0], name) for name in ("vpcshark-mirror", "vpcflow-cloudwatch")}


def listing(deb):
    """{path: (mode, owner)} of dpkg-deb -c, folders with a trailing /."""
    entries = {}
    for line in run("dpkg-deb", "-c", deb).stdout.splitlines():
        mode, owner, _size, _date, _time, path = line.split(None, 5)
        entries[path[1:] if path.startswith("./") else path] = (mode, owner)
    return entries


def test_package_name_and_files(deb):
    version = wireshark_version()
    assert field(deb, "Package") == f"vpcshark-wireshark{version}"
    assert os.path.basename(deb).startswith(f"vpcshark-wireshark{version}_")
    entries = listing(deb)
    files = {p for p in entries if not p.endswith("/")}
    assert files == expected_files(version)
    # every folder on the way, and nothing else
    folders = {p.rstrip("/") for p in entries if p.endswith("/")} - {"/", ""}
    wanted = set()
    for f in files:
        d = os.path.dirname(f)
        while d != "/":
            wanted.add(d)
            d = os.path.dirname(d)
    assert folders == wanted
    for path, (mode, owner) in entries.items():
        assert owner == "root/root", path
        if path.endswith("/") or path in extcap_programs():
            assert mode == ("drwxr-xr-x" if path.endswith("/") else "-rwxr-xr-x"), (path, mode)
        else:
            assert mode == "-rw-r--r--", (path, mode)


def test_package_plugins_are_stripped_and_profile_as_shipped(deb):
    with tempfile.TemporaryDirectory() as tmp:
        run("dpkg-deb", "-x", deb, tmp)
        plugin_dir = global_plugin_dir(wireshark_version())
        for path in OUR_PLUGINS.values():
            so = tmp + os.path.join(plugin_dir, path.replace("plugins/", "", 1))
            sections = run("readelf", "-S", "-W", so).stdout
            assert ".symtab" not in sections and ".debug_info" not in sections, so
            assert ".dynsym" in sections
            # the exports Wireshark's loader looks up are still there
            dynsyms = run("readelf", "--dyn-syms", "-W", so).stdout
            for symbol in ("plugin_version", "plugin_want_major", "plugin_want_minor", "plugin_register"):
                assert re.search(rf"\s{symbol}$", dynsyms, re.M), (so, symbol)
        for name in os.listdir(PROFILE):
            with open(os.path.join(PROFILE, name), "rb") as a, \
                    open(tmp + os.path.join(PROFILES, "AWS-VPC", name), "rb") as b:
                assert a.read() == b.read(), name
        package = field(deb, "Package")
        with open(tmp + f"/usr/share/doc/{package}/copyright") as f:
            copyright = f.read()
        assert copyright.startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
        assert re.search(r"^License: GPL-2\.0-or-later$", copyright, re.M)
        assert "/usr/share/common-licenses/GPL-2" in copyright
        with gzip.open(tmp + f"/usr/share/doc/{package}/changelog.Debian.gz", "rt") as f:
            first = f.readline()
        assert first.startswith(f"vpcshark ({field(deb, 'Version')}) ")


def test_package_depends_pin_the_wireshark_it_was_built_for(deb):
    version = wireshark_version()
    major, minor = (int(x) for x in version.split("."))
    depends = relations(field(deb, "Depends"))
    for prefix in ("libwireshark", "libwiretap", "libwsutil"):
        soname, package, installed = linked_library_package(prefix)
        # the soname package itself (libwireshark16 for libwireshark.so.16)
        assert package == prefix + soname.rsplit(".so.", 1)[1], (soname, package)
        ops = {(op, bound) for n, op, bound in depends if n == package}
        assert any(op == ">=" for op, _ in ops) and ("<<", f"{major}.{minor + 1}~") in ops, (package, ops)
        # the installed library meets it; any other minor release does not
        assert satisfied(depends, package, installed)
        assert satisfied(depends, package, f"{major}.{minor}.0-1")
        assert not satisfied(depends, package, f"{major}.{minor + 1}.0-1")
        assert not satisfied(depends, package, f"{major}.{minor + 1}.0~rc1-1")
        assert not satisfied(depends, package, f"{major}.{minor - 1}.99-1")
    # Wireshark itself: a wireshark-common of another minor breaks the package
    breaks = relations(field(deb, "Breaks"))
    common = run("dpkg-query", "-W", "-f=${Version}", "wireshark-common").stdout
    broken = lambda v: any(n == "wireshark-common" and version_ok(v, op, bound) for n, op, bound in breaks)
    assert not broken(common)
    assert broken(f"{major}.{minor + 1}.0-1") and broken(f"{major}.{minor - 1}.0-1")
    # one vpcshark at a time
    for name in ("Provides", "Conflicts", "Replaces"):
        assert ("vpcshark", None, None) in relations(field(deb, name))


def test_package_lintian(deb):
    if not shutil.which("lintian"):
        pytest.skip("lintian is not installed (make test installs it)")
    proc = run("lintian", "--pedantic", deb, check=False)
    tags = re.findall(r"^([EWIPX]): \S+: (\S+)", proc.stdout, re.M)
    assert not [t for t in tags if t[0] == "E"], proc.stdout
    assert {t for level, t in tags if level == "W"} <= ACCEPTED_LINTIAN, proc.stdout


def scratch(script, *files):
    return run(SCRATCH, script, *files, check=False)


# In the copy: our plugins and profile installed by hand (make demo as root)
# would hide what the package does, so they go first.
CLEAN = """
dir=$(pkg-config --variable=plugindir wireshark); case $dir in */{v}) ;; *) dir=$dir/{v} ;; esac
rm -f $dir/epan/vpcshark-dissectors.so $dir/wiretap/vpcflow-file.so $dir/epan/vpcshark.so $dir/wiretap/vpcflow.so
rm -rf {profiles}/AWS-VPC
"""


@root_only
def test_package_installs_works_unprivileged_and_removes_cleanly(deb):
    version = wireshark_version()
    first = records()[0]
    name = os.path.basename(deb)
    sample = os.path.basename(S3)
    script = CLEAN.format(v=version, profiles=PROFILES) + f"""
dpkg -i {name}
echo "STATUS $(dpkg-query -W -f='${{Status}}' {field(deb, 'Package')})"
echo LISTED; dpkg -L {field(deb, 'Package')} | sort
as_user() {{ setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/tmp/home "$@"; }}
mkdir -m 777 /tmp/home
echo PLUGINS; as_user tshark -G plugins
echo DECODED; as_user tshark -r {sample} -c 1 -T fields -E separator=/t \\
    -e vpcflow.srcaddr -e vpcflow.dstaddr -e vpcflow.action -e vpcflow.interface_id -e frame.interface_name
echo PROFILE; as_user tshark -C AWS-VPC -r {sample} -c 1
echo NOPROFILE; as_user tshark -r {sample} -c 1
as_user tshark -C AWS-VPC-not-there -r {sample} -c 1 2>&1 && echo "UNEXPECTED 0" || true
dpkg -r {field(deb, 'Package')}
echo "REMOVED $(dpkg-query -W -f='${{Status}}' {field(deb, 'Package')} 2>&1)"
echo LEFT
for f in $(dpkg-deb -c {name} | awk '{{print $6}}' | sed 's|^\\.||'); do
    if [ -d "$f" ]; then [ -n "$(ls -A "$f")" ] || echo "$f"; elif [ -e "$f" ]; then echo "$f"; fi
done
echo END
"""
    proc = scratch(script, deb, S3)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    part = lambda a, b: out.split(a + "\n", 1)[1].split(b + "\n", 1)[0]
    assert "STATUS install ok installed" in out
    assert set(part("LISTED", "PLUGINS").split()) >= expected_files(version)
    plugin_dir = global_plugin_dir(version)
    for path in OUR_PLUGINS.values():
        assert os.path.join(plugin_dir, path.replace("plugins/", "", 1)) in part("PLUGINS", "DECODED")
    decoded = part("DECODED", "PROFILE").strip().split("\t")
    assert decoded[:4] == [first["srcaddr"], first["dstaddr"], first["action"], first["interface-id"]]
    assert decoded[4] == first["interface-id"]
    # The global AWS-VPC profile is found: its first columns are the
    # number, the record's start as a UTC date and time (%Yut), the
    # interface; without it tshark shows seconds since the first frame.
    with open(os.path.join(PROFILE, "preferences")) as f:
        assert '"Time (UTC)", "%Yut"' in f.read()
    start = datetime.datetime.fromtimestamp(int(first["start"]), datetime.timezone.utc)
    profiled = part("PROFILE", "NOPROFILE").split()
    assert profiled[:4] == ["1", start.strftime("%Y-%m-%d"), start.strftime("%H:%M:%S") + column_utc_suffix(),
                            first["interface-id"]], \
        profiled
    assert start.strftime("%Y-%m-%d") not in part("NOPROFILE", "REMOVED")
    assert "UNEXPECTED" not in part("NOPROFILE", "REMOVED")
    assert re.search(r"REMOVED .*(not-installed|no packages found|deinstall ok config-files)", out), out
    # after dpkg -r no file of the package is left; only folders other packages still use
    assert part("LEFT", "END").split() == [], part("LEFT", "END")


@root_only
def test_package_refused_without_its_wireshark(deb):
    """Where the Wireshark libraries of this minor are missing, as on a
    system with another Wireshark (Debian 13 has libwireshark18, not 16),
    dpkg refuses the package."""
    _, package, _ = linked_library_package("libwireshark")
    name = os.path.basename(deb)
    script = f"""
dpkg --purge --force-depends {package} >/dev/null 2>&1
if dpkg -i {name} 2>&1; then echo INSTALLED; else echo REFUSED; fi
echo "STATUS $(dpkg-query -W -f='${{Status}}' {field(deb, 'Package')} 2>&1)"
"""
    proc = scratch(script, deb)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "REFUSED" in proc.stdout and "INSTALLED" not in proc.stdout
    assert re.search(rf"depends on {package} \(>= ", proc.stdout), proc.stdout
    assert "STATUS install ok installed" not in proc.stdout


@root_only
def test_package_refused_by_another_minor_release(deb):
    """The same soname package from another minor release (its version
    rewritten in the copy's dpkg database: a fake state, honest about
    what it fakes), and a wireshark-common of another minor: dpkg refuses
    the package for each, naming the relation."""
    version = wireshark_version()
    major, minor = (int(x) for x in version.split("."))
    _, package, _ = linked_library_package("libwireshark")
    name = os.path.basename(deb)
    fake = f"{major}.{minor + 1}.0-1"
    set_version = """
python3 - "$1" "$2" <<'EOF'
import re, sys
path = "/var/lib/dpkg/status"
text = open(path).read()
stanzas = text.split("\\n\\n")
for i, s in enumerate(stanzas):
    if re.search(r"^Package: " + re.escape(sys.argv[1]) + "$", s, re.M):
        stanzas[i] = re.sub(r"^Version: .*$", "Version: " + sys.argv[2], s, flags=re.M)
open(path, "w").write("\\n\\n".join(stanzas))
EOF
"""
    script = f"""
set_version() {{ {set_version} }}
orig=$(dpkg-query -W -f='${{Version}}' {package})
set_version {package} {fake}
dpkg-query -W -f='FAKED ${{Package}} ${{Version}}\\n' {package}
if dpkg -i {name} 2>&1; then echo INSTALLED; else echo REFUSED; fi
echo "STATUS1 $(dpkg-query -W -f='${{Status}}' {field(deb, 'Package')})"
dpkg --purge {field(deb, 'Package')} >/dev/null
set_version {package} "$orig"
set_version wireshark-common {fake}
if dpkg -i {name} 2>&1; then echo INSTALLED2; else echo REFUSED2; fi
"""
    proc = scratch(script, deb)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert f"FAKED {package} {fake}" in out
    assert "REFUSED" in out and "INSTALLED\n" not in out
    assert re.search(rf"depends on {package} \(<< {major}\.{minor + 1}~\).*\n.*version of {package}(:\S+)? on system is "
                     rf"{re.escape(fake)}", out, re.I), out
    # dpkg -i unpacks what it cannot configure; the package is not installed
    assert "STATUS1 install ok installed" not in out and "STATUS1 install ok unpacked" in out
    assert "REFUSED2" in out and "INSTALLED2" not in out
    assert re.search(r"breaks wireshark-common|wireshark-common .* is to be installed|conflicting packages",
                     out, re.I), out
