#!/usr/bin/env bash
# Starts a Strongbox with a fresh data directory and the people and applications the browser
# tests expect. Usage: start-server.sh PORT  (extra STRONGBOX_* variables pass through).
#   model prod: reader (read), writer (write), admin (admin); root is a superuser.
#   applications of prod: mysql, wordpress, redis. Every password is "password-123".
# With E2E_DATABASE=postgres the server uses a fresh database on the PostgreSQL server that
# E2E_POSTGRES_URL names (the data directory then holds only the master key).
set -euo pipefail
cd "$(dirname "$0")"
PORT=${1:?port}
BIN=${STRONGBOX_BIN:-../target/debug/strongbox}
DATA=$(mktemp -d -t strongbox-e2e.XXXXXX)
export RUST_LOG=${RUST_LOG:-warn}
if [ "${E2E_DATABASE:-sqlite}" = postgres ]; then
  : "${E2E_POSTGRES_URL:?E2E_DATABASE=postgres needs E2E_POSTGRES_URL}"
  db="e2e_$(date +%s%N)"
  psql "$E2E_POSTGRES_URL" -qc "create database $db"
  export STRONGBOX_DATABASE_URL="${E2E_POSTGRES_URL%/*}/$db"
fi
admin() { "$BIN" admin --data-dir "$DATA" "$@" >/dev/null; }
for user in reader writer admin; do
  echo password-123 | admin create-user "$user"
done
echo password-123 | admin create-user root --superuser
admin create-model prod
admin set-access prod reader read
admin set-access prod writer write
admin set-access prod admin admin
for app in mysql wordpress redis; do
  admin add-application prod "$app"
done
exec "$BIN" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" --site-root ../target/site
