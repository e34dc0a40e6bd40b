#!/usr/bin/env bash
# "make demo": decode the bundled samples with the installed plugins.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."

TSHARK=${TSHARK:-tshark}
s3=pcaps/demo/123456789012_vpcflowlogs_us-east-1_fl-0abc_20220926T1210Z_a1b2c3d4.log.gz
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

section() { printf '\n=== %s\n$ %s\n' "$1" "$2"; }
run() { section "$1" "$2"; bash -c "$2" 2>&1 | grep -v '^Running as user' || true; }

run "An S3 flow-log export opens like a capture (first 8 records)" \
    "$TSHARK -r $s3 -c 8"
run "Rejected SSH, filtered on typed fields" \
    "$TSHARK -r $s3 -Y 'vpcflow.action == \"REJECT\" && vpcflow.dstport == 22 && vpcflow.srcaddr == 203.0.113.0/24'"
run "One record in full" \
    "$TSHARK -r $s3 -c 1 -O vpcflow -V | sed -n '/^VPC Flow Log/,\$p'"
run "The CloudWatch Logs copy has no header: its 29-field layout is recognised from the values" \
    "$TSHARK -r pcaps/demo/workshop-cloudwatch.log -T fields -e frame.number -e vpcflow.format_source -e vpcflow.srcaddr -e vpcflow.action -e vpcflow.bytes -c 4"
run "Public samples: default format, IPv6, NODATA/SKIPDATA, Transit Gateway" \
    "for f in awsdocs-vpc__accepted-rejected-default awsdocs-vpc__ipv6-default awsdocs-vpc__nodata-skipdata-default elastic-integrations__test-tgw-samples; do $TSHARK -r pcaps/flowlogs/\$f.log -c 2; done"
run "A headerless custom format, given as a preference (AWS \${...} form)" \
    "$TSHARK -r pcaps/flowlogs/awsdocs-vpc__tcp-flag-sequence-v3-custom.log -o \"vpcflow.format:\$(sed 's/\([^ ]*\)/\${\1}/g' pcaps/flowlogs/awsdocs-vpc__tcp-flag-sequence-v3-custom.format)\" -c 4"
run "Export the rejects as a flow-log file: header, then the records byte for byte" \
    "$TSHARK -r $s3 -Y 'vpcflow.action==\"REJECT\"' -w $out/rejects.log -F vpcflow && head -3 $out/rejects.log | cut -c1-150"

if [ -x tools/demo-mirror.sh ]; then
    TSHARK=$TSHARK tools/demo-mirror.sh
fi
