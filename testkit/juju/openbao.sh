#!/usr/bin/env bash
# Replays Juju's calls (replay.py) against a fresh OpenBao dev server, with and without a
# mount prefix, and checks that the answers are still those recorded in openbao-2.7.2.json:
# the transcript Strongbox's Juju backend is compared with comes from the real thing.
# Needs `bao` (scripts/setup.sh) and hvac (the Python client's test venv, or PYTHON).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
python=${PYTHON:-$root/target/python-client-venv/bin/python}
[ -x "$python" ] || python=python3
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
bao server -dev -dev-root-token-id=root -dev-listen-address="127.0.0.1:$port" >"$log" 2>&1 &
bao_pid=$!
trap 'kill $bao_pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/v1/sys/health" >/dev/null && break
  sleep 0.1
done
status=0
for prefix in "" juju; do
  if ! "$python" replay.py "http://127.0.0.1:$port" root ${prefix:+--mount-prefix "$prefix"} |
    diff -u openbao-2.7.2.json - ; then
    echo "OpenBao's answers to Juju's calls differ from openbao-2.7.2.json (mount prefix '${prefix}')" >&2
    status=1
  fi
done
exit $status
