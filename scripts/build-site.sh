#!/usr/bin/env bash
# Builds the browser side of the dashboard into target/site/pkg: the wasm (through
# wasm-bindgen, at the version Cargo.lock pins), its JS glue, and the stylesheet.
#   scripts/build-site.sh            debug build (fast to rebuild)
#   scripts/build-site.sh --release  the size-optimized wasm-release profile
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_profile=()
bindgen_extra=()
if [ "${1:-}" = "--release" ]; then
  profile=wasm-release
  cargo_profile=(--profile wasm-release)
  bindgen_extra=(--remove-name-section --remove-producers-section)
fi

cargo build -p frontend --lib --target wasm32-unknown-unknown "${cargo_profile[@]}"
mkdir -p target/site/pkg
wasm-bindgen --target web --no-typescript --out-dir target/site/pkg --out-name strongbox \
  "${bindgen_extra[@]}" "target/wasm32-unknown-unknown/$profile/frontend.wasm"
cp style/main.css target/site/pkg/strongbox.css
