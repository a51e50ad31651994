#!/usr/bin/env bash
# Checks that the reference server does what its OpenAPI document says, with Schemathesis:
# every phase (examples, coverage, fuzzing, stateful) and every check, against a live server
# on loopback with a throw-away database. Exits non-zero on any failure.
#
#   tests/support/schemathesis.sh            uses target/debug/keepwatch-server
#   KEEPWATCH_SERVER_BIN=… tests/support/schemathesis.sh
#
# Schemathesis is pinned and installed once into .cache/schemathesis-<version> (a virtual
# environment; skipped when present).
#
# Signing out is the one operation that destroys the credential the run uses (changing the
# password or resetting 2FA needs the password, which the run never sends; revoking the own
# session or blocking the own address are refused with 409). So the run is split in two,
# each with its own account and token: every operation but logout, then logout alone. Both
# together cover every operation.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ST_VERSION=4.32.5
VENV="$ROOT/.cache/schemathesis-$ST_VERSION"
SERVER_BIN="${KEEPWATCH_SERVER_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/keepwatch-server}"
# Per operation and phase; with two workers the whole step stays within a few minutes on
# two cores.
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
SEED="${SCHEMATHESIS_SEED:-}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'schemathesis.sh: %s\n' "$*" >&2; exit 1; }

[ -x "$SERVER_BIN" ] || die "no server binary at $SERVER_BIN (cargo build -p keepwatch-server)"
if [ ! -x "$VENV/bin/st" ]; then
  say "Installing Schemathesis $ST_VERSION into ${VENV#"$ROOT"/}"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (install python3-venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
PY="$VENV/bin/python"

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/schemathesis.sqlite"
PASSWORD="schemathesis-password-$$"
# The main account has 2FA, so that its sign-in can make a trusted device for the stateful
# phase to list and forget.
totp_secret=$(printf '%s\n' "$PASSWORD" |
  "$SERVER_BIN" add-user --db "$db" --email st-main@example.invalid --password-stdin --totp |
  sed -n 's/^TOTP secret: //p')
[ -n "$totp_secret" ] || die "add-user --totp printed no secret"
printf '%s\n' "$PASSWORD" |
  "$SERVER_BIN" add-user --db "$db" --email st-logout@example.invalid --password-stdin >/dev/null

# Schemathesis reads an event stream until it ends or its request timeout passes; streams
# that end after a second (as they do after an hour in production) keep each such case short.
"$SERVER_BIN" serve --db "$db" --listen 127.0.0.1:0 --event-stream-max-age 1 \
  2>"$work/server.log" &
server_pid=$!
base=
for _ in $(seq 100); do
  base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -n1)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the server did not start"; }
  sleep 0.1
done
[ -n "$base" ] || die "the server did not say where it listens"

# Signs in and prints the access token and, when it made one, the trusted-device token. With
# a TOTP secret it sends a code and asks to trust the device; with a device token, that.
sign_in() {
  "$PY" - "$base" "st-$1@example.invalid" "$PASSWORD" "${2:-}" "${3:-}" <<'EOF'
import base64, hashlib, hmac, json, struct, sys, time, urllib.request
base, email, password, secret, device_token = sys.argv[1:6]
body = {"email": email, "password": password, "client": "desktop", "remember_me": True}
if device_token:
    body["device_token"] = device_token
elif secret:
    # RFC 6238 with the server's parameters: SHA-1, 30 s steps, 6 digits.
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    body.update(totp_code=f"{code:06d}", trust_device=True)
req = urllib.request.Request(base + "/v1/auth/login", data=json.dumps(body).encode(),
                             headers={"Content-Type": "application/json"})
pair = json.load(urllib.request.urlopen(req))
print(pair["access_token"], pair.get("device_token", ""))
EOF
}

read -r main_token device_token < <(sign_in main "$totp_secret")
[ -n "$device_token" ] || die "the 2FA sign-in made no trusted device"
# A second session of the same account (a TOTP code works once, so by the trusted device),
# so that the stateful phase's link from the session list to "revoke" finds a session it may
# end, not only its own.
sign_in main "" "$device_token" >/dev/null
read -r logout_token _ < <(sign_in logout)

run_st() {
  local token=$1 name=$2 phases=$3
  shift 3
  local seed_args=()
  [ -n "$SEED" ] && seed_args=(--seed "$SEED")
  say "Schemathesis ($name) against $base"
  # From the scratch directory: Schemathesis keeps state in ./.schemathesis.
  (cd "$work" && "$VENV/bin/st" --config-file "$ROOT/tests/support/schemathesis.toml" \
    run "$base/openapi.json" \
    --checks all \
    --phases "$phases" \
    --max-examples "$MAX_EXAMPLES" \
    --workers 2 \
    --request-timeout 10 \
    --header "Authorization: Bearer $token" \
    --report ndjson --report-dir "$work/report-${name// /-}" \
    --generation-database none \
    --no-color \
    "${seed_args[@]}" \
    "$@")
}

status=0
run_st "$main_token" "all but logout" examples,coverage,fuzzing,stateful \
  --exclude-operation-id logout || status=1
# No link leads to or from logout, so there is nothing stateful to run for it alone.
run_st "$logout_token" "logout" examples,coverage,fuzzing --include-operation-id logout || status=1

if grep -qE ' ERROR |panicked' "$work/server.log"; then
  grep -E ' ERROR |panicked' "$work/server.log" | head -n 20 >&2
  die "the server logged errors during the run"
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  die "the server died during the run"
fi
[ $status -eq 0 ] || die "Schemathesis found failures"
say "Schemathesis: no failures"
