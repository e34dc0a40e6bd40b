# The Traffic Mirror library files (plugin/mirror/core; mirror-import.c uses
# wsutil/wsjson.h) compile, warnings as errors, against the headers of
# each supported Wireshark, like the plugin sources do in
# test_api_versions.py (same headers, cache and fetch script).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os

import pytest

from harness import REPO
from test_api_versions import RELEASES, compile_failures, headers

CORE = os.path.join(REPO, "plugin", "mirror", "core")
SOURCES = sorted(glob.glob(os.path.join(CORE, "*.c")))


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_mirror_library_compiles_against(release):
    assert len(SOURCES) == 5
    failures = compile_failures(SOURCES, headers(release), [CORE])
    assert not failures, "\n".join(failures)
