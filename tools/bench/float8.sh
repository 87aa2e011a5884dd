#!/bin/sh
# The float8-map measurements of README "8-bit state with a float8 map": float32, both 8-bit maps and the C loops
# (float32 and 8-bit, per map) in one `bench --state` run per size and thread count, each run under the shared
# bench lock ($BENCH_LOCK, default /tmp/rmsprop4j-bench.lock; at most ~3 minutes each). Needs the bench jar: mvn -B -ntp -q -DskipTests -Dfuzz.skip=true -Pbench package
# Usage: tools/bench/float8.sh [sizes] [threads]    (default: 1e6 1e7 1e8, 1 2)
cd "$(dirname "$0")/../.." || exit 1
sizes="${1:-1e6 1e7 1e8}"
threads="${2:-1 2}"
lock="${BENCH_LOCK:-/tmp/rmsprop4j-bench.lock}"
states=fp8-2048,fp8-256,fp8-256-unbiased,8bit-2048,8bit-256
for n in $sizes; do
  for t in $threads; do
    uptime
    flock "$lock" sh -c "echo -19 > /proc/self/autogroup 2>/dev/null; RMSPROP4J_JAVA_OPTS='-Xmx6g' ./rmsprop4j bench --state $states --sizes $n --threads $t --no-torch"
  done
done
uptime
