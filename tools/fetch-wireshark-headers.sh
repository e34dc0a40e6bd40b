#!/usr/bin/env bash
# Fetch the development headers of another Wireshark release from the
# Debian archive (no install: the packages are unpacked into DEST), so the
# plugins can be compile-checked against the API they will meet there.
#
#   tools/fetch-wireshark-headers.sh DEBIAN_VERSION DEST
#   e.g. tools/fetch-wireshark-headers.sh 4.4.19-0+deb13u1 ~/.cache/vpcshark/ws-4.4
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

version=$1
dest=$2
[ -f "$dest/.version" ] && [ "$(cat "$dest/.version")" = "$version" ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pool=http://deb.debian.org/debian/pool/main/w/wireshark
for pkg in libwireshark-dev libwiretap-dev libwsutil-dev; do
    url="$pool/${pkg}_${version//+/%2B}_amd64.deb"
    curl -fsS -o "$work/$pkg.deb" "$url" || { echo "cannot download $url" >&2; exit 1; }
done
rm -rf "$dest"
mkdir -p "$dest"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
echo "$version" > "$dest/.version"
