#!/bin/sh
# Runs on the Packer build instance (as root): installs multus-eni and a Java 17 runtime, enables the
# service, lays the networkd guard and makes the AppCDS archive the unit uses for a faster start.
set -eu

dnf install -y java-17-amazon-corretto-headless /tmp/multus-eni.rpm
install -D -m 0644 /tmp/10-multus.network /etc/systemd/network/10-multus.network
systemctl enable multus-eni.service

# A dynamic AppCDS archive of the classes a run loads: `doctor` walks IMDS, the EC2 SDK and picocli
# and changes nothing (DryRun); on a build instance without the node role its checks fail, which is
# fine here — the classes are loaded all the same.
java -XX:ArchiveClassesAtExit=/opt/multus-eni/multus-eni.jsa -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -jar /opt/multus-eni/multus-eni.jar doctor --no-kube --network-config-dir /tmp/multus-eni-cds >/dev/null 2>&1 || true
test -s /opt/multus-eni/multus-eni.jsa
rm -rf /tmp/multus-eni.rpm /tmp/10-multus.network /tmp/multus-eni-cds
