#!/usr/bin/env bash
# Verification against its ceilings with wrk (Debian's package), which needs far less CPU than
# Gatling: on two shared cores Gatling's own load hides how fast a light endpoint is (issue #16).
# Each round waits for a new 60-second step, writes each target's requests (distinct tokens of
# lt-001, the codes of that step: load-tests/…/WrkRequests) and runs wrk on bare, redis, durable and
# verify in turn, all within the codes' window; then the medians and verify's ratios.
# Needs the gateway with OTP_BENCHMARK_BARE_ENDPOINT=true, lt-001 seeded with TOKENS users (SeedSimulation
# -Dtenants=1 -DtokensPerTenant=500000) and given large limits (STORM_RPS=20000 load-tests/tenants.sh 2),
# and the load tests compiled (any gatling:test run).
#   load-tests/wrk.sh     (ROUNDS=2 DURATION=15 CONNECTIONS=64 PER_TARGET=80000 TOKENS=500000 BASE_URL=…)
set -euo pipefail
cd "$(dirname "$0")"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
rounds=${ROUNDS:-2}; duration=${DURATION:-15}; connections=${CONNECTIONS:-64}; per=${PER_TARGET:-80000}
tokens=${TOKENS:-500000}; base=${BASE_URL:-http://localhost:8080}
out=target/wrk; mkdir -p "$out"; : > "$out/values.txt"
[ $(( rounds * 3 * per )) -le "$tokens" ] || { echo "ROUNDS × 3 × PER_TARGET exceeds TOKENS" >&2; exit 1; }
for r in $(seq 1 "$rounds"); do
  sleep $(( 61 - $(date +%s) % 60 ))
  step=$(( $(date +%s) / 60 ))
  k=0
  for target in redis durable verify; do
    java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 $(( ((r - 1) * 3 + k) * per )) "$per" "$step" \
      "$out/$target.txt"
    k=$((k + 1))
  done
  cp "$out/verify.txt" "$out/bare.txt"
  for target in bare redis durable verify; do
    log="$out/$target-$r.log"
    TARGET=$target THREADS=2 REQUESTS="$out/$target.txt" wrk -t2 -c"$connections" -d"${duration}s" --latency \
      -s wrk/verify.lua "$base" > "$log"
    rps=$(awk '/Requests\/sec/ {print $2}' "$log")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}' "$log")
    bad=$(awk '/refused or failed/ {print $4}' "$log")
    printf '%-8s round %d: %9s req/s  p99 %7s ms  refused or failed %s\n' "$target" "$r" "$rps" "$p99" "$bad"
    echo "$target $rps $p99" >> "$out/values.txt"
  done
done
python3 - "$out/values.txt" "$connections" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = lambda t, c: statistics.median(float(r[c]) for r in rows if r[0] == t)
print(f"medians at {sys.argv[2]} connections (wrk): " + "; ".join(
    f"{t} {med(t, 1):.0f} req/s p99 {med(t, 2):.1f} ms" for t in ("bare", "redis", "durable", "verify")))
print(f"verify/bare {med('verify', 1) / med('bare', 1):.2f}; verify/redis {med('verify', 1) / med('redis', 1):.2f} "
      f"(goal >= 0.35), p99 {med('verify', 2) / med('redis', 2):.2f} (goal <= 2); "
      f"verify/durable {med('verify', 1) / med('durable', 1):.2f} (goal >= 0.80)")
PY
