#!/usr/bin/env bash
# The real-systemd tier's machine: a minimal Debian bookworm root (systemd as PID 1, dbus, iproute2, a
# Java 17 runtime, udev), built once with debootstrap and reused on this machine; prints its path.
# Tests copy it and install the project's tarball into the copy, as a user would. Root only.
# Built in a temporary folder and renamed into place, so an interrupted build is never reused.
set -euo pipefail
root="${MULTUS_ENI_TEST_ROOT:-/var/cache/multus-eni-test/bookworm}"
if [ -x "$root/lib/systemd/systemd" ] && [ -x "$root/usr/bin/java" ]; then
  echo "$root"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "needs debootstrap (apt-get install -y debootstrap)" >&2; exit 1; }
# The Debian mirror apt already uses on this machine.
mirror="$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)"
[ -n "$mirror" ] || mirror="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
mirror="${mirror:-http://deb.debian.org/debian}"
building="$root.building.$$"
trap 'rm -rf "$building"' EXIT
mkdir -p "$(dirname "$root")"
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,dbus,iproute2,openjdk-17-jre-headless,procps,udev \
  bookworm "$building" "$mirror" >&2
rm -rf "$root"
mv "$building" "$root"
echo "$root"
