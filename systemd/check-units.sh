#!/usr/bin/env bash
# Verifies both units with systemd-analyze (which exits 0 even on errors, so any output fails this
# check) and prints the exposure score of the service's hardening.
set -euo pipefail
cd "$(dirname "$0")"

fail=0
out="$(systemd-analyze verify ./multus-eni.service 2>&1)" || fail=1
if [ -n "$out" ] || [ "$fail" -ne 0 ]; then
  echo "systemd-analyze verify multus-eni.service:" >&2
  echo "$out" >&2
  exit 1
fi

# The kubelet drop-in is verified as part of a kubelet.service. This stand-in kubelet.service has the
# EKS AMI's ordering but runs /bin/true: only the drop-in and its dependency on multus-eni.service
# are under test, and kubelet itself is not installed here.
units="$(mktemp -d)"
trap 'rm -rf "$units"' EXIT
cat >"$units/kubelet.service" <<'UNIT'
[Unit]
Description=Kubernetes Kubelet (stand-in for verifying the multus-eni drop-in)
After=network-online.target
[Service]
Type=simple
ExecStart=/bin/true
[Install]
WantedBy=multi-user.target
UNIT
cp multus-eni.service "$units/"
mkdir "$units/kubelet.service.d"
cp kubelet.service.d/10-multus-eni.conf "$units/kubelet.service.d/"
out="$(SYSTEMD_UNIT_PATH="$units:" systemd-analyze verify "$units/kubelet.service" 2>&1)" || fail=1
if [ -n "$out" ] || [ "$fail" -ne 0 ]; then
  echo "systemd-analyze verify kubelet.service with the drop-in:" >&2
  echo "$out" >&2
  exit 1
fi
echo "units verified: multus-eni.service, kubelet.service.d/10-multus-eni.conf"
systemd-analyze security --offline=yes ./multus-eni.service | tail -n 1
