#!/usr/bin/env bash
# Fetch the headers of the installed Wireshark's Debian source package
# that its -dev package does not install (wiretap/wtap-int.h and what it
# includes), into DEST. Used by the struct wtap layout test and for
# building with -DWIRESHARK_SOURCE_DIR. The source package comes from the
# suites this machine's apt uses (tools/debian-archive.sh), so it works
# on the host and inside the roots of tools/debian-root.sh alike.
# Nothing fetched is committed.
#
#   tools/fetch-wireshark-source.sh DEST
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

dest=$1
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/debian-archive.sh
. "$here/tools/debian-archive.sh"

version=$(dpkg-query -W -f='${source:Version}' libwiretap-dev)
if [ -f "$dest/.version" ] && [ "$(cat "$dest/.version")" = "$version" ]; then
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sources=$(apt_own_sources deb-src)
[ -n "$sources" ] || { echo "cannot tell which Debian archive this machine's apt uses" >&2; exit 1; }
apt_private "$work" "$sources"
"${apt[@]}" update >"$work/update.log" 2>&1 ||
    { echo "apt-get update of the source suites failed:" >&2; tail -3 "$work/update.log" >&2; exit 1; }
(cd "$work" && "${apt[@]}" source --download-only "wireshark=$version" >"$work/source.log" 2>&1) ||
    { echo "could not download the wireshark $version source package:" >&2; tail -3 "$work/source.log" >&2; exit 1; }
tarball=$(ls "$work"/wireshark_*.orig.tar.* 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "the wireshark $version source package has no upstream tarball" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest"
tar -xf "$tarball" -C "$dest" --strip-components=1 --wildcards '*/wiretap/*.h' '*/wsutil/*.h'
echo "$version" > "$dest/.version"
