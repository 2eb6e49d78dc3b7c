"""Reads wrk --latency output on stdin; prints `NAME requests-per-second p99-ms non-2xx`."""
import re
import sys

text = sys.stdin.read()
rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", text, re.M)
errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
print(sys.argv[1], rate.group(1) if rate else "0", f"{ms:.2f}", errors.group(1) if errors else "0")
