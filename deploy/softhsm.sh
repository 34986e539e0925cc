#!/usr/bin/env bash
# A SoftHSM2 token holding the gateway's key-encryption key (KEK), for development and the tests
# (docs/custody.md). A bank uses its own HSM instead: the gateway only needs the vendor's PKCS#11
# library, the slot, the PIN and the label of an AES-256 key (sensitive, not extractable).
#
#   directory  OTP_SOFTHSM_DIR    (default deploy/.run/softhsm): softhsm2.conf and the token files
#   token      OTP_SOFTHSM_TOKEN  (default otp-gateway), user PIN OTP_SOFTHSM_PIN (default otp-dev-pin)
#   key        OTP_SOFTHSM_KEY    (default otp-kek): AES-256, made inside the token, never extractable
#
#   deploy/softhsm.sh           # creates the token and the key when missing, prints the settings
#   deploy/softhsm.sh --fresh   # deletes the directory first (tests: a new KEK for a new database)
#
# Installs Debian's softhsm2 and opensc (pkcs11-tool) when missing (root). Never prints the PIN
# unless it is the development default. The gateway needs SOFTHSM2_CONF=<directory>/softhsm2.conf
# in its environment: the SoftHSM library reads it.
set -euo pipefail
SERVICES_TAG=softhsm
# shellcheck source=services-lib.sh
. "$(dirname "$0")/services-lib.sh"

DIR=${OTP_SOFTHSM_DIR:-$(cd "$(dirname "$0")" && pwd)/.run/softhsm}
TOKEN=${OTP_SOFTHSM_TOKEN:-otp-gateway}
PIN=${OTP_SOFTHSM_PIN:-otp-dev-pin}
KEY=${OTP_SOFTHSM_KEY:-otp-kek}
LIB=${OTP_PKCS11_LIBRARY:-/usr/lib/softhsm/libsofthsm2.so}

if [ "${1:-}" = --fresh ]; then rm -rf "$DIR"; fi
if ! command -v softhsm2-util >/dev/null || ! command -v pkcs11-tool >/dev/null || [ ! -e "$LIB" ]; then
  apt_install softhsm2 opensc
fi
mkdir -p "$DIR/tokens"
chmod 700 "$DIR"
cat >"$DIR/softhsm2.conf" <<CONF
directories.tokendir = $DIR/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
export SOFTHSM2_CONF=$DIR/softhsm2.conf

if ! softhsm2-util --show-slots 2>/dev/null | grep -q "Label: *$TOKEN *$"; then
  say "initialising SoftHSM token $TOKEN in $DIR"
  # The security officer's PIN is not needed after this: a random one, never shown.
  softhsm2-util --init-token --free --label "$TOKEN" --pin "$PIN" \
    --so-pin "$(head -c 18 /dev/urandom | base64 | tr -dc A-Za-z0-9)" >/dev/null
fi
if ! pkcs11-tool --module "$LIB" --token-label "$TOKEN" --login --pin "$PIN" --list-objects --type secrkey 2>/dev/null \
    | grep -q "label: *$KEY$"; then
  say "making the AES-256 key $KEY inside the token (sensitive, not extractable)"
  pkcs11-tool --module "$LIB" --token-label "$TOKEN" --login --pin "$PIN" --keygen --key-type AES:32 \
    --label "$KEY" --sensitive >/dev/null 2>&1
fi
slot=$(softhsm2-util --show-slots | awk -v t="$TOKEN" '/^Slot [0-9]+/{s=$2} $1=="Label:" && $2==t {print s; exit}')
cat <<SETTINGS
SOFTHSM2_CONF=$SOFTHSM2_CONF
OTP_CRYPTO_PKCS11_LIBRARY=$LIB
OTP_CRYPTO_PKCS11_SLOT=$slot
OTP_CRYPTO_PKCS11_KEY_LABEL=$KEY
SETTINGS
if [ "$PIN" = otp-dev-pin ]; then echo "OTP_CRYPTO_PKCS11_PIN=$PIN"; fi
