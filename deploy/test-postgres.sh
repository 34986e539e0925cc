#!/usr/bin/env bash
# The test suite's own PostgreSQL cluster, which checks passwords as a bank's does: scram-sha-256 on
# TCP, TLS offered (a self-signed certificate), autovacuum off (tables without statistics, as right
# after a bulk load). It leaves the machine's own clusters alone.
#
#   directory  OTP_TEST_PG_DIR      (default /tmp/otp-gateway-test-pg)
#   port       OTP_TEST_PG_PORT     (default 55432), listening on 127.0.0.1 only
#   role       otp, password OTP_TEST_PG_PASSWORD (default otp-test-password), owner of database otp_test
#   database   otp_test, made anew on every run (the suite starts from an empty schema, so what an
#              earlier run left — audit seals made with another clone's key, closed billing months —
#              never meets this run's tests); OTP_TEST_PG_KEEP_DATA=1 keeps it
#   role       otp_login_probe (password probe-initial), member of otp: PostgresLoginIT changes its
#              password to play a failed and a recovered database login
#
# Creates the cluster when missing (installing Debian's postgresql package first when no server is
# installed: that needs root), starts it when stopped, and does nothing when it already runs.
# The server runs as the postgres OS user when started by root, else as the caller. Never prompts.
set -euo pipefail
SERVICES_TAG=test-postgres
# shellcheck source=services-lib.sh
. "$(dirname "$0")/services-lib.sh"

DIR=${OTP_TEST_PG_DIR:-/tmp/otp-gateway-test-pg}
PORT=${OTP_TEST_PG_PORT:-55432}
PASSWORD=${OTP_TEST_PG_PASSWORD:-otp-test-password}
DATA=$DIR/data

ensure_postgres_binaries
BIN=$(pg_bindir)
MAJOR=$(basename "$(dirname "$BIN")")
OWNER=$(id -un)
if is_root; then OWNER=postgres; fi

run() { as_user "$OWNER" "$@"; }
sql() { run "$BIN/psql" -w -X -q -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -U postgres -d postgres -tAc "$1" </dev/null; }

if [ -f "$DATA/PG_VERSION" ] && [ "$(cat "$DATA/PG_VERSION")" != "$MAJOR" ]; then
  say "removing the test cluster of PostgreSQL $(cat "$DATA/PG_VERSION") in $DIR (server now $MAJOR)"
  run "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  say "creating a password-checking PostgreSQL $MAJOR cluster in $DIR (port $PORT, scram-sha-256, TLS)"
  mkdir -p "$DIR"
  if is_root; then chown "$OWNER" "$DIR"; fi
  chmod 700 "$DIR"
  # The superuser is reached only through the socket inside the data directory (mode 700, so only
  # the cluster's owner); every TCP login, the gateway's included, must give a SCRAM password.
  run "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  run openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -keyout "$DATA/server.key" -out "$DATA/server.crt" >/dev/null 2>&1
  run chmod 600 "$DATA/server.key"
  cat >>"$DATA/postgresql.conf" <<CONF
# otp-gateway test cluster (deploy/test-postgres.sh)
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
password_encryption = scram-sha-256
ssl = on
autovacuum = off
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi

if ! run "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if port_open 127.0.0.1 "$PORT"; then
    say "port $PORT is taken by another server: set OTP_TEST_PG_PORT"; exit 1
  fi
  say "starting the test cluster on 127.0.0.1:$PORT"
  run "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >/dev/null
fi

if [ "$(sql "select 1 from pg_roles where rolname = 'otp'")" != 1 ]; then
  sql "create role otp login" >/dev/null
fi
# Set on every run, so that a changed OTP_TEST_PG_PASSWORD takes effect. The value never reaches a log.
sql "alter role otp password '$PASSWORD'" >/dev/null
if [ "${OTP_TEST_PG_KEEP_DATA:-0}" != 1 ] && [ "$(sql "select 1 from pg_database where datname = 'otp_test'")" = 1 ]; then
  say "dropping the test database otp_test of an earlier run (OTP_TEST_PG_KEEP_DATA=1 keeps it)"
  sql "drop database otp_test with (force)" >/dev/null
fi
if [ "$(sql "select 1 from pg_database where datname = 'otp_test'")" != 1 ]; then
  sql "create database otp_test owner otp" >/dev/null
fi
if [ "$(sql "select 1 from pg_roles where rolname = 'otp_login_probe'")" != 1 ]; then
  sql "create role otp_login_probe login in role otp" >/dev/null
fi
sql "alter role otp_login_probe password 'probe-initial'" >/dev/null
say "ready: r2dbc:postgresql://127.0.0.1:$PORT/otp_test as otp (scram-sha-256)"
