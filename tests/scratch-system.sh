#!/usr/bin/env bash
# Run a shell script as root on a throwaway copy of this machine: an
# overlay whose lower layer is the machine's root file system (read only
# through the overlay) and whose upper layer is a tmpfs, in a private
# mount namespace. dpkg -i/-r there acts on the machine's real package
# database and folders, and everything it changes vanishes when the
# script ends, however it ends. Used by tests/test_package.py, so that
# installing the package never touches the machine the suite runs on (or
# the system plugin folder other tests read their stock plugins from).
#
#   tests/scratch-system.sh SCRIPT [FILE...]
#
# The FILEs are copied to /tmp/in/ of the copy (with the root's own
# submounts, such as a bind-mounted repository, out of the overlay), and
# SCRIPT runs there with bash -eu, in /tmp/in. Needs root (CAP_SYS_ADMIN).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

if [ "${1:-}" != __inside ]; then
    [ $# -ge 1 ] || { echo "usage: tests/scratch-system.sh SCRIPT [FILE...]" >&2; exit 2; }
    # unchanged, then private where it can: in a chroot (the Debian roots of
    # tools/debian-root.sh) / is no mount point whose propagation could change.
    exec unshare --mount --propagation unchanged -- "$0" __inside "$@"
fi
shift
mount --make-rprivate / 2>/dev/null || true
script=$1; shift

top=$(mktemp -d)
trap 'rmdir "$top" 2>/dev/null || true' EXIT
mount -t tmpfs -o mode=755 tmpfs "$top"
mkdir "$top/upper" "$top/work" "$top/merged"
mount -t overlay overlay -o "lowerdir=/,upperdir=$top/upper,workdir=$top/work" "$top/merged"
m="$top/merged"
mount -t proc proc "$m/proc"
mount --rbind /dev "$m/dev"
mount --make-rslave "$m/dev"
mount -t tmpfs -o mode=1777 tmpfs "$m/tmp"
mkdir -p "$m/tmp/in"
for f in "$@"; do cp "$f" "$m/tmp/in/"; done
chmod -R a+rX "$m/tmp/in"
status=0
chroot "$m" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 TZ=UTC HOME=/root \
    DEBIAN_FRONTEND=noninteractive /bin/bash -euc "cd /tmp/in; $script" || status=$?
umount -l "$m/dev" "$m/proc" "$m/tmp" "$m" "$top" 2>/dev/null || true
exit $status
