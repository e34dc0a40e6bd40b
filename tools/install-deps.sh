#!/usr/bin/env bash
# Install the Debian packages vpcshark needs to build, test and demo.
# Runs apt-get only for what is missing; as a normal user it uses sudo
# when there is one, else it says what to install. --list prints the
# packages instead (tools/debian-root.sh puts the same ones in its roots).
# Names that differ between Debian releases are avoided (libclang-rt-dev,
# not libclang-rt-14-dev; wireshark, which is the Qt GUI from Debian 13 on and
# pulls wireshark-qt in Debian 12), so the list serves Debian 12, 13 and testing.
# The GUI tests (tests/gui.py) find Wireshark's menus and buttons through
# AT-SPI: at-spi2-core (its registry), dbus-daemon, python3-pyatspi, and
# x11-utils (xprop) to tell Qt 5 where the accessibility bus is; x11-apps
# (xwd) for their screenshots. libcurl4-openssl-dev: the CloudWatch Logs
# extcap (HTTPS and AWS Signature Version 4). tzdata: the sql=athena tests
# read local times in named zones.
#
# Optional packages (--list-optional) are installed only where the release
# has them: moto, the AWS API emulator the CloudWatch extcap's test runs
# against, is in Debian 13 and later, not in 12; its server mode also needs
# flask-cors, which moto's package does not pull in.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

packages=(
    tshark wireshark-dev libwiretap-dev libglib2.0-dev
    zlib1g-dev libsnappy-dev libzstd-dev
    cmake make gcc pkg-config
    python3 python3-pytest python3-scapy
    gzip zstd lz4 xz-utils time tzdata
    clang libclang-rt-dev valgrind
    wireshark xvfb xdotool xclip
    at-spi2-core dbus-daemon python3-pyatspi x11-utils x11-apps
    libcurl4-openssl-dev
)
optional=(python3-moto python3-flask-cors)
if [ "${VPCSHARK_DEPS_EXTRA:-}" != "" ]; then
    # shellcheck disable=SC2206
    packages+=(${VPCSHARK_DEPS_EXTRA})
fi

if [ "${1:-}" = --list ]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi
if [ "${1:-}" = --list-optional ]; then
    printf '%s\n' "${optional[@]}"
    exit 0
fi

# The optional packages this release's archive has (apt's cache as it is).
for p in "${optional[@]}"; do
    apt-cache show "$p" >/dev/null 2>&1 && packages+=("$p")
done

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "Missing Debian packages: ${missing[*]} (install them as root)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
