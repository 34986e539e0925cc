#!/usr/bin/env bash
# The guard against Redis high availability, on this machine (docs/architecture.md, "Redis high
# availability"): starts a local Sentinel set-up, then a local three-master Redis Cluster
# (deploy/redis-ha.sh, Debian's redis packages), and runs against each the lock, replay and
# Redis-loss tests and RedisFailoverIT, which kills the guard's master under load. Not part of
# deploy/test.sh (it needs its own Redis processes); about 2 minutes.
#
#   deploy/test-redis-ha.sh [sentinel] [cluster]      (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(sentinel cluster)
tests='RedisLossIT,ConcurrencyIT,GuardTableIT,VerificationIT,RedisFailoverIT'
for mode in "${modes[@]}"; do
  deploy/redis-ha.sh "$mode" start
  echo "== $mode: $tests"
  (
    export OTP_REDIS_HA=$mode
    while IFS='=' read -r name value; do export "$name=$value"; done < <(deploy/redis-ha.sh "$mode" env)
    deploy/test.sh -pl tenant-config,gateway -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$tests" \
      > "gateway/target/redis-ha-$mode.log" 2>&1
  ) || { grep -E "Tests run:|FAIL" "gateway/target/redis-ha-$mode.log" | tail -20; deploy/redis-ha.sh "$mode" stop; exit 1; }
  grep -E "Tests run: [0-9]+, F.*$|RedisFailoverIT\(" "gateway/target/redis-ha-$mode.log" | grep -v " -- in " || true
  deploy/redis-ha.sh "$mode" stop
done
