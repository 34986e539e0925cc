#!/usr/bin/env bash
# The portal mix (PortalMixSimulation) at rising rates with half of the code requests a user's first
# of the day (issue #16): a cache miss each, as at 9 a.m. Right after a gateway start, WARM_USERS
# users of lt-001 are verified once with wrk (their tokens then sit in the active-token cache); each
# rate of RATES then runs the mix with FIRST_OF_DAY percent of its verifications and payments going to
# users never verified since the start (a fresh range per rate), the rest to the warm users. Prints
# per rate whether Gatling's assertions held (failed ≤ 0.1 %, every kind's p99 ≤ P99_MS) and each kind's p99.
# Needs what load-tests/wrk.sh needs (lt-001 seeded with TOKENS users, large limits, wrk); start the
# gateway anew before a run.
# The first rate runs while the JIT is still compiling (about four minutes of load after a start):
# repeat it (RATES="1000 1000 1200") to see the warm figure.
#   load-tests/portal-mix.sh   (RATES="800 1200 1600" WARM_USERS=60000 FIRST_OF_DAY=50 DURATION=60 RAMP=20 P99_MS=200 TOKENS=500000 COLD_FROM=WARM_USERS)
set -euo pipefail
cd "$(dirname "$0")"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
rates=${RATES:-800 1200 1600}; warm=${WARM_USERS:-60000}; share=${FIRST_OF_DAY:-50}
duration=${DURATION:-60}; ramp=${RAMP:-20}; p99=${P99_MS:-200}; tokens=${TOKENS:-500000}
base=${BASE_URL:-http://localhost:8080}; out=target/portal-mix; mkdir -p "$out"

# The warm users: each verified once (the codes of one step; wrk sends each request once).
sleep $(( 61 - $(date +%s) % 60 ))
java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 0 "$warm" $(( $(date +%s) / 60 )) "$out/warm.txt"
TARGET=verify THREADS=2 REQUESTS="$out/warm.txt" wrk -t2 -c64 -d40s -s wrk/verify.lua "$base" > "$out/warm-up.log"
echo "warm users: $(awk '/Requests\/sec/ {print $2}' "$out/warm-up.log") req/s, $(awk '/refused or failed/ {print $4}' "$out/warm-up.log") refused or failed (the requests run out: the rest are replays)"

cold=${COLD_FROM:-$warm}
for rate in $rates; do
  log="$out/mix-$rate.log"
  if ../mvnw -q -B gatling:test -Dgatling.simulationClass=jp.otpgateway.load.PortalMixSimulation \
      -Dtenants=1 -DtokensPerTenant="$tokens" -DwarmUsers="$warm" -DcoldFrom="$cold" -DfirstOfDayShare="$share" \
      -Drate="$rate" -Dramp="$ramp" -Dduration="$duration" -Dp99Ms="$p99" -DbaseUrl="$base" > "$log" 2>&1; then
    verdict="held"
  else
    verdict="NOT held"
  fi
  report=$(ls -td target/gatling/portalmixsimulation-* | head -1)
  echo "rate $rate/s: assertions $verdict ($log)"
  python3 - "$report" <<'PY'
import glob, html, re, sys
for f in sorted(glob.glob(sys.argv[1] + "/req_*.html")):
    t = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", open(f).read())))
    name = re.search(r"Executions Total OK KO", t) and re.sub(r"^req_(.*)-[-0-9]+\.html$", r"\1", f.split("/")[-1])
    m = re.search(r"Total count (\d+) (\d+) (\d+|-).*?Mean count/s ([\d.]+).*?50th percentile (\d+).*?99th percentile (\d+)", t)
    if m:
        print(f"  {name:45s} {m.group(1):>7} requests ({m.group(3)} KO), {m.group(4):>7}/s  p50 {m.group(5):>4} ms  p99 {m.group(6):>5} ms")
PY
  cold=$(( cold + rate * (ramp / 2 + duration) ))
  [ "$cold" -lt "$tokens" ] || { echo "out of never-verified users" >&2; exit 1; }
done
