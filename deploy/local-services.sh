#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer for a local run (deploy/run.sh), on a Debian machine.
#
#   - If they already answer (on SPRING_R2DBC_URL's host/port, SPRING_DATA_REDIS_HOST/PORT, default
#     localhost:5432 and localhost:6379), nothing is started.
#   - Otherwise the Debian packages are installed if missing and the servers are started:
#     PostgreSQL's cluster with pg_ctlcluster, Redis without persistence. Installing and starting
#     need root (or password-less sudo); the script says so and stops when it has neither.
#   - The role SPRING_R2DBC_USERNAME (otp) with SPRING_R2DBC_PASSWORD (otp) and the databases given
#     as arguments (default: otp) are created if missing.
#   - It never prompts for a password, with or without a terminal.
#
# Usage: deploy/local-services.sh [--redis-only] [database...]
set -euo pipefail
SERVICES_TAG=local-services
# shellcheck source=services-lib.sh
. "$(dirname "$0")/services-lib.sh"

REDIS_ONLY=
if [ "${1:-}" = --redis-only ]; then REDIS_ONLY=1; shift; fi
DATABASES=("$@")
[ ${#DATABASES[@]} -gt 0 ] || DATABASES=(otp)

r2dbc_url=${SPRING_R2DBC_URL:-r2dbc:postgresql://localhost:5432/otp}
hostport=${r2dbc_url#*://}; hostport=${hostport%%/*}
PG_HOST=${hostport%%:*}; PG_PORT=5432
[ "$hostport" != "$PG_HOST" ] && PG_PORT=${hostport##*:}
REDIS_HOST=${SPRING_DATA_REDIS_HOST:-localhost}
REDIS_PORT=${SPRING_DATA_REDIS_PORT:-6379}
DB_USER=${SPRING_R2DBC_USERNAME:-otp}
DB_PASSWORD=${SPRING_R2DBC_PASSWORD:-otp}

ensure_postgres() {
  if port_open "$PG_HOST" "$PG_PORT"; then say "PostgreSQL answers on $PG_HOST:$PG_PORT"; return 0; fi
  if ! is_local "$PG_HOST"; then say "PostgreSQL at $PG_HOST:$PG_PORT does not answer"; return 1; fi
  if [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then apt_install postgresql; fi
  local version; version=$(ls /etc/postgresql | sort -V | tail -n 1)
  # On the port SPRING_R2DBC_URL names, for this start only (the cluster's own file is left alone).
  say "starting PostgreSQL $version (cluster main) on port $PG_PORT"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start -- -o "-p $PG_PORT" </dev/null || true
  wait_for "$PG_HOST" "$PG_PORT" PostgreSQL
}

# Runs SQL (an argument, so no shell quoting) as a superuser, without ever prompting: first over TCP
# as postgres where the server lets it in without a password (trust), else as the postgres OS user
# over the local socket (peer, as on a fresh Debian), which needs root.
admin_via=
psql_admin() {
  if [ -z "$admin_via" ]; then
    if PGCONNECT_TIMEOUT=3 psql -w -X -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc "select 1" </dev/null >/dev/null 2>&1; then
      admin_via=tcp
    elif is_local "$PG_HOST" && id postgres >/dev/null 2>&1 && { is_root || sudo -n true 2>/dev/null; } \
        && as_user postgres psql -w -X -p "$PG_PORT" -d postgres -tAc "select 1" </dev/null >/dev/null 2>&1; then
      admin_via=socket
    else
      admin_via=none
    fi
  fi
  case $admin_via in
    tcp) psql -w -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc "$1" </dev/null ;;
    socket) as_user postgres psql -w -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres -tAc "$1" </dev/null ;;
    *) return 1 ;;
  esac
}

ensure_databases() {
  if ! command -v psql >/dev/null || ! psql_admin "select 1" >/dev/null 2>&1; then
    say "no superuser access to $PG_HOST:$PG_PORT without a password; assuming role $DB_USER and database(s) ${DATABASES[*]} exist"
    return 0
  fi
  if [ "$(psql_admin "select 1 from pg_roles where rolname = '$DB_USER'")" != 1 ]; then
    say "creating role $DB_USER"
    psql_admin "create role \"$DB_USER\" login password '$DB_PASSWORD'" >/dev/null
  fi
  for db in "${DATABASES[@]}"; do
    if [ "$(psql_admin "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      say "creating database $db"
      psql_admin "create database \"$db\" owner \"$DB_USER\"" >/dev/null
    fi
  done
}

if [ -z "$REDIS_ONLY" ]; then
  ensure_postgres
  ensure_databases
fi
ensure_redis "$REDIS_HOST" "$REDIS_PORT"
if [ -z "$REDIS_ONLY" ]; then say "ready: PostgreSQL $PG_HOST:$PG_PORT, Redis $REDIS_HOST:$REDIS_PORT"; fi
