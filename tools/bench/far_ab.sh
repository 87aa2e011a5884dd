#!/bin/bash
# As far_state_ab.sh, for any jars or settings: waits for the "far" vCPU state (tools/bench/vcpu_probe.c: a cache-line round
# trip above 250 ns; the probe runs under /work/bench.lock) and, each time a probe says far, runs MlpAB on THREADS threads over
# the given jar specs (JAR[,prop=value...], as MlpAB takes them), under the lock. MlpAB prints each round's round trip, so far
# rounds can be told from near ones afterwards (tools/bench/far_ab_summary.py). With NEAR=1 it runs on near probes instead.
# Usage: tools/bench/far_ab.sh SECONDS THREADS ROUNDS SPEC... > log
#   e.g. tools/bench/far_ab.sh 900 2 10 /tmp/a.jar /tmp/a.jar,rmsprop4j.train.pull=true
cd "$(dirname "$0")/../.." || exit 1
PROBE=${PROBE:-/tmp/vcpu_probe}
[ -x "$PROBE" ] || gcc -O3 -march=native -fno-math-errno -pthread -o "$PROBE" tools/bench/vcpu_probe.c -lm || exit 1
end=$(( $(date +%s) + $1 )); threads=$2; rounds=$3; shift 3
while [ "$(date +%s)" -lt "$end" ]; do
  rt=$(flock /work/bench.lock "$PROBE" 1e6 1 2>/dev/null | tail -1 | awk '{print $2}')
  echo "$(date -u +%T) probe ${rt:-?} ns load $(cut -d' ' -f1 /proc/loadavg)"
  if [ "${NEAR:-0}" = 1 ]; then want="$rt < 100"; else want="$rt > 250"; fi
  if [ -n "$rt" ] && awk "BEGIN{exit !($want)}"; then
    flock /work/bench.lock setsid -w sh -c 'echo -19 > /proc/self/autogroup 2>/dev/null; exec "$@"' sh \
      java --add-modules jdk.incubator.vector tools/bench/MlpAB.java "$threads" "$rounds" 3 "$@" 2>/dev/null \
      | grep -E 'bounced|wall|per round \(median|threads [0-9]'
  else
    sleep 10
  fi
done
