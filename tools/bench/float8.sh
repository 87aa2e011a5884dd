#!/bin/sh
# The float8-map measurements of docs/speed-history.md, "8-bit state with a float8 map" and "8-bit state: one vector width":
# float32, both 8-bit maps and the C loops (float32 and 8-bit, per map) in one `bench --state` run per size, thread
# count and vector width, each run under the shared bench lock ($BENCH_LOCK, default /tmp/rmsprop4j-bench.lock; at most
# ~2 minutes each). Every run also prints the `single` workload's float32 step of the same JVM (the table above the
# state rows): report the 8-bit rows against both float32 rows.
# Needs the bench jar: mvn -B -ntp -q -DskipTests -Dfuzz.skip=true -Pbench package
# JAR=path runs another build of the CLI jar (e.g. a copy of main's, for a before/after in alternating JVMs); JSON=1
# prints the JSON rows instead of the table. Huge pages as the launcher asks for them (RMSPROP4J_THP=0: 4 KiB pages).
# Usage: tools/bench/float8.sh [sizes] [threads] [widths] [repeats]
#   defaults: 1e6 1e7 1e8 | 1 2 | default (the JVM's preferred width; or e.g. "512 256" for an A/B, one JVM each) | 1
cd "$(dirname "$0")/../.." || exit 1
sizes="${1:-1e6 1e7 1e8}"
threads="${2:-1 2}"
widths="${3:-default}"
repeats="${4:-1}"
lock="${BENCH_LOCK:-/work/bench.lock}"
states="${STATES:-fp8-256,fp8-2048,fp8-256-unbiased,8bit-256}"
jar="${JAR:-cli/target/rmsprop4j.jar}"
json=""
[ "${JSON:-0}" = 1 ] && json="--json"
thp=""
if [ "${RMSPROP4J_THP:-1}" != 0 ] && grep -qs '\[\(always\|madvise\)\]' /sys/kernel/mm/transparent_hugepage/enabled; then
  thp="-XX:+UseTransparentHugePages"
fi
r=0
while [ "$r" -lt "$repeats" ]; do
  r=$((r + 1))
  for n in $sizes; do
    for t in $threads; do
      for w in $widths; do
        prop=""
        [ "$w" = default ] || prop="-Drmsprop4j.vector.bits=$w"
        echo "== size $n threads $t width $w run $r jar $jar"
        flock "$lock" sh -c "echo -19 > /proc/self/autogroup 2>/dev/null; uptime; java --add-modules=jdk.incubator.vector -Xmx6g $thp $prop -jar $jar bench --repo . --state $states --sizes $n --threads $t --no-torch $json; uptime"
      done
    done
  done
done
