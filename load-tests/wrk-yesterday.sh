#!/usr/bin/env bash
# "Yesterday" for load-tests/wrk-cold.sh (issue #16): verifies every user of lt-001 in
# [FROM, FROM + COUNT) exactly once, so that each holds a guard state in Redis and a last step in
# PostgreSQL as a user who logged in on an earlier day does. Restart the gateway afterwards (the
# night: its active-token cache empty, the guard states kept, with a 30-day TTL) and run
# wrk-cold.sh: its users' first verifications are then first logins of the day, not first ever.
# Chunks of CHUNK users, each with the codes of a new 60-second step (valid for two steps);
# each request's code is sent once (STOP_AT_END: no replays, which would count as failures).
#   load-tests/wrk-yesterday.sh   (FROM=0 COUNT=420000 CHUNK=150000 CONNECTIONS=64 BASE_URL=…)
set -euo pipefail
cd "$(dirname "$0")"
from=${FROM:-0}; count=${COUNT:-420000}; chunk=${CHUNK:-150000}; connections=${CONNECTIONS:-64}
base=${BASE_URL:-http://localhost:8080}; out=target/wrk-yesterday; mkdir -p "$out"
step_now() { sleep $(( 61 - $(date +%s) % 60 )); echo $(( $(date +%s) / 60 )); }
for (( at = from; at < from + count; at += chunk )); do
  n=$(( from + count - at < chunk ? from + count - at : chunk ))
  step=$(step_now)
  java -cp target/test-classes jp.otpgateway.load.WrkRequests 1 "$at" "$n" "$step" "$out/chunk.txt"
  # a thread stops after its last line; the run ends within the codes' two steps at the latest
  STOP_AT_END=1 TARGET=verify THREADS=2 REQUESTS="$out/chunk.txt" \
    timeout 200 wrk -t2 -c"$connections" -d100s -s wrk/verify.lua "$base" > "$out/chunk.log" || true
  sent=$(awk '/requests in/ {print $1}' "$out/chunk.log"); bad=$(awk '/refused or failed/ {print $4}' "$out/chunk.log")
  echo "users $at–$(( at + n - 1 )): $sent requests, refused or failed ${bad:-?}"
done
