package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-threaded steps against the single-threaded loop on the same inputs: splitting a run across
 * threads is elementwise, so parameters and every state slot must be bit-identical.
 */
class ParallelStepTest {

    static Stream<RmsPropConfig> configs() {
        RmsPropConfig base = RmsPropConfig.builder().learningRate(1e-2).build();
        return Stream.of(
                base,
                base.toBuilder().epsInsideSqrt(true).build(),
                base.toBuilder().centered(true).build(),
                base.toBuilder().momentum(0.9).build(),
                base.toBuilder().centered(true).momentum(0.9).nesterov(true).build(),
                base.toBuilder().weightDecay(0.1).maximize(true).biasCorrection(true).build(),
                base.toBuilder().weightDecay(0.1).weightDecayStyle(WeightDecayStyle.DECOUPLED).momentum(0.5)
                        .momentumStyle(MomentumStyle.LR_INSIDE).build());
    }

    private static final int N = 100_003; // not a multiple of the chunk alignment

    private static ParamLayout layout() {
        // two tensors in a group of their own between default-group tensors: several runs per step
        return ParamLayout.builder().add("a", 40_001).add("b", 7).add("c", 30_000).add("d", N - 70_008).build();
    }

    private static Optimizer build(RmsPropConfig c, Dtype dtype, int threads, int threshold) {
        return Optimizer.builder(c).layout(layout()).dtype(dtype)
                .group("mid", List.of("b", "c"), c.toBuilder().learningRate(3e-3).build())
                .threads(threads).parallelThreshold(threshold).build();
    }

    @ParameterizedTest @MethodSource("configs")
    void float32SplitIsBitIdenticalToOneThread(RmsPropConfig c) {
        for (int threads : new int[] {2, 3, 5}) {
            Optimizer serial = build(c, Dtype.FLOAT32, 1, 1);
            Optimizer parallel = build(c, Dtype.FLOAT32, threads, 64);
            SplittableRandom r = new SplittableRandom(7);
            float[] p1 = new float[N];
            for (int i = 0; i < N; i++) p1[i] = (float) (r.nextDouble() * 2 - 1);
            float[] p2 = p1.clone();
            for (int step = 0; step < 4; step++) {
                float[] g = new float[N];
                for (int i = 0; i < N; i++) g[i] = (float) (r.nextDouble() * 2 - 1) * (step + 1);
                serial.step(p1, g.clone());
                parallel.step(p2, g.clone());
            }
            assertThat(bits(p2)).as("params, %d threads", threads).isEqualTo(bits(p1));
            for (String name : layout().names()) {
                for (String slot : c.stateSlots()) {
                    assertThat(parallel.state(name, slot)).as("%s/%s", name, slot).isEqualTo(serial.state(name, slot));
                }
            }
            assertThat(p2).isNotEqualTo(new float[N]);
        }
    }

    @ParameterizedTest @MethodSource("configs")
    void float64SplitIsBitIdenticalToOneThread(RmsPropConfig c) {
        Optimizer serial = build(c, Dtype.FLOAT64, 1, 1);
        Optimizer parallel = build(c, Dtype.FLOAT64, 2, 64);
        SplittableRandom r = new SplittableRandom(11);
        double[] p1 = new double[N];
        for (int i = 0; i < N; i++) p1[i] = r.nextDouble() * 2 - 1;
        double[] p2 = p1.clone();
        for (int step = 0; step < 4; step++) {
            double[] g = new double[N];
            for (int i = 0; i < N; i++) g[i] = (r.nextDouble() * 2 - 1) * (step + 1);
            serial.step(p1, g.clone());
            parallel.step(p2, g.clone());
        }
        for (int i = 0; i < N; i++) {
            if (Double.doubleToRawLongBits(p1[i]) != Double.doubleToRawLongBits(p2[i])) {
                throw new AssertionError("param " + i + ": " + p1[i] + " vs " + p2[i]);
            }
        }
        for (String name : layout().names()) {
            for (String slot : c.stateSlots()) assertThat(parallel.state(name, slot)).isEqualTo(serial.state(name, slot));
        }
    }

    @Test
    void otherFamiliesSplitBitIdentically() {
        List<OptimizerSpec> specs = List.of(
                SgdConfig.builder().learningRate(0.1).momentum(0.9).nesterov(true).build(),
                AdamConfig.builder().learningRate(1e-3).build(),
                AdagradConfig.builder().learningRate(0.1).build(),
                AdadeltaConfig.builder().build());
        for (OptimizerSpec spec : specs) {
            Optimizer serial = Optimizer.builder(spec).size(N).build();
            Optimizer parallel = Optimizer.builder(spec).size(N).threads(2).parallelThreshold(1000).build();
            SplittableRandom r = new SplittableRandom(3);
            float[] p1 = new float[N];
            for (int i = 0; i < N; i++) p1[i] = (float) r.nextDouble();
            float[] p2 = p1.clone();
            for (int step = 0; step < 3; step++) {
                float[] g = new float[N];
                for (int i = 0; i < N; i++) g[i] = (float) (r.nextDouble() - 0.5);
                serial.step(p1, g.clone());
                parallel.step(p2, g.clone());
            }
            assertThat(bits(p2)).as(spec.kind()).isEqualTo(bits(p1));
        }
    }

    @Test
    void threadsAndThresholdAreValidatedAndCopied() {
        RmsPropConfig c = RmsPropConfig.builder().build();
        assertThatThrownBy(() -> Optimizer.builder(c).size(10).threads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> Optimizer.builder(c).size(10).parallelThreshold(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelThreshold");
        Optimizer o = Optimizer.builder(c).size(10).threads(3).parallelThreshold(99).build();
        assertThat(o.copy().threads()).isEqualTo(3);
        assertThat(o.copy().parallelThreshold()).isEqualTo(99);
        assertThat(Optimizer.of(c, 10).threads()).isEqualTo(1);
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }
}
