#!/usr/bin/env bash
# Runs a command inside a private D-Bus session bus with an unlocked GNOME keyring, so that
# tests use the real Secret Service without touching the caller's own keyrings.
#
#   tests/support/with-session-bus.sh cargo test --workspace
set -euo pipefail

if [ -z "${KEEPWATCH_SESSION_BUS_STARTED:-}" ]; then
  command -v dbus-run-session >/dev/null || { echo "with-session-bus: dbus-run-session is missing (Debian: dbus)" >&2; exit 1; }
  exec env KEEPWATCH_SESSION_BUS_STARTED=1 dbus-run-session -- "$0" "$@"
fi

# The keyring lives in a throw-away folder; its password is only ever "test".
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
eval "$(printf 'test' | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

"$@"
