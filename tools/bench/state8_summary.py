#!/usr/bin/env python3
"""The 8-bit rows of `bench --state ... --json` runs, as the README's table: per thread count, per state (vector path),
the float32 state row's time / this state's time and the `single` float32 step's time / this state's time, per run,
with the ns per value, runs in the order they ran (file times). Usage: state8_summary.py OUT/state-1e8-*.out"""
import json, os, sys
from collections import defaultdict

table = defaultdict(list)
for f in sorted(sys.argv[1:], key=os.path.getmtime):
    rows = json.load(open(f))["rows"]
    single = {r["threads"]: r["ours_ns_per_element"] for r in rows if r["workload"] == "single" and r["elements"] == 100000000}
    fp32 = {r["threads"]: r["ours_ns_per_element"] for r in rows if r["workload"] == "state" and r["state"] == "fp32"}
    for r in rows:
        if r["workload"] == "state" and r["state"] != "fp32" and r["state_path"] == "vector":
            t = r["threads"]
            ns = r["ours_ns_per_element"]
            table[(t, r["state"])].append((fp32[t] / ns, single[t] / ns, ns, fp32[t], single[t]))
for (t, s), runs in sorted(table.items()):
    cells = ", ".join(f"{a:.2f}/{b:.2f} ({ns:.3f} ns; fp32 {f:.3f}, single {g:.3f})" for a, b, ns, f, g in runs)
    print(f"threads {t} {s:18s} {cells}")
