#!/usr/bin/env bash
# Runs a command on a private D-Bus session bus that has an unlocked Secret Service
# (gnome-keyring-daemon, password "test"), with keyring files in a throw-away folder.
#
#   tests/support/with-session-bus.sh cargo test -p keepwatch-core -p keepwatch-cli
#
# Needs Debian's dbus-x11 (dbus-run-session) and gnome-keyring. Tests that need the keyring
# fail instead of skipping when KEEPWATCH_REQUIRE_SECRET_SERVICE=1 (CI sets it).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

if [ -z "${KEEPWATCH_SESSION_BUS_INNER:-}" ]; then
    for tool in dbus-run-session gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null; then
            echo "$0: $tool is missing (apt-get install dbus-x11 gnome-keyring)" >&2
            exit 1
        fi
    done
    exec dbus-run-session -- env KEEPWATCH_SESSION_BUS_INNER=1 bash "$0" "$@"
fi

# Inside the private bus. The keyring daemon keeps its files under XDG_DATA_HOME and its
# control socket under XDG_RUNTIME_DIR: both go to a temporary folder so that tests never touch
# the user's real keyrings.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/keepwatch-bus.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/runtime" "$scratch/data"
export XDG_RUNTIME_DIR="$scratch/runtime"
export XDG_DATA_HOME="$scratch/data"

while IFS= read -r line; do
    case "$line" in
        *=*) export "${line?}" ;;
    esac
done < <(echo -n "test" | gnome-keyring-daemon --unlock --components=secrets)

# The daemon answers on the bus a moment after it forks; wait for its name.
for _ in $(seq 1 50); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
        | grep -q "boolean true"; then
        break
    fi
    sleep 0.1
done

status=0
"$@" || status=$?
exit "$status"
