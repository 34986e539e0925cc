#!/usr/bin/env bash
# The gateway behind PgBouncer in transaction mode (docs/architecture.md, "PostgreSQL behind a
# pooler"): the suite's PostgreSQL (deploy/test-postgres.sh) behind a PgBouncer on 127.0.0.1:56432
# (Debian's pgbouncer, scram-sha-256), and the integration tests that exercise the pool, the cache
# announcements and the scheduled jobs' leases run with
#   SPRING_R2DBC_URL             → PgBouncer, preparedStatementCacheQueries=0 (no named statements:
#                                  a transaction may run on another server connection)
#   OTP_HOT_PATH_ANNOUNCEMENTS_URL → PostgreSQL itself (LISTEN needs a connection of its own)
#   SPRING_FLYWAY_URL            → PostgreSQL itself (migrations take a session lock)
# Not part of deploy/test.sh; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES_TAG=test-pgbouncer
# shellcheck source=services-lib.sh
. deploy/services-lib.sh
command -v pgbouncer >/dev/null || apt_install pgbouncer
PG_PORT=${OTP_TEST_PG_PORT:-55432}; BOUNCER_PORT=${OTP_TEST_PGBOUNCER_PORT:-56432}
PASSWORD=${OTP_TEST_PG_PASSWORD:-otp-test-password}
dir=gateway/target/pgbouncer; mkdir -p "$dir"
deploy/test-postgres.sh
cat >"$dir/pgbouncer.ini" <<INI
[databases]
otp_test = host=127.0.0.1 port=$PG_PORT dbname=otp_test
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $PWD/$dir/userlist.txt
pool_mode = transaction
# r2dbc-postgresql sends it at start; the server's default serves.
ignore_startup_parameters = extra_float_digits
default_pool_size = 10
max_client_conn = 400
logfile = $PWD/$dir/pgbouncer.log
pidfile = $PWD/$dir/pgbouncer.pid
INI
printf '"otp" "%s"\n' "$PASSWORD" > "$dir/userlist.txt"
chmod 600 "$dir/userlist.txt"
[ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null && sleep 1 || true
if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; bouncer_run() { runuser -u postgres -- "$@"; }; else bouncer_run() { "$@"; }; fi
bouncer_run pgbouncer -d "$PWD/$dir/pgbouncer.ini"
wait_for 127.0.0.1 "$BOUNCER_PORT" PgBouncer
trap '[ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true' EXIT
export SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:$BOUNCER_PORT/otp_test?preparedStatementCacheQueries=0"
export OTP_HOT_PATH_ANNOUNCEMENTS_URL="r2dbc:postgresql://127.0.0.1:$PG_PORT/otp_test"
export SPRING_FLYWAY_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/otp_test"
# AnnouncementHeartbeatIT also LISTENs through PgBouncer itself, to show that it is caught
export OTP_TEST_PGBOUNCER_URL="$SPRING_R2DBC_URL"
# deploy/test.sh would point SPRING_R2DBC_URL at PostgreSQL again: call Maven the way it does.
redis-cli -n 11 flushdb >/dev/null
export SPRING_R2DBC_USERNAME=otp SPRING_R2DBC_PASSWORD="$PASSWORD"
while IFS='=' read -r name value; do export "$name=$value"; done < <(OTP_SOFTHSM_DIR="$PWD/gateway/target/test-softhsm" \
  OTP_SOFTHSM_TOKEN=otp-test OTP_SOFTHSM_PIN=otp-test-pin OTP_SOFTHSM_KEY=otp-test-kek deploy/softhsm.sh --fresh)
export OTP_CRYPTO_PKCS11_PIN=otp-test-pin
./mvnw -B verify -pl tenant-config,gateway -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="${OTP_PGBOUNCER_TESTS:-VerificationIT,ConcurrencyIT,TwoInstancesIT,ActiveTokenCacheIT,AnnouncementHeartbeatIT,GroupCommitIT,IdempotencyIT,BillingIT,DataKeyRotationIT,MailIT,TimePartitionsIT}" "$@"
