#!/usr/bin/env bash
# The Windows/macOS way, on Linux: build vpcshark inside a Wireshark source
# tree as a custom plugin folder (CUSTOM_PLUGIN_SRC_DIR), then load the
# plugins built there into that tree's own tshark. Not part of CI: it
# builds libwireshark (over an hour on two busy cores). docs/building.md
# has the figures of the last run and the Windows and macOS steps.
#
#   tools/intree-build.sh WORK [SOURCE]
#
# WORK     a folder outside the clone: src/ (the tree), build/, logs
# SOURCE   a Wireshark source tree or release tarball; without it, the
#          Debian source package of the Wireshark installed here is
#          fetched from the suites this machine's apt uses (the archive
#          this project's machines reach serves 4.0's, not 4.4's or 4.6's)
#
# The repository is linked into the tree as plugins/epan/vpcshark, the way
# Wireshark's developer guide places a custom plugin; only tshark and
# what it needs are built (no Qt GUI), with -O0 to save time, niced.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

work=${1:?usage: tools/intree-build.sh WORK [SOURCE]}
source=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)
case $work/ in "$here"/*) echo "WORK must be outside the repository" >&2; exit 2 ;; esac

# What the tree needs to build tshark (Debian names; sudo/root).
deps=(cmake ninja-build gcc g++ flex bison perl python3 libglib2.0-dev libgcrypt20-dev libc-ares-dev
      libpcre2-dev libspeexdsp-dev zlib1g-dev)
missing=()
for p in "${deps[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The source tree.
tree=$work/src
if [ ! -f "$tree/CMakeLists.txt" ]; then
    rm -rf "$tree"; mkdir -p "$tree"
    if [ -z "$source" ]; then
        # shellcheck source=tools/debian-archive.sh
        . "$here/tools/debian-archive.sh"
        version=$(dpkg-query -W -f='${source:Version}' libwireshark-dev)
        dl=$work/download
        mkdir -p "$dl"
        apt_private "$dl" "$(apt_own_sources deb-src)"
        "${apt[@]}" update >"$dl/update.log" 2>&1
        (cd "$dl" && "${apt[@]}" source --download-only "wireshark=$version") >"$dl/source.log" 2>&1 ||
            { echo "the archive does not serve the wireshark $version source package:" >&2
              tail -3 "$dl/source.log" >&2
              echo "give a source tree or release tarball of Wireshark ${version%%-*} as SOURCE" >&2; exit 1; }
        source=$(ls "$dl"/wireshark_*.orig.tar.* | head -1)
    fi
    if [ -d "$source" ]; then
        cp -a "$source"/. "$tree"/
    else
        tar -xf "$source" -C "$tree" --strip-components=1
    fi
fi
ln -sfn "$here" "$tree/plugins/epan/vpcshark"

build=$work/build
mkdir -p "$build"
log=$work/intree.log
{
    echo "tree: $(sed -n 's/^set(PROJECT_\(MAJOR\|MINOR\|PATCH\)_VERSION \([0-9]*\))$/\2/p' "$tree/CMakeLists.txt" | paste -sd.)"
    start=$(date +%s)
    nice -n 19 cmake -G Ninja -S "$tree" -B "$build" -DCUSTOM_PLUGIN_SRC_DIR=plugins/epan/vpcshark \
        -DBUILD_wireshark=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG=-O0 -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
        > "$work/configure.log"
    echo "configure: $(( $(date +%s) - start )) s"
    start=$(date +%s)
    nice -n 19 ninja -C "$build" -j"$(nproc)" tshark vpcflow-file vpcshark-dissectors vpcshark-profile \
        > "$work/build.log"
    echo "build: $(( $(date +%s) - start )) s, $(grep -c '^\[' "$work/build.log") steps"
} | tee -a "$log"

# Load the plugins into the tree's own tshark, run from the build folder.
# A tshark started with special privileges (root) ignores the build
# folder's plugins, as it ignores personal ones: run it as nobody then,
# on copies of the samples it can read.
run=$build/run
as_user() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$work/home" "$@"
    else
        env HOME="$work/home" "$@"
    fi
}
mkdir -p "$work/home" "$work/samples"
chmod 777 "$work/home"
sample="$here/pcaps/demo/123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz"
mirror="$here/pcaps/mirror/gen-two-sessions.pcap"
config=$work/config
mkdir -p "$config"
cp "$here/pcaps/mirror/mirror_sessions" "$config/"
cp "$sample" "$mirror" "$work/samples/"
chmod -R a+rX "$config" "$work/samples"
chmod a+rx "$work"
sample=$work/samples/$(basename "$sample")
mirror=$work/samples/$(basename "$mirror")
{
    echo "== plugins found by $run/tshark"
    as_user "$run/tshark" -G plugins | grep -E 'vpcflow-file|vpcshark-dissectors'
    echo "== $(basename "$sample") (first 3 records, AWS-VPC profile from the tree's data folder)"
    as_user "$run/tshark" -C AWS-VPC -r "$sample" -c 3
    echo "== $(basename "$mirror") (first 4 packets, the bundled session table)"
    as_user env WIRESHARK_CONFIG_DIR="$config" "$run/tshark" -r "$mirror" -c 4 -T fields -E separator=/t -e frame.number \
        -e vxlan.vni -e mirror.session -e mirror.source_eni -e mirror.direction -e _ws.col.Info
} 2>&1 | tee -a "$log"
