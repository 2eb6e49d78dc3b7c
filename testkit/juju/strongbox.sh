#!/usr/bin/env bash
# Replays Juju's calls (replay.py) against a fresh Strongbox, with and without a mount prefix,
# on SQLite and, when TEST_POSTGRES_URL names a server, on PostgreSQL too; each transcript
# must equal OpenBao's (openbao-2.7.2.json, which openbao.sh checks is still OpenBao's).
# The backend's token comes from `strongbox admin juju-backend-token`, as an operator's does.
# Needs hvac (the Python client's test venv, or PYTHON) and a built server (STRONGBOX_BIN).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
bin=${STRONGBOX_BIN:-$root/target/debug/strongbox}
python=${PYTHON:-$root/target/python-client-venv/bin/python}
[ -x "$python" ] || python=python3
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

status=0
replay_on() {
  local database=$1 data="$work/$1"
  mkdir -p "$data"
  if [ "$database" = postgres ]; then
    local db="juju_replay_$(date +%s%N)"
    psql "$TEST_POSTGRES_URL" -qc "create database $db"
    export STRONGBOX_DATABASE_URL="${TEST_POSTGRES_URL%/*}/$db"
  else
    unset STRONGBOX_DATABASE_URL
  fi
  echo password-123 | "$bin" admin --data-dir "$data" create-user root --superuser >/dev/null
  local token port
  token=$("$bin" admin --data-dir "$data" juju-backend-token juju-replay 2>/dev/null)
  port=$(free_port)
  RUST_LOG=warn "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.1
  done
  for prefix in "" juju; do
    if ! "$python" replay.py "http://127.0.0.1:$port" "$token" ${prefix:+--mount-prefix "$prefix"} |
      diff -u openbao-2.7.2.json -; then
      echo "Strongbox ($database) answers Juju's calls unlike OpenBao (mount prefix '${prefix}')" >&2
      status=1
    fi
  done
}

replay_on sqlite
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  replay_on postgres
elif [ -n "${CI:-}" ]; then
  echo "TEST_POSTGRES_URL is not set: the replay on PostgreSQL did not run" >&2
  exit 1
fi
[ $status = 0 ] && echo "Juju's calls: Strongbox answers as OpenBao 2.7.2 does (SQLite${TEST_POSTGRES_URL:+ and PostgreSQL})"
exit $status
