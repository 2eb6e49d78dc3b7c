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
# Built apart, then only what changed is copied into pkg: the self-contained binary embeds
# these files, and a file rewritten with the same bytes would rebuild the server on every
# `scripts/run.sh`.
fresh=target/site/pkg.fresh
split=target/site/split
rm -rf "$fresh" "$split"
mkdir -p "$fresh" "$split" target/site/pkg
# The chunks and their loader (__wasm_split.js) go straight to the output; the main module
# still needs wasm-bindgen, which must keep the exports the chunks import from it.
wasm-split-cli --target web --out-name strongbox \
  "target/wasm32-unknown-unknown/$profile/frontend.wasm" "$fresh"
mv "$fresh/strongbox.wasm" "$split/strongbox.wasm"
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$fresh" --out-name strongbox "${bindgen_extra[@]}" "$split/strongbox.wasm"
rm -rf "$split"
cp style/main.css "$fresh/strongbox.css"
if [ "$profile" = wasm-release ]; then
  # The chunks come with the name section wasm-bindgen drops from the main module.
  for f in "$fresh"/*.wasm; do
    [ "$f" = "$fresh/strongbox_bg.wasm" ] || wasm-strip "$f"
  done
fi

# Into pkg: new and changed files; files no longer built go.
for f in "$fresh"/*; do
  name=$(basename "$f")
  cmp -s "$f" "target/site/pkg/$name" || cp "$f" "target/site/pkg/$name"
done
for f in target/site/pkg/*; do
  case "$f" in *.br | *.gz) f=${f%.*} ;; esac
  [ -e "$fresh/$(basename "$f")" ] || rm -f "$f" "$f.br" "$f.gz"
done
rm -rf "$fresh"

# Compressed copies for the server to send as they are (a release site only: brotli's best
# quality takes seconds on the wasm, which is what makes it worth doing once, here), made
# again only for a file that changed.
if [ "$profile" = wasm-release ]; then
  for f in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css; do
    # (Both tools give the copy the original's time; touched, it tells that it is newer.)
    [ "$f.br" -nt "$f" ] || { brotli --quality=11 --force --keep "$f" && touch "$f.br"; }
    [ "$f.gz" -nt "$f" ] || { gzip --best --force --keep --no-name "$f" && touch "$f.gz"; }
  done
else
  rm -f target/site/pkg/*.br target/site/pkg/*.gz
fi
