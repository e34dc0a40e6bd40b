#!/usr/bin/env bash
# Traffic Mirror part of "make demo": decode the bundled mirror captures
# with the bundled session table (pcaps/mirror/mirror_sessions), showing
# session names, directions, duplicates, cut copies, GWLB options,
# per-session statistics and the decapsulated inner frames.
#   TSHARK   tshark command prefix (default: tshark)
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."

TSHARK=${TSHARK:-tshark}
dir=pcaps/mirror
out=$(mktemp -d)
chmod 1777 "$out"   # tshark may run as another user
trap 'rm -rf "$out"' EXIT

# The bundled table goes where a user's lives: the profile folder (here a
# private one, so the demo does not touch the user's preferences). It can
# also be edited under Preferences > Protocols > Mirror, or given on the
# command line: -o 'uat:mirror_sessions:"12345","","web"'.
mkdir -p "$out/profile"
cp "$dir/mirror_sessions" "$out/profile/"
chmod -R a+rX "$out/profile"
export WIRESHARK_CONFIG_DIR="$out/profile"

section() { printf '\n=== %s\n$ %s\n' "$1" "$2"; }
run() { section "$1" "$2"; bash -c "$2" 2>&1 | grep -v '^Running as user' || true; }
show() { run "$@"; }

section "The session table (profile file mirror_sessions, first columns)" \
    "grep -v '^#' \$WIRESHARK_CONFIG_DIR/mirror_sessions | cut -d, -f1-5"
grep -v '^#' "$dir/mirror_sessions" | cut -d, -f1-5

show "The real AWS capture (suricata-verify vxlan-decoder-03): session and direction in the Info column" \
    "$TSHARK -r $dir/sv-vxlan-decoder-03-aws-mirror.pcap -c 8"
show "Two sessions; direction from the outer source, the ENI's addresses or MAC (table), or unknown" \
    "$TSHARK -r $dir/gen-two-sessions.pcap -T fields -E header=y -e frame.number -e mirror.vni -e mirror.session -e mirror.direction -e ip.src -e ipv6.src -e ip.dst -c 12"
show "Packets and bytes per session and direction (Statistics > Traffic Mirror Sessions)" \
    "$TSHARK -r $dir/gen-two-sessions.pcap -q -z mirror,tree | cut -c1-75"
show "Both ends of a flow mirrored: the second copy of each packet is marked" \
    "$TSHARK -r $dir/gen-both-ends-duplicates.pcap -c 8"
show "One HTTP GET seen raw and in VNIs 4711 and 4242: retransmissions before and after '!mirror.duplicate'" \
    "$TSHARK -r $dir/zeek-vxlan-overlapping-http-get.pcap -Y tcp.analysis.retransmission | wc -l; \
     $TSHARK -r $dir/zeek-vxlan-overlapping-http-get.pcap -Y '!mirror.duplicate' -w $out/clean.pcapng; \
     $TSHARK -r $out/clean.pcapng -Y tcp.analysis.retransmission | wc -l; $TSHARK -r $out/clean.pcapng -Y http"
show "Copies cut by the session's packet length (100 bytes): marked, not malformed" \
    "$TSHARK -r $dir/gen-packet-length-truncation.pcap -Y mirror.truncated -T fields -E header=y -e frame.number -e mirror.session -e mirror.copy_length -e mirror.truncated -e tcp.len -e _ws.malformed"
show "Gateway Load Balancer target: GENEVE options of class 0x0108 and the mirror copy inside" \
    "$TSHARK -r $dir/gen-gwlb-geneve.pcap -T fields -E header=y -e gwlb.endpoint_id -e gwlb.attachment_id -e gwlb.flow_cookie -e mirror.session -e mirror.direction"
show "The mirrored frames alone, decapsulated, each with a comment naming its session" \
    "$TSHARK -r $dir/gen-two-sessions.pcap -q -z mirror,decap,$out/inner.pcapng,!mirror.duplicate; \
     $TSHARK -r $out/inner.pcapng -T fields -e frame.number -e eth.src -e ip.src -e frame.comment -c 4"
