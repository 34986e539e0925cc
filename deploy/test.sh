#!/usr/bin/env bash
# Runs every test of the project: unit tests, and the integration tests against a real Redis and a
# real PostgreSQL that checks passwords (scram-sha-256 over TCP, as in production): the suite's own
# cluster from deploy/test-postgres.sh. Both are installed (Debian packages, needs root) and started
# when missing. Extra arguments go to Maven, e.g. deploy/test.sh -Dit.test=UsersIT.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/local-services.sh --redis-only
deploy/test-postgres.sh
# The tests' own Redis database (spring.data.redis.database in application-test.yml) starts empty
# too, like otp_test: guard state an earlier run left for a fixed serial (the PSKC fixtures) must not
# meet this run's tests. The machine's other Redis databases are left alone.
redis-cli -h "${SPRING_DATA_REDIS_HOST:-localhost}" -p "${SPRING_DATA_REDIS_PORT:-6379}" -n 11 flushdb >/dev/null
export SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:${OTP_TEST_PG_PORT:-55432}/otp_test"
export SPRING_R2DBC_USERNAME=otp
export SPRING_R2DBC_PASSWORD="${OTP_TEST_PG_PASSWORD:-otp-test-password}"
exec ./mvnw -B verify "$@"
