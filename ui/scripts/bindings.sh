#!/usr/bin/env bash
# Regenerates the TypeScript bindings in ui/src/bindings from the Rust types, with ts-rs: the
# account API's contract (keepwatch-api), the detector's alerts (keepwatch-detector) and the
# app-facing API's types (keepwatch-core's `api`).
#
#   ui/scripts/bindings.sh           rewrite ui/src/bindings
#   ui/scripts/bindings.sh --check   fail if ui/src/bindings differs from a fresh export
#
# ts-rs writes bindings from tests it generates (`export_bindings_*`), so this runs only those
# tests. The `ts` feature is on across the workspace (the root Cargo.toml turns it on), so these
# are the workspace's own lib test binaries, not a second build. The export directory and
# `TS_RS_LARGE_INT=number` come from .cargo/config.toml; the check overrides the directory with
# a temporary one.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BINDINGS="$ROOT/ui/src/bindings"
cd "$ROOT"

export_to() {
  TS_RS_EXPORT_DIR="$1" cargo test --quiet --workspace --lib export_bindings >/dev/null
}

case "${1:-}" in
  --check)
    fresh=$(mktemp -d)
    trap 'rm -rf "$fresh"' EXIT
    export_to "$fresh"
    if ! diff -ru "$BINDINGS" "$fresh"; then
      echo "bindings.sh: ui/src/bindings is stale; run ui/scripts/bindings.sh and commit" >&2
      exit 1
    fi
    echo "bindings.sh: ui/src/bindings matches the Rust types"
    ;;
  "")
    # Start empty so that a type removed in Rust does not leave its file behind.
    rm -rf "$BINDINGS"
    mkdir -p "$BINDINGS"
    export_to "$BINDINGS"
    echo "bindings.sh: wrote $(ls "$BINDINGS" | wc -l) files to ui/src/bindings"
    ;;
  *)
    echo "usage: ui/scripts/bindings.sh [--check]" >&2
    exit 2
    ;;
esac
