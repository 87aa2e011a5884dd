#!/bin/bash
# The measurements behind README "Speed" → "Issue 15, measured in one window" (earlier windows: docs/speed-history.md), one after the other.
cd "$(dirname "$0")/../.."
# Needs: mvn -B -ntp -DskipTests package (cli jar), mvn -B -ntp -Pbench -DskipTests package (bench jar),
# the PyTorch 2.13 venv (PY, see README "Speed"), optionally -Pdl4j bench-dl4j. Outputs in OUT.
CBIN=${CBIN:-/tmp/rmsprop_bench}; gcc -O3 -march=native -fopenmp -o "$CBIN" bench/native/rmsprop_bench.c -lm || exit 1
PROBE=${PROBE:-/tmp/vcpu_probe}; gcc -O3 -march=native -fno-math-errno -pthread -o "$PROBE" tools/bench/vcpu_probe.c -lm || exit 1
J=cli/target/rmsprop4j.jar
L=${OUT:-/tmp/rmsprop4j-quiet}; mkdir -p "$L"
step() { local name=$1; shift; echo "== $name $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $L/log; "$@" > $L/$name.out 2> $L/$name.err; echo "   rc=$? end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $L/log; }
# bench rows run through the launcher, as the README's commands do: huge pages for the JVM and the C loop alike
# where the host has put the two vCPUs right now (a round trip above 300 ns: far apart; docs/speed-history.md, seventh pass)
step probe-a $PROBE 1e7 3
step full ./rmsprop4j bench --json --python ${PY:-/tmp/torch2/bin/python}
for i in 1 2 3 4 5; do step t2-$i ./rmsprop4j bench --sizes 1e7 --threads 2 --no-torch; done
step seed java -cp bench/target/benchmarks.jar org.rmsprop4j.bench.SeedNeuronAB 7 300 $CBIN
step threadsab java -cp bench/target/benchmarks.jar org.rmsprop4j.bench.ThreadsAB 1e7 2 5 1000 $CBIN pg-opt
step probe-b $PROBE 1e7 3
step mlp java --add-modules jdk.incubator.vector -jar $J bench --mlp --json --sizes 1e6 --min-time-ms 200 --no-c --python ${PY:-/tmp/torch2/bin/python}
step mlpab1vec java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 1 10 3 $J,rmsprop4j.train.vectorProducts=false $J
step mlpab2vec java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 3 $J,rmsprop4j.train.vectorProducts=false $J
# eleventh pass: the later layers' products on the Vector API, against the scalar passes for them (1 and 2 threads)
step mlpab1later java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 1 10 3 $J,rmsprop4j.train.laterVectorProducts=false $J
step mlpab2later java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 3 $J,rmsprop4j.train.laterVectorProducts=false $J
# the owned rest with the share chosen from the data (tenth pass: 15 for MNIST) against the fixed 12 before it
step mlpab2owned java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 3 $J,rmsprop4j.train.ownedRest=false $J $J,rmsprop4j.train.ownedRestParts=12
step probe-b2 $PROBE 1e7 3
step mlpab2owned-b java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 3 $J,rmsprop4j.train.ownedRest=false $J
# far and near rounds (a round trip per round) of this build against BASE (a jar built before the pass, if given), and
# (eleventh pass) without the next batch's lists made ahead by thread 1 and without the later layers' vector products;
# then dense inputs (every pixel non-zero), where the share chosen is 11, against 12 and 15
step mlpabfar java --add-modules jdk.incubator.vector tools/bench/MlpAB.java far 2,1 40 2 $J ${BASE:+$BASE} $J,rmsprop4j.train.listsAhead=false $J,rmsprop4j.train.laterVectorProducts=false
step mlpabdense java -Ddense=true --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 2 $J $J,rmsprop4j.train.ownedRestParts=12 $J,rmsprop4j.train.ownedRestParts=15
# the 2-thread epoch against the sgemm limit, the staged region (seventh pass) and the owned rest, each after a probe
step probe-m1 $PROBE 1e7 3
step mlp2-staged java --add-modules jdk.incubator.vector -Drmsprop4j.train.ownedRest=false -jar $J bench --mlp --json --sizes 1e6 --min-time-ms 200 --no-c --no-dl4j --threads 2 --python ${PY:-/tmp/torch2/bin/python}
step probe-m2 $PROBE 1e7 3
step mlp2-owned java --add-modules jdk.incubator.vector -jar $J bench --mlp --json --sizes 1e6 --min-time-ms 200 --no-c --no-dl4j --threads 2 --python ${PY:-/tmp/torch2/bin/python}
step probe-m3 $PROBE 1e7 3
step mlpab2stable java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 3 $J,rmsprop4j.train.stableBranches=false $J
step mlpab2staged java --add-modules jdk.incubator.vector tools/bench/MlpAB.java 2 10 3 $J,rmsprop4j.train.stagedFirstLayer=false $J
# a user's run with a test evaluation after every epoch (eleventh pass: it leaves out zero inputs), this build and BASE
for j in $J ${BASE:+$BASE}; do for t in 1 2; do step train-$t-$(basename $j .jar) java --add-modules jdk.incubator.vector -jar $j train mnist10k -m mlp:128,64 --epochs 10 --threads $t --no-progress; done; done
step mlpi python3 bench/python/mlp_interleaved.py --java-opts="--add-modules=jdk.incubator.vector" --python ${PY:-/tmp/torch2/bin/python} --rounds 3 --threads 1,2
step shared java --add-modules jdk.incubator.vector -jar $J bench --shared --json --sizes 1e6 --threads 1,2 --no-c --no-torch --min-time-ms 100 --shared-rounds 5
step probe-c $PROBE 1e7 3
# the 8-bit step at 1e8 at the default vector width (512 here), three JVMs per thread count, and one at 256 bits
for t in 1 1 1 2 2 2; do step state-1e8-$t-$RANDOM env RMSPROP4J_JAVA_OPTS=-Xmx6g ./rmsprop4j bench --sizes 1e8 --threads $t --no-torch --state fp8-256,fp8-2048,fp8-256-unbiased,8bit-256 --json; done
step probe-d $PROBE 1e7 3
# float8 Adam and RMSprop momentum (one fused pass per block) against float32 Adam / momentum in the same JVM
# (with the ninth pass's first-moment guard in every 8-bit Adam step)
step f8adam env BENCH_LOCK=/tmp/issue15-window.lock tools/bench/float8-adam.sh $J 1e8 "1 2" "adam rmsprop-momentum" 1
step f8break1 java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Xmx6g -cp $J tools/bench/Float8Breakdown.java 1e5 7 200 256
step f8break8 java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Xmx6g -cp $J tools/bench/Float8Breakdown.java 1e8 5 300 256
step prof4 java -Xmx10g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rmsprop4j.bench.ProfileAB 1e6 fp32 1 7 fused plain pytorch,keras,tf1,optax,keras_3_xla,keras_3_graph,pytorch_2_13,timm_tf
step prof6 java -Xmx10g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rmsprop4j.bench.ProfileAB 1e6 fp32 1 7 fused momentum pytorch,keras,optax,keras_3_xla,pytorch_2_13,timm_tf
for i in 1 2 3 4; do step t1e8-$i ./rmsprop4j bench --sizes 1e8 --threads 1 --no-torch; done
for i in 1 2; do step t1e8-4k-$i env RMSPROP4J_THP=0 ./rmsprop4j bench --sizes 1e8 --threads 1 --no-torch; done
step t178 ./rmsprop4j bench --sizes 1e6,1e7,1e8 --threads 1 --no-torch
step t278 ./rmsprop4j bench --sizes 1e7,1e8 --threads 2 --no-torch
step probe-e $PROBE 1e7 3
