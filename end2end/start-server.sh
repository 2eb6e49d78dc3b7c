#!/usr/bin/env bash
# Starts a Strongbox with a fresh data directory and the people and applications the browser
# tests expect. Usage: start-server.sh PORT  (extra STRONGBOX_* variables pass through).
#   model prod: reader (read), writer (write), admin (admin); root is a superuser.
#   applications of prod: mysql, wordpress, redis, and relay, whose webhook is disabled (as a
#   day of failed deliveries leaves one). Every password is "password-123".
#   a Juju backend "ops", whose token is left in $TMPDIR/strongbox-e2e-juju-token-PORT for
#   juju.spec.ts (outside test-results, which Playwright empties when a run starts).
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
admin add-application prod relay
"$BIN" admin --data-dir "$DATA" juju-backend-token ops >"${TMPDIR:-/tmp}/strongbox-e2e-juju-token-$PORT"

# relay's webhook is set as an admin sets one, through a first server, then marked disabled in
# the database while no server runs: the state the dashboard's Enable button is for.
"$BIN" serve --data-dir "$DATA" --listen 127.0.0.1:0 >"$DATA/first-start.out" &
first=$!
for _ in $(seq 300); do
  grep -q '^strongbox listening on ' "$DATA/first-start.out" && break
  sleep 0.1
done
url=$(sed -n 's/^strongbox listening on //p' "$DATA/first-start.out")
export XDG_CONFIG_HOME=$DATA/cli
echo password-123 | "$BIN" login "$url" -u admin >/dev/null
"$BIN" set-webhook relay https://hooks.example/relay -m prod >/dev/null
kill "$first"
wait "$first" || true
disable="update app_webhook set disabled_at = $(date +%s)000, failures = 8, last_error = 'http 503'"
if [ "${E2E_DATABASE:-sqlite}" = postgres ]; then
  psql "$STRONGBOX_DATABASE_URL" -qc "$disable"
else
  python3 -c 'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(sys.argv[2]); db.commit()' \
    "$DATA/strongbox.db" "$disable"
fi

exec "$BIN" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" --site-root ../target/site
