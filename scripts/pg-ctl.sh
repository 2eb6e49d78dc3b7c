#!/usr/bin/env bash
# Stops or starts again a cluster made by scripts/pg-up.sh, keeping its data and port: the
# database-fault tests take PostgreSQL away under a running server and bring it back. `crash`
# is an immediate stop: what is still in PostgreSQL's WAL buffers is lost, as in a crash.
#   scripts/pg-ctl.sh PGDATA_DIR stop|crash|start
set -euo pipefail
DIR=${1:?usage: pg-ctl.sh PGDATA_DIR stop|crash|start}
ACTION=${2:?usage: pg-ctl.sh PGDATA_DIR stop|crash|start}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$ACTION" in
  stop) as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null ;;
  crash) as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null ;;
  start) as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 start >/dev/null ;;
  *) echo "pg-ctl.sh: stop, crash or start, not $ACTION" >&2; exit 2 ;;
esac
