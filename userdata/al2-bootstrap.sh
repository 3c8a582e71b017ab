#!/bin/bash
# User data for an AL2 EKS node with multus-eni installed (AL2 has no nodeadm: bootstrap.sh joins). The
# Packer template here builds AL2023 only: on AL2, install the package (packaging/) in your own AMI build.
# Only for clusters still on AL2 nodes: AWS publishes EKS-optimized AL2 AMIs up to Kubernetes 1.32 and
# ended their support in November 2025. Use AL2023 (al2023-userdata.mime) for anything new.
# multus-eni started before this script ran (cluster name from the instance tags); writing its config
# and reloading makes it re-read the file and reconcile at once.
set -euo pipefail

cluster=my-cluster

install -d -m 0755 /etc/multus-eni
cat >/etc/multus-eni/multus-eni.conf <<CONF
MULTUS_ENI_CLUSTER=${cluster}
MULTUS_ENI_BOOT_WAIT=60s
CONF
systemctl reload multus-eni.service || systemctl restart multus-eni.service

# kubelet's max pods as the VPC CNI can place them: every ENI but multus-eni's (one per network it holds) takes
# (IPv4 addresses - 1) pods, plus 2 host-network pods. bootstrap.sh's own value counts every ENI, and the pods
# above what the VPC CNI can place would stay in ContainerCreating.
networks=1
token=$(curl -sS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
type=$(curl -sS -H "X-aws-ec2-metadata-token: ${token}" http://169.254.169.254/latest/meta-data/instance-type)
read -r enis ips < <(aws ec2 describe-instance-types --instance-types "${type}" \
  --query 'InstanceTypes[0].NetworkInfo.[MaximumNetworkInterfaces,Ipv4AddressesPerInterface]' --output text)
max_pods=$(( (enis - networks) * (ips - 1) + 2 ))

/etc/eks/bootstrap.sh "${cluster}" --use-max-pods false --kubelet-extra-args "--max-pods=${max_pods}"
