#!/usr/bin/env bash
# Builds the gateway's container image localhost/otp-gateway:<version> with podman, without a Docker
# engine or an image registry (deploy/image/Containerfile):
#   1. the base, once: a Debian bookworm root file system with openjdk-17-jre-headless, made by
#      mmdebstrap from Debian's packages and imported as localhost/otp-base:bookworm;
#   2. the jar (built when missing) on top, as user 10001.
#   deploy/image.sh              # build; OTP_IMAGE_TAR=file also saves it as an OCI archive
#   ./mvnw -Pimage -DskipTests package   # the same from Maven, after the jar
# Installs podman, runc and mmdebstrap when missing (root). On hosts with hybrid cgroups (v1) podman
# runs it with --runtime runc (crun refuses them); deploy/image-run.sh shows how it is started.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES_TAG=image
# shellcheck source=services-lib.sh
. deploy/services-lib.sh
for tool in podman mmdebstrap runc; do command -v "$tool" >/dev/null || apt_install "$tool"; done
version=${OTP_VERSION:-$(./mvnw -q -B help:evaluate -Dexpression=project.version -DforceStdout -pl gateway 2>/dev/null || echo 0.1.0-SNAPSHOT)}
work=deploy/.run/image; mkdir -p "$work"
if ! podman image exists localhost/otp-base:bookworm; then
  say "making the base root file system (Debian bookworm, openjdk-17-jre-headless) with mmdebstrap"
  mmdebstrap --variant=apt --include=openjdk-17-jre-headless,ca-certificates,tzdata \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    bookworm "$work/base.tar" >/dev/null
  podman import --change 'CMD ["/bin/sh"]' "$work/base.tar" localhost/otp-base:bookworm >/dev/null
  rm -f "$work/base.tar"
fi
[ -f gateway/target/otp-gateway.jar ] || ./mvnw -q -B -DskipTests -pl tenant-config,gateway package
cp gateway/target/otp-gateway.jar deploy/image/otp-gateway.jar
podman build -q -t "localhost/otp-gateway:$version" -f deploy/image/Containerfile deploy/image
rm -f deploy/image/otp-gateway.jar
say "built localhost/otp-gateway:$version"
if [ -n "${OTP_IMAGE_TAR:-}" ]; then
  podman save --format oci-archive -o "$OTP_IMAGE_TAR" "localhost/otp-gateway:$version"
  say "saved as OCI archive $OTP_IMAGE_TAR"
fi
