"""Bytes on the wire for a first visit to /login (HTML, JS, wasm, CSS, as a browser asks for
them, accepting br and gzip), and for a repeat visit (what the cache headers let it skip).
Prints `first-bytes repeat-bytes`."""
import re
import sys
import urllib.request

base = sys.argv[1]


def fetch(path):
    req = urllib.request.Request(base + path, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(req) as res:
        return res.read(), res.headers


html, _ = fetch("/login")
first = repeat = len(html)
assets = sorted(set(re.findall(r'(/pkg/[^"\'\s>]+)', html.decode())))
if not any(a.endswith(".wasm") for a in assets):
    assets += [a.replace(".js", "_bg.wasm") for a in assets if a.endswith(".js")]
for path in assets:
    body, headers = fetch(path)
    first += len(body)
    cache = headers.get("Cache-Control", "")
    if "immutable" not in cache and "max-age" not in cache:
        repeat += len(body)
print(first, repeat)
