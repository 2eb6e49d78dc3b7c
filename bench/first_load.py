"""Bytes on the wire for a first visit to /login (HTML, JS, wasm, CSS, accepting br and gzip as a
browser does; the modules the page's scripts import statically are followed, as a browser must
fetch them before it runs anything), and for a repeat visit: a file marked `immutable` is not asked for again; any other
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
seen = set()
while assets:
    path = assets.pop(0)
    if path in seen:
        continue
    seen.add(path)
    body, headers = fetch(path)
    if path.endswith(".js"):
        # `import … from "./x.js"`: a static import, relative to this module. The text is read
        # uncompressed, apart from the bytes counted.
        folder = path.rsplit("/", 1)[0]
        text, _ = fetch(path, {"Accept-Encoding": "identity"})
        for module in re.findall(r'^import[^;\n]*from\s*"\./([^"]+)"', text.decode(), re.M):
            assets.append(f"{folder}/{module}")
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
