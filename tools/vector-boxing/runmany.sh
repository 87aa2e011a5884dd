#!/bin/sh
# Runs one JVM program N times, P at a time, niced in the lowest autogroup, one output file per JVM, and counts results.
# usage: tools/vector-boxing/runmany.sh OUTDIR N P java-args...   (each JVM's stdout+stderr: OUTDIR/run-I.txt)
# A run counts as failing if its output has "RESULT fail" or "BOXED".
set -u
out=$1; n=$2; p=$3; shift 3
mkdir -p "$out"
echo 19 > /proc/self/autogroup 2>/dev/null || true
i=1
while [ "$i" -le "$n" ]; do
  j=0
  while [ "$j" -lt "$p" ] && [ "$i" -le "$n" ]; do
    nice -n 19 "$@" > "$out/run-$i.txt" 2>&1 &
    i=$((i + 1)); j=$((j + 1))
  done
  wait
done
fail=$(grep -l -e "RESULT fail" -e "BOXED" "$out"/run-*.txt | wc -l)
echo "$out: $fail of $n failed (load $(cut -d' ' -f1-3 /proc/loadavg))"
