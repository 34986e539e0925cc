#!/usr/bin/env bash
# Runs the image of deploy/image.sh on this machine as production runs it: non-root, read-only root
# file system (only /tmp writable), the tenant files and keys mounted read-only, SIGTERM to stop
# (graceful drain). Host network: PostgreSQL and Redis are the local ones (deploy/local-services.sh).
# Development keys (a keyset file as KEK: docs/custody.md) are made in deploy/.run/image/keys.
#   deploy/image-run.sh            # gateway on 127.0.0.1:${OTP_IMAGE_PORT:-8095}, database otp_image
#   deploy/image-run.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
name=otp-gateway-image; port=${OTP_IMAGE_PORT:-8095}
# crun refuses hosts with hybrid cgroups and some sandboxes refuse podman's default ulimits.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/image/containers.conf}
podman_() { podman --runtime "${OTP_OCI_RUNTIME:-runc}" "$@"; }
if [ "${1:-}" = stop ]; then podman_ stop -t 30 "$name" >/dev/null && podman_ rm "$name" >/dev/null; exit 0; fi
version=$(./mvnw -q -B help:evaluate -Dexpression=project.version -DforceStdout -pl gateway 2>/dev/null || echo 0.1.0-SNAPSHOT)
keys=deploy/.run/image/keys; mkdir -p "$keys"
export SPRING_R2DBC_URL=r2dbc:postgresql://localhost:5432/otp_image
deploy/local-services.sh otp_image >/dev/null
[ -f "$keys/seed-keyset.json" ] || java -jar gateway/target/otp-gateway.jar generate-seed-keyset "$keys/seed-keyset.json" >/dev/null
[ -f "$keys/audit-keyset.json" ] || java -jar gateway/target/otp-gateway.jar generate-audit-keyset "$keys/audit-keyset.json" >/dev/null
chown -R 10001:10001 "$keys"
podman_ rm -f "$name" >/dev/null 2>&1 || true
podman_ run -d --name "$name" --network host --read-only --tmpfs /tmp:rw,size=64m \
  -v "$PWD/tenant-config/tenants:/etc/otp/tenants:ro" -v "$PWD/$keys:/etc/otp/keys:ro" \
  -e SERVER_PORT="$port" -e SPRING_R2DBC_URL -e SPRING_R2DBC_USERNAME="${SPRING_R2DBC_USERNAME:-otp}" \
  -e SPRING_R2DBC_PASSWORD="${SPRING_R2DBC_PASSWORD:-otp}" \
  -e OTP_CRYPTO_SEED_KEYSET_FILE=/etc/otp/keys/seed-keyset.json -e OTP_CRYPTO_AUDIT_KEYSET_FILE=/etc/otp/keys/audit-keyset.json \
  "localhost/otp-gateway:$version" >/dev/null
for _ in $(seq 1 120); do curl -sf "localhost:$port/actuator/health/readiness" >/dev/null && break; sleep 1; done
curl -sf "localhost:$port/actuator/health/readiness" >/dev/null || { podman_ logs "$name" | tail -30; exit 1; }
echo "localhost/otp-gateway:$version running as $(podman_ exec "$name" id -u) with a read-only root on 127.0.0.1:$port"
