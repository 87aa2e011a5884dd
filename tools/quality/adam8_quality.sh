#!/bin/bash
# Adam and AdamW on the MNIST-10k MLP (784-128-64-10, lr 1e-3, batch 64, 8 epochs, the default threads), seeds 1-3:
# float32 state against 8-bit state (dynamic and float8 maps, blocks of 2,048 and 256), each with the first-moment guard
# on and off (-Drmsprop4j.blockwise8.adamGuard). Writes a TSV (default docs/adam8-quality.tsv); tools/quality/adam8_summary.py
# turns it into the README table. Needs the CLI jar (./rmsprop4j builds it; JAR= another). About 15 minutes on 2 vCPUs.
cd "$(dirname "$0")/../.." || exit 1
J=${JAR:-cli/target/rmsprop4j.jar}
out=${1:-docs/adam8-quality.tsv}
echo -e "opt\tstate\tguard\tseed\tacc\tloss\ttrain_loss" > $out
for opt in adam adamw; do
for seed in 1 2 3; do
for cfg in "32" "8 2048 dynamic" "8 256 dynamic" "8 2048 fp8" "8 256 fp8"; do
  set -- $cfg
  args="--state-bits $1"; label=fp32
  [ "$1" = 8 ] && args="$args --state-block $2 --state-map $3" && label="$3-$2"
  for guard in true false; do
    [ "$1" = 32 ] && [ $guard = false ] && continue
    line=$(java --add-modules jdk.incubator.vector -Drmsprop4j.blockwise8.adamGuard=$guard -jar $J train mnist10k -m mlp:128,64 --epochs 8 --optimizer $opt --lr 0.001 --seed $seed $args --no-progress 2>&1 | grep "^epoch 8/8")
    acc=NaN; loss=NaN; tl=$(echo "$line" | sed -E 's/.*train loss ([0-9.NaN]+).*/\1/')
    case "$line" in *"test accuracy"*)   # a run whose loss became NaN prints no test metrics
      acc=$(echo "$line" | sed -E 's/.*test accuracy ([0-9.]+).*/\1/'); loss=$(echo "$line" | sed -E 's/.*test loss ([0-9.NaN]+).*/\1/') ;;
    esac
    echo -e "$opt\t$label\t$guard\t$seed\t$acc\t$loss\t$tl" | tee -a $out
  done
done; done; done
