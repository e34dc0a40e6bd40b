#!/usr/bin/env bash
# Debian roots that carry another Wireshark, to build and test vpcshark
# against it with that release's own packages and compiler.
#
#   tools/debian-root.sh make VERSION [--refresh]
#       make the root (mmdebstrap), or bring it up to date: install what
#       tools/install-deps.sh lists and the root lacks; --refresh, or a
#       root older than VPCSHARK_ROOT_MAX_AGE days (default 7), also
#       upgrades its packages
#   tools/debian-root.sh run VERSION COMMAND...
#       run COMMAND as root inside the root (made first if missing), in
#       this repository, which is bind-mounted at the same path; /proc,
#       /dev, /sys and a fresh /tmp are mounted in a private mount
#       namespace, so they go away with the command, however it ends
#   tools/debian-root.sh path VERSION
#       print where the root is
#
# VERSION is a Wireshark major.minor:
#   4.0   Debian 12 "bookworm" (the host's own here; a root of it is untried)
#   4.4   Debian 13 "trixie" (with its updates and security suites)
#   4.6   Debian testing (VPCSHARK_SUITE_4_6=unstable to use unstable)
# The root is checked to carry that Wireshark; when a suite moves on to
# another release, "make" says so instead of testing the wrong one.
#
# The archive is the one this machine's apt uses (tools/debian-archive.sh);
# nothing here names a host. Roots live outside the clone, in VPCSHARK_ROOTS (default
# /var/cache/vpcshark/roots as root, ~/.cache/vpcshark/roots otherwise).
# Making a root and chroot need root: a normal user's run goes through
# sudo.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
self="$here/tools/debian-root.sh"
# shellcheck source=tools/debian-archive.sh
. "$here/tools/debian-archive.sh"

usage() {
    sed -n '2,/^# SPDX/{/^# SPDX/d;s/^# \{0,1\}//;p}' "$self" >&2
    exit 2
}

if [ -z "${VPCSHARK_ROOTS:-}" ]; then
    if [ "$(id -u)" -eq 0 ]; then VPCSHARK_ROOTS=/var/cache/vpcshark/roots
    else VPCSHARK_ROOTS="$HOME/.cache/vpcshark/roots"; fi
fi
export VPCSHARK_ROOTS
if [ "$(id -u)" -ne 0 ] && [ "${1:-}" != path ]; then
    command -v sudo >/dev/null 2>&1 || { echo "debian-root.sh needs root (or sudo)" >&2; exit 1; }
    exec sudo VPCSHARK_ROOTS="$VPCSHARK_ROOTS" VPCSHARK_ROOT_MAX_AGE="${VPCSHARK_ROOT_MAX_AGE:-}" \
        VPCSHARK_SUITE_4_6="${VPCSHARK_SUITE_4_6:-}" "$self" "$@"
fi

packages() {
    "$here/tools/install-deps.sh" --list | tr '\n' ' '
}

optional_packages() {
    "$here/tools/install-deps.sh" --list-optional | tr '\n' ' '
}

# Install the optional packages the root's release has (see install-deps.sh).
install_optional() {
    # shellcheck disable=SC2046
    in_root "$1" sh -c 'want=""; for p in "$@"; do apt-cache show "$p" >/dev/null 2>&1 && want="$want $p"; done
        [ -z "$want" ] || apt-get install -y -qq $want >/dev/null; apt-get clean' sh $(optional_packages)
}

root_of() { echo "$VPCSHARK_ROOTS/wireshark-$1"; }

# chroot into ROOT with the mounts a build and the suite need; must run
# in a private mount namespace (see run below).
enter() {
    local root=$1; shift
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
    mount --rbind /sys "$root/sys"
    mount --make-rslave "$root/sys"
    mount -t tmpfs -o mode=1777,size=50% tmpfs "$root/tmp"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    if [ -n "${VPCSHARK_ROOT_REPO:-}" ]; then
        mkdir -p "$root$VPCSHARK_ROOT_REPO"
        mount --bind "$VPCSHARK_ROOT_REPO" "$root$VPCSHARK_ROOT_REPO"
    fi
    local keep=()
    for v in TERM CI PYTEST_ADDOPTS; do
        [ -z "${!v:-}" ] || keep+=("$v=${!v}")
    done
    exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${keep[@]}" \
        /bin/sh -c 'cd "${0:-/}" && exec "$@"' "${VPCSHARK_ROOT_REPO:-/}" "$@"
}

# Run COMMAND in ROOT, mounts private to it and gone when it ends.
in_root() {
    local root=$1; shift
    unshare --mount --propagation private -- "$self" __enter "$root" "$@"
}

check_version() {
    local version=$1 root=$2 got
    got=$(chroot "$root" tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
    if [ "$got" != "$version" ]; then
        echo "the root $root carries Wireshark ${got:-none}, not $version: Debian $(ws_suite "$version")" \
             "has moved on; update ws_suite in tools/debian-archive.sh" >&2
        return 1
    fi
}

make_root() {
    local version=$1 refresh=${2:-0} suite root stamp want
    suite=$(ws_suite "$version")
    root=$(root_of "$version")
    stamp="$root/.vpcshark-root"
    mkdir -p "$VPCSHARK_ROOTS"
    command -v mmdebstrap >/dev/null 2>&1 || {
        echo "installing mmdebstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
    }
    exec 9>"$root.lock"
    flock 9
    want="$suite $(packages) $(optional_packages)"
    if [ ! -f "$stamp" ]; then
        local sources new
        sources=$(apt_suite_sources deb "$suite")
        new="$root.new"
        rm -rf "$new" "$root"
        echo "making the Debian $suite root for Wireshark $version in $root"
        local start=$SECONDS
        mapfile -t lines <<<"$sources"
        # shellcheck disable=SC2046
        mmdebstrap --variant=apt --mode=root \
            --aptopt='Acquire::Check-Valid-Until "false"' \
            --aptopt='APT::Install-Recommends "false"' \
            --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
            --dpkgopt='path-include=/usr/share/doc/*/copyright' \
            --include="$(packages | tr ' ' ',')" \
            "$suite" "$new" "${lines[@]}"
        check_version "$version" "$new"
        mv "$new" "$root"
        install_optional "$root"
        echo "$want" > "$stamp"
        date +%s > "$root/.vpcshark-refreshed"
        echo "made $root in $((SECONDS - start)) s: $(chroot "$root" tshark --version 2>/dev/null | head -1)"
        return 0
    fi
    local age=$(( ($(date +%s) - $(cat "$root/.vpcshark-refreshed" 2>/dev/null || echo 0)) / 86400 ))
    if [ "$refresh" -eq 1 ] || [ "$age" -ge "${VPCSHARK_ROOT_MAX_AGE:-7}" ]; then
        echo "upgrading the packages of $root"
        in_root "$root" sh -c 'apt-get update -qq && apt-get full-upgrade -y -qq >/dev/null && apt-get clean'
        date +%s > "$root/.vpcshark-refreshed"
    fi
    if [ "$(cat "$stamp")" != "$want" ]; then
        echo "installing what $root lacks"
        # shellcheck disable=SC2046
        in_root "$root" sh -c 'apt-get install -y -qq "$@" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }; apt-get clean' \
            sh $(packages)
        install_optional "$root"
        echo "$want" > "$stamp"
    fi
    check_version "$version" "$root"
}

cmd=${1:-}
[ $# -ge 1 ] && shift
case $cmd in
    make)
        [ $# -ge 1 ] || usage
        make_root "$1" "$([ "${2:-}" = --refresh ] && echo 1 || echo 0)"
        ;;
    run)
        [ $# -ge 2 ] || usage
        version=$1; shift
        root=$(root_of "$version")
        [ -f "$root/.vpcshark-root" ] || (make_root "$version")
        VPCSHARK_ROOT_REPO=$here in_root "$root" "$@"
        ;;
    path)
        [ $# -ge 1 ] || usage
        ws_suite "$1" >/dev/null
        root_of "$1"
        ;;
    __enter)
        enter "$@"
        ;;
    *)
        usage
        ;;
esac
