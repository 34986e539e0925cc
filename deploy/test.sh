#!/usr/bin/env bash
# Runs every test of the project: unit tests, and the integration tests against a real Redis and a
# real PostgreSQL that checks passwords (scram-sha-256 over TCP, as in production): the suite's own
# cluster from deploy/test-postgres.sh; the seeds' key-encryption key in a SoftHSM2 token
# (deploy/softhsm.sh). Both are installed (Debian packages, needs root) and started
# when missing. Extra arguments go to Maven, e.g. deploy/test.sh -Dit.test=UsersIT.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/local-services.sh --redis-only
deploy/test-postgres.sh
# The tests' own Redis database (spring.data.redis.database in application-test.yml) starts empty
# too, like otp_test: guard state an earlier run left for a fixed serial (the PSKC fixtures) must not
# meet this run's tests. The machine's other Redis databases are left alone.
redis-cli -h "${SPRING_DATA_REDIS_HOST:-localhost}" -p "${SPRING_DATA_REDIS_PORT:-6379}" -n 11 flushdb >/dev/null
# The key-encryption key in an HSM, as in production: a SoftHSM2 token made anew with the database
# (the data keys the last run wrapped went with it). application-test.yml names the token's key.
export OTP_SOFTHSM_DIR="${OTP_TEST_SOFTHSM_DIR:-$PWD/gateway/target/test-softhsm}" OTP_SOFTHSM_TOKEN=otp-test \
  OTP_SOFTHSM_PIN=otp-test-pin OTP_SOFTHSM_KEY=otp-test-kek
while IFS='=' read -r name value; do export "$name=$value"; done < <(deploy/softhsm.sh --fresh)
export OTP_CRYPTO_PKCS11_PIN=$OTP_SOFTHSM_PIN
# The branch console's browser tests (ConsoleBrowserIT) drive headless Chromium through Debian's
# chromium-driver. Installed where missing and possible (root or sudo, apt); where not, those tests
# are skipped with a message naming the packages, and every other test runs.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  ( SERVICES_TAG=test; . deploy/services-lib.sh; apt_install chromium chromium-driver fonts-ipafont-gothic ) \
    || echo "[test] chromium and chromium-driver could not be installed: the console's browser tests will be skipped" >&2
fi
export SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:${OTP_TEST_PG_PORT:-55432}/otp_test"
export SPRING_R2DBC_USERNAME=otp
export SPRING_R2DBC_PASSWORD="${OTP_TEST_PG_PASSWORD:-otp-test-password}"
exec ./mvnw -B verify "$@"
