package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.Optimizer;
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
        Model m = Models.parse(model, sp.train().features(), sp.train().classes(), 0);
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.001)).layout(m.layout())
                .stateQuantization(q).build();
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(epochs).batchSize(batch).seed(seed).threads(threads).build())) {
            return t.fit(sp.train(), null, sp.test(), null);
        }
    }

    /** Default run: the digits MLP (a few seconds); 8-bit state ends within 1.5 points of float32 state, and both learn. */
    @Test
    void digitsMlpWith8BitStateMatchesFloat32State() throws IOException {
        Dataset.Split sp = Datasets.load("digits", 0.2, 42).standardized();
        double f = fit(sp, "mlp:64,32:relu", StateQuantization.none(), 6, 32, 1, 1).test().accuracy();
        double q = fit(sp, "mlp:64,32:relu", StateQuantization.blockwise8(256), 6, 32, 1, 1).test().accuracy();
        System.out.printf("digits mlp:64,32, 6 epochs: test accuracy %.4f (fp32 state) vs %.4f (8-bit, block 256)%n", f, q);
        assertThat(f).isGreaterThan(0.9);
        assertThat(q).isGreaterThan(0.9).isCloseTo(f, org.assertj.core.data.Offset.offset(0.015));
    }

    /**
     * The target: MNIST-10k, 784-128-64-10 ReLU, RMSprop lr 1e-3, batch 64, 8 epochs, 2 threads;
     * test accuracy with 8-bit state within 0.3 points of float32 state for each of 3 seeds. Met with
     * blocks of 256 (differences -0.10, 0.00, +0.05 points on 2026-11-27). With blocks of 2,048 seeds 2
     * and 3 are within 0.15 points but seed 1 ends 2.15 points lower (93.35% against 95.50%; the mean of
     * epochs 6–8 is 1.2 points lower), so for that block size only learning is asserted here; the
     * numbers are printed and in the README. ({@code EightBitFigure} in cli prints the whole table.)
     * Excluded from the default run (tag "slow"): {@code mvn verify -pl train -am -DexcludedGroups=none -Dgroups=slow}.
     */
    @Test
    @Tag("slow")
    void mnist10kWith8BitStateIsWithinPoint3OfFloat32State() throws IOException {
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        for (long seed = 1; seed <= 3; seed++) {
            double f = fit(sp, "mlp:128,64:relu", StateQuantization.none(), 8, 64, seed, 2).test().accuracy();
            double q256 = fit(sp, "mlp:128,64:relu", StateQuantization.blockwise8(256), 8, 64, seed, 2).test().accuracy();
            double q2048 = fit(sp, "mlp:128,64:relu", StateQuantization.blockwise8(2048), 8, 64, seed, 2).test().accuracy();
            System.out.printf("MNIST-10k seed %d: test accuracy %.2f%% (fp32 state), %.2f%% (8-bit, block 256, %+.2f points), "
                    + "%.2f%% (8-bit, block 2048, %+.2f points)%n", seed, 100 * f, 100 * q256, 100 * (q256 - f), 100 * q2048, 100 * (q2048 - f));
            assertThat(100 * Math.abs(q256 - f)).as("seed " + seed + ", block 256").isLessThanOrEqualTo(0.3);
            assertThat(q2048).as("seed " + seed + ", block 2048").isGreaterThan(0.93);
        }
    }
}
