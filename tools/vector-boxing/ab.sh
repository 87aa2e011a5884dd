#!/bin/sh
# A/B of the dynamic map's 8-bit step: the kernels before the fix (Blockwise8Vector and QuantizedState at commit $BASE,
# default ef9fd0c, compiled over this tree's jar) against this tree's jar, alternating JVMs, each under the bench lock.
# Run from the worktree after `mvn -B -ntp -q -DskipTests -Dfuzz.skip=true -Pbench package`.
# Env: BASE (commit), ROUNDS (default 2), SIZES (default 1e6,1e7), BENCH_LOCK (default /work/bench.lock).
set -eu
BASE=${BASE:-ef9fd0c}; ROUNDS=${ROUNDS:-2}; SIZES=${SIZES:-1e6,1e7}; LOCK=${BENCH_LOCK:-/work/bench.lock}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cp cli/target/rmsprop4j.jar "$T/new.jar"
mkdir -p "$T/src" "$T/old"
git show "$BASE:core/src/main/java/org/rmsprop4j/kernel/Blockwise8Vector.java" > "$T/src/Blockwise8Vector.java"
git show "$BASE:core/src/main/java/org/rmsprop4j/optim/QuantizedState.java" > "$T/src/QuantizedState.java"
javac --add-modules jdk.incubator.vector --release 17 -nowarn -d "$T/old" -cp "$T/new.jar" "$T/src/Blockwise8Vector.java" "$T/src/QuantizedState.java" 2>&1 | grep -v '^Note\|^warning\|incubating' || true
r=1
while [ "$r" -le "$ROUNDS" ]; do
  for v in old new; do
    CP="$T/new.jar"; [ "$v" = old ] && CP="$T/old:$T/new.jar"
    echo "=== round $r $v $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    flock "$LOCK" java --add-modules=jdk.incubator.vector -Xmx3g -cp "$CP" org.rmsprop4j.cli.Main bench --state 8bit-256 --sizes "$SIZES" --no-torch 2>/dev/null \
      | grep -E '^(8bit-256/vec|fp32) '
  done
  r=$((r + 1))
done
