#!/usr/bin/env bash
# Successful verification against the bare endpoint, on one machine, with one load tool (Gatling,
# CompareSimulation): interleaved rounds of each, then the medians and their ratio.
#
# Needs a gateway started with the benchmark endpoint and seeded tokens, e.g.
#   load-tests/tenants.sh 50 && OTP_TENANTS_DIR=load-tests/target/tenants OTP_BENCHMARK_BARE_ENDPOINT=true deploy/run.sh
#   (cd load-tests && ../mvnw gatling:test -Dgatling.simulationClass=jp.otpgateway.load.SeedSimulation -Dtenants=50 -DtokensPerTenant=6000)
# Usage: load-tests/compare.sh   (ROUNDS=3 USERS=64 DURATION=30 WARMUP=15 TENANTS=50 TOKENS_PER_TENANT=6000 BASE_URL=…)
# WARMUP: seconds of each warm-up run; a fresh gateway's active-token cache needs about 100 s of
# verifications to hold 300,000 users.
# A verify round waits for the next minute so that no code of an earlier round is used again.
set -euo pipefail
cd "$(dirname "$0")"
rounds=${ROUNDS:-3}; users=${USERS:-64}; duration=${DURATION:-30}; warmup=${WARMUP:-15}
tenants=${TENANTS:-50}; per_tenant=${TOKENS_PER_TENANT:-6000}; base_url=${BASE_URL:-http://localhost:8080}
mkdir -p target/compare

run() { # target round -> "rps p99"
  local log="target/compare/$1-$2.log"
  ../mvnw -q -B gatling:test -Dgatling.simulationClass=jp.otpgateway.load.CompareSimulation \
    -Dtarget="$1" -Dusers="$users" -Dduration="$3" -Dtenants="$tenants" -DtokensPerTenant="$per_tenant" \
    -DbaseUrl="$base_url" > "$log" 2>&1 || { echo "round $2 of $1 failed, see $log" >&2; tail -30 "$log" >&2; exit 1; }
  local rps p99
  rps=$(grep 'mean throughput (rps)' "$log" | tail -1 | awk -F'|' '{gsub(/[ ,]/, "", $2); print $2}')
  p99=$(grep 'response time 99th percentile (ms)' "$log" | tail -1 | awk -F'|' '{gsub(/[ ,]/, "", $2); print $2}')
  echo "$rps $p99"
}

echo "warm-up (not counted)"
run bare 0 "$warmup" > /dev/null
run verify 0 "$warmup" > /dev/null

: > target/compare/results.txt
for r in $(seq 1 "$rounds"); do
  for target in bare verify; do
    read -r rps p99 < <(run "$target" "$r" "$duration")
    printf '%-6s round %d: %8s req/s  p99 %5s ms\n' "$target" "$r" "$rps" "$p99" | tee -a target/compare/results.txt
    echo "$target $rps $p99" >> target/compare/values.txt.$$
  done
done

python3 - "target/compare/values.txt.$$" "$users" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def median(target, column):
    return statistics.median(float(r[column]) for r in rows if r[0] == target)
bare_rps, verify_rps = median("bare", 1), median("verify", 1)
bare_p99, verify_p99 = median("bare", 2), median("verify", 2)
print(f"medians at {sys.argv[2]} connections: bare {bare_rps:.0f} req/s p99 {bare_p99:.0f} ms; "
      f"verify {verify_rps:.0f} req/s p99 {verify_p99:.0f} ms")
print(f"throughput ratio verify/bare = {verify_rps / bare_rps:.2f} (goal >= 0.50); "
      f"p99 ratio verify/bare = {verify_p99 / max(bare_p99, 1):.2f} (goal <= 2.00)")
PY
rm -f target/compare/values.txt.$$
