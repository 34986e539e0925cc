#!/usr/bin/env bash
# Runs every test of the project: unit tests, and the integration tests against a real PostgreSQL
# (database otp_test) and Redis, which are started (on a bare Debian machine installed) if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/local-services.sh otp_test
exec ./mvnw -B verify "$@"
