#!/usr/bin/env bash
# The boot path the way the seed's DaemonSet does it — aws-cli and curl — for test-infra/bench/boot to
# time beside multus-eni, against the same stand-in. Fairer than the seed: it waits for the interface
# before renaming it. Run inside the node's namespace; prints nothing but errors.
set -euo pipefail
endpoint=http://127.0.0.1:8901
imds=http://127.0.0.1:8902
token="$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/latest/api/token")"
meta() { curl -sf -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/$1"; }
instance="$(meta instance-id)"
zone="$(meta placement/availability-zone)"
ec2() { aws ec2 --endpoint-url "$endpoint" --region eu-west-2 "$@"; }

eni="$(ec2 describe-network-interfaces --filters Name=tag:multus,Values=true Name=tag:cluster,Values=bench \
  "Name=tag:Zone,Values=$zone" "Name=availability-zone,Values=$zone" Name=status,Values=available \
  --query 'NetworkInterfaces[0].NetworkInterfaceId' --output text)"
ec2 attach-network-interface --network-interface-id "$eni" --instance-id "$instance" --device-index 1 >/dev/null
ec2 create-tags --resources "$instance" --tags Key=multus-network-attached,Value=true
mac="$(ec2 describe-network-interfaces --network-interface-ids "$eni" \
  --query 'NetworkInterfaces[0].MacAddress' --output text)"
for _ in $(seq 1000); do
  for dev in /sys/class/net/*; do
    if [ "$(cat "$dev/address")" = "$mac" ]; then
      ip link set dev "${dev##*/}" down
      ip link set dev "${dev##*/}" name multus
      exit 0
    fi
  done
  sleep 0.01
done
echo "the interface with $mac never appeared" >&2
exit 1
