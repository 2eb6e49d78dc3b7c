"""Reads wrk --latency output on stdin; prints `NAME requests-per-second p50-ms p99-ms non-2xx`."""
import re
import sys

text = sys.stdin.read()
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
rate = re.search(r"Requests/sec:\s+([\d.]+)", text)


def percentile(p):
    m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    return float(m.group(1)) * scale[m.group(2)] if m else float("nan")


errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print(sys.argv[1], rate.group(1) if rate else "0", f"{percentile(50):.2f}", f"{percentile(99):.2f}",
      errors.group(1) if errors else "0")
