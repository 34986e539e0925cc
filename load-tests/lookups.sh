#!/usr/bin/env bash
# Latency of the reads a portal and a branch make per user, in a tenant of any size: the portal's
# status (GET …/users/{l}/otp) and the branch's lookup (GET …/operator/users/{l}: status, sharers,
# recent events), for N users picked at random among the tenant's first USERS (Fleet's login IDs).
# Issue #16 asks that these stay flat from 1,000 to 500,000 users without an ANALYZE by hand.
#   load-tests/lookups.sh <tenant number> <users in it> [N=1000]
# Prints p50, p90, p99 and max in ms for each read (curl's time_total, keep-alive off: one request
# per process, two at a time), and how many answers were not 200.
set -euo pipefail
TENANT=$(printf 'lt-%03d' "$1"); USERS=$2; N=${3:-1000}; BASE=${BASE_URL:-http://localhost:8080}
pick() { awk -v n="$N" -v u="$USERS" 'BEGIN { srand(42); for (i = 0; i < n; i++) printf "lt-u%08d\n", int(rand() * u) }'; }
measure() { # name, key, path template with {l}
  local name=$1 key=$2 path=$3
  pick | sed "s|^|$BASE${path%\{l\}*}|; s|\$|${path#*\{l\}}|" \
    | xargs -P 2 -n 1 curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $key" \
    | awk -v name="$name" '{ if ($1 != 200) bad++; t[NR] = $2 * 1000 } END {
        n = asort(t); printf "%-28s n=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f ms, not 200: %d\n", name, n,
        t[int(n * 0.5)], t[int(n * 0.9)], t[int(n * 0.99)], t[n], bad }'
}
measure "$TENANT status ($USERS users)" "$TENANT-portal-key" "/v1/tenants/$TENANT/users/{l}/otp"
measure "$TENANT lookup ($USERS users)" "$TENANT-operator-key" "/v1/tenants/$TENANT/operator/users/{l}"
