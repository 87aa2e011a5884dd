#!/usr/bin/env python3
"""Medians of MlpAB rounds split by the vCPU state (issue 15): reads MlpAB outputs (e.g. far_ab.sh logs), takes each round's
cache-line round trip (MlpAB's "bounced" line: far above 250 ns, near below 100 ns, others left out) and each spec's
per-round medians, and prints per spec and state the median of the rounds, their count, and the ratio to an sgemm limit.
Usage: tools/bench/far_ab_summary.py [--limit SECONDS=0.018] LOG...   (the limit: bench --mlp's sgemm_limit_seconds_per_epoch)"""
import re, statistics, sys

args = sys.argv[1:]
limit = 0.018
if args and args[0] == '--limit':
    limit = float(args[1]); args = args[2:]
by = {}   # spec -> state -> [seconds]
order = []
for path in args:
    pings, spec = None, None
    for line in open(path):
        if 'bounced between two threads' in line:
            pings = [float(v) for v in line.split(':')[-1].split()]
        m = re.match(r'^(\S+)\s+wall ', line)
        if m:
            spec = m.group(1)
            if spec not in order: order.append(spec)
        if line.strip().startswith('per round (median of its epochs):') and spec and pings:
            vals = [float(v) for v in line.split(':')[-1].split()]
            for rt, v in zip(pings, vals):
                state = 'far' if rt > 250 else 'near' if rt < 100 else None
                if state: by.setdefault(spec, {}).setdefault(state, []).append(v)
for state in ('near', 'far'):
    base = None
    for spec in order:
        v = by.get(spec, {}).get(state, [])
        if not v: continue
        med = statistics.median(v)
        base = base or med
        print(f"{state:4s} {spec:90s} n={len(v):3d} median {med:.4f} s  {med / limit:.2f}x limit  {med / base:.3f} of the first")
