#!/usr/bin/env bash
# Starts the gateway on localhost:8080 with the sample tenants (tenant-config/tenants).
# PostgreSQL and Redis are started (and on a bare Debian machine installed) if they do not answer.
# Every setting can be overridden by environment: SPRING_R2DBC_URL, SPRING_R2DBC_USERNAME,
# SPRING_R2DBC_PASSWORD, SPRING_DATA_REDIS_HOST, SPRING_DATA_REDIS_PORT, OTP_TENANTS_DIR, SERVER_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/local-services.sh otp
if [ ! -f gateway/target/otp-gateway.jar ] || [ -n "$(find pom.xml gateway tenant-config -newer gateway/target/otp-gateway.jar \
      -type f \( -name '*.java' -o -name '*.xml' -o -name '*.yml' -o -name '*.sql' \) -not -path '*/target/*' -print -quit)" ]; then
  ./mvnw -q -B -DskipTests package
fi
export OTP_TENANTS_DIR=${OTP_TENANTS_DIR:-tenant-config/tenants}
# The key-encryption key in an HSM, as in production (docs/custody.md): a SoftHSM2 token made on
# first run in deploy/.run/softhsm (deploy/softhsm.sh; Debian's softhsm2 and opensc are installed
# when missing, as root). OTP_DEV_FILE_KEK=1, or a machine where that cannot be done, runs with the
# development keyset file as the KEK instead. OTP_CRYPTO_PKCS11_* set by the caller are kept.
if [ -z "${OTP_CRYPTO_PKCS11_LIBRARY:-}" ] && [ -z "${OTP_DEV_FILE_KEK:-}" ]; then
  if hsm=$(deploy/softhsm.sh); then
    while IFS='=' read -r name value; do export "$name=$value"; done <<<"$hsm"
  else
    echo "[run] no SoftHSM2 token: the development keyset file is the KEK (docs/custody.md)" >&2
  fi
fi
# Development only: a keyset generated on first run, kept out of git (deploy/.run/): the KEK without
# an HSM, and with one the keyset that opens seeds sealed before data keys per tenant.
if [ -z "${OTP_CRYPTO_SEED_KEYSET_FILE:-}" ]; then
  export OTP_CRYPTO_SEED_KEYSET_FILE=deploy/.run/dev-seed-keyset.json
  export OTP_CRYPTO_GENERATE_DEVELOPMENT_KEYSET=true
fi
# Run a copy: a build while the gateway runs (deploy/test.sh packages the jar again) must not
# replace the jar under the running process.
mkdir -p deploy/.run
cp gateway/target/otp-gateway.jar deploy/.run/otp-gateway.jar
exec java ${JAVA_OPTS:-} -jar deploy/.run/otp-gateway.jar "$@"
