# Building against a Wireshark the project does not know stops at CMake
# with a message naming the supported versions and what to do
# (cmake/VpcsharkWiresharkVersion.cmake), instead of making a plugin that
# would not build or would crash when loaded.
#
# Two levels: the check itself, run by "cmake -P" on any version string;
# and the real configure step against a Wireshark CMake package that says
# it is another version: a copy of the installed package's files with only
# the version lines changed, in a prefix whose headers and libraries are
# links to the installed ones (a faked install, and nothing else faked).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import re
import subprocess
import tempfile

import pytest

from harness import BUILD, REPO, wireshark_version

CHECK = os.path.join(REPO, "cmake", "VpcsharkWiresharkVersion.cmake")


def check(version, source_dir=""):
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "check.cmake")
        with open(script, "w") as f:
            f.write(f'include("{CHECK}")\n'
                    f'vpcshark_check_wireshark_version("{version}" "{source_dir}" "test")\n'
                    'message(STATUS "accepted")\n')
        return subprocess.run(["cmake", "-P", script], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("version", ["4.0.0", "4.0.17", "4.4.19", "4.6.0", "4.6.9"])
def test_supported_versions_accepted(version):
    proc = check(version)
    assert proc.returncode == 0 and "accepted" in proc.stdout, proc.stderr


@pytest.mark.parametrize("version", ["3.6.20", "4.1.0", "4.3.0", "4.5.0", "4.7.0", "4.8.0", "5.0.0"])
def test_unknown_versions_refused_with_the_supported_list(version):
    proc = check(version)
    assert proc.returncode != 0 and "accepted" not in proc.stdout
    message = " ".join(proc.stderr.split())
    assert f"Wireshark {version} (test) is not a version vpcshark supports" in message
    assert "Supported: 4.0, 4.4, 4.6, and 4.2 with -DWIRESHARK_SOURCE_DIR" in message
    assert "What to do:" in message


def test_4_2_needs_its_source_tree():
    proc = check("4.2.5")
    assert proc.returncode != 0
    message = " ".join(proc.stderr.split())
    assert "Wireshark 4.2.5 (test) needs its source tree" in message
    assert "-DWIRESHARK_SOURCE_DIR=<the Wireshark 4.2.5 source tree>" in message
    assert check("4.2.5", "/some/wireshark-4.2.5").returncode == 0


def test_unreadable_version_refused():
    proc = check("unknown")
    assert proc.returncode != 0 and "cannot tell the Wireshark version" in proc.stderr


def installed_config_dir():
    with open(os.path.join(BUILD, "CMakeCache.txt")) as f:
        found = re.search(r"^Wireshark_DIR:PATH=(.*)$", f.read(), re.M)
    assert found, "the build has no Wireshark_DIR"
    return found.group(1)


def faked_install(tmp, version):
    """A prefix whose Wireshark CMake package says VERSION: the installed
    package's files with their version lines changed; headers and
    libraries linked to the installed ones."""
    real = installed_config_dir()
    libdir = os.path.dirname(os.path.dirname(real))           # /usr/lib/<multiarch>
    prefix = os.path.dirname(os.path.dirname(libdir))         # /usr
    fake_prefix = os.path.join(tmp, "prefix")
    fake_libdir = os.path.join(fake_prefix, os.path.relpath(libdir, prefix))
    fake_config = os.path.join(fake_libdir, "wireshark", "cmake")
    os.makedirs(fake_config)
    os.symlink(os.path.join(prefix, "include"), os.path.join(fake_prefix, "include"))
    for lib in glob.glob(os.path.join(libdir, "lib*.so*")):
        if re.match(r"lib(wireshark|wiretap|wsutil)\.so", os.path.basename(lib)):
            os.symlink(lib, os.path.join(fake_libdir, os.path.basename(lib)))
    old = wireshark_version()
    major, minor, patch = version.split(".")
    for path in glob.glob(os.path.join(real, "*.cmake")):
        with open(path) as f:
            text = f.read()
        text = re.sub(r'set\(PACKAGE_VERSION "[^"]*"\)', f'set(PACKAGE_VERSION "{version}")', text)
        text = re.sub(r"set\(Wireshark_MAJOR_VERSION \d+\)", f"set(Wireshark_MAJOR_VERSION {major})", text)
        text = re.sub(r"set\(Wireshark_MINOR_VERSION \d+\)", f"set(Wireshark_MINOR_VERSION {minor})", text)
        text = re.sub(r"set\(Wireshark_PATCH_VERSION \d+\)", f"set(Wireshark_PATCH_VERSION {patch})", text)
        text = re.sub(r'set\(Wireshark_VERSION "[^"]*"\)', f'set(Wireshark_VERSION "{version}")', text)
        text = text.replace(f"plugins/{old}", f"plugins/{major}.{minor}")
        with open(os.path.join(fake_config, os.path.basename(path)), "w") as f:
            f.write(text)
    return fake_config


def configure(tmp, config_dir):
    build = os.path.join(tmp, "build")
    proc = subprocess.run(["cmake", "-S", REPO, "-B", build, f"-DWireshark_DIR={config_dir}"],
                          capture_output=True, text=True, timeout=300)
    return proc, build


def test_configure_against_the_faked_install_of_a_known_version_works():
    """The faked install itself is sound: saying the installed version, it configures."""
    with tempfile.TemporaryDirectory() as tmp:
        installed = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
        version = re.search(r"\(Wireshark\) (\d+\.\d+\.\d+)", installed).group(1)
        proc, build = configure(tmp, faked_install(tmp, version))
        assert proc.returncode == 0, proc.stderr
        assert f"Building for Wireshark {version}" in proc.stdout


@pytest.mark.parametrize("version", ["4.8.0", "3.6.20"])
def test_configure_against_an_unknown_version_stops(version):
    with tempfile.TemporaryDirectory() as tmp:
        proc, build = configure(tmp, faked_install(tmp, version))
        assert proc.returncode != 0
        message = " ".join(proc.stderr.split())
        assert f"vpcshark: Wireshark {version}" in message and "is not a version vpcshark supports" in message
        assert "Supported: 4.0, 4.4, 4.6" in message
        # nothing to build: no plugin can come out of it
        assert not os.path.exists(os.path.join(build, "Makefile"))
        assert not glob.glob(os.path.join(build, "**", "*.so"), recursive=True)


def test_configure_against_4_2_without_its_source_tree_stops():
    with tempfile.TemporaryDirectory() as tmp:
        proc, build = configure(tmp, faked_install(tmp, "4.2.5"))
        assert proc.returncode != 0
        assert "needs its source tree" in " ".join(proc.stderr.split())
        assert not os.path.exists(os.path.join(build, "Makefile"))
