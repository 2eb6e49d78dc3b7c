"""Prints bench/run's tables: each figure's two rounds, Strongbox beside OpenBao, with ratios. The
production-shaped mixed workload leads; the single-secret read is the ceiling.
Usage: report.py RESULTS RSS_MIB "FIRST REPEAT" LABEL DATABASE [PG_CPU]"""
import os
import sys
from collections import defaultdict

results, rss, load, label, database = sys.argv[1:6]
cpu = defaultdict(list)
if len(sys.argv) > 6:
    for line in open(sys.argv[6]):
        name, ms = line.split()
        cpu[name].append(int(ms))
runs = defaultdict(list)
for line in open(results):
    name, rate, p50, p99, errors = line.split()
    runs[name].append((float(rate), float(p99), int(errors), float(p50)))


def fig(name):
    r = runs.get(name, [])
    if not r:
        return "—"
    rates = "–".join(f"{x[0]:,.0f}" for x in r)
    p99s = "–".join(f"{x[1]:.1f}" for x in r)
    bad = sum(x[2] for x in r)
    return f"{rates} req/s, p99 {p99s} ms" + (f", {bad} failed (not 2xx, or socket errors)" if bad else "")


def alone(name):
    """One request at a time: what a single user waits."""
    r = runs.get(name, [])
    if not r:
        return "—"
    return "p50 " + "–".join(f"{x[3]:.1f}" for x in r) + " ms, p99 " + "–".join(f"{x[1]:.1f}" for x in r) + " ms"


def best(name):
    return max((x[0] for x in runs.get(name, [])), default=0.0)


def worst_p99(name):
    return max((x[1] for x in runs.get(name, [])), default=float("nan"))


first, repeat = (int(x) for x in load.split())
print(f"## bench/run: {label}, {database}")
print()
tokens, secrets = os.environ.get("MIXED_SHAPE", "1000 10000").split()
print(f"The mixed workload: {int(tokens):,} tokens of the applications reading {int(secrets):,} secrets (Zipf), "
      "5 % updates, one grant change in 1,000 requests, 16 connections (bench/src/mixed).")
print()
print("| figure | OpenBao 2.7.2 (raft, file audit) | Strongbox | Strongbox ÷ OpenBao |")
print("|---|---|---|---|")
def beside(what, sb, bao):
    """A table row: OpenBao's figure, Strongbox's, the ratio of the rates and both p99s."""
    r = best(sb) / best(bao) if best(bao) else float("nan")
    print(f"| {what} | {fig(bao)} | {fig(sb)} | {r:.2f}× the rate; "
          f"p99 {worst_p99(sb):.1f} vs {worst_p99(bao):.1f} ms |")


for kind in ("read", "update"):
    beside(f"mixed workload, {kind}s", f"sb-mixed-{kind}", f"bao-mixed-{kind}")
pair = [a[0] + b[0] for a, b in zip(runs.get("pair-a-mixed-read", []), runs.get("pair-b-mixed-read", []))]
if pair:
    print(f"| two nodes on the one PostgreSQL, mixed reads, 8 connections each (total) | — | "
          + "–".join(f"{x:,.0f}" for x in pair) + f" req/s | {max(pair) / best('sb-mixed-read'):.2f}× one node |")
print()
if best("sb-read-64"):
    print("Each peer's capacity: the same figures over 64 connections, where neither waits on the client.")
    print()
    print("| figure, 64 connections | OpenBao 2.7.2 (raft, file audit) | Strongbox | Strongbox ÷ OpenBao |")
    print("|---|---|---|---|")
    beside("mixed workload, reads", "sb-64-mixed-read", "bao-64-mixed-read")
    beside("mixed workload, updates", "sb-64-mixed-update", "bao-64-mixed-update")
    beside("application content read", "sb-read-64", "bao-read-64")
    print()
if cpu:
    def per_thousand(cpu_name, run_names):
        done = [sum(x[0] for x in runs.get(n, [])) for n in run_names]
        rounds = cpu.get(cpu_name, [])
        if not rounds or not sum(done):
            return "—"
        secs = float(sys.argv[7]) if len(sys.argv) > 7 else 10.0
        return f"{sum(rounds) / (sum(done) * secs / 1000):.1f} ms"
    print("PostgreSQL's CPU time per 1,000 requests (its processes' user + system time over the run):")
    print()
    print("| run | PostgreSQL CPU per 1,000 |")
    print("|---|---|")
    print(f"| single-secret read | {per_thousand('sb-read', ['sb-read'])} |")
    print(f"| update | {per_thousand('sb-update', ['sb-update'])} |")
    print(f"| Juju agent read | {per_thousand('sb-juju-read', ['sb-juju-read'])} |")
    print(f"| mixed workload (reads and updates together) | {per_thousand('sb-mixed', ['sb-mixed-read', 'sb-mixed-update'])} |")
    print(f"| two nodes, mixed | {per_thousand('pair-mixed', ['pair-a-mixed-read', 'pair-a-mixed-update', 'pair-b-mixed-read', 'pair-b-mixed-update'])} |")
    print()
    print("The single-secret read is the ceiling: one token, one secret, nothing writing.")
    print()
print("| figure | OpenBao 2.7.2 (raft, file audit) | Strongbox | Strongbox ÷ OpenBao |")
print("|---|---|---|---|")
beside("application content read", "sb-read", "bao-read")
vault = best("sb-vault-read")
if vault:
    print(f"| the same read through the Vault API (`/v1/strongbox/data/…`) | {fig('bao-read')} | "
          f"{fig('sb-vault-read')} | {vault / best('bao-read'):.2f}× the rate; "
          f"{vault / best('sb-read'):.2f}× Strongbox's own read |")
juju = best("sb-juju-read")
if juju:
    print(f"| a Juju unit agent's read of its secret (KV v1 key, policy-bound child token) | "
          f"{fig('bao-juju-read')} | {fig('sb-juju-read')} | {juju / best('bao-juju-read'):.2f}× the rate; "
          f"p99 {worst_p99('sb-juju-read'):.1f} vs {worst_p99('bao-juju-read'):.1f} ms |")
print(f"| update → new revision | — | {fig('sb-update')} | |")
event = runs.get("sb-event", [])
if event:
    count, p99, missed, p50 = int(event[0][0]), event[0][1], event[0][2], event[0][3]
    print(f"| update → `secret-changed` at a consumer (SSE), one at a time | — | "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms over {count} updates"
          + (f", {missed} not heard within 5 s" if missed else "") + " | |")
print(f"| secrets page, SSR, signed in | — | {fig('sb-page')} | |")
print(f"| search by a rare term, SSR | — | {fig('sb-search')} | |")
print(f"| the same, one request at a time | — | {alone('sb-search-alone')} | |")
print(f"| search by a term every secret has, SSR | — | {fig('sb-search-common')} | |")
print(f"| access review page (every grant, first 100 rows), SSR | — | {fig('sb-review')} | |")
print(f"| the same, one request at a time | — | {alone('sb-review-alone')} | |")
print(f"| the review filtered to grants behind, one at a time | — | {alone('sb-review-behind-alone')} | |")
print(f"| first load of /login on the wire; repeat visit | — | {first:,} B; {repeat:,} B | |")
print(f"| server RSS after the load | — | {rss} MiB | |")
print()
print(f"Reference, OpenBao dev server (in memory, no audit): {fig('bao-dev-read')}.")
