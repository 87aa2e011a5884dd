#!/bin/bash
# Waits for the "far" vCPU state (tools/bench/vcpu_probe.c: a cache-line round trip above 250 ns) and, each time a probe
# says far, runs MlpAB on 2 threads: the staged region (-Drmsprop4j.train.ownedRest=false) against the owned rest.
# MlpAB prints each round's round trip, so the far rounds can be told from the near ones afterwards.
# Needs the CLI jar (mvn -B -ntp -q -DskipTests -Dfuzz.skip=true -Pbench package) and gcc.
# Usage: tools/bench/far_state_ab.sh [SECONDS=900]   (README "Speed", eighth-pass window: "waiting for the far state")
cd "$(dirname "$0")/../.." || exit 1
J=cli/target/rmsprop4j.jar
PROBE=${PROBE:-/tmp/vcpu_probe}
[ -x "$PROBE" ] || gcc -O3 -march=native -fno-math-errno -pthread -o "$PROBE" tools/bench/vcpu_probe.c -lm || exit 1
end=$(( $(date +%s) + ${1:-900} ))
while [ "$(date +%s)" -lt "$end" ]; do
  rt=$("$PROBE" 1e6 1 2>/dev/null | tail -1 | awk '{print $2}')
  echo "$(date -u +%T) probe ${rt:-?} ns load $(cut -d' ' -f1 /proc/loadavg)"
  if [ -n "$rt" ] && awk "BEGIN{exit !($rt > 250)}"; then
    java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 3 $J,rmsprop4j.train.ownedRest=false $J 2>/dev/null \
      | grep -E 'bounced|wall|per round \(median|threads 2'
  else
    sleep 15
  fi
done
