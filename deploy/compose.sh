#!/usr/bin/env bash
# Starts deploy/compose.yaml with podman-compose: two gateways (the image of deploy/image.sh) behind
# HAProxy, PostgreSQL checking passwords, Redis, and GreenMail as the mail sink. The services' image
# (PostgreSQL 15, Redis, HAProxy) is made like the gateway's base, by mmdebstrap from Debian's
# packages, so no image registry is needed. Development keys (the keyset file as KEK,
# docs/custody.md) are written to deploy/.run/compose/keys.
#   deploy/compose.sh up     # then http://localhost:8088 is the balancer
#   deploy/compose.sh down   # removes the containers and the database volume
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES_TAG=compose
# shellcheck source=services-lib.sh
. deploy/services-lib.sh
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/image/containers.conf}
command -v podman-compose >/dev/null || apt_install podman-compose golang-github-containernetworking-plugin-dnsname
compose() { podman-compose -f deploy/compose.yaml "$@"; }
if [ "${1:-up}" = down ]; then compose down -v >/dev/null 2>&1; exit 0; fi

deploy/image.sh
work=deploy/.run/compose; mkdir -p "$work/keys"
if ! podman image exists localhost/otp-services:bookworm; then
  say "making the services' image (postgresql-15, redis-server, haproxy) with mmdebstrap"
  mmdebstrap --variant=apt --include=postgresql-15,redis-server,haproxy,ca-certificates \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    bookworm "$work/services.tar" >/dev/null
  podman import "$work/services.tar" localhost/otp-services:bookworm >/dev/null
  rm -f "$work/services.tar"
fi
[ -f "$work/greenmail-standalone.jar" ] || ./mvnw -q -B dependency:copy -Dartifact=com.icegreen:greenmail-standalone:2.1.8 \
  -DoutputDirectory="$work" -Dmdep.stripVersion=true
[ -f "$work/keys/seed-keyset.json" ] || java -jar gateway/target/otp-gateway.jar generate-seed-keyset "$work/keys/seed-keyset.json" >/dev/null
[ -f "$work/keys/audit-keyset.json" ] || java -jar gateway/target/otp-gateway.jar generate-audit-keyset "$work/keys/audit-keyset.json" >/dev/null
chown -R 10001:10001 "$work/keys"
export OTP_VERSION
OTP_VERSION=$(./mvnw -q -B help:evaluate -Dexpression=project.version -DforceStdout -pl gateway 2>/dev/null || echo 0.1.0-SNAPSHOT)
compose up -d >/dev/null
for _ in $(seq 1 180); do curl -sf localhost:8088/actuator/health/readiness >/dev/null && break; sleep 1; done
curl -sf localhost:8088/actuator/health/readiness >/dev/null || { compose ps; compose logs --tail 20; exit 1; }
say "up: the balancer on http://localhost:8088 ($(compose ps --format '{{.Names}}' 2>/dev/null | tr '\n' ' '))"
