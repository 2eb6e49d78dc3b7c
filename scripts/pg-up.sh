#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on a free local port and prints the variables to use it:
#   eval "$(scripts/pg-up.sh)"   ->  PG_URL, PGDATA_DIR
# Stop it with scripts/pg-down.sh "$PGDATA_DIR". PostgreSQL refuses to run as root, so the
# cluster belongs to the `postgres` user when we are root.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
DIR=$(mktemp -d -t sbpg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
chmod 700 "$DIR"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
# The settings go into the cluster's own configuration, so scripts/pg-ctl.sh restarts it as it was.
cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres strongbox
echo "export PGDATA_DIR=$DIR PG_PORT=$PORT PG_URL=postgres://postgres@127.0.0.1:$PORT/strongbox"
