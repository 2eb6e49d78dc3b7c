"""Reads wrk --latency output on stdin; prints `NAME requests-per-second p50-ms p99-ms errors`.

Errors are the answers that were not 2xx (counted by bench/statuses.lua, 3xx included) plus
wrk's socket errors (connect, read, write, timeout): a request that failed is never a request
served."""
import re
import sys

text = sys.stdin.read()
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
rate = re.search(r"Requests/sec:\s+([\d.]+)", text)


def percentile(p):
    m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    return float(m.group(1)) * scale[m.group(2)] if m else float("nan")


counted = re.search(r"^answers not 2xx: (\d+)", text, re.M)
if counted is None:
    sys.exit(f"{sys.argv[1]}: wrk ran without bench/statuses.lua; no count of failed answers")
socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = int(counted.group(1)) + (sum(int(n) for n in socket.groups()) if socket else 0)
print(sys.argv[1], rate.group(1) if rate else "0", f"{percentile(50):.2f}", f"{percentile(99):.2f}",
      errors)
