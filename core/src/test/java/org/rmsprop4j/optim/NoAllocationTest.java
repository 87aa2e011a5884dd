package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A compiled step allocates nothing (a step that allocated 64 bytes through two list iterators made
 * the 2-parameter step swing between 15 and 200 ns with the garbage collector). Counted with the
 * JVM's per-thread allocation counter, not timed: once the JIT has compiled the step, some round of
 * 200,000 steps must allocate less than half a byte per step.
 */
class NoAllocationTest {

    static List<OptimizerSpec> specs() {
        return List.of(RmsPropPreset.PYTORCH.config(), RmsPropConfig.builder().centered(true).momentum(0.9).build(),
                RmsPropPreset.KERAS.config().toBuilder().weightDecay(0.01).build(), SgdConfig.builder().momentum(0.9).build(),
                AdamConfig.builder().build(),
                // chains no kernel covers: they run member by member and must not allocate either
                org.rmsprop4j.transform.Chain.builder("custom").learningRate(0.01)
                        .add("clip", new org.rmsprop4j.transform.ClipByGlobalNorm(1.0))
                        .add("rms", org.rmsprop4j.transform.ScaleByRms.of(0.9, 1e-8, EpsPlacement.INSIDE))
                        .add("lr", new org.rmsprop4j.transform.ScaleByLearningRate())
                        .add("momentum", org.rmsprop4j.transform.Trace.of(0.9, true))
                        .add("ema", new org.rmsprop4j.transform.ParameterEma(0.99)).build(),
                org.rmsprop4j.transform.Chain.builder("wrapped").learningRate(0.01)
                        .add("finite", new org.rmsprop4j.transform.ApplyIfFinite(new org.rmsprop4j.transform.Lookahead(5, 0.5,
                                new org.rmsprop4j.transform.MultiSteps(2, RmsPropPreset.KERAS.config().toBuilder()
                                        .arithmetic(Arithmetic.PYTORCH_1_13).build().chain())))).build(),
                // arithmetic profiles: element-wise, per tensor (Keras graph) and index-dependent (fused Adam)
                RmsPropPreset.KERAS.config().toBuilder().arithmetic(Arithmetic.KERAS_3_GRAPH).centered(true).momentum(0.9).build(),
                RmsPropPreset.OPTAX.config().toBuilder().momentum(0.9).nesterov(true).biasCorrection(true).build(),
                RmsPropPreset.TRIBUO.config(), RmsPropPreset.TIMM_TF.config(),      // TIMM_TF: the fused block loops and their scratch
                RmsPropPreset.TIMM_TF.config().toBuilder().momentum(0.9).build(),      // TIMM_TF momentum: its Vector API method (2 elements: the tail only; ProfileMixedAB times the loop at 1e6)
                AdamConfig.builder().arithmetic(Arithmetic.PYTORCH_2_13_FUSED).amsgrad(true).build());
    }

    static List<Object[]> policies() {
        return List.of(new Object[] {NonFinitePolicy.PROPAGATE, Clipping.none()}, new Object[] {NonFinitePolicy.SKIP, Clipping.byNorm(1)},
                new Object[] {NonFinitePolicy.THROW, Clipping.byGlobalNorm(1)}, new Object[] {NonFinitePolicy.SKIP, Clipping.byValue(1)});
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return specs().stream().flatMap(s -> policies().stream().map(p -> org.junit.jupiter.params.provider.Arguments.of(s, p[0], p[1])));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aCompiledStepAllocatesNothing(OptimizerSpec spec, NonFinitePolicy policy, Clipping clipping) {
        var mx = ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        var counter = (com.sun.management.ThreadMXBean) mx;
        Optimizer f = Optimizer.builder(spec).layout(ParamLayout.builder().add("w").add("b").build())
                .group("head", List.of("b"), spec).nonFinitePolicy(policy).clipping(clipping).build();
        Optimizer d = Optimizer.builder(spec).size(3).dtype(Dtype.FLOAT64).nonFinitePolicy(policy).clipping(clipping).build();
        float[] pf = {1, 2}, gf = {0.1f, -0.2f};
        double[] pd = {1, 2, 3}, gd = {0.1, -0.2, 0.3};
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 15 && best >= 0.5; round++) {
            long before = counter.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                f.step(pf, gf);
                d.step(pd, gd);
            }
            best = Math.min(best, (counter.getCurrentThreadAllocatedBytes() - before) / 200_000.0);
        }
        assertThat(best).as("bytes allocated per step").isLessThan(0.5);
    }
}
