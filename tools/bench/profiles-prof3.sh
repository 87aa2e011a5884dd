#!/bin/sh
# Issue 15, third session: the profile forms changed on branch prof3 (Tribuo; float64 MKL sqrt; momentum and centered forms),
# timed by ProfileAB against the fused PyTorch 1.13 kernel in the same rounds: OLD core (if OLD is set), the new core without the
# Vector API module (N) and with it (V). Each group holds the bench lock for under a minute.
#   mvn -B -ntp -q -DskipTests -Dfuzz.skip=true -Pbench package
#   OLD=/path/to/main-benchmarks.jar sh tools/bench/profiles-prof3.sh        (OLD: main's bench jar, built the same way; optional)
NEW=${NEW:-bench/target/benchmarks.jar}
run() {  # $1 = args for ProfileAB
  flock "${BENCH_LOCK:-/tmp/rmsprop4j-bench.lock}" sh -c "uptime
    [ -n \"$OLD\" ] && { echo '== old'; java -Xmx6g -cp $OLD org.rmsprop4j.bench.ProfileAB $1; }
    echo '== new, no Vector API'; java -Xmx6g -cp $NEW org.rmsprop4j.bench.ProfileAB $1
    echo '== new, Vector API'; java -Xmx6g --add-modules jdk.incubator.vector -cp $NEW org.rmsprop4j.bench.ProfileAB $1" 2>&1 | grep -v WARNING
}
run "1e6 fp32 1 7 fused plain pytorch,tribuo,keras,optax,pytorch_2_13"
run "1e7 fp32 1 3 fused plain pytorch,tribuo"
run "1e6 fp64 1 7 fused plain pytorch,tribuo,pytorch_2_13,timm_tf"
run "1e7 fp64 1 3 fused plain pytorch,tribuo,pytorch_2_13,timm_tf"
run "1e6 fp32 1 7 fused momentum pytorch,keras,optax,keras_3_xla,pytorch_2_13,timm_tf"
run "1e6 fp32 1 7 fused centered-momentum pytorch,keras,tf1,tfjs,pytorch_2_13"
run "1e6 fp64 1 7 fused centered-momentum pytorch,keras,tf1,tfjs"
run "1e7 fp32 2 3 fused plain pytorch,tribuo"
