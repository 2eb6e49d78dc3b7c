#!/usr/bin/env bash
# Installs what building Strongbox needs and is missing. Safe to run again: it only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is not installed: Strongbox needs a Rust toolchain (1.90 or newer)" >&2
  exit 1
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# The test suite runs the store against a throw-away PostgreSQL cluster.
if [ "${1:-}" = "--with-postgres" ] && ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
