#!/usr/bin/env bash
# Runs every test Strongbox has: formatting, lints for the server and the wasm build, and the
# test suites. This is the README's test command; CI runs it from .ci/run on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
start=$(date +%s)

step "toolchain"
scripts/setup.sh --with-tests

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (server build, all targets)"
cargo clippy --all-targets -- -D warnings

step "cargo clippy (browser build: frontend, app with hydrate, domain)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "cargo deny: licences, bans, sources (deny.toml; advisories need GitHub, out of reach here)"
cargo deny check licenses bans sources

step "the client crates link no server code (cargo tree)"
for crate in api-types strongbox-client strongbox-cli terraform-provider-strongbox; do
  # (axum 0.7 is tonic's, under the Terraform plugin protocol; the server's is 0.8.)
  if cargo tree -p "$crate" -e normal --prefix none | grep -E '^(sqlx|backend|leptos|server) |^axum v0\.8' ; then
    echo "$crate depends on server code (above)" >&2
    exit 1
  fi
done

step "PostgreSQL for the storage suite"
eval "$(scripts/pg-up.sh)"
trap 'scripts/pg-down.sh "$PGDATA_DIR"' EXIT
export TEST_POSTGRES_URL=$PG_URL

step "tests (SQLite and PostgreSQL)"
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --no-fail-fast
else
  cargo test --no-fail-fast
fi

step "the Python client (fresh venv, mypy --strict, pytest against the built server)"
scripts/python-client-test.sh

step "Juju's vault-backend calls replayed against OpenBao (the transcript Strongbox is held to)"
testkit/juju/openbao.sh
step "Juju's vault-backend calls replayed against Strongbox on SQLite and PostgreSQL (same answers as OpenBao)"
testkit/juju/strongbox.sh

step "browser tests (Playwright on Debian's Chromium)"
scripts/build-site.sh
# The server's integration tests above built target/debug/strongbox with this run's features;
# building it again with `-p server` alone would change the feature set and rebuild half the tree.
test -x target/debug/strongbox
# One Playwright project per database: SQLite, and PostgreSQL on the cluster started above.
(cd end2end && E2E_POSTGRES_URL=$TEST_POSTGRES_URL npx playwright test)

step "API fuzzing (schemathesis against /api/v1/openapi.json)"
scripts/api-contract.sh

step "the self-contained release binary (scripts/run.sh's build), served from an empty directory"
scripts/smoke-release.sh

step "bench smoke run (bench/run --quick: debug builds, small data; keeps the bench working)"
bench/run --quick

step "done in $(( $(date +%s) - start )) s"
