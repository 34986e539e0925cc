#!/usr/bin/env bash
# Verification against its ceilings with wrk (Debian's package), which needs far less CPU than
# Gatling: on two shared cores Gatling's own load hides how fast a light endpoint is (issue #16).
# Warm and cold from one interleaved run. Each target (redis, durable, verify) has a warm range of
# PER_TARGET users of lt-001, touched once first (round 0, a new step per target, also the JIT's
# warm-up; not counted), and takes a fresh range per round for its cold run (every request a user's
# first since the start: a cache miss in the gateway, a first read of the ceilings' secret map).
# Each round waits for a new 60-second step, writes the requests (the codes of that step:
# load-tests/…/WrkRequests) and runs bare, redis, durable, verify, then redis-cold, durable-cold,
# verify-cold, DURATION seconds each, all within the codes' window; then the medians and the ratios
# (warm against warm, cold against cold, cold against warm).
# Needs the gateway started anew with OTP_BENCHMARK_BARE_ENDPOINT=true, lt-001 seeded with TOKENS
# users (SeedSimulation -Dtenants=1 -DtokensPerTenant=500000) and given large limits
# (STORM_RPS=20000 load-tests/tenants.sh 2), and the load tests compiled (any gatling:test run).
# A run that sends more than PER_TARGET requests reuses its last one, and the replays show as refused.
# A warm ceiling answers 10,000/s and more here: PER_TARGET must exceed that × DURATION.
#   load-tests/wrk.sh     (ROUNDS=2 DURATION=5 CONNECTIONS=64 PER_TARGET=55000 TOKENS=500000 BASE_URL=…)
set -euo pipefail
cd "$(dirname "$0")"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
rounds=${ROUNDS:-2}; duration=${DURATION:-5}; connections=${CONNECTIONS:-64}; per=${PER_TARGET:-55000}
tokens=${TOKENS:-500000}; base=${BASE_URL:-http://localhost:8080}
out=target/wrk; mkdir -p "$out"; : > "$out/values.txt"
[ $(( (rounds + 1) * 3 * per )) -le "$tokens" ] || { echo "(ROUNDS + 1) × 3 × PER_TARGET exceeds TOKENS" >&2; exit 1; }
targets="redis durable verify"
step_now() { sleep $(( 61 - $(date +%s) % 60 )); echo $(( $(date +%s) / 60 )); }
run() { # target requests log seconds -> "rps p99 refused"
  TARGET=${1%-cold} THREADS=2 REQUESTS="$2" wrk -t2 -c"$connections" -d"${4}s" --latency -s wrk/verify.lua "$base" > "$3"
  local rps p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' "$3")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}' "$3")
  bad=$(awk '/refused or failed/ {print $4}' "$3")
  echo "$rps $p99 $bad"
}
# Round 0: each target's warm range touched (runs until its requests run out; the rest are replays).
k=0
for target in $targets; do
  step=$(step_now)
  java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 $(( k * per )) "$per" "$step" "$out/$target.txt"
  read -r rps p99 bad < <(run "$target" "$out/$target.txt" "$out/$target-0.log" 40)
  echo "$target: warm range touched at $rps req/s (not counted)"
  k=$((k + 1))
done
for r in $(seq 1 "$rounds"); do
  step=$(step_now)
  k=0
  for target in $targets; do
    java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 $(( k * per )) "$per" "$step" "$out/$target.txt"
    java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 $(( (3 + (r - 1) * 3 + k) * per )) "$per" "$step" \
      "$out/$target-cold.txt"
    k=$((k + 1))
  done
  cp "$out/verify.txt" "$out/bare.txt"
  for target in bare redis durable verify redis-cold durable-cold verify-cold; do
    read -r rps p99 bad < <(run "$target" "$out/$target.txt" "$out/$target-$r.log" "$duration")
    printf '%-12s round %d: %9s req/s  p99 %7s ms  refused or failed %s\n' "$target" "$r" "$rps" "$p99" "$bad"
    echo "$target $rps $p99" >> "$out/values.txt"
  done
done
python3 - "$out/values.txt" "$connections" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = lambda t, c: statistics.median(float(r[c]) for r in rows if r[0] == t)
names = ("bare", "redis", "durable", "verify", "redis-cold", "durable-cold", "verify-cold")
print(f"medians at {sys.argv[2]} connections (wrk): " + "; ".join(
    f"{t} {med(t, 1):.0f} req/s p99 {med(t, 2):.1f} ms" for t in names))
for s in ("", "-cold"):
    v = "verify" + s
    print(f"{v}/bare {med(v, 1) / med('bare', 1):.2f}; {v}/redis{s} {med(v, 1) / med('redis' + s, 1):.2f} (goal >= 0.35), "
          f"p99 {med(v, 2) / med('redis' + s, 2):.2f} (goal <= 2); {v}/durable{s} {med(v, 1) / med('durable' + s, 1):.2f} (goal >= 0.80)")
print(f"verify-cold/verify {med('verify-cold', 1) / med('verify', 1):.2f} (goal >= 0.70)")
PY
