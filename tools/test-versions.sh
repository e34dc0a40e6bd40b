#!/usr/bin/env bash
# Run a make target in the Debian root of each Wireshark version given
# (tools/debian-root.sh), JOBS at a time; every line is prefixed with its
# version and kept in build-<version>/versions.log. Ends with one line per version
# and a total of pytest's counts: "versions: N passed, N failed, N skipped".
#
#   tools/test-versions.sh [-j JOBS] [-t TARGET] VERSION...
#   (make test-versions: TARGET test-quick, VERSIONS 4.4 4.6, VERSIONS_JOBS 2)
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail

jobs=1
target=test-quick
while getopts "j:t:" opt; do
    case $opt in
        j) jobs=$OPTARG ;;
        t) target=$OPTARG ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: tools/test-versions.sh [-j JOBS] [-t TARGET] VERSION..." >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 1

one() {
    local v=$1 start=$SECONDS status
    : > "build-$v/versions.log"  # emptied before tail starts, so no earlier run shows
    make --no-print-directory "$target" WIRESHARK="$v" > "build-$v/versions.log" 2>&1 &
    local pid=$!
    tail -n +1 --pid=$pid -f "build-$v/versions.log" 2>/dev/null | sed -u "s/^/[$v] /"
    wait $pid
    status=$?
    echo "$status $((SECONDS - start))" > "build-$v/versions.status"
    return $status
}

running=0
for v in "$@"; do
    mkdir -p "build-$v"; rm -f "build-$v/versions.status"
    one "$v" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

failed=0
total_passed=0; total_failed=0; total_skipped=0
for v in "$@"; do
    read -r status seconds < "build-$v/versions.status" 2>/dev/null || { status=1; seconds="?"; }
    summary=$(grep -E "^=*\s*[0-9]+ (passed|failed)|^[0-9]+ (passed|failed|skipped)" "build-$v/versions.log" | tail -1)
    echo "Wireshark $v: $target $([ "$status" = 0 ] && echo passed || echo FAILED) in ${seconds} s: ${summary:-no pytest summary}"
    [ "$status" = 0 ] || failed=1
    for kind in passed failed skipped; do
        n=$(echo "$summary" | grep -oE "[0-9]+ $kind" | grep -oE "[0-9]+")
        eval "total_$kind=\$((total_$kind + ${n:-0}))"
    done
done
echo "versions: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit $failed
