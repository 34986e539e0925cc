#!/usr/bin/env bash
# Successful verification against its ceilings, on one machine, with one load tool (Gatling,
# CompareSimulation): interleaved rounds of each target, then the medians and the ratios.
# Targets (TARGETS, default all four): bare (parsing only), redis (secret, TOTP, one EVALSHA),
# durable (that and one group-committed PostgreSQL write), verify (the gateway); the ceilings are
# the gateway's benchmark endpoints (verification/adapter/web/BenchmarkCeilings).
#
# Needs a gateway started with the benchmark endpoint and seeded tokens, e.g.
#   load-tests/tenants.sh 50 && OTP_TENANTS_DIR=load-tests/target/tenants OTP_BENCHMARK_BARE_ENDPOINT=true deploy/run.sh
#   (cd load-tests && ../mvnw gatling:test -Dgatling.simulationClass=jp.otpgateway.load.SeedSimulation -Dtenants=50 -DtokensPerTenant=6000)
# Usage: load-tests/compare.sh   (ROUNDS=3 USERS=64 DURATION=30 WARMUP=15 TENANTS=50 TOKENS_PER_TENANT=6000 BASE_URL=…)
# WARMUP: seconds of each warm-up run; a fresh gateway's active-token cache needs about 100 s of
# verifications to hold 300,000 users.
# A verify round waits for the next minute so that no code of an earlier round is used again.
# COLD=1 (with TENANTS=1) adds per round the cold targets redis-cold, durable-cold and verify-cold:
# the same requests to users of lt-001 never touched since the gateway started (each a cache miss, a
# first read of the ceilings' secret map), a fresh range from COLD_FROM (200,000) per run; then the
# ratios cold against cold, and verify-cold ÷ verify (goal ≥ 0.70). Start the gateway anew first.
set -euo pipefail
cd "$(dirname "$0")"
rounds=${ROUNDS:-3}; users=${USERS:-64}; duration=${DURATION:-30}; warmup=${WARMUP:-15}
tenants=${TENANTS:-50}; per_tenant=${TOKENS_PER_TENANT:-6000}; base_url=${BASE_URL:-http://localhost:8080}
mkdir -p target/compare

cold=${COLD:-0}; cold_from=${COLD_FROM:-200000}
run() { # target round duration [from] -> "rps p99"; targets: bare, redis, durable (BenchmarkCeilings), verify
  local log="target/compare/$1-$2.log" name=${1%-cold} from=${4:--1}
  ../mvnw -q -B gatling:test -Dgatling.simulationClass=jp.otpgateway.load.CompareSimulation \
    -Dtarget="$name" -Dfrom="$from" -Dusers="$users" -Dduration="$3" -Dtenants="$tenants" -DtokensPerTenant="$per_tenant" \
    -DbaseUrl="$base_url" > "$log" 2>&1 || { echo "round $2 of $1 failed, see $log" >&2; tail -30 "$log" >&2; exit 1; }
  local rps p99
  rps=$(grep 'mean throughput (rps)' "$log" | tail -1 | awk -F'|' '{gsub(/[ ,]/, "", $2); print $2}')
  p99=$(grep 'response time 99th percentile (ms)' "$log" | tail -1 | awk -F'|' '{gsub(/[ ,]/, "", $2); print $2}')
  echo "$rps $p99"
}

echo "warm-up (not counted)"
targets=${TARGETS:-bare redis durable verify}
for target in $targets; do run "$target" 0 "$warmup" > /dev/null; done

: > target/compare/results.txt
if [ "$cold" = 1 ]; then
  [ "$tenants" = 1 ] || { echo "COLD=1 needs TENANTS=1 (the never-verified users of lt-001)" >&2; exit 1; }
  for target in redis durable verify; do targets="$targets $target-cold"; done
fi
for r in $(seq 1 "$rounds"); do
  for target in $targets; do
    if [[ $target == *-cold ]]; then
      read -r rps p99 < <(run "$target" "$r" "$duration" "$cold_from")
      cold_from=$(( cold_from + $(grep 'request count' "target/compare/$target-$r.log" | tail -1 \
        | awk -F'|' '{gsub(/[ ,]/, "", $2); print $2}') + 1000 ))
      [ "$cold_from" -lt "$per_tenant" ] || { echo "out of never-verified users of lt-001" >&2; exit 1; }
    else
      read -r rps p99 < <(run "$target" "$r" "$duration")
    fi
    printf '%-6s round %d: %8s req/s  p99 %5s ms\n' "$target" "$r" "$rps" "$p99" | tee -a target/compare/results.txt
    echo "$target $rps $p99" >> target/compare/values.txt.$$
  done
done

python3 - "target/compare/values.txt.$$" "$users" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def median(target, column):
    values = [float(r[column]) for r in rows if r[0] == target]
    return statistics.median(values) if values else None
seen = [t for t in ("bare", "redis", "durable", "verify", "redis-cold", "durable-cold", "verify-cold")
        if median(t, 1) is not None]
print(f"medians at {sys.argv[2]} connections: " + "; ".join(
    f"{t} {median(t, 1):.0f} req/s p99 {median(t, 2):.0f} ms" for t in seen))
goals = {"bare": None, "redis": 0.35, "durable": 0.80}
for suffix in ("", "-cold"):  # warm against warm, cold against cold (bare has no cache to miss)
    verify = "verify" + suffix
    if median(verify, 1) is None:
        continue
    for base in ("bare", "redis", "durable"):
        t = base if base == "bare" else base + suffix
        if median(t, 1) is None:
            continue
        goal = f" (goal >= {goals[base]:.2f})" if goals[base] else ""
        line = f"{verify}/{t}: throughput {median(verify, 1) / median(t, 1):.2f}{goal}"
        if base == "redis":
            line += f", p99 {median(verify, 2) / max(median(t, 2), 1):.2f} (goal <= 2.00)"
        print(line)
if median("verify", 1) is not None and median("verify-cold", 1) is not None:
    print(f"verify-cold/verify: throughput {median('verify-cold', 1) / median('verify', 1):.2f} (goal >= 0.70)")
PY
rm -f target/compare/values.txt.$$
