#!/usr/bin/env bash
# Local Redis high-availability set-ups for the guard, from Debian's redis packages, on localhost
# ports, with nothing kept on disk (like the machine's Redis). For the HA runs (deploy/test-redis-ha.sh)
# and for trying the gateway against them (docs/architecture.md, "Redis high availability").
#
#   deploy/redis-ha.sh cluster start   # 3 masters + 3 replicas on 127.0.0.1:7101-7106, slots assigned
#   deploy/redis-ha.sh sentinel start  # a master (7201), a replica (7202), 3 Sentinels (27201-27203), master name otp
#   deploy/redis-ha.sh cluster|sentinel stop
#   deploy/redis-ha.sh cluster|sentinel env   # the gateway's settings for it (SPRING_DATA_REDIS_…)
#   deploy/redis-ha.sh cluster|sentinel revive PORT   # starts a killed node again; it rejoins as a replica
#
# Directory: OTP_REDIS_HA_DIR (default /tmp/otp-redis-ha). Installs redis-server and redis-sentinel
# when missing (Debian packages, root).
set -euo pipefail
SERVICES_TAG=redis-ha
# shellcheck source=services-lib.sh
. "$(dirname "$0")/services-lib.sh"
DIR=${OTP_REDIS_HA_DIR:-/tmp/otp-redis-ha}
CLUSTER_PORTS=(7101 7102 7103 7104 7105 7106)
SENTINEL_DATA=(7201 7202)
SENTINELS=(27201 27202 27203)

need() {
  command -v redis-server >/dev/null || apt_install redis-server
  command -v redis-sentinel >/dev/null || apt_install redis-sentinel
}

server() { # port extra-args...
  local port=$1; shift
  mkdir -p "$DIR/$port"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$DIR/$port" --save '' --appendonly no \
    --logfile "$DIR/$port/redis.log" --pidfile "$DIR/$port/redis.pid" "$@"
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  say "redis on $port did not answer"; return 1
}

stop_ports() {
  for port in "$@"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
}

case "${1:-} ${2:-}" in
  "cluster revive")
    DIR=$DIR/cluster server "$3" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000
    ;;
  "sentinel revive")
    # Sentinel turns the old master into a replica of the new one once it answers again.
    DIR=$DIR/sentinel server "$3"
    ;;
  "cluster start")
    need
    stop_ports "${CLUSTER_PORTS[@]}"; rm -rf "$DIR/cluster"; mkdir -p "$DIR/cluster"
    for port in "${CLUSTER_PORTS[@]}"; do
      DIR=$DIR/cluster server "$port" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000
    done
    nodes=(); for port in "${CLUSTER_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
    until redis-cli -p 7101 cluster info | grep -q 'cluster_state:ok'; do sleep 0.2; done
    say "Redis Cluster up: 3 masters, 3 replicas on 127.0.0.1:7101-7106"
    ;;
  "cluster stop") stop_ports "${CLUSTER_PORTS[@]}" ;;
  "cluster env")
    echo "SPRING_DATA_REDIS_CLUSTER_NODES=127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103"
    echo "SPRING_DATA_REDIS_DATABASE=0"
    ;;
  "sentinel start")
    need
    stop_ports "${SENTINELS[@]}" "${SENTINEL_DATA[@]}"; rm -rf "$DIR/sentinel"; mkdir -p "$DIR/sentinel"
    DIR=$DIR/sentinel server 7201
    DIR=$DIR/sentinel server 7202 --replicaof 127.0.0.1 7201
    for port in "${SENTINELS[@]}"; do
      mkdir -p "$DIR/sentinel/$port"
      cat >"$DIR/sentinel/$port/sentinel.conf" <<CONF
port $port
bind 127.0.0.1
daemonize yes
dir $DIR/sentinel/$port
logfile $DIR/sentinel/$port/sentinel.log
pidfile $DIR/sentinel/$port/sentinel.pid
sentinel monitor otp 127.0.0.1 7201 2
sentinel down-after-milliseconds otp 2000
sentinel failover-timeout otp 10000
sentinel parallel-syncs otp 1
CONF
      redis-sentinel "$DIR/sentinel/$port/sentinel.conf"
    done
    until [ "$(redis-cli -p 27201 sentinel get-master-addr-by-name otp 2>/dev/null | head -1)" = 127.0.0.1 ]; do sleep 0.2; done
    say "Sentinel up: master otp at 127.0.0.1:7201, replica 7202, Sentinels 27201-27203"
    ;;
  "sentinel stop") stop_ports "${SENTINELS[@]}" "${SENTINEL_DATA[@]}" ;;
  "sentinel env")
    echo "SPRING_DATA_REDIS_SENTINEL_MASTER=otp"
    echo "SPRING_DATA_REDIS_SENTINEL_NODES=127.0.0.1:27201,127.0.0.1:27202,127.0.0.1:27203"
    echo "SPRING_DATA_REDIS_DATABASE=0"
    ;;
  *) echo "usage: $0 cluster|sentinel start|stop|env" >&2; exit 2 ;;
esac
