#!/usr/bin/env bash
# Checks what packaging/build.sh made: the RPM holds every file an operator needs, and the launcher
# of the unpacked tarball runs.
set -euo pipefail
cd "$(dirname "$0")/.."

expected=(
  /opt/multus-eni/multus-eni.jar
  /usr/bin/multus-eni
  /usr/lib/systemd/system/multus-eni.service
  /usr/lib/systemd/system/kubelet.service.d/10-multus-eni.conf
  /usr/lib/systemd/system-preset/80-multus-eni.preset
  /usr/lib/tmpfiles.d/multus-eni.conf
  /usr/lib/udev/rules.d/85-multus-eni.rules
  /etc/multus-eni/multus-eni.conf
  /usr/share/man/man8/multus-eni.8.gz
  /usr/share/bash-completion/completions/multus-eni
  /usr/share/doc/multus-eni/README.md
  /usr/share/doc/multus-eni/iam-policy.json
)
listed="$(rpm -qlp target/dist/multus-eni.noarch.rpm)"
for f in "${expected[@]}"; do
  grep -qx "$f" <<<"$listed" || { echo "the RPM lacks $f" >&2; exit 1; }
done
rpm -qp --configfiles target/dist/multus-eni.noarch.rpm | grep -qx /etc/multus-eni/multus-eni.conf \
  || { echo "the RPM does not mark multus-eni.conf as a config file" >&2; exit 1; }
echo "RPM: all ${#expected[@]} files present; multus-eni.conf kept on upgrade"

unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
tar -C "$unpacked" -xzf target/dist/multus-eni-*.tar.gz
"$unpacked/usr/bin/multus-eni" version
