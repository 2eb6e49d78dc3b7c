#!/usr/bin/env bash
# Builds the browser side of the dashboard into target/site/pkg: the wasm, split by
# wasm-split-cli into a main module and one chunk per lazy route (ADR 0012), the main module
# through wasm-bindgen (at the version Cargo.lock pins), its JS glue, and the stylesheet; for a
# release, also their brotli and gzip copies.
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

# .cargo/config.toml links the wasm with --emit-relocs, which the splitter reads.
cargo build -p frontend --lib --target wasm32-unknown-unknown "${cargo_profile[@]}"
split=target/site/split
rm -rf target/site/pkg "$split"
mkdir -p target/site/pkg "$split"
# The chunks and their loader (__wasm_split.js) go straight to pkg; the main module still needs
# wasm-bindgen, which must keep the exports the chunks import from it.
wasm-split-cli --target web --out-name strongbox \
  "target/wasm32-unknown-unknown/$profile/frontend.wasm" target/site/pkg
mv target/site/pkg/strongbox.wasm "$split/strongbox.wasm"
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir target/site/pkg --out-name strongbox "${bindgen_extra[@]}" "$split/strongbox.wasm"
rm -rf "$split"
cp style/main.css target/site/pkg/strongbox.css

# Compressed copies for the server to send as they are (a release site only: brotli's best
# quality takes seconds on the wasm, which is what makes it worth doing once, here).
rm -f target/site/pkg/*.br target/site/pkg/*.gz
if [ "$profile" = wasm-release ]; then
  # The chunks come with the name section wasm-bindgen drops from the main module.
  for f in target/site/pkg/*.wasm; do
    [ "$f" = target/site/pkg/strongbox_bg.wasm ] || wasm-strip "$f"
  done
  for f in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css; do
    brotli --quality=11 --force --keep "$f"
    gzip --best --force --keep --no-name "$f"
  done
fi
