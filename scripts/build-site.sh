#!/usr/bin/env bash
# Builds the browser side of the dashboard into target/site/pkg: the wasm (through
# wasm-bindgen, at the version Cargo.lock pins), its JS glue, and the stylesheet; for a release,
# also their brotli and gzip copies.
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

# Compressed copies for the server to send as they are (a release site only: brotli's best
# quality takes seconds on the wasm, which is what makes it worth doing once, here).
rm -f target/site/pkg/*.br target/site/pkg/*.gz
if [ "$profile" = wasm-release ]; then
  for f in target/site/pkg/strongbox.js target/site/pkg/strongbox_bg.wasm target/site/pkg/strongbox.css; do
    brotli --quality=11 --force --keep "$f"
    gzip --best --force --keep --no-name "$f"
  done
fi
