# Shell functions shared by local-services.sh and test-postgres.sh (sourced, not run).
# Nothing here ever prompts: every PostgreSQL probe runs with -w (no password prompt) and standard
# input closed, so the scripts behave the same with and without a terminal.

say() { printf '[%s] %s\n' "${SERVICES_TAG:-services}" "$*" >&2; }

is_root() { [ "$(id -u)" = 0 ]; }

as_root() {
  if is_root; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"; else
    say "needs root (or password-less sudo) to run: $*"; say "run this script as root, or install and start the service yourself"
    return 1; fi
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

is_local() { case "$1" in localhost|127.0.0.1|::1) return 0;; *) return 1;; esac; }

apt_updated=
apt_install() {
  say "installing Debian packages: $* (apt-get, as root)"
  [ -n "$apt_updated" ] || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}

wait_for() { # host port name
  for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done
  say "$3 did not come up on $1:$2"; return 1
}

# The newest installed PostgreSQL server's bin directory (Debian: /usr/lib/postgresql/<major>/bin).
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ensure_postgres_binaries() {
  if [ -z "$(pg_bindir)" ] || ! command -v psql >/dev/null; then
    apt_install postgresql
  fi
}

ensure_redis() { # host port
  local host=$1 port=$2
  if port_open "$host" "$port"; then say "Redis answers on $host:$port"; return 0; fi
  if ! is_local "$host"; then say "Redis at $host:$port does not answer"; return 1; fi
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis on 127.0.0.1:$port (no persistence, logs in /tmp/otp-gateway-redis)"
  local dir=/tmp/otp-gateway-redis; mkdir -p "$dir"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log" </dev/null >/dev/null
  wait_for "$host" "$port" Redis
}

# Runs a command as the given OS user from a directory every user can enter (never prompts).
as_user() { # user command...
  local user=$1; shift
  if [ "$(id -un)" = "$user" ]; then (cd / && "$@"); else (cd / && as_root runuser -u "$user" -- "$@"); fi
}
