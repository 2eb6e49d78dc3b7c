"""Bytes on the wire for a first visit to /login (HTML, JS, wasm, CSS, accepting br and gzip as a
browser does), and for a repeat visit: a file marked `immutable` is not asked for again; any other
is, with the validators it came with (If-None-Match / If-Modified-Since), and a 304 costs
nothing but its headers.
Prints `first-bytes repeat-bytes`."""
import re
import sys
import urllib.error
import urllib.request

base = sys.argv[1]


def fetch(path, extra=None):
    headers = {"Accept-Encoding": "br, gzip", **(extra or {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as res:
            return res.read(), res.headers
    except urllib.error.HTTPError as answer:
        if answer.code == 304:
            return b"", answer.headers
        raise


html, _ = fetch("/login")
first = repeat = len(html)
assets = sorted(set(re.findall(r'(/pkg/[^"\'\s>]+)', html.decode())))
if not any(a.endswith(".wasm") for a in assets):
    assets += [a.replace(".js", "_bg.wasm") for a in assets if a.endswith(".js")]
for path in assets:
    body, headers = fetch(path)
    first += len(body)
    if "immutable" in headers.get("Cache-Control", ""):
        continue
    validators = {}
    if headers.get("ETag"):
        validators["If-None-Match"] = headers["ETag"]
    if headers.get("Last-Modified"):
        validators["If-Modified-Since"] = headers["Last-Modified"]
    again, _ = fetch(path, validators)
    repeat += len(again)
print(first, repeat)
