# shellcheck shell=bash
# Sourced by tools/debian-root.sh and tools/fetch-wireshark-*.sh: which
# Debian suite carries which Wireshark, and where this machine's apt
# fetches packages from. The archive is read from apt's own configuration
# (apt-get indextargets reads sources.list and sources.list.d, one-line
# and deb822 alike, as apt does), so no file here names a host.
#
# SPDX-License-Identifier: GPL-2.0-or-later

# The Debian suite of a Wireshark major.minor.
ws_suite() {
    case $1 in
        4.0) echo bookworm ;;
        4.4) echo trixie ;;
        4.6) echo "${VPCSHARK_SUITE_4_6:-testing}" ;;
        *) echo "no Debian suite known for Wireshark $1 (known: 4.0, 4.4, 4.6)" >&2; return 1 ;;
    esac
}

# "URI SUITE" for each suite this machine's apt fetches packages from.
apt_repos() {
    apt-get indextargets --no-release-info --format '$(TARGET_OF) $(REPO_URI) $(RELEASE)' 2>/dev/null |
        awk '$1 == "deb" && !seen[$2 " " $3]++ { print $2, $3 }'
}

# The archive's URI (security: that of its security suites).
apt_archive() {
    if [ "${1:-}" = security ]; then
        apt_repos | awk '$2 ~ /-security$/ { print $1; exit }'
    else
        apt_repos | awk '$2 !~ /-security$/ { print $1; exit }'
    fi
}

# The archive key option of a source line, when the keyring is where Debian puts it.
apt_signed_by() {
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [ -f "$keyring" ] && echo "[signed-by=$keyring] "
}

# One-line sources (TYPE: deb or deb-src) for SUITE of this machine's
# archive, with its updates and security suites when it is a release.
apt_suite_sources() {
    local type=$1 suite=$2 main security
    main=$(apt_archive)
    [ -n "$main" ] || { echo "cannot tell which Debian archive this machine's apt uses" >&2; return 1; }
    echo "$type $(apt_signed_by)$main $suite main"
    case $suite in
        testing|unstable|sid|experimental) ;;
        *)
            echo "$type $(apt_signed_by)$main $suite-updates main"
            security=$(apt_archive security)
            [ -z "$security" ] || echo "$type $(apt_signed_by)$security $suite-security main"
            ;;
    esac
}

# One-line sources (TYPE) for every suite this machine's apt uses.
apt_own_sources() {
    local type=$1
    apt_repos | while read -r uri suite; do echo "$type $(apt_signed_by)$uri $suite main"; done
}

# apt-get, with SOURCES (text) as its only sources and its lists and
# downloads in WORK, leaving the machine's apt alone. Nothing counts as
# installed (an installed newer Wireshark would be picked over the
# suite's). Fills the array apt.
apt_private() {
    local work=$1 sources=$2
    mkdir -p "$work/lists/partial" "$work/archives/partial"
    printf '%s\n' "$sources" > "$work/sources.list"
    : > "$work/status"
    # shellcheck disable=SC2034  # used by the scripts that source this file
    apt=(apt-get -q -o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
         -o Dir::State::Lists="$work/lists" -o Dir::Cache::Archives="$work/archives"
         -o Dir::Cache="$work" -o Dir::State::status="$work/status" -o Debug::NoLocking=1 -o Acquire::Check-Valid-Until=false
         -o APT::Sandbox::User=root)
}
