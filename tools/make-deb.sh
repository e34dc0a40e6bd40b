#!/usr/bin/env bash
# Build the Debian package of vpcshark for the Wireshark installed here.
#
#   tools/make-deb.sh BUILD OUTDIR
#
# BUILD is a build folder of its own (configured here with Debian's
# hardening flags from dpkg-buildflags); the package is made from the
# CMake install rules (cmake --install with DESTDIR into BUILD/stage):
#   <Wireshark's plugin folder>/{epan,wiretap}/*.so    both plugins, stripped
#   <Wireshark's extcap folder>/vpcshark-mirror        the mirror receiver, stripped
#   <Wireshark's extcap folder>/vpcflow-cloudwatch     the CloudWatch Logs follower, stripped
#   /usr/share/wireshark/profiles/AWS-VPC/*           the configuration profile
#   /usr/share/doc/<package>/{copyright,changelog.Debian.gz}
# and written to OUTDIR/<package>_<version>_<arch>.deb; its path is printed
# last.
#
# One package per Wireshark major.minor: a plugin loads only into the
# Wireshark it was built for (the folder plugins/<major.minor> and the
# version it declares), so the name carries the version, like the
# soname packages it needs: vpcshark-wireshark4.0, -wireshark4.4, ...
#   Depends   the soname packages the plugins link (dpkg-shlibdeps), those
#             of Wireshark bounded to this major.minor: apt and dpkg refuse
#             the package where another Wireshark is installed
#   Breaks    wireshark-common outside this major.minor: when Wireshark is
#             upgraded to another minor (a Debian release upgrade), apt
#             removes the package, whose plugins the new Wireshark would
#             not load, instead of leaving it behind
#   Provides/Conflicts/Replaces vpcshark: one of them at a time; installing
#             the package for the new Wireshark replaces the old one
#             (they share the profile's files)
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

build=${1:?usage: tools/make-deb.sh BUILD OUTDIR}
outdir=${2:?usage: tools/make-deb.sh BUILD OUTDIR}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build" "$outdir"
build=$(cd "$build" && pwd)
outdir=$(cd "$outdir" && pwd)

for tool in dpkg-buildflags dpkg-shlibdeps dpkg-deb; do
    command -v $tool >/dev/null 2>&1 || { echo "make-deb.sh needs $tool (Debian package dpkg-dev)" >&2; exit 1; }
done

# Debian's compiler and linker flags (hardening: stack protector, fortify,
# relro, bindnow); our own warnings stay errors (CMakeLists.txt).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cflags="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$cflags" \
    -DCMAKE_MODULE_LINKER_FLAGS="$ldflags" -DCMAKE_SHARED_LINKER_FLAGS="$ldflags" >/dev/null
cmake --build "$build" -j"$(nproc)" --target vpcflow-file vpcshark-dissectors vpcshark-mirror vpcflow-cloudwatch

# The version the plugins were built for, as CMake found it.
ws_config=$(sed -n 's/^Wireshark_DIR:PATH=//p' "$build/CMakeCache.txt")/WiresharkConfig.cmake
ws_version=$(sed -n 's/^set(Wireshark_VERSION "\(.*\)")$/\1/p' "$ws_config")
[ -n "$ws_version" ] || { echo "cannot read the Wireshark version from $ws_config" >&2; exit 1; }
ws_major=${ws_version%%.*}
ws_minor=${ws_version#*.}; ws_minor=${ws_minor%%.*}
minor="$ws_major.$ws_minor"
next="$ws_major.$((ws_minor + 1))~"
part() { sed -n "s/^set(VPCSHARK_VERSION_$1 \([0-9]*\))\$/\1/p" "$here/CMakeLists.txt"; }
version="$(part MAJOR).$(part MINOR).$(part PATCH)"
version="$version-1"
package="vpcshark-wireshark$minor"
arch=$(dpkg --print-architecture)

stage="$build/stage"
rm -rf "$stage"
DESTDIR="$stage" cmake --install "$build" --prefix /usr >/dev/null
# cmake --install also runs the install rules of the test helpers, if any: keep ours only.
plugins=$(cd "$stage" && find . -name '*.so' | sort)
[ "$(echo "$plugins" | wc -l)" -eq 2 ] || { echo "expected two plugins in $stage, found: $plugins" >&2; exit 1; }

# Stripped as dh_strip does for shared objects.
for so in $plugins; do
    strip --remove-section=.comment --remove-section=.note --strip-unneeded "$stage/$so"
    chmod 644 "$stage/$so"
done

doc="$stage/usr/share/doc/$package"
install -d -m 755 "$doc"
install -m 644 "$here/packaging/copyright" "$doc/copyright"
date=$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}")
distribution=$(. /etc/os-release && echo "${VERSION_CODENAME:-unstable}")
sed -e "s/@VERSION@/$version/" -e "s/@DISTRIBUTION@/$distribution/" -e "s/@WIRESHARK_MINOR@/$minor/" \
    -e "s/@DATE@/$date/" "$here/packaging/changelog" | gzip -9n > "$doc/changelog.Debian.gz"
chmod 644 "$doc/changelog.Debian.gz"
find "$stage" -type d -exec chmod 755 {} +
find "$stage" -type f -exec chmod 644 {} +
# The extcaps: programs Wireshark runs (nothing setuid).
extcaps=$(cd "$stage" && find . -path '*/extcap/*' -type f | sort)
[ "$(echo "$extcaps" | wc -l)" -eq 2 ] || { echo "expected two extcaps in $stage, found: $extcaps" >&2; exit 1; }
for program in $extcaps; do
    strip --remove-section=.comment --remove-section=.note "$stage/$program"
    chmod 755 "$stage/$program"
done

# Depends: what the plugins link, from the symbols files of the installed
# libraries; Wireshark's own libraries bounded to this major.minor.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debian"
printf 'Source: vpcshark\n\nPackage: %s\nArchitecture: any\n' "$package" > "$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O $(for so in $plugins $extcaps; do echo "$stage/$so"; done) 2>/dev/null |
         sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }
depends=()
ws_libs=()
IFS=',' read -ra items <<<"$shlibs"
for item in "${items[@]}"; do
    item=$(echo "$item" | sed 's/^ *//;s/ *$//')
    name=${item%% *}
    case $name in
        libwireshark[0-9]*|libwiretap[0-9]*|libwsutil[0-9]*)
            low=$(echo "$item" | sed -n 's/.*(>= \(.*\)).*/\1/p')
            if [ -z "$low" ] || dpkg --compare-versions "$low" lt "$minor.0"; then low="$minor.0"; fi
            depends+=("$name (>= $low), $name (<< $next)")
            ws_libs+=("$name")
            ;;
        *) depends+=("$item") ;;
    esac
done
case " ${ws_libs[*]} " in
    *" libwireshark"*) ;;
    *) echo "the plugins link no libwireshark soname package: $shlibs" >&2; exit 1 ;;
esac
depends_line=$(printf '%s, ' "${depends[@]}"); depends_line=${depends_line%, }

installed_size=$(du -sk --apparent-size "$stage" | cut -f1)
install -d -m 755 "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<EOF
Package: $package
Version: $version
Architecture: $arch
Maintainer: vpcshark maintainers <maintainers@users.noreply.r-seed-429a43f3.example>
Installed-Size: $installed_size
Depends: $depends_line
Recommends: tshark | wireshark
Breaks: wireshark-common (<< $minor~), wireshark-common (>= $next)
Provides: vpcshark
Conflicts: vpcshark
Replaces: vpcshark
Enhances: tshark, wireshark
Section: net
Priority: optional
Description: Wireshark $minor plugins for AWS VPC Flow Logs and Traffic Mirroring
 vpcshark makes Wireshark and tshark read AWS VPC Flow Logs (S3 exports,
 CloudWatch Logs shapes) as captures, one frame per flow record with every
 field filterable (vpcflow.*), and decode AWS VPC Traffic Mirroring
 sessions (mirror.*: session names, direction, cut copies, duplicates) and
 Gateway Load Balancer GENEVE options (gwlb.*).
 .
 This package holds the plugins built for Wireshark $minor and the AWS-VPC
 configuration profile (tshark -C AWS-VPC).
EOF
chmod 644 "$stage/DEBIAN/control"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs md5sum) \
    > "$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/md5sums"

deb="$outdir/${package}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
