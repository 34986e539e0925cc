#!/usr/bin/env bash
# Three gateway instances behind HAProxy on one machine (deploy/haproxy.cfg: 127.0.0.1:8090 →
# 8081-8083), one PostgreSQL database and one Redis shared, the KEK in the SoftHSM2 token of
# deploy/softhsm.sh. Then, through the balancer:
#   1. the README's first flow (a user, a token, activation, a verification, a replay refused),
#      then the branch console: a clerk signs in and opens 12 pages, all on the instance that holds
#      the session (HAProxy's cookie OTP_CONSOLE);
#   2. money transfers with Idempotency-Keys from 16 parallel clients while one instance is
#      killed (kill -9) mid-load; each client retries an error with the same key; afterwards every
#      user's daily usage must be exactly what its distinct transfers add up to;
#   3. a Gatling verification round (CompareSimulation) during which a second instance is killed;
#   4. that instance started again: HAProxy's slowstart raises its weight from near 0 to full over
#      60 s (read from HAProxy's runtime API), so a JIT still compiling does not get a full share.
# Installs haproxy when missing (root). Needs the load-test tenants (load-tests/tenants.sh 50) and
# their seeded tokens for step 3 (it seeds them itself on a fresh database).
#   deploy/balanced.sh            # everything; logs in deploy/.run/balanced/
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES_TAG=balanced
# shellcheck source=services-lib.sh
. deploy/services-lib.sh
command -v haproxy >/dev/null || apt_install haproxy
DB=${OTP_BALANCED_DB:-otp_balanced}
RUN=deploy/.run/balanced; mkdir -p "$RUN"
export SPRING_R2DBC_URL=${SPRING_R2DBC_URL:-r2dbc:postgresql://localhost:5432/$DB}
deploy/local-services.sh "$DB" >/dev/null
[ -f gateway/target/otp-gateway.jar ] || ./mvnw -q -B -DskipTests -pl tenant-config,gateway package
cp gateway/target/otp-gateway.jar "$RUN/otp-gateway.jar"
[ -d load-tests/target/tenants ] || load-tests/tenants.sh 50 >/dev/null
while IFS='=' read -r name value; do export "$name=$value"; done < <(deploy/softhsm.sh)
export OTP_TENANTS_DIR=load-tests/target/tenants OTP_CRYPTO_SEED_KEYSET_FILE=deploy/.run/dev-seed-keyset.json \
  OTP_CRYPTO_GENERATE_DEVELOPMENT_KEYSET=true OTP_IDEMPOTENCY_LEASE=${OTP_IDEMPOTENCY_LEASE:-10s} \
  OTP_LIMITS_SHARED_RATE=${OTP_LIMITS_SHARED_RATE:-true}

pids=()
start() { # n
  SERVER_PORT=$((8080 + $1)) java ${JAVA_OPTS:--Xmx512m} -jar "$RUN/otp-gateway.jar" > "$RUN/g$1.log" 2>&1 &
  pids[$1]=$!
}
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$RUN/haproxy.pid" ] && kill "$(cat "$RUN/haproxy.pid")" 2>/dev/null || true
}
trap cleanup EXIT
ready() { # port
  for _ in $(seq 1 240); do curl -sf "localhost:$1/actuator/health/readiness" >/dev/null && return 0; sleep 0.5; done
  say "no gateway ready on port $1 (see $RUN/g$(( $1 - 8080 )).log)"; return 1
}
for n in 1 2 3; do start $n; done
# The runtime API on a socket of this run (step 4 reads the servers' effective weights from it).
printf 'global\n    stats socket %s mode 600 level operator\n' "$PWD/$RUN/haproxy.sock" > "$RUN/haproxy-socket.cfg"
haproxy -D -f deploy/haproxy.cfg -f "$RUN/haproxy-socket.cfg" -p "$RUN/haproxy.pid"
for n in 1 2 3; do ready $((8080 + n)); done
until curl -sf localhost:8090/actuator/health/readiness >/dev/null; do sleep 1; done
say "three gateways behind HAProxy on 127.0.0.1:8090"

B=http://localhost:8090; J='Content-Type: application/json'
T=$B/v1/tenants/lt-002; K='Authorization: Bearer lt-002-portal-key'; O='Authorization: Bearer lt-002-operator-key'
SEED=3132333435363738393031323334353637383930
code() { java -jar "$RUN/otp-gateway.jar" totp $SEED "$@"; }

echo "== 1. the README's first flow through the balancer"
run_id=$(date +%s)
serial=$(( 300000000000 + run_id % 100000000000 ))
curl -sf -X PUT "$T/users/flow-$run_id" -H "$K" -H "$J" -d "{\"contractId\":\"F$run_id\",\"name\":\"山田太郎\",\"role\":\"MASTER\"}" >/dev/null
printf "serial,seed_hex,expires_at\n$serial,$SEED,2031-03-31T23:59:59+09:00\n" \
  | curl -sf -X POST "$T/operator/hardware-tokens" -H "$O" -H 'Content-Type: text/csv' --data-binary @-; echo
sleep $(( 61 - $(date +%s) % 60 ))
c=$(code)
curl -s -X POST "$T/users/flow-$run_id/otp/activation" -H "$K" -H "$J" -d "{\"serial\":\"$serial\",\"otp\":\"$c\"}"; echo
sleep $(( 61 - $(date +%s) % 60 ))
c=$(code)
for i in 1 2 3; do   # three instances in turn: accepted once, then a replay on each other one
  curl -s -X POST "$T/users/flow-$run_id/otp/verification" -H "$K" -H "$J" -d "{\"otp\":\"$c\",\"operation\":\"LOGIN\"}"; echo
done

echo "== 1b. the branch console through the balancer: a clerk stays on one instance (cookie OTP_CONSOLE)"
jar="$RUN/console-cookies"; rm -f "$jar"
form=$(curl -s -c "$jar" "$B/console/signin" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null -w "sign-in: %{http_code} → %{redirect_url}\n" -H "Sec-Fetch-Site: same-origin" \
  --data-urlencode "_csrf=$form" -d tenantId=lt-002 -d staffId=clerk-0001 -d operatorKey=lt-002-operator-key "$B/console/signin"
ok=0
for i in $(seq 1 12); do   # round robin would send two requests in three to an instance that never saw the session
  status=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$B/console/users?loginId=flow-$run_id")
  [ "$status" = 200 ] && ok=$((ok + 1))
done
echo "console pages answered as the signed-in clerk: $ok of 12"

echo "== 2. transfers with Idempotency-Keys, 16 clients, instance 2 killed mid-load"
users=40; per_user=10; amount=1000
for u in $(seq 1 $users); do
  curl -sf -X PUT "$T/users/tx-$run_id-$u" -H "$K" -H "$J" -d "{\"contractId\":\"TX$run_id-$u\",\"name\":\"振込 $u\",\"role\":\"MASTER\"}" >/dev/null
done
: > "$RUN/transfers.txt"
for u in $(seq 1 $users); do for t in $(seq 1 $per_user); do echo "$u $t"; done; done | shuf > "$RUN/transfers.in"
( sleep 2; kill -9 "${pids[2]}"; say "instance 2 killed (kill -9)" ) &
killer=$!
# A client sends each transfer until it has an answer other than 409 IN_USE, 5xx or no answer,
# always with the same Idempotency-Key, as a portal must.
xargs -P 16 -L 1 bash -c '
  for attempt in $(seq 1 60); do
    status=$(curl -s -o /dev/null -w "%{http_code}" -m 10 -X POST "'"$T"'/transactions" -H "'"$K"'" -H "Content-Type: application/json" \
      -H "Idempotency-Key: tx-'"$run_id"'-$0-$1" \
      -d "{\"loginId\":\"tx-'"$run_id"'-$0\",\"type\":\"TRANSFER\",\"amount\":'"$amount"',\"payeeRegistered\":false}")
    case $status in 201) echo "$0 $1 $status $attempt" >> "'"$RUN"'/transfers.txt"; exit 0;; 000|409|5*) sleep 1;; *) echo "$0 $1 $status $attempt" >> "'"$RUN"'/transfers.txt"; exit 0;; esac
  done; echo "$0 $1 gave-up" >> "'"$RUN"'/transfers.txt"' < "$RUN/transfers.in"
wait "$killer"
answered=$(grep -c ' 201 ' "$RUN/transfers.txt" || true)
retried=$(awk '$4 > 1' "$RUN/transfers.txt" | wc -l)
echo "transfers: $answered of $((users * per_user)) answered 201 ($retried after a retry); others: $(grep -vc ' 201 ' "$RUN/transfers.txt" || true)"
wrong=0
for u in $(seq 1 $users); do
  used=$(curl -sf "$T/users/tx-$run_id-$u/otp" -H "$K" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("dailyTransferUsed"))')
  [ "$used" = $((per_user * amount)) ] || { echo "user $u: used $used, expected $((per_user * amount))"; wrong=$((wrong + 1)); }
done
echo "daily usage exact for $((users - wrong)) of $users users"

echo "== 3. Gatling verification through the balancer, instance 3 killed mid-round"
start 2; ready 8082
if [ "$(psql -h 127.0.0.1 -U otp -d "$DB" -tAc "select count(*) from tokens where tenant_id='lt-050'" 2>/dev/null || echo 0)" -lt 6000 ]; then
  (cd load-tests && ../mvnw -q -B gatling:test -Dgatling.simulationClass=jp.otpgateway.load.SeedSimulation -Dtenants=50 \
    -DtokensPerTenant=6000 -DbaseUrl=$B > "../$RUN/seed.log" 2>&1)
fi
( sleep 15; kill -9 "${pids[3]}"; say "instance 3 killed (kill -9)" ) &
killer=$!
(cd load-tests && ../mvnw -q -B gatling:test -Dgatling.simulationClass=jp.otpgateway.load.CompareSimulation -Dtarget=verify \
  -Dusers=64 -Dduration=30 -Dtenants=50 -DtokensPerTenant=6000 -DbaseUrl=$B > "../$RUN/gatling.log" 2>&1) || true
wait "$killer"
grep -E "^> (request count|mean throughput|response time 99th percentile|KO)" "$RUN/gatling.log" | head -4

echo "== 4. instance 3 started again: HAProxy gives it its share over 60 s (slowstart), not all at once"
hastat() { # server -> "status weight" from HAProxy's runtime API
  python3 - "$PWD/$RUN/haproxy.sock" "$1" <<'PY'
import csv, io, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show stat\n")
data = b"".join(iter(lambda: s.recv(65536), b""))
for row in csv.DictReader(io.StringIO(data.decode().lstrip("# "))):
    if row["pxname"] == "gateways" and row["svname"] == sys.argv[2]:
        print(row["status"].replace(" ", "_"), row["weight"])
PY
}
start 3; ready 8083
for _ in $(seq 1 150); do [ "$(hastat g3 | cut -d' ' -f1)" = UP ] && break; sleep 0.2; done
up=$(date +%s); weights=()
for at in 1 20 40 70; do
  sleep $(( up + at - $(date +%s) > 0 ? up + at - $(date +%s) : 0 ))
  weights+=("$(hastat g3 | cut -d' ' -f2)")
  echo "g3 ${at} s after it came back up: weight ${weights[-1]} of 100 (g1: $(hastat g1 | cut -d' ' -f2))"
done
ramp=ok
[ "${weights[0]}" -lt 50 ] && [ "${weights[0]}" -lt "${weights[1]}" ] && [ "${weights[1]}" -lt "${weights[2]}" ] \
  && [ "${weights[2]}" -lt 100 ] && [ "${weights[3]}" -eq 100 ] || { ramp=wrong; say "g3's weight did not ramp up: ${weights[*]}"; }
[ "$wrong" -eq 0 ] && [ "$ramp" = ok ]
