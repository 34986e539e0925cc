#!/usr/bin/env bash
# Measures the background re-seal of one tenant's seeds after a rotation (docs/custody.md): loads
# SEEDS hardware tokens into TENANT through the delivery-file API (CSV, 100,000 lines a request),
# rotates the tenant's data key, and times the re-seal from the moment the new key seals to the
# end of the job (GET …/operator/data-keys), printing the rate. Seeds are random (test data only).
#
# Needs a running gateway with the load-test tenants (load-tests/tenants.sh), e.g.
#   load-tests/tenants.sh 50 && OTP_TENANTS_DIR=load-tests/target/tenants deploy/run.sh
# Usage: load-tests/reseal.sh   (SEEDS=1000000 TENANT=lt-050 BASE_URL=http://localhost:8080; SKIP_LOAD=1
#        rotates what is there)
set -euo pipefail
seeds=${SEEDS:-1000000}; tenant=${TENANT:-lt-050}; base_url=${BASE_URL:-http://localhost:8080}
T="$base_url/v1/tenants/$tenant"; O="Authorization: Bearer $tenant-operator-key"; J='Content-Type: application/json'
chunk=100000
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }

if [ -z "${SKIP_LOAD:-}" ]; then
  start=$(date +%s.%N)
  for ((first = 0; first < seeds; first += chunk)); do
    n=$(( seeds - first < chunk ? seeds - first : chunk ))
    python3 - "$first" "$n" <<'PY' | curl -sf -X POST "$T/operator/hardware-tokens" -H "$O" -H 'Content-Type: text/csv' \
        --data-binary @- | json "d['imported']" >/dev/null
import os, sys
first, n = int(sys.argv[1]), int(sys.argv[2])
out = ["serial,seed_hex,expires_at"]
for i in range(first, first + n):
    out.append(f"{700000000000 + i},{os.urandom(20).hex()},2031-03-31T23:59:59+09:00")
sys.stdout.write("\n".join(out) + "\n")
PY
  done
  echo "loaded $seeds seeds into $tenant in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
fi

keys=$(curl -sf "$T/operator/data-keys" -H "$O")
total=$(echo "$keys" | json "sum(k['sealed'] for k in d['keys']) + d['legacySealed']")
rotated=$(curl -sf -X POST "$T/operator/data-keys" -H "$O" -H "$J" -d '{"staffId":"bench"}')
key=$(echo "$rotated" | json "d['keyId']")
echo "rotated to key $key, sealing from $(echo "$rotated" | json "d['primaryFrom']"); $total secrets to re-seal"
# The re-seal starts once the key seals (otp.crypto.data-keys.propagation) and a refresh tick later.
until [ "$(curl -sf "$T/operator/data-keys" -H "$O" | json "[k['primary'] for k in d['keys'] if k['keyId'] == $key][0]")" = True ]; do
  sleep 0.2
done
start=$(date +%s.%N)
while :; do
  state=$(curl -sf "$T/operator/data-keys" -H "$O")
  if [ "$(echo "$state" | json "d['reseal']['keyId'] == $key and d['reseal']['finished']")" = True ]; then break; fi
  sleep 1
done
elapsed=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
resealed=$(echo "$state" | json "d['reseal']['resealed']")
echo "re-sealed $resealed of $total secrets in $elapsed s ($(python3 -c "print(round($resealed / $elapsed))")/s)"
