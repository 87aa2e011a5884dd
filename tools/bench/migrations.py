#!/usr/bin/env python3
"""Samples, every 10 ms, how often the scheduler has moved each thread of a JVM between CPUs (/proc/PID/task/TID/sched,
se.nr_migrations) and on which CPU it last ran, for the caller (the "java" thread that is not the launcher's) and the trainer's workers (rmsprop4j-tr*);
prints per `MlpAB.java far` round (matched by CLOCK_MONOTONIC times in its round lines) the migrations of those threads and
the share of samples in which the caller and a worker sat on the same CPU. (issue 15, ninth pass: is the far state's cost
threads moving between the two vCPUs, and their caches with them?)
Usage: tools/bench/migrations.py PID OUT.tsv   (until the JVM exits), then tools/bench/migrations.py --rounds OUT.tsv MLPFAR_LOG"""
import os, re, sys, time

def sample(pid):
    out = []
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            comm = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
            if not (comm.startswith('rmsprop4j-tr') or comm == 'java' and tid != str(pid)):
                continue
            mig = 0
            for line in open(f'/proc/{pid}/task/{tid}/sched'):
                if line.startswith('se.nr_migrations'):
                    mig = int(line.split(':')[1])
            cpu = int(open(f'/proc/{pid}/task/{tid}/stat').read().rsplit(')', 1)[1].split()[36])
            out.append((tid, comm, mig, cpu))
        except (OSError, ValueError, IndexError):
            pass
    return out

if sys.argv[1] == '--rounds':
    rows = [l.split('\t') for l in open(sys.argv[2])]
    for line in open(sys.argv[3]):
        m = re.match(r'(round \d+: round trip \d+ -> \d+ ns).*monotonic ([\d.]+)-([\d.]+) s', line)
        if not m: continue
        a, b = float(m.group(2)), float(m.group(3))
        inside = [r for r in rows if a <= float(r[0]) <= b]
        first, last, same, n = {}, {}, 0, 0
        for r in inside:
            t, tid, comm, mig, cpu = float(r[0]), r[1], r[2], int(r[3]), int(r[4])
            first.setdefault((tid, comm), mig); last[(tid, comm)] = mig
        by_t = {}
        for r in inside: by_t.setdefault(r[0], []).append((r[2], int(r[4])))
        for t, th in by_t.items():
            callers = [c for comm, c in th if not comm.startswith('rmsprop4j-tr')]
            workers = [c for comm, c in th if comm.startswith('rmsprop4j-tr')]
            if callers and workers:
                n += 1; same += any(w == callers[0] for w in workers)
        migs = sum(last[k] - first[k] for k in last)
        print(f"{m.group(1)}: {migs} migrations of caller+workers, same CPU in {same}/{n} samples")
    sys.exit(0)
pid, out = sys.argv[1], open(sys.argv[2], 'w')
while os.path.exists(f'/proc/{pid}'):
    t = time.monotonic()
    for tid, comm, mig, cpu in sample(pid):
        out.write(f"{t:.3f}\t{tid}\t{comm}\t{mig}\t{cpu}\n")
    time.sleep(0.01)
