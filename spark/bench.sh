#!/usr/bin/env bash
# Runs org.rmsprop4j.spark.bench.SparkBench (Spark vs one machine vs MLlib; per-step job cost).
# Usage: spark/bench.sh [MASTER] [ROWS] [REPEATS]   (builds first if needed; defaults local[2] 200000 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -f "$here/spark/target/classpath.txt" ] || (cd "$here" && mvn -q -B -DskipTests -pl spark -am package >&2)
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
sjar="$(ls "$here"/spark/target/rmsprop4j-spark-*.jar | grep -v -e -all.jar | head -n 1)"
exec java $opens -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true -Xmx4g \
  -cp "$sjar:$(cat "$here/spark/target/classpath.txt")" org.rmsprop4j.spark.bench.SparkBench "$@"
