# Running Wireshark tools with the freshly built plugins, as root or not.
#
# tshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when
# it runs as root (CI does), so the plugins are staged in a world-readable
# folder and the tools run as "nobody" when we are root. The staged folder
# replaces Wireshark's global plugin folder, so the stock plugins
# (stats_tree, usbdump, ...) are staged next to ours.
#
# Used by the test suite (tests/conftest.py), the benchmarks and the
# fuzzing scripts.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import datetime
import functools
import os
import re
import shutil
import subprocess
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("VPCSHARK_BUILD", os.path.join(REPO, "build"))
# The plugins built with ASan and UBSan (gcc, -DVPCSHARK_SANITIZE=ON), and
# the libFuzzer targets (clang, -DVPCSHARK_FUZZ=ON): "make test" builds both.
ASAN_BUILD = os.environ.get("VPCSHARK_ASAN_BUILD", os.path.join(REPO, "build-asan"))
FUZZ_BUILD = os.environ.get("VPCSHARK_FUZZ_BUILD", os.path.join(REPO, "build-fuzz"))

# The C sources: every folder under plugin/ that holds a header.
PLUGIN_SOURCE = os.path.join(REPO, "plugin")


def source_dirs():
    return sorted(d for d, _, files in os.walk(PLUGIN_SOURCE) if any(f.endswith(".h") for f in files))


OUR_PLUGINS = {
    "epan": os.path.join("plugins", "epan", "vpcshark-dissectors.so"),
    "wiretap": os.path.join("plugins", "wiretap", "vpcflow-file.so"),
}
# Names of our plugins before 0.2, which an older install may have left.
OLD_PLUGIN_NAMES = {"vpcshark.so", "vpcflow.so"}
OUR_PLUGIN_NAMES = {os.path.basename(path) for path in OUR_PLUGINS.values()} | OLD_PLUGIN_NAMES


# A log line at warning level or worse (Wireshark's "[Wiretap CRITICAL]",
# "[Main WARNING]", GLib's "-WARNING **") while tshark reads a file: a
# bug of ours until shown otherwise. 4.6 printed "[Wiretap CRITICAL]
# wtap_read(): Length of record buffer (0) less than claimed captured
# length" for every record of every flow log while the frames looked right.
LOG_PROBLEM = re.compile(r"\[[\w ]*\b(CRITICAL|WARNING)\]|-(CRITICAL|WARNING) \*\*")


def log_problems(stderr):
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    return [line for line in stderr.splitlines() if LOG_PROBLEM.search(line)]


@functools.lru_cache(maxsize=None)
def wireshark_version():
    """major.minor of the tshark on PATH (asked once: tshark takes a
    moment to start, and some tests ask per record)."""
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True, check=True).stdout
    # "TShark (Wireshark) 4.0.17 (Git v4.0.17 packaged as ...)"
    version = out.split("(Wireshark)")[1].split()[0]
    major, minor = version.split(".")[:2]
    return f"{major}.{minor}"


def wireshark_at_least(major, minor):
    have = tuple(int(n) for n in wireshark_version().split("."))
    return have >= (major, minor)


def field_bool(value):
    """How tshark -T fields prints a boolean field: 1 or 0 up to 4.0,
    True or False from 4.2 on (Wireshark's display of FT_BOOLEAN; stock
    fields such as tcp.flags.syn print the same, test_versions.py checks)."""
    if wireshark_at_least(4, 2):
        return "True" if value else "False"
    return "1" if value else "0"


def field_time_utc(seconds, nanoseconds=0):
    """An absolute time shown in UTC (frame.time_utc, vpcflow.event_time)
    as tshark -T fields prints it: "Nov 14, 2023 22:16:35.123000000 UTC" up
    to 4.4, ISO 8601 "2023-11-14T22:16:35.123000000Z" from 4.6 on
    (test_versions.py checks stock frame.time_utc)."""
    t = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    if wireshark_at_least(4, 6):
        return f"{t:%Y-%m-%dT%H:%M:%S}.{nanoseconds:09d}Z"
    return f"{t:%b} {t.day:2d}, {t:%Y %H:%M:%S}.{nanoseconds:09d} UTC"


def size_shown(n):
    """A byte count as tshark's conversation tables print it: whole SI
    units, switching to the next once a count reaches ten of it
    ("1428 bytes", "16 kB", "10 GB", "17 TB")."""
    for power, unit in ((15, "PB"), (12, "TB"), (9, "GB"), (6, "MB"), (3, "kB")):
        if n >= 10 * 10 ** power:
            return f"{n // 10 ** power} {unit}"
    return f"{n} bytes"


def endpoint_bytes_shown(n):
    """A byte count in tshark's endpoints table: the digits up to 4.4, a
    size as in conversations from 4.6 on."""
    return size_shown(n) if wireshark_at_least(4, 6) else str(n)


def column_utc_suffix():
    """What a UTC time column (format "ud", "%Yut") ends with: "Z" from 4.6
    on, nothing before (test_versions.py checks a stock column)."""
    return "Z" if wireshark_at_least(4, 6) else ""


def ws_exit_code(name):
    """A status of Wireshark's ws_exit_codes.h (4.2 on), or None where
    this Wireshark has no such header or no such code."""
    header = "/usr/include/wireshark/ws_exit_codes.h"
    if os.path.exists(header):
        with open(header) as f:
            for line in f:
                words = line.split()
                if words[:2] == ["#define", name]:
                    return int(words[2])
    return None


def tshark_exit_invalid_file():
    """tshark's exit status for a file it cannot read: WS_EXIT_INVALID_FILE
    from 4.2 on (3); 4.0 has no ws_exit_codes.h, its tshark.c says
    INVALID_FILE 2."""
    code = ws_exit_code("WS_EXIT_INVALID_FILE")
    return 2 if code is None else code


def tshark_exits_refused_or_cut():
    """The statuses of a tshark that refused a file or met damage while
    reading it. 4.0: 2 for both. 4.2 and 4.4: WS_EXIT_INVALID_FILE (3)
    for a refused file, still 2 for one cut short. 4.6: 3, and
    WS_EXIT_READ_ERROR (14) for one cut short."""
    read_error = ws_exit_code("WS_EXIT_READ_ERROR")
    return {2, tshark_exit_invalid_file()} | ({read_error} if read_error is not None else set())


def sanitizer_env():
    """What tools need to run plugins built with ASan and UBSan.

    tshark itself is not instrumented, so gcc's ASan runtime is preloaded.
    Any report aborts; dissector bugs and runaway trees abort too. Under
    it, editcap and the extcap helpers that "tshark -G" or "-D" start can
    hang at exit (a glibc locale lock taken in p11-kit's destructor), so
    use such a world for reading files only.
    """
    libasan = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True,
                             check=True).stdout.strip()
    return {
        "LD_PRELOAD": os.path.realpath(libasan),
        # Leaks are not checked here: tshark unloads plugins before it exits,
        # so LeakSanitizer cannot name their code (tests/test_valgrind.py can).
        # handle_abort: a stack trace for aborts too (dissector bugs, criticals).
        "ASAN_OPTIONS": "verify_asan_link_order=0:detect_leaks=0:abort_on_error=1:allocator_may_return_null=1"
                        ":handle_abort=1",
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        "WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1",
        "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS": "1",
        "G_DEBUG": "fatal-criticals",
    }


def global_plugin_dir(version):
    base = subprocess.run(["pkg-config", "--variable=plugindir", "wireshark"],
                          capture_output=True, text=True, check=True).stdout.strip()
    return base if base.endswith(version) else os.path.join(base, version)


class Wireshark:
    """A private world for Wireshark tools: staged plugins, config, scratch."""

    def __init__(self, build=BUILD, with_plugins=True, root=None, kinds=("epan", "wiretap"), sanitized=False):
        """sanitized: the plugins of build were built with ASan/UBSan; the
        tools then run with sanitizer_env()."""
        self.version = wireshark_version()
        self.tool_env = sanitizer_env() if sanitized else {}
        self.root = root or tempfile.mkdtemp(prefix="vpcshark-")
        os.chmod(self.root, 0o755)
        self.stage = os.path.join(self.root, "plugins")
        self.config = os.path.join(self.root, "config")
        self.home = os.path.join(self.root, "home")
        self.work = os.path.join(self.root, "work")
        for d in (self.config, self.home, self.work):
            os.makedirs(d, exist_ok=True)
        os.chmod(self.config, 0o755)
        os.chmod(self.home, 0o777)
        os.chmod(self.work, 0o1777)
        self._stage(build, kinds if with_plugins else ())
        self.drop_privileges = os.geteuid() == 0

    def _stage(self, build, kinds):
        stock = global_plugin_dir(self.version)
        for kind in ("epan", "wiretap", "codecs"):
            dest = os.path.join(self.stage, self.version, kind)
            os.makedirs(dest, exist_ok=True)
            src = os.path.join(stock, kind)
            if os.path.isdir(src):
                for name in os.listdir(src):
                    # a copy of ours installed system-wide ("make demo" as root) is not stock
                    if name not in OUR_PLUGIN_NAMES:
                        shutil.copy(os.path.join(src, name), dest)
            if kind in kinds:
                built = os.path.join(build, OUR_PLUGINS[kind])
                if not os.path.exists(built):
                    raise FileNotFoundError(f"{built} not built; run 'make build'")
                shutil.copy(built, dest)
        for dirpath, dirnames, filenames in os.walk(self.root):
            for name in dirnames:
                os.chmod(os.path.join(dirpath, name), os.stat(os.path.join(dirpath, name)).st_mode | 0o755)
            for name in filenames:
                os.chmod(os.path.join(dirpath, name), 0o644)

    def env(self, extra=None):
        env = dict(os.environ)
        env.update({
            "HOME": self.home,
            "WIRESHARK_PLUGIN_DIR": self.stage,
            "WIRESHARK_CONFIG_DIR": self.config,
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
        })
        env.pop("VPCFLOW_FORMAT", None)
        if extra:
            env.update(extra)
        return env

    def path(self, name):
        """A path in the scratch folder (writable by the tools)."""
        return os.path.join(self.work, name)

    def copy_in(self, source, name=None):
        """Copy an input file where the unprivileged tools can read it."""
        return self._copy_readable(source, self.path(name or os.path.basename(source)))

    def use_session_table(self, table):
        """Put a Traffic Mirror session table file in the profile, where a
        user's mirror_sessions table is found."""
        return self._copy_readable(table, os.path.join(self.config, "mirror_sessions"))

    @staticmethod
    def _copy_readable(source, dest):
        shutil.copy(source, dest)
        os.chmod(dest, 0o644)
        return dest

    def write(self, name, data):
        dest = self.path(name)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(dest, mode) as f:
            f.write(data)
        os.chmod(dest, 0o644)
        return dest

    def command(self, tool, *args):
        cmd = [tool, *args]
        if self.tool_env:
            # Set by env(1) for the tool alone: setpriv must not run with the
            # sanitizer runtime (it aborts changing ids with its threads).
            cmd = ["env", *[f"{k}={v}" for k, v in self.tool_env.items()], *cmd]
        if self.drop_privileges:
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]
        return cmd

    def run(self, tool, *args, env=None, check=True, input=None, timeout=600, log_ok=False):
        """log_ok: the caller expects tshark to log warnings (e.g. about a
        bad preference); otherwise a warning or critical logged while
        tshark reads a file (-r) fails the test (LOG_PROBLEM)."""
        proc = subprocess.run(self.command(tool, *args), cwd=self.work, env=self.env(env),
                              capture_output=True, input=input, timeout=timeout,
                              text=not isinstance(input, bytes))
        if check and proc.returncode != 0:
            raise AssertionError(f"{tool} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        if not log_ok and tool == "tshark" and "-r" in args:
            problems = log_problems(proc.stderr)
            if problems:
                raise AssertionError(f"tshark {' '.join(args)} logged:\n" + "\n".join(problems[:10]))
        return proc

    def tshark(self, *args, **kwargs):
        return self.run("tshark", *args, **kwargs)

    def fields(self, capture, fields, *args, occurrence="f", aggregator=",", **kwargs):
        """Rows of -T fields output, one list of strings per frame."""
        cmd = ["-r", capture, "-T", "fields", "-E", "separator=/t", "-E", f"occurrence={occurrence}",
               "-E", f"aggregator={aggregator}"]
        for f in fields:
            cmd += ["-e", f]
        out = self.tshark(*cmd, *args, **kwargs).stdout
        return [line.split("\t") for line in out.splitlines()]

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)
