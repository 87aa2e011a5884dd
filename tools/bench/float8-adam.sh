#!/bin/sh
# Float8 Adam (and other rules) against the float32 step of the same JVM: tools/bench/Float8AB.java with one jar per JVM
# (the same jar as A and B), alternating the jars, each run under the shared bench lock (about 15 s at 1e5, 50 s at 1e8).
# Prints uptime before each run and the harness's loadavg. Huge pages as the launcher asks for them.
# Needs the bench jar(s): mvn -B -ntp -q -DskipTests -Dfuzz.skip=true -Pbench package (cli/target/rmsprop4j.jar).
# Usage: tools/bench/float8-adam.sh "JAR..." [sizes] [threads] [rules] [repeats]
#   defaults: cli/target/rmsprop4j.jar | 1e5 1e8 | 1 2 | adam | 2; rules: adam adamw rmsprop rmsprop-momentum
#   e.g. tools/bench/float8-adam.sh "/tmp/base.jar cli/target/rmsprop4j.jar" 1e5 "1 2" "adam rmsprop-momentum" 2
cd "$(dirname "$0")/../.." || exit 1
jars="${1:-cli/target/rmsprop4j.jar}"
sizes="${2:-1e5 1e8}"
threads="${3:-1 2}"
rules="${4:-adam}"
repeats="${5:-2}"
lock="${BENCH_LOCK:-/work/bench.lock}"
states="${STATES:-fp8-256 fp8-2048}"
thp=""
if [ "${RMSPROP4J_THP:-1}" != 0 ] && grep -qs '\[\(always\|madvise\)\]' /sys/kernel/mm/transparent_hugepage/enabled; then
  thp="-XX:+UseTransparentHugePages"
fi
r=0
while [ "$r" -lt "$repeats" ]; do
  r=$((r + 1))
  for rule in $rules; do
    for n in $sizes; do
      for t in $threads; do
        for jar in $jars; do
          rounds="9 200"
          [ "$n" = 1e8 ] && rounds="5 1000"
          echo "== $jar rule $rule size $n threads $t run $r"
          flock "$lock" sh -c "echo -19 > /proc/self/autogroup 2>/dev/null; uptime; java --add-modules jdk.incubator.vector -Xmx8g $thp -Drule=$rule tools/bench/Float8AB.java $jar $jar $n $t $rounds $states 2>&1 | grep -v -i warning"
        done
      done
    done
  done
done
