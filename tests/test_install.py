# make install (tools/install-plugins.sh): the plugins and the AWS-VPC
# profile land in a user's own folders, an unprivileged tshark with nothing
# but HOME set finds them there, and --uninstall takes them away again.
# (--system writes into /usr: it is what "make demo" does as root, which
# the demo, not this test, exercises.)
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import subprocess
import tempfile

import pytest

from harness import BUILD, OUR_PLUGIN_NAMES, OUR_PLUGINS, REPO, wireshark_version
from test_analysis import S3

INSTALL = os.path.join(REPO, "tools", "install-plugins.sh")
PROFILE_FILES = sorted(os.listdir(os.path.join(REPO, "profiles", "AWS-VPC")))


@pytest.fixture
def home():
    path = tempfile.mkdtemp(prefix="vpcshark-home-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def as_user(home, stock, *cmd):
    """cmd as the user whose HOME is home: nobody when we are root. The global
    plugin folder is replaced by a copy of the stock plugins alone (stock),
    so that a copy of ours installed system-wide ("make demo" as root) cannot
    stand in for the personal one."""
    env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "TZ": "UTC",
           "WIRESHARK_PLUGIN_DIR": stock}
    if os.geteuid() == 0:
        cmd = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups") + cmd
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=home)


def install(home, *options):
    env = dict(os.environ, HOME=home)
    env.pop("XDG_CONFIG_HOME", None)
    proc = subprocess.run([INSTALL, BUILD, *options], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_install_for_one_user_then_uninstall(home, stock_ws):
    version = wireshark_version()
    plugins = os.path.join(home, ".local", "lib", "wireshark", "plugins", version)
    profile = os.path.join(home, ".config", "wireshark", "profiles", "AWS-VPC")
    sample = os.path.join(home, os.path.basename(S3))
    shutil.copy(S3, sample)
    os.chmod(sample, 0o644)

    # Files an install before the plugins were renamed left: both copies
    # would load and register every protocol twice.
    for kind, name in (("epan", "vpcshark.so"), ("wiretap", "vpcflow.so")):
        os.makedirs(os.path.join(plugins, kind), exist_ok=True)
        with open(os.path.join(plugins, kind, name), "wb") as f:
            f.write(b"old")
    install(home)
    ours = [os.path.join(plugins, os.path.relpath(path, "plugins")) for path in OUR_PLUGINS.values()]
    for path in ours:
        assert os.path.isfile(path)
    assert sorted(os.listdir(os.path.join(plugins, "epan")) + os.listdir(os.path.join(plugins, "wiretap"))) == \
        sorted(os.path.basename(path) for path in ours)
    assert sorted(os.listdir(profile)) == PROFILE_FILES

    listed = as_user(home, stock_ws.stage, "tshark", "-G", "plugins").stdout
    for path in ours:
        assert path in listed
    out = as_user(home, stock_ws.stage, "tshark", "-C", "AWS-VPC", "-r", sample, "-c", "1")
    assert out.returncode == 0, out.stderr
    assert "REJECT" in out.stdout and "203.0.113.5" in out.stdout and "eni-0a1b" in out.stdout

    # A second install replaces the shipped profile files and keeps the user's own.
    with open(os.path.join(profile, "recent"), "w") as f:
        f.write("# the user's\n")
    with open(os.path.join(profile, "colorfilters"), "w") as f:
        f.write("# edited\n")
    install(home)
    with open(os.path.join(profile, "colorfilters")) as f, open(os.path.join(REPO, "profiles", "AWS-VPC",
                                                                           "colorfilters")) as shipped:
        assert f.read() == shipped.read()
    assert os.path.exists(os.path.join(profile, "recent"))

    install(home, "--uninstall")
    for path in ours:
        assert not os.path.exists(path)
    assert not os.path.exists(profile)
    gone = as_user(home, stock_ws.stage, "tshark", "-r", sample, "-c", "1")
    assert gone.returncode != 0 and "REJECT" not in gone.stdout


def test_stock_world_has_none_of_our_plugins(stock_ws):
    """The comparisons with stock Wireshark stay honest on a machine where
    "make demo" (as root) put our plugins in Wireshark's own folder."""
    listed = stock_ws.tshark("-G", "plugins").stdout
    assert "stats_tree.so" in listed
    assert not any(name in listed for name in OUR_PLUGIN_NAMES)
