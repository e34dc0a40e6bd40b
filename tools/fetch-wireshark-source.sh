#!/usr/bin/env bash
# Fetch the headers of the installed Wireshark's Debian source package
# that its -dev package does not install (wiretap/wtap-int.h and what it
# includes), into DEST. Used by the struct wtap layout test and for
# building with -DWIRESHARK_SOURCE_DIR. Nothing fetched is committed.
#
#   tools/fetch-wireshark-source.sh DEST
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

dest=$1
version=$(dpkg-query -W -f='${Version}' libwiretap-dev)
if [ -f "$dest/.version" ] && [ "$(cat "$dest/.version")" = "$version" ]; then
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. /etc/os-release
mkdir -p "$work/lists/partial" "$work/archives/partial"
cat > "$work/sources.list" <<LIST
deb-src http://deb.debian.org/debian ${VERSION_CODENAME} main
deb-src http://deb.debian.org/debian ${VERSION_CODENAME}-updates main
deb-src http://deb.debian.org/debian-security ${VERSION_CODENAME}-security main
LIST
apt=(apt-get -q -o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$work/lists" -o Dir::Cache::Archives="$work/archives" -o Debug::NoLocking=1)
"${apt[@]}" update >/dev/null 2>&1
(cd "$work" && "${apt[@]}" source --download-only "wireshark=$version" >/dev/null 2>&1)
tarball=$(ls "$work"/wireshark_*.orig.tar.* 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "could not download the wireshark $version source package" >&2; exit 1; }

mkdir -p "$dest"
tar -xf "$tarball" -C "$dest" --strip-components=1 --wildcards '*/wiretap/*.h' '*/wsutil/*.h'
echo "$version" > "$dest/.version"
