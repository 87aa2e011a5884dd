package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An arithmetic profile alone in its chain runs fused ({@link ProfileRule}: straight on the
 * parameters, split across threads; Keras's graph profile cut at tensor edges, the tensors here
 * not multiples of 8 long) and gives the bits of the chain path ({@code fused(false)}:
 * member by member through the update buffer) for every thread count, in float32 and float64,
 * with several groups and runs and a schedule. {@code ProfileFastPathTest} holds the loops to the
 * reference arithmetic; this holds the optimizer's wiring.
 */
class ProfileFusedPathTest {

    static List<RmsPropConfig> configs() {
        return List.of(RmsPropPreset.KERAS.config(), RmsPropPreset.KERAS.config().toBuilder().centered(true).momentum(0.9).weightDecay(0.004).build(),
                RmsPropPreset.TF1.config(), RmsPropPreset.TF1.config().toBuilder().centered(true).momentum(0.5).build(),
                RmsPropPreset.OPTAX.config(), RmsPropPreset.OPTAX.config().toBuilder().centered(true).momentum(0.9).nesterov(true).biasCorrection(true).initialMeanSquare(0).build(),
                RmsPropPreset.DL4J.config(), RmsPropPreset.TRIBUO.config(), RmsPropPreset.TFJS.config(),
                RmsPropPreset.TFJS.config().toBuilder().centered(true).build(), RmsPropPreset.TIMM_TF.config(),
                RmsPropPreset.TIMM_TF.config().toBuilder().centered(true).momentum(0.9).build(),
                RmsPropPreset.TIMM_TF.config().toBuilder().momentum(0.9).build(),                 // the Vector API momentum loops, lr inside and outside
                RmsPropPreset.TIMM_TF.config().toBuilder().momentum(0.9).momentumStyle(MomentumStyle.LR_OUTSIDE).build(),
                RmsPropPreset.PYTORCH.config().toBuilder().arithmetic(Arithmetic.PYTORCH_2_13).build(),
                RmsPropPreset.PYTORCH.config().toBuilder().arithmetic(Arithmetic.PYTORCH_2_13).centered(true).momentum(0.9).weightDecay(0.01).build(),
                RmsPropPreset.KERAS.config().toBuilder().arithmetic(Arithmetic.KERAS_3_XLA).build(),
                RmsPropPreset.KERAS.config().toBuilder().arithmetic(Arithmetic.KERAS_3_XLA).centered(true).momentum(0.9).build(),
                RmsPropPreset.KERAS.config().toBuilder().arithmetic(Arithmetic.KERAS_3_GRAPH).build(),
                RmsPropPreset.KERAS.config().toBuilder().arithmetic(Arithmetic.KERAS_3_GRAPH).centered(true).momentum(0.9).build());
    }

    /** {@code PyTorchProfile} alone in its chain: {@link PyTorchProfileRule}. */
    static List<OptimizerSpec> pytorchConfigs() {
        Arithmetic a213 = Arithmetic.PYTORCH_2_13, fused = Arithmetic.PYTORCH_2_13_FUSED;
        return List.of(SgdConfig.builder().arithmetic(fused).momentum(0.9).nesterov(true).weightDecay(0.01).build(),
                SgdConfig.builder().arithmetic(fused).momentum(0.9).dampening(0.1).build(), SgdConfig.builder().arithmetic(fused).build(),
                AdagradConfig.builder().arithmetic(a213).lrDecay(0.01).weightDecay(0.01).initialAccumulator(0.1).build(),
                AdagradConfig.builder().arithmetic(Arithmetic.PYTORCH_1_13_FOREACH).lrDecay(0.01).build(),
                AdadeltaConfig.builder().arithmetic(a213).weightDecay(0.01).build(),
                AdamConfig.builder().arithmetic(a213).amsgrad(true).weightDecay(0.01).build(), AdamConfig.adamW().arithmetic(a213).build(),
                AdamConfig.builder().arithmetic(fused).amsgrad(true).weightDecay(0.01).build(), AdamConfig.adamW().arithmetic(fused).build());
    }

    private static final int N = 20_011;

    private static OptimizerSpec withLr(OptimizerSpec c, double lr) {
        if (c instanceof RmsPropConfig r) return r.toBuilder().learningRate(lr).build();
        if (c instanceof SgdConfig r) return r.toBuilder().learningRate(lr).build();
        if (c instanceof AdagradConfig r) return r.toBuilder().learningRate(lr).build();
        if (c instanceof AdadeltaConfig r) return r.toBuilder().learningRate(lr).build();
        return ((AdamConfig) c).toBuilder().learningRate(lr).build();
    }

    private static Optimizer build(OptimizerSpec c, Dtype dtype, boolean fused, int threads) {
        ParamLayout layout = ParamLayout.builder().add("a", 8_001).add("b", 7).add("c", 6_000).add("d", N - 14_008).build();
        boolean implied = c.impliedSchedule() != null;              // AdaGrad's lr_decay: its own schedule, no second one
        var b = Optimizer.builder(c).layout(layout).dtype(dtype).group("mid", List.of("b", "c"), withLr(c, 3e-3));
        if (!implied) b.schedule(Schedules.inverseTime(0.1));
        return b.fused(fused).threads(threads).parallelThreshold(64).build();
    }

    @ParameterizedTest @MethodSource("pytorchConfigs")
    void aPyTorchProfileFusedMatchesTheChainPathOnEveryThreadCount(OptimizerSpec c) {
        fusedMatchesTheChainPathOnEveryThreadCount(c, c.chain().links().get(0).transform().toString());
    }

    @ParameterizedTest @MethodSource("configs")
    void fusedMatchesTheChainPathOnEveryThreadCount(RmsPropConfig c) {
        fusedMatchesTheChainPathOnEveryThreadCount(c, c.arithmetic().toString());
    }

    private static void fusedMatchesTheChainPathOnEveryThreadCount(OptimizerSpec c, String name) {
        for (Dtype dtype : Dtype.values()) {
            Optimizer chain = build(c, dtype, false, 1);
            assertThat(chain.isFused("default")).isFalse();
            for (int threads : new int[] {1, 2, 3}) {
                Optimizer fused = build(c, dtype, true, threads);
                assertThat(fused.isFused("default")).as("%s is lowered", name).isTrue();
                Optimizer ref = build(c, dtype, false, 1);
                SplittableRandom r = new SplittableRandom(threads);
                double[] p1 = new double[N];
                for (int i = 0; i < N; i++) p1[i] = r.nextDouble() * 2 - 1;
                float[] f1 = new float[N];
                for (int i = 0; i < N; i++) f1[i] = (float) p1[i];
                double[] p2 = p1.clone();
                float[] f2 = f1.clone();
                for (int step = 0; step < 4; step++) {
                    double[] g = new double[N];
                    for (int i = 0; i < N; i++) g[i] = (r.nextDouble() * 2 - 1) * (step + 1) * (i % 97 == 0 ? 0 : 1);
                    if (dtype == Dtype.FLOAT32) {
                        float[] gf = new float[N];
                        for (int i = 0; i < N; i++) gf[i] = (float) g[i];
                        ref.step(f1, gf.clone());
                        fused.step(f2, gf);
                    } else {
                        ref.step(p1, g.clone());
                        fused.step(p2, g);
                    }
                }
                String what = name + " " + dtype + " on " + threads + " threads";
                if (dtype == Dtype.FLOAT32) assertThat(f2).as(what).isEqualTo(f1);
                else assertThat(p2).as(what).isEqualTo(p1);
                for (String param : List.of("a", "b", "d")) {
                    for (String slot : c.chain().slots()) {
                        assertThat(fused.state(param, slot)).as(what + " " + param + " " + slot).isEqualTo(ref.state(param, slot));
                    }
                }
            }
        }
    }
}
