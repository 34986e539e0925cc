#!/usr/bin/env bash
# The first verification of the day against a warm one, with wrk (issue #16: a cache miss ≥ 0.7 ×
# a hit). Right after a gateway start: a warm-up pass over WARM users (their tokens then sit in the
# active-token cache, and the JIT is warm), then rounds of: COLD users never verified since the
# start (every request a cache miss: the token is read from PostgreSQL and its seed opened), and the
# WARM users again (every request a hit). Distinct tokens per round; the codes of the round's step.
# WARMUP_ROUNDS rounds of both first (not counted): right after a start the JIT has compiled neither
# path, and a pass over the warm users alone warms only the miss path.
# Same needs as load-tests/wrk.sh; start the gateway anew before each run.
#   load-tests/wrk-cold.sh   (ROUNDS=3 WARMUP_ROUNDS=2 DURATION=12 CONNECTIONS=64 PER_ROUND=70000 BASE_URL=…; a round that runs out of requests reuses its last one, and the replays show as refused)
set -euo pipefail
cd "$(dirname "$0")"
rounds=${ROUNDS:-3}; warmups=${WARMUP_ROUNDS:-2}; duration=${DURATION:-12}; connections=${CONNECTIONS:-64}; per=${PER_ROUND:-70000}
base=${BASE_URL:-http://localhost:8080}; out=target/wrk-cold; mkdir -p "$out"; : > "$out/values.txt"
warm_from=0; cold_from=$per
run() { # name file log
  TARGET=verify THREADS=2 REQUESTS="$2" wrk -t2 -c"$connections" -d"${duration}s" --latency -s wrk/verify.lua "$base" > "$3"
  local rps p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' "$3")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}' "$3")
  bad=$(awk '/refused or failed/ {print $4}' "$3")
  echo "$rps $p99 $bad"
}
step_now() { sleep $(( 61 - $(date +%s) % 60 )); echo $(( $(date +%s) / 60 )); }
step=$(step_now)
java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 "$warm_from" "$per" "$step" "$out/warm.txt"
read -r rps p99 bad < <(run warm-up "$out/warm.txt" "$out/warm-up.log")
echo "warm-up over the warm users: $rps req/s, refused or failed $bad"
[ $(( (1 + warmups + rounds) * per )) -le "${TOKENS:-500000}" ] || { echo "(1 + WARMUP_ROUNDS + ROUNDS) × PER_ROUND exceeds TOKENS" >&2; exit 1; }
for r in $(seq $(( 1 - warmups )) "$rounds"); do
  step=$(step_now)
  java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 $(( cold_from + (r - 1 + warmups) * per )) "$per" "$step" "$out/cold.txt"
  java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 "$warm_from" "$per" "$step" "$out/warm.txt"
  for kind in cold warm; do
    read -r rps p99 bad < <(run "$kind" "$out/$kind.txt" "$out/$kind-$r.log")
    if [ "$r" -le 0 ]; then
      printf '%-5s warm-up round: %9s req/s  p99 %7s ms  (not counted)\n' "$kind" "$rps" "$p99"
      continue
    fi
    printf '%-5s round %d: %9s req/s  p99 %7s ms  refused or failed %s\n' "$kind" "$r" "$rps" "$p99" "$bad"
    echo "$kind $rps $p99" >> "$out/values.txt"
  done
done
python3 - "$out/values.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = lambda t, c: statistics.median(float(r[c]) for r in rows if r[0] == t)
print(f"medians (wrk): cold {med('cold', 1):.0f} req/s p99 {med('cold', 2):.1f} ms; "
      f"warm {med('warm', 1):.0f} req/s p99 {med('warm', 2):.1f} ms; cold/warm {med('cold', 1) / med('warm', 1):.2f} (goal >= 0.70)")
PY
