#!/bin/bash
# Twelfth pass (issue 15): the float8 step after its decoding stopped making float32 subnormals. One window, one step after
# the other: the README's 8-bit rows at 1e8 (bench through the launcher, three JVMs per thread count), then this build
# against BASE (a jar built before the pass) in one JVM per run (tools/bench/Float8AB.java, both loops compiled side by
# side): plain RMSprop at 1e8 on 1 and 2 threads with bench's uniform gradients and normal ones, Adam and RMSprop with
# momentum at 1e8, and in cache (1e5) with gradients whose magnitudes spread over orders (-Dgrad=lognormal:S); last, a
# user's 8-bit training run with each jar.
# Needs: mvn -B -ntp -DskipTests -Dfuzz.skip=true package (cli jar).
# Usage: BASE=/path/base.jar OUT=/dir [PARTS=bench,ab,train] tools/bench/issue15-8bit.sh
B=$(realpath "${BASE:?BASE must name a jar built before the change}") || exit 1
cd "$(dirname "$0")/../.."
J=cli/target/rmsprop4j.jar
L=${OUT:-/tmp/rmsprop4j-8bit}; mkdir -p "$L"
step() { local name=$1; shift; echo "== $name $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $L/log; "$@" > $L/$name.out 2> $L/$name.err; echo "   rc=$? end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $L/log; }
# Float8AB with -D properties first (they must come before the source file), then its arguments
ab() { local d=(); while [[ $1 == -D* ]]; do d+=("$1"); shift; done; java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Xmx8g "${d[@]}" tools/bench/Float8AB.java "$@"; }
PARTS=${PARTS:-bench,ab,train}
[[ ,$PARTS, == *,bench,* ]] && for t in 1 1 1 2 2 2; do step state-1e8-$t-$RANDOM env RMSPROP4J_JAVA_OPTS=-Xmx6g ./rmsprop4j bench --sizes 1e8 --threads $t --no-torch --state fp8-256,fp8-2048,fp8-256-unbiased,8bit-256 --json; done
if [[ ,$PARTS, == *,ab,* ]]; then
for t in 1 2; do
  step ab-rmsprop-1e8-$t-uniform ab -Dgrad=uniform $B $J 1e8 $t 5 1000 fp8-256 fp8-2048
  step ab-rmsprop-1e8-$t-normal ab $B $J 1e8 $t 5 1000 fp8-256 fp8-2048
done
step ab-adam-1e8-1 ab -Drule=adam $B $J 1e8 1 5 1000 fp8-256 fp8-2048
step ab-momentum-1e8-1 ab -Drule=rmsprop-momentum $B $J 1e8 1 5 1000 fp8-256 fp8-2048
for grad in uniform normal lognormal:1 lognormal:2; do step ab-rmsprop-1e5-$grad ab -Dgrad=$grad $B $J 1e5 1 7 300 fp8-256 fp8-2048 fp8-256-unbiased; done
step ab-adam-1e5-lognormal:2 ab -Drule=adam -Dgrad=lognormal:2 $B $J 1e5 1 7 300 fp8-256 fp8-2048
step ab-momentum-1e5-lognormal:2 ab -Drule=rmsprop-momentum -Dgrad=lognormal:2 $B $J 1e5 1 7 300 fp8-256 fp8-2048
fi
[[ ,$PARTS, == *,train,* ]] || exit 0
for r in 1 2; do
  for which in base new; do
    jar=$J; [ $which = base ] && jar=$B
    step train-$r-$which java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -jar $jar train mnist10k -m mlp:128,64 --epochs 3 --state-bits 8 --state-block 256 --state-map fp8
  done
done
