package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.StateQuantization;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/** Training quality with block-wise 8-bit optimizer state against float32 state, same data, seed and model. */
class EightBitStateTrainingTest {

    static Trainer.Result fit(Dataset.Split sp, String model, StateQuantization q, int epochs, int batch, long seed, int threads)
            throws IOException {
        return fit(sp, model, RmsPropPreset.PYTORCH.config().withLearningRate(0.001), q, epochs, batch, seed, threads);
    }

    static Trainer.Result fit(Dataset.Split sp, String model, OptimizerSpec spec, StateQuantization q, int epochs, int batch, long seed,
                              int threads) throws IOException {
        Model m = Models.parse(model, sp.train().features(), sp.train().classes(), 0);
        Optimizer opt = Optimizer.builder(spec).layout(m.layout()).stateQuantization(q).build();
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(epochs).batchSize(batch).seed(seed).threads(threads).build())) {
            return t.fit(sp.train(), null, sp.test(), null);
        }
    }

    /** Default run: the digits MLP (a few seconds); 8-bit state ends within 1.5 points of float32 state, and both learn. */
    @Test
    void digitsMlpWith8BitStateMatchesFloat32State() throws IOException {
        Dataset.Split sp = Datasets.load("digits", 0.2, 42).standardized();
        double f = fit(sp, "mlp:64,32:relu", StateQuantization.none(), 6, 32, 1, 1).test().accuracy();
        assertThat(f).isGreaterThan(0.9);
        for (StateQuantization sq : java.util.List.of(StateQuantization.blockwise8(256), StateQuantization.blockwise8(256).withFloat8Map())) {
            double q = fit(sp, "mlp:64,32:relu", sq, 6, 32, 1, 1).test().accuracy();
            System.out.printf("digits mlp:64,32, 6 epochs: test accuracy %.4f (fp32 state) vs %.4f (%s)%n", f, q, sq.label());
            assertThat(q).as(sq.label()).isGreaterThan(0.9).isCloseTo(f, org.assertj.core.data.Offset.offset(0.015));
        }
    }

    /**
     * Adam on 8-bit state, MNIST-10k MLP (784-128-64-10, lr 1e-3, eps 1e-8, batch 64, one epoch, 2 threads): on both maps it
     * learns as float32 state does. With the first-moment guard off ({@code -Drmsprop4j.blockwise8.adamGuard=false}) the
     * float8 map's run diverges (a pixel that is 0 in a whole batch gives its weights a zero gradient; where their second
     * moment was stored as 0 and their first moment was not, they step by {@code lr·m̂/eps}): the guard is what makes it train.
     */
    @Test
    void mnist10kAdamOn8BitStateTrains() throws IOException {
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        OptimizerSpec adam = AdamConfig.builder().learningRate(0.001).build();
        double f = fit(sp, "mlp:128,64:relu", adam, StateQuantization.none(), 1, 64, 1, 2).test().accuracy();
        assertThat(f).isGreaterThan(0.85);
        for (StateQuantization sq : java.util.List.of(StateQuantization.blockwise8(2048), StateQuantization.blockwise8(2048).withFloat8Map())) {
            Trainer.Result r = fit(sp, "mlp:128,64:relu", adam, sq, 1, 64, 1, 2);
            System.out.printf("MNIST-10k Adam, 1 epoch: test accuracy %.4f (fp32 state) vs %.4f (%s)%n", f, r.test().accuracy(), sq.label());
            assertThat(r.test().loss()).as(sq.label()).isFinite();
            assertThat(r.test().accuracy()).as(sq.label()).isCloseTo(f, org.assertj.core.data.Offset.offset(0.02));
        }
        String was = System.setProperty("rmsprop4j.blockwise8.adamGuard", "false");
        try {
            Trainer.Result r = fit(sp, "mlp:128,64:relu", adam, StateQuantization.blockwise8(2048).withFloat8Map(), 1, 64, 1, 2);
            assertThat(r.test().loss()).as("fp8 map without the guard: the failure it prevents").isNaN();
        } finally {
            if (was == null) System.clearProperty("rmsprop4j.blockwise8.adamGuard");
            else System.setProperty("rmsprop4j.blockwise8.adamGuard", was);
        }
    }

    /**
     * The setting: MNIST-10k, 784-128-64-10 ReLU, RMSprop lr 1e-3, batch 64, 8 epochs, 2 threads, seeds
     * 1–3, 8-bit state in blocks of 2,048 and of 256, mean squares rounded to nearest (the default) and without
     * bias ({@code -Drmsprop4j.blockwise8.unbiased=true}), against float32 state. What 3 seeds can show (README,
     * "8-bit optimizer state", 16 seeds): the test accuracy of one epoch moves by 0.3–0.4 points (sd) between
     * runs that differ by noise alone; float32 state with its ν multiplied by 1 ± 1% after every step misses
     * float32 by 1.1 points on seed 1 at epoch 8. So the accuracy of single seeds is printed, not asserted.
     * Asserted: every run learns (above 93% at epoch 8); over the 3 seeds, the mean test accuracy of epochs 6–8
     * is within 0.5 points of float32's; and with unbiased rounding the training loss of epoch 8 is on average at
     * most 3% above float32's. Nearest rounding ends 5.1% (2,048) and 3.9% (256) above on these seeds (+5.0% and
     * +2.8% over 24 seeds): its stored ν ratchets upwards and shrinks the steps ({@code QuantizedStateRoundingTest}).
     * The same for the float8 maps ({@code StateQuantization.withFloat8Map()}).
     * Excluded from the default run (tag "slow"): {@code mvn verify -pl train -am -DexcludedGroups=none -Dgroups=slow}.
     */
    @Test
    @Tag("slow")
    void mnist10kWith8BitStateTrainsAsFloat32State() throws IOException {
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        int seeds = 3;
        java.util.List<java.util.List<EpochMetrics>> f = new java.util.ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) f.add(fit(sp, "mlp:128,64:relu", StateQuantization.none(), 8, 64, seed, 2).history());
        for (boolean fp8 : new boolean[] {false, true}) {
        for (boolean unbiased : new boolean[] {false, true}) {
            for (int block : new int[] {2048, 256}) {
                double accDiff = 0, lossRatio = 0;
                for (long seed = 1; seed <= seeds; seed++) {
                    java.util.List<EpochMetrics> fs = f.get((int) seed - 1), q;
                    String was = System.getProperty("rmsprop4j.blockwise8.unbiased");
                    System.setProperty("rmsprop4j.blockwise8.unbiased", String.valueOf(unbiased));
                    try {
                        StateQuantization sq = StateQuantization.blockwise8(block);
                        q = fit(sp, "mlp:128,64:relu", fp8 ? sq.withFloat8Map() : sq, 8, 64, seed, 2).history();
                    } finally {
                        if (was == null) System.clearProperty("rmsprop4j.blockwise8.unbiased");
                        else System.setProperty("rmsprop4j.blockwise8.unbiased", was);
                    }
                    double lr = q.get(7).trainLoss() / fs.get(7).trainLoss();
                    System.out.printf("MNIST-10k seed %d, 8-bit (" + (fp8 ? "fp8" : "dynamic") + " map) blocks of %d, %s: test accuracy at epoch 8 %.2f%% against %.2f%% (%+.2f points); "
                            + "epochs 6-8 %+.2f points; training loss at epoch 8 %+.1f%%%n", seed, block, unbiased ? "unbiased" : "nearest",
                            100 * q.get(7).testAccuracy(), 100 * fs.get(7).testAccuracy(), 100 * (q.get(7).testAccuracy() - fs.get(7).testAccuracy()),
                            100 * (meanAccuracy(q) - meanAccuracy(fs)), 100 * (lr - 1));
                    assertThat(q.get(7).testAccuracy()).as("seed " + seed + ", block " + block).isGreaterThan(0.93);
                    accDiff += 100 * (meanAccuracy(q) - meanAccuracy(fs)) / seeds;
                    lossRatio += lr / seeds;
                }
                String what = (fp8 ? "fp8 map, " : "dynamic map, ") + "block " + block + (unbiased ? ", unbiased" : ", nearest");
                assertThat(accDiff).as(what + ": mean test accuracy of epochs 6-8 against float32, points").isBetween(-0.5, 0.5);
                if (unbiased) assertThat(lossRatio).as(what + ": training loss at epoch 8 over float32's").isLessThanOrEqualTo(1.03);
            }
        }
        }
    }

    /** Mean test accuracy of epochs 6–8. */
    static double meanAccuracy(java.util.List<EpochMetrics> h) {
        return (h.get(5).testAccuracy() + h.get(6).testAccuracy() + h.get(7).testAccuracy()) / 3;
    }
}
