#!/usr/bin/env bash
# Runs the README's two commands as a new user would, on a fresh Debian 12: a minimal root made by
# Debian's mmdebstrap with only openjdk-17-jdk-headless, git, curl and ca-certificates (no
# PostgreSQL, no Redis, no Maven), a clone of this repository in it, then
#   1. deploy/test.sh   (installs and starts PostgreSQL and Redis itself; its test cluster checks passwords)
#   2. deploy/run.sh    and the hardware walk-through's calls against it with curl.
# It stops nothing of the host's own: the root shares the host's network, so everything in it runs
# on ports of its own (Redis 26379, test PostgreSQL 25432, run PostgreSQL 25433, gateway 28080),
# and services are not started by the packages' install scripts (policy-rc.d), only by the scripts
# under test. Everything it started is stopped at the end; the root stays for a look unless --clean.
#
# Usage (as root): deploy/fresh-machine-check.sh [--clean] [git-ref, default HEAD]
# Needs: root, network to Debian's and Maven Central's servers, ~2 GB in $FRESH_DIR (/tmp/otp-gateway-fresh).
set -euo pipefail

CLEAN=
if [ "${1:-}" = --clean ]; then CLEAN=1; shift; fi
REF=${1:-HEAD}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${FRESH_DIR:-/tmp/otp-gateway-fresh}
ROOT=$WORK/root
LOG=$WORK/logs
say() { printf '[fresh-machine] %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { say "needs root (mmdebstrap, chroot, mounts)"; exit 1; }
command -v mmdebstrap >/dev/null || { say "installing mmdebstrap"; apt-get update -qq; apt-get install -y -qq mmdebstrap >/dev/null; }

cleanup() {
  set +e
  # Stop whatever the checked scripts started inside the root (PostgreSQL, Redis, the gateway).
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOT" ] && kill -TERM "${proc#/proc/}" 2>/dev/null
  done
  sleep 3
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOT" ] && kill -KILL "${proc#/proc/}" 2>/dev/null
  done
  for m in dev/shm dev/pts dev sys proc; do mountpoint -q "$ROOT/$m" && umount -l "$ROOT/$m"; done
  if [ -n "$CLEAN" ]; then rm -rf "$WORK"; fi
}

if mountpoint -q "$ROOT/proc" 2>/dev/null; then cleanup; fi
rm -rf "$WORK"; mkdir -p "$WORK" "$LOG"
trap cleanup EXIT

say "building a minimal Debian 12 root in $ROOT (mmdebstrap, minbase)"
mmdebstrap --quiet --variant=minbase --include=openjdk-17-jdk-headless,git,curl,ca-certificates \
  --customize-hook='printf "#!/bin/sh\nexit 101\n" > "$1/usr/sbin/policy-rc.d" && chmod 755 "$1/usr/sbin/policy-rc.d"' \
  bookworm "$ROOT" >"$LOG/mmdebstrap.log" 2>&1
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# The host's own CA certificates (e.g. of a TLS-inspecting proxy between this machine and the
# registries): without them the root could not reach Maven Central where the host can.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  chroot "$ROOT" update-ca-certificates >/dev/null 2>&1
fi
# What the Debian installer writes; minbase has no /etc/hosts, and without it neither "localhost"
# nor the machine's own name (looked up by the SMTP client for its greeting) resolves.
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' "$(hostname)" >"$ROOT/etc/hosts"

say "cloning $REF of $REPO into the root"
git clone --quiet --no-local "$REPO" "$ROOT/root/otp-gateway"
git -C "$ROOT/root/otp-gateway" checkout --quiet "$(git -C "$REPO" rev-parse "$REF")"

mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
mount -t tmpfs shm "$ROOT/dev/shm"

# A login shell in the root with a clean environment, as a user who just cloned the repository.
in_root() {
  chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    SPRING_DATA_REDIS_PORT=26379 OTP_TEST_PG_PORT=25432 \
    bash -c "cd /root/otp-gateway && $1" </dev/null
}

say "1/2 deploy/test.sh (log: $LOG/test.log)"
started=$(date +%s)
if ! in_root "deploy/test.sh" >"$LOG/test.log" 2>&1; then
  say "deploy/test.sh FAILED after $(( $(date +%s) - started )) s; last lines:"; tail -n 40 "$LOG/test.log"; exit 1
fi
say "deploy/test.sh passed in $(( $(date +%s) - started )) s; its closing lines:"
grep -E '^\[(INFO|WARNING|ERROR)\] (Tests run:|BUILD)|\[test-postgres\]|\[local-services\]' "$LOG/test.log" | grep -vE 'Tests run:.* -- in ' | tail -n 12

say "2/2 deploy/run.sh on port 28080 (log: $LOG/run.log)"
in_root "SERVER_PORT=28080 SPRING_R2DBC_URL=r2dbc:postgresql://localhost:25433/otp deploy/run.sh" >"$LOG/run.log" 2>&1 &
for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:28080/actuator/health >/dev/null 2>&1 && break; sleep 2
done
curl -sf http://127.0.0.1:28080/actuator/health >/dev/null || { say "the gateway did not come up"; tail -n 40 "$LOG/run.log"; exit 1; }

# The README's hardware walk-through, condensed: every answer is checked.
K='Authorization: Bearer demo-sakura-portal-key'; O='Authorization: Bearer demo-sakura-operator-key'
T=http://127.0.0.1:28080/v1/tenants/sakura-shinkumi; J='Content-Type: application/json'
SEED=3132333435363738393031323334353637383930
code() { in_root "java -jar deploy/.run/otp-gateway.jar totp $SEED"; }
call() { # expected-status method url [curl args...]
  local expected=$1 method=$2 url=$3; shift 3
  local answer status
  answer=$(curl -s -w '\n%{http_code}' -X "$method" "$url" "$@")
  status=${answer##*$'\n'}
  printf '  %s %s → %s %s\n' "$method" "${url#"$T"}" "$status" "$(printf '%s' "${answer%$'\n'*}" | head -c 160)"
  [ "$status" = "$expected" ] || { say "expected $expected"; exit 1; }
}
call 200 GET http://127.0.0.1:28080/actuator/health
call 201 PUT "$T/users/taro.yamada" -H "$K" -H "$J" -d '{"contractId":"C0001","name":"山田太郎","role":"MASTER"}'
call 200 POST "$T/operator/hardware-tokens" -H "$O" -H 'Content-Type: text/csv' \
  --data-binary "$(printf 'serial,seed_hex,expires_at\n101199980021,%s,2031-03-31T23:59:59+09:00\n' "$SEED")"
call 201 POST "$T/users/taro.yamada/otp/issuance" -H "$K" -H "$J" -d '{"kind":"HARDWARE"}'
call 200 POST "$T/operator/shipments/1" -H "$O" -H "$J" -d '{"serial":"101199980021"}'
call 200 POST "$T/users/taro.yamada/otp/activation" -H "$K" -H "$J" -d "{\"serial\":\"101199980021\",\"otp\":\"$(code)\"}"
call 422 POST "$T/users/taro.yamada/otp/verification" -H "$K" -H "$J" -d "{\"otp\":\"$(code)\",\"operation\":\"LOGIN\"}"
sleep $(( 61 - $(date +%s) % 60 ))   # the next minute's code
call 200 POST "$T/users/taro.yamada/otp/verification" -H "$K" -H "$J" -d "{\"otp\":\"$(code)\",\"operation\":\"LOGIN\"}"
call 200 GET "$T/users/taro.yamada/otp" -H "$K"
say "both commands work on a fresh Debian 12"
