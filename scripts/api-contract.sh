#!/usr/bin/env bash
# The API against its own OpenAPI document, with three tools from PyPI:
#   - openapi-spec-validator: the document is valid OpenAPI 3.1 (schemathesis is too lenient to
#     tell);
#   - openapi-python-client: a client generated from it adds, shows and reveals a secret
#     (scripts/generated_client.py);
#   - schemathesis: at least 1,000 generated cases, no server error, every documented response
#     matching the document.
# Uses the debug server binary the test build made.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
if ! schemathesis --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

pip_pin() { # package version
  if ! pip show "$1" 2>/dev/null | grep -q "^Version: $2$"; then
    pip install --quiet --disable-pip-version-check "$1==$2"
  fi
}
pip_pin openapi-spec-validator 0.9.0
pip_pin openapi-python-client 0.29.1

BIN=target/debug/strongbox
DATA=$(mktemp -d -t strongbox-fuzz.XXXXXX)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
LOG="$DATA/schemathesis.log"
export RUST_LOG=warn
echo password-123 | "$BIN" admin --data-dir "$DATA" create-user fuzz --superuser >/dev/null
"$BIN" admin --data-dir "$DATA" create-model prod >/dev/null
"$BIN" admin --data-dir "$DATA" add-application prod mysql >/dev/null
"$BIN" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/login" -H 'content-type: application/json' \
  -d '{"username":"fuzz","password":"password-123","label":"schemathesis"}' |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')

curl -sf "http://127.0.0.1:$PORT/api/v1/openapi.json" -o "$DATA/openapi.json"
openapi-spec-validator "$DATA/openapi.json"
openapi-python-client generate --path "$DATA/openapi.json" --meta none --output-path "$DATA/client/strongbox_api_client" >/dev/null
python3 scripts/generated_client.py "http://127.0.0.1:$PORT" "$DATA/client" fuzz password-123

# Revoking its own token or demoting its own user would leave the rest of the run at 401; ending
# a user's sessions revokes their personal tokens too, and the stateful phase learns the fuzzer's
# own name from GET /users.
schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples 40 --seed 20261127 \
  --exclude-name 'DELETE /api/v1/tokens/{token}' \
  --exclude-name 'DELETE /api/v1/tokens/current' \
  --exclude-name 'PATCH /api/v1/users/{user}' \
  --exclude-name 'POST /api/v1/users/{user}/end-sessions' \
  --exclude-name 'DELETE /api/v1/users/{user}/tokens/{token}' | tee "$LOG"

# A run whose token was revoked half way tests little but the 401 path; say so instead of passing.
alive=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/models")
if [ "$alive" != 200 ]; then
  echo "the fuzzer's own token stopped working during the run (GET /models answered $alive)" >&2
  exit 1
fi
generated=$(grep -oE '[0-9]+ generated' "$LOG" | tail -n 1 | cut -d' ' -f1)
if [ "${generated:-0}" -lt 1000 ]; then
  echo "schemathesis generated only ${generated:-0} cases; at least 1000 are required" >&2
  exit 1
fi
echo "schemathesis: ${generated} cases, no server error, no schema violation"
