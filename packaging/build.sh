#!/usr/bin/env bash
# Builds the RPM and the tarball from a clean clone: packaging/build.sh [--tarball-only]
# Output: target/dist/multus-eni-<version>-<release>.noarch.rpm and multus-eni-<version>.tar.gz
# (the tarball's paths are absolute paths without the leading /, ready for `tar -C / -xzf`).
# Needs a JDK 17 and, for the RPM, rpmbuild (Debian: apt-get install -y rpm).
set -euo pipefail
cd "$(dirname "$0")/.."

tarball_only=false
[ "${1:-}" = --tarball-only ] && tarball_only=true
if ! $tarball_only; then
  command -v rpmbuild >/dev/null || { echo "packaging/build.sh needs rpmbuild (apt-get install -y rpm)" >&2; exit 1; }
fi

if [ ! -f target/multus-eni.jar ] || [ -n "$(find pom.xml src -newer target/multus-eni.jar -print -quit)" ]; then
  ./mvnw -q -DskipTests package
fi
project_version="$(./mvnw -q help:evaluate -Dexpression=project.version -DforceStdout)"
version="${project_version%-SNAPSHOT}"
release=1
[ "$version" != "$project_version" ] && release="0.snapshot"

dist=target/dist
stage="$dist/stage"
rm -rf "$dist"
mkdir -p "$stage"

install -D -m 0644 target/multus-eni.jar "$stage/opt/multus-eni/multus-eni.jar"
install -D -m 0755 packaging/multus-eni "$stage/usr/bin/multus-eni"
install -D -m 0644 systemd/multus-eni.service "$stage/usr/lib/systemd/system/multus-eni.service"
install -D -m 0644 systemd/kubelet.service.d/10-multus-eni.conf \
  "$stage/usr/lib/systemd/system/kubelet.service.d/10-multus-eni.conf"
install -D -m 0644 packaging/80-multus-eni.preset "$stage/usr/lib/systemd/system-preset/80-multus-eni.preset"
install -D -m 0644 systemd/multus-eni.tmpfiles "$stage/usr/lib/tmpfiles.d/multus-eni.conf"
install -D -m 0644 systemd/85-multus-eni.rules "$stage/usr/lib/udev/rules.d/85-multus-eni.rules"
install -D -m 0644 systemd/multus-eni.conf "$stage/etc/multus-eni/multus-eni.conf"

# The man page and the completion come from the command model itself.
java -jar target/multus-eni.jar gen-docs --dir "$dist/generated"
install -D -m 0644 "$dist/generated/multus-eni.8" "$stage/usr/share/man/man8/multus-eni.8"
gzip -9n "$stage/usr/share/man/man8/multus-eni.8"
install -D -m 0644 "$dist/generated/multus-eni.bash" "$stage/usr/share/bash-completion/completions/multus-eni"
install -D -m 0644 README.md "$stage/usr/share/doc/multus-eni/README.md"
install -D -m 0644 docs/iam-policy.json "$stage/usr/share/doc/multus-eni/iam-policy.json"

tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$dist/multus-eni-$version.tar.gz" .
if $tarball_only; then
  ls -1 "$dist"/*.tar.gz
  exit 0
fi

rpmbuild -bb packaging/multus-eni.spec \
  --define "_topdir $PWD/$dist/rpmbuild" \
  --define "stage_dir $PWD/$stage" \
  --define "pkg_version $version" \
  --define "pkg_release $release" \
  --define "_build_id_links none" \
  --define "__os_install_post %{nil}" \
  --quiet
cp "$dist"/rpmbuild/RPMS/noarch/*.rpm "$dist/"
# A stable name for the Packer template.
cp "$dist"/rpmbuild/RPMS/noarch/*.rpm "$dist/multus-eni.noarch.rpm"
ls -1 "$dist"/*.rpm "$dist"/*.tar.gz
