#!/usr/bin/env bash
# Fetch the development headers of another Wireshark release, as the
# Debian suite that carries it has them now (no install: the packages are
# unpacked into DEST), so the plugins can be compile-checked against the
# API they will meet there. The archive is the one this machine's apt
# uses (tools/debian-archive.sh). DEST is refreshed when older than
# VPCSHARK_HEADERS_MAX_AGE days (default 7).
#
#   tools/fetch-wireshark-headers.sh MAJOR.MINOR DEST
#   e.g. tools/fetch-wireshark-headers.sh 4.4 ~/.cache/vpcshark/wireshark-4.4-headers
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

release=$1
dest=$2
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/debian-archive.sh
. "$here/tools/debian-archive.sh"

if [ -f "$dest/.version" ] &&
   [ -n "$(find "$dest/.version" -mtime -"${VPCSHARK_HEADERS_MAX_AGE:-7}" 2>/dev/null)" ]; then
    exit 0
fi

suite=$(ws_suite "$release")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
apt_private "$work" "$(apt_suite_sources deb "$suite")"
"${apt[@]}" update >"$work/update.log" 2>&1 ||
    { echo "apt-get update of Debian $suite failed:" >&2; tail -3 "$work/update.log" >&2; exit 1; }
(cd "$work" && "${apt[@]}" download libwireshark-dev libwiretap-dev libwsutil-dev >"$work/download.log" 2>&1) ||
    { echo "cannot download the Wireshark headers of Debian $suite:" >&2; tail -3 "$work/download.log" >&2; exit 1; }
version=$(dpkg-deb -f "$work"/libwiretap-dev_*.deb Version)
case $version in
    "$release".*) ;;
    *) echo "Debian $suite carries Wireshark $version, not $release: update ws_suite in tools/debian-archive.sh" >&2
       exit 1 ;;
esac
rm -rf "$dest"
mkdir -p "$dest"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
echo "$version" > "$dest/.version"
