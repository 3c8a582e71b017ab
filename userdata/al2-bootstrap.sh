#!/bin/bash
# User data for an AL2 EKS node built from the multus-eni AMI (AL2 has no nodeadm: bootstrap.sh joins).
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

/etc/eks/bootstrap.sh "${cluster}"
