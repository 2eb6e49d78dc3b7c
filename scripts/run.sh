#!/usr/bin/env bash
# Builds the self-contained release binary (site inside) and runs `strongbox serve` on the
# embedded SQLite default in ./strongbox-data.
# On first start it creates the data directory, the database and the master key; if there is no
# user yet it creates a superuser `admin` and prints its password once.
# Extra arguments go to `strongbox serve` (for example --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-site.sh --release
cargo build --release -p server --features embed-site
BIN=target/release/strongbox
DATA_DIR=${STRONGBOX_DATA_DIR:-./strongbox-data}

if [ ! -f "$DATA_DIR/strongbox.db" ]; then
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
  printf '%s\n' "$password" | "$BIN" admin --data-dir "$DATA_DIR" create-user admin --superuser
  "$BIN" admin --data-dir "$DATA_DIR" create-model default >/dev/null
  "$BIN" admin --data-dir "$DATA_DIR" set-access default admin admin >/dev/null
  printf '\nFirst start: superuser "admin" has password: %s\n(shown once; change it under Users)\n\n' "$password"
fi
exec "$BIN" serve --data-dir "$DATA_DIR" "$@"
