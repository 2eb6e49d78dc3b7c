#!/usr/bin/env bash
# Stops and deletes a cluster started by scripts/pg-up.sh.
set -euo pipefail
DIR=${1:?usage: pg-down.sh PGDATA_DIR}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "$(id -u)" = 0 ]; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null || true
else
  "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null || true
fi
rm -rf "$DIR"
