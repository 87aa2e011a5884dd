#!/bin/bash
# Issue 15, 2 threads at 1e7: N back-to-back `bench --sizes 1e7 --threads 2 --no-torch --json` runs (ours and C in
# 5 alternating rounds each), one line per run with the load average, the host's steal time over the run, ours/C
# (medians over rounds) and each round's ours/C; then ThreadsAB with the guided and the old even block plans.
# Usage: tools/bench/threads2.sh [N=10] [extra bench options...]   (needs cli/target/rmsprop4j.jar and, for
# ThreadsAB, bench/target/benchmarks.jar: mvn -B -ntp -Pbench -DskipTests package)
# PRIO=1 runs each command in a session of its own at autogroup nice -19 (see README: with the kernel's
# sched_autogroup, other sessions' `nice 19` builds otherwise get the same CPU share as the benchmark).
cd "$(dirname "$0")/../.."
N=${1:-10}; shift
J=cli/target/rmsprop4j.jar
run() { if [ "${PRIO:-0}" = 1 ]; then setsid bash -c 'echo -19 > /proc/self/autogroup && exec "$@"' prio "$@"; else "$@"; fi; }
steal() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat; }
for i in $(seq 1 "$N"); do
  read -r t0 s0 < <(steal); l0=$(cut -d' ' -f1 /proc/loadavg); start=$(date -u +%T)
  out=$(run java -jar $J bench --sizes 1e7 --threads 2 --no-torch --json "$@" 2>/dev/null)
  read -r t1 s1 < <(steal)
  echo "$out" | python3 -c '
import json, sys
start, l0, l1, st = sys.argv[1:5]
for r in json.load(sys.stdin)["rows"]:
    if r["workload"] == "single":
        rounds = " ".join("%.2f" % x for x in r.get("ours_vs_c_round", []))
        print("%s load %s->%s steal %s%%  ours %.3f C %.3f ns/el  ours/C %.2f  rounds [%s]  worker %.0f%% late %.0f%%" % (start, l0, l1, st,
              r["ours_ns_per_element"], r["c_ns_per_element"], r["ours_vs_c"], rounds,
              100 * (r.get("ours_worker_block_share") or 0), 100 * (r.get("ours_worker_late_start_share") or 0)))
' "$start" "$l0" "$(cut -d' ' -f1 /proc/loadavg)" "$(awk -v a=$t0 -v b=$t1 -v c=$s0 -v d=$s1 'BEGIN{printf "%.1f", (b-a)?100*(d-c)/(b-a):0}')"
done
if [ -f bench/target/benchmarks.jar ] && [ "${AB:-1}" = 1 ]; then
  CBIN=${CBIN:-/tmp/rmsprop_bench}; gcc -O3 -march=native -fopenmp -o "$CBIN" bench/native/rmsprop_bench.c -lm || exit 1
  for n in 1e6 1e7 1e8; do
    echo "== ThreadsAB $n (ours 1 thread; ours 2 threads, guided and even blocks; C 2 threads), $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
    run java -cp bench/target/benchmarks.jar org.rmsprop4j.bench.ThreadsAB $n 2 5 600 "$CBIN" pg-opt guided,even
  done
fi
