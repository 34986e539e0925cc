#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer for a local run or the test suite, on a Debian machine.
#
#   - If they already answer (on SPRING_R2DBC_URL's host/port, SPRING_DATA_REDIS_HOST/PORT, default
#     localhost:5432 and localhost:6379), nothing is started.
#   - Otherwise the Debian packages are installed if missing (needs root or sudo) and the servers
#     are started: PostgreSQL's cluster with pg_ctlcluster, Redis without persistence.
#   - The role otp/otp and the databases given as arguments (default: otp) are created if missing.
#
# Usage: deploy/local-services.sh [database...]
set -euo pipefail

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

say() { printf '[local-services] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root (or sudo) to run: $*"; return 1; fi
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

is_local() { case "$1" in localhost|127.0.0.1|::1) return 0;; *) return 1;; esac; }

apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # host port name
  for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done
  say "$3 did not come up on $1:$2"; return 1
}

ensure_postgres() {
  if port_open "$PG_HOST" "$PG_PORT"; then return 0; fi
  if ! is_local "$PG_HOST"; then say "PostgreSQL at $PG_HOST:$PG_PORT does not answer"; return 1; fi
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    say "installing PostgreSQL (Debian package)"
    apt_install postgresql
  fi
  local version; version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for "$PG_HOST" "$PG_PORT" PostgreSQL
}

ensure_redis() {
  if port_open "$REDIS_HOST" "$REDIS_PORT"; then return 0; fi
  if ! is_local "$REDIS_HOST"; then say "Redis at $REDIS_HOST:$REDIS_PORT does not answer"; return 1; fi
  if ! command -v redis-server >/dev/null; then
    say "installing Redis (Debian package)"
    apt_install redis-server
  fi
  say "starting Redis on port $REDIS_PORT (no persistence)"
  local dir=/tmp/otp-gateway-redis; mkdir -p "$dir"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log"
  wait_for "$REDIS_HOST" "$REDIS_PORT" Redis
}

# Runs SQL (read from stdin, so no shell quoting) as a superuser: over TCP where trust auth allows
# it (as on developer machines), else as the postgres OS user over the local socket (fresh Debian).
psql_admin() {
  if PGCONNECT_TIMEOUT=3 psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1 </dev/null; then
    printf '%s\n' "$1" | psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tA
  elif is_local "$PG_HOST" && id postgres >/dev/null 2>&1; then
    printf '%s\n' "$1" | as_root su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres -tA"
  else
    return 1
  fi
}

ensure_databases() {
  if ! command -v psql >/dev/null; then
    say "psql not found; assuming role $DB_USER and databases ${DATABASES[*]} exist"; return 0
  fi
  if ! psql_admin "select 1" >/dev/null 2>&1; then
    say "no superuser access to $PG_HOST:$PG_PORT; assuming role $DB_USER and databases ${DATABASES[*]} exist"
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

ensure_postgres
ensure_redis
ensure_databases
say "PostgreSQL $PG_HOST:$PG_PORT and Redis $REDIS_HOST:$REDIS_PORT are ready"
