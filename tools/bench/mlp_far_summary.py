#!/usr/bin/env python3
"""Medians of the rounds of tools/bench/MlpAB.java far, far (both round trips above 250 ns) and near (both below 100 ns) apart: per spec
[j] and thread count, the wall seconds per epoch and, for 2-thread runs, each thread's microseconds per batch in the owned-rest
region's phases (Trainer's -Drmsprop4j.train.profile; they include the untimed first epoch of each run).
Usage: tools/bench/mlp_far_summary.py LOG..."""
import re, statistics, sys

walls, prof, names = {}, {}, {}
for path in sys.argv[1:]:
    state, cur = None, None
    for line in open(path):
        m = re.match(r'round \d+: round trip (\d+) -> (\d+) ns(.*)', line)
        if m:
            a, b = float(m.group(1)), float(m.group(2))
            state = 'far' if a > 250 and b > 250 else 'near' if a < 100 and b < 100 else None
            if state:
                for j, t, v in re.findall(r'\[(\d+)\] (\d) thr ([\d.]+)', m.group(3)):
                    walls.setdefault((state, int(j), int(t)), []).append(float(v))
            continue
        m = re.match(r'\[(\d+)\] fused region profile, (\d) threads', line)
        if m:
            cur = (int(m.group(1)), int(m.group(2)))
            continue
        m = re.match(r'\s+thread (\d):(.*)', line)
        if m and state and cur and cur[1] == 2:
            for k, v in re.findall(r'([a-z-]+) ([\d.]+)', m.group(2)):
                prof.setdefault((state, cur[0], int(m.group(1)), k), []).append(float(v))
        m = re.match(r'\[(\d+)\] = (.*)', line)
        if m: names[int(m.group(1))] = m.group(2).strip()
keys = ['first-layer', 'of-which-block-wait', 'of-which-chunk-wait', 'of-which-low-gradient', 'of-which-rest-pass', 'gradient',
        'of-which-part-step', 'of-which-part-copy', 'later-parts-taken', 'end-wait']
for (state, j, t), v in sorted(walls.items()):
    print(f"{state:4s} [{j}] {t} thr: n={len(v)} median {statistics.median(v):.4f} s   {names.get(j, '')}")
    if t == 2:
        for w in (0, 1):
            print(f"        thread {w}: " + '  '.join(f"{k.replace('of-which-', '')} {statistics.median(prof[(state, j, w, k)]):.1f}"
                                              for k in keys if (state, j, w, k) in prof))
