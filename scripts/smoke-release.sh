#!/usr/bin/env bash
# Builds the self-contained release binary as scripts/run.sh does (the site inside it), copies
# it alone into an empty directory, and checks that it serves there: health, the sign-in page,
# and the dashboard's wasm, JS and CSS from inside the binary, compressed as a browser asks.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-site.sh --release
cargo build --release -p server --features embed-site

DIR=$(mktemp -d -t strongbox-smoke.XXXXXX)
cp target/release/strongbox "$DIR/"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
cd "$DIR"
export RUST_LOG=warn
echo password-123 | ./strongbox admin --data-dir data create-user admin --superuser >/dev/null
./strongbox serve --data-dir data --listen "127.0.0.1:$PORT" >server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; cd /; rm -rf "$DIR"' EXIT
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done

fail() { echo "smoke-release: $*" >&2; cat server.log >&2; exit 1; }
[ "$(curl -sf "$URL/readyz")" = ready ] || fail "/readyz is not ready"
page=$(curl -sf "$URL/login") || fail "/login did not answer"
# The page names this build's files under /pkg/<version>/.
pkg=$(printf '%s' "$page" | grep -o '/pkg/[0-9a-f]*/strongbox\.js' | head -n 1)
[ -n "$pkg" ] || fail "the sign-in page names no strongbox.js"
base=${pkg%/strongbox.js}
for file in strongbox.js strongbox_bg.wasm strongbox.css; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$URL$base/$file")
  [ "$status" = 200 ] || fail "$base/$file answered $status"
done
encoding=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: br' "$URL$base/strongbox_bg.wasm" |
  tr -d '\r' | sed -n 's/^content-encoding: //Ip')
[ "$encoding" = br ] || fail "the wasm is not served brotli-compressed (content-encoding: '$encoding')"
curl -sf "$URL$base/strongbox_bg.wasm" -o wasm || fail "the wasm did not download"
head -c 4 wasm | od -An -tx1 | grep -q '00 61 73 6d' || fail "the wasm served is not a wasm module"
echo "smoke-release: the self-contained binary serves its dashboard from $DIR with no other file"
