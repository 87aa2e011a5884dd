package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The step's short path (one group, one run, no scan, no clipping: straight to the fused loop) against
 * the general path on the same problem: same bits in parameters and state, same step counts, same
 * learning rates, same listener events. And the direct call of the lean RMSprop loop is made exactly
 * when the kernel itself would pick the lean loop (the two differ in the sign of a zero, see
 * {@code RmspropKernels}).
 */
class SingleLoopStepTest {

    static Stream<Arguments> specs() {
        List<Arguments> a = new ArrayList<>();
        OptimizerSpec[] specs = {
                RmsPropConfig.builder().learningRate(0.01).build(),
                RmsPropConfig.builder().learningRate(0.01).centered(true).momentum(0.9).build(),
                RmsPropConfig.builder().learningRate(0.01).maximize(true).weightDecay(0.1).build(),
                RmsPropConfig.builder().learningRate(0.01).biasCorrection(true).epsInsideSqrt(true).build(),
                AdamConfig.builder().learningRate(0.01).weightDecay(0.01).decoupled(true).build(),
                SgdConfig.builder().learningRate(0.01).momentum(0.9).nesterov(true).build()};
        for (OptimizerSpec s : specs) {
            for (Dtype d : Dtype.values()) {
                a.add(Arguments.of(s, d, null));
                a.add(Arguments.of(s, d, Schedules.exponential(0.9)));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} schedule={2}")
    @MethodSource("specs")
    void shortPathMatchesGeneralPath(OptimizerSpec spec, Dtype dtype, Schedule schedule) {
        ParamLayout layout = ParamLayout.builder().add("a", 3).add("b", 1).add("c", 37).build();
        Optimizer.Builder fast = Optimizer.builder(spec).layout(layout).dtype(dtype);
        // SKIP makes every step scan the gradient, which takes the general path; finite gradients are never skipped
        Optimizer.Builder general = Optimizer.builder(spec).layout(layout).dtype(dtype).nonFinitePolicy(NonFinitePolicy.SKIP);
        if (schedule != null) {
            fast.schedule(schedule);
            general.schedule(schedule);
        }
        Optimizer f = fast.build(), g = general.build();
        assertThat(f.singleLoop()).isTrue();
        assertThat(g.singleLoop()).isFalse();
        List<StepListener.StepEvent> fe = new ArrayList<>(), ge = new ArrayList<>();
        f.onStep(fe::add);
        g.onStep(ge::add);
        SplittableRandom r = new SplittableRandom(7);
        int n = layout.size();
        float[] pf1 = new float[n], pf2 = new float[n], gf = new float[n];
        double[] pd1 = new double[n], pd2 = new double[n], gd = new double[n];
        for (int i = 0; i < n; i++) pd1[i] = pd2[i] = pf1[i] = pf2[i] = (float) r.nextDouble(-1, 1);
        for (int step = 0; step < 25; step++) {
            for (int i = 0; i < n; i++) gd[i] = gf[i] = (float) r.nextDouble(-2, 2);
            if (step == 12) {
                f.setLearningRate(0.003);
                g.setLearningRate(0.003);
            }
            boolean a, b;
            if (dtype == Dtype.FLOAT32) {
                a = f.step(pf1, gf);
                b = g.step(pf2, gf);
            } else {
                a = f.step(pd1, gd);
                b = g.step(pd2, gd);
            }
            assertThat(a).isTrue();
            assertThat(b).isTrue();
        }
        for (int i = 0; i < n; i++) {
            if (dtype == Dtype.FLOAT32) assertThat(Float.floatToRawIntBits(pf1[i])).as("param %d", i).isEqualTo(Float.floatToRawIntBits(pf2[i]));
            else assertThat(Double.doubleToRawLongBits(pd1[i])).as("param %d", i).isEqualTo(Double.doubleToRawLongBits(pd2[i]));
        }
        assertThat(f.stateDict().buffers()).hasSameSizeAs(g.stateDict().buffers());
        for (ParamLayout.Param p : layout.params()) {
            for (String slot : f.slots(Optimizer.DEFAULT_GROUP)) {
                assertThat(f.state(p.name(), slot)).as(p.name() + " " + slot).isEqualTo(g.state(p.name(), slot));
            }
        }
        assertThat(f.steps()).isEqualTo(25);
        assertThat(g.steps()).isEqualTo(25);
        assertThat(f.scheduledLearningRate(Optimizer.DEFAULT_GROUP)).isEqualTo(g.scheduledLearningRate(Optimizer.DEFAULT_GROUP));
        assertThat(fe).isEqualTo(ge).hasSize(25);
    }

    @Test
    void shortPathOnlyWhereNothingElseIsNeeded() {
        RmsPropConfig c = RmsPropConfig.builder().build();
        ParamLayout two = ParamLayout.builder().add("a", 1).add("b", 1).build();
        assertThat(Optimizer.builder(c).layout(two).build().singleLoop()).isTrue();
        assertThat(Optimizer.builder(c).layout(two).clipping(Clipping.byValue(1)).build().singleLoop()).isFalse();
        assertThat(Optimizer.builder(c).layout(two).nonFinitePolicy(NonFinitePolicy.THROW).build().singleLoop()).isFalse();
        assertThat(Optimizer.builder(c).layout(two).group("g", List.of("b"), c).build().singleLoop()).isFalse();
        assertThat(Optimizer.builder(c).layout(two).fused(false).build().singleLoop()).isFalse();
        assertThat(Optimizer.builder(c).size(100).threads(2).parallelThreshold(50).build().singleLoop()).isFalse();
        assertThat(Optimizer.builder(c).size(100).threads(2).parallelThreshold(101).build().singleLoop()).isTrue();
    }

    /**
     * p = −0 with g = 0: the lean plain loop keeps −0 (PyTorch's {@code p − lr·g/d}), the generic loop gives +0
     * ({@code p − (p·0)·lr}). So the sign tells which loop ran: lean exactly when every extra is neutral.
     */
    @Test
    void leanLoopExactlyWhenTheKernelWouldPickIt() {
        RmsPropConfig base = RmsPropConfig.builder().learningRate(0.01).build();
        assertThat(signOfZeroAfterStep(base, Dtype.FLOAT32)).isEqualTo(NEG_ZERO);
        assertThat(signOfZeroAfterStep(base, Dtype.FLOAT64)).isEqualTo(NEG_ZERO);
        assertThat(signOfZeroAfterStep(base.toBuilder().epsInsideSqrt(true).build(), Dtype.FLOAT32)).isEqualTo(NEG_ZERO);
        // a clip limit beyond float range narrows to +inf: neutral in float32, not in float64 (as the kernel decides)
        RmsPropConfig hugeClip = base.toBuilder().clipGradient(1e300).build();
        assertThat(signOfZeroAfterStep(hugeClip, Dtype.FLOAT32)).isEqualTo(NEG_ZERO);
        assertThat(signOfZeroAfterStep(hugeClip, Dtype.FLOAT64)).isEqualTo(POS_ZERO);
        RmsPropConfig[] generic = {
                base.toBuilder().maximize(true).build(),
                base.toBuilder().weightDecay(0.1).build(),
                base.toBuilder().weightDecay(0.1).weightDecayStyle(WeightDecayStyle.DECOUPLED).build(),
                base.toBuilder().clipGradient(1).build(),
                base.toBuilder().gradientScale(2).build(),
                base.toBuilder().biasCorrection(true).build()};
        for (RmsPropConfig c : generic) {
            for (Dtype d : Dtype.values()) assertThat(signOfZeroAfterStep(c, d)).as(c + " " + d).isEqualTo(POS_ZERO);
        }
    }

    private static final long NEG_ZERO = Double.doubleToRawLongBits(-0.0), POS_ZERO = Double.doubleToRawLongBits(0.0);

    /** The raw bits of p (widened to double, which keeps the sign of a zero) after one step from p = −0 with g = 0. */
    private static long signOfZeroAfterStep(RmsPropConfig c, Dtype d) {
        Optimizer o = Optimizer.builder(c).size(1).dtype(d).build();
        if (d == Dtype.FLOAT32) {
            float[] p = {-0f};
            o.step(p, new float[] {0f});
            return Double.doubleToRawLongBits(p[0]);
        }
        double[] p = {-0.0};
        o.step(p, new double[] {0.0});
        return Double.doubleToRawLongBits(p[0]);
    }
}
