#!/usr/bin/env bash
# Copy the built plugins, and the AWS-VPC configuration profile, where
# Wireshark finds them.
#   tools/install-plugins.sh BUILD [--system] [--uninstall]
# Per user: ~/.local/lib/wireshark/plugins/<major.minor>/{epan,wiretap}
#           ~/.config/wireshark/profiles/AWS-VPC
#           the extcaps vpcshark-mirror and vpcflow-cloudwatch (if built) in the personal extcap folder
#           ("Personal Extcap path" of tshark -G folders, 4.2 on:
#           ~/.local/lib/wireshark/extcap); 4.0 has none and looks only in
#           its global folder, or in WIRESHARK_EXTCAP_DIR if set.
# --system: Wireshark's own plugin folder (what root's tshark loads), its
#           global profiles (/usr/share/wireshark/profiles) and its global
#           extcap folder.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

build=$1; shift
system=0; uninstall=0
for arg in "$@"; do
    case $arg in
        --system) system=1 ;;
        --uninstall) uninstall=1 ;;
        *) echo "unknown option $arg" >&2; exit 2 ;;
    esac
done

version=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$version" ] || { echo "tshark is not installed" >&2; exit 1; }
if [ $system -eq 1 ]; then
    dir=$(pkg-config --variable=plugindir wireshark)
    case $dir in */$version) ;; *) dir="$dir/$version" ;; esac
    profiles=/usr/share/wireshark/profiles
else
    dir="$HOME/.local/lib/wireshark/plugins/$version"
    profiles="${XDG_CONFIG_HOME:-$HOME/.config}/wireshark/profiles"
fi
here=$(cd "$(dirname "$0")/.." && pwd)

# The extcap folder this Wireshark reads: "Global Extcap path" (4.2 on) or
# "Extcap path" (4.0), and "Personal Extcap path" (4.2 on).
folders=$(tshark -G folders 2>/dev/null)
global_extcap=$(echo "$folders" | sed -n 's/^\(Global \)\{0,1\}Extcap path:[[:space:]]*//p' | head -1)
personal_extcap=$(echo "$folders" | sed -n 's/^Personal Extcap path:[[:space:]]*//p' | head -1)
if [ $system -eq 1 ]; then
    extcap_dir=$global_extcap
else
    extcap_dir=${personal_extcap:-$HOME/.local/lib/wireshark/extcap}
fi
extcaps=(vpcshark-mirror vpcflow-cloudwatch)

# Plugin files of this version, and the names releases before 0.2 used:
# an old copy left next to a new one would register every protocol twice.
plugins=(epan/vpcshark-dissectors.so wiretap/vpcflow-file.so)
old_plugins=(epan/vpcshark.so wiretap/vpcflow.so)
for p in "${old_plugins[@]}"; do rm -f "${dir:?}/$p"; done

if [ $uninstall -eq 1 ]; then
    for p in "${plugins[@]}"; do rm -f "$dir/$p"; done
    for e in "${extcaps[@]}"; do rm -f "${extcap_dir:?}/$e"; done
    rm -rf "$profiles/AWS-VPC"
    echo "Removed vpcshark from $dir and $extcap_dir and the AWS-VPC profile from $profiles"
    exit 0
fi
install -d "$dir/epan" "$dir/wiretap"
for p in "${plugins[@]}"; do
    install -m 644 "$build/plugins/$p" "$dir/$(dirname "$p")/"
    echo "Installed $dir/$p"
done
install -d "$extcap_dir"
for e in "${extcaps[@]}"; do
    # vpcflow-cloudwatch is built only with libcurl (libcurl4-openssl-dev)
    if [ ! -x "$build/extcap/$e" ]; then
        echo "Not built, not installed: $e"
        continue
    fi
    install -m 755 "$build/extcap/$e" "$extcap_dir/"
    echo "Installed $extcap_dir/$e"
done
if [ $system -eq 0 ] && [ -z "$personal_extcap" ]; then
    echo "Note: Wireshark $version lists extcaps only from $global_extcap (make install SYSTEM=1),"
    echo "      or from WIRESHARK_EXTCAP_DIR=$extcap_dir (which then replaces that folder)"
fi
# The shipped files of the profile are replaced; other files in it are kept.
install -d "$profiles/AWS-VPC"
install -m 644 "$here"/profiles/AWS-VPC/* "$profiles/AWS-VPC/"
echo "Installed the AWS-VPC configuration profile in $profiles/AWS-VPC"
