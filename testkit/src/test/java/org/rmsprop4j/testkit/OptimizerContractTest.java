package org.rmsprop4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.optim.StateIO;
import org.rmsprop4j.testkit.OptimizerCases.OptimizerCase;

/** Properties every configuration in the table must have. */
class OptimizerContractTest {

    static List<OptimizerCase> cases() { return OptimizerCases.all(); }

    /** f(x) = Σ aᵢ (xᵢ − cᵢ)², ill-conditioned a. */
    static final double[] A = {1, 10, 0.1, 3}, C = {1, -2, 0.5, 0};

    static double quadratic(double[] x, double[] g) {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            f += A[i] * (x[i] - C[i]) * (x[i] - C[i]);
            g[i] = 2 * A[i] * (x[i] - C[i]);
        }
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reducesAnIllConditionedQuadratic(OptimizerCase c) {
        Optimizer opt = Optimizer.builder(c.spec()).size(4).dtype(Dtype.FLOAT64).build();
        double[] x = {3, 3, 3, 3}, g = new double[4];
        double f0 = quadratic(x, g);
        double f = f0;
        for (int t = 0; t < 3000; t++) {
            opt.step(x, g);
            f = quadratic(x, g);
        }
        assertThat(f).as(c.name()).isLessThan(f0 * 0.05);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stateRoundTripThenMoreStepsIsBitIdentical(OptimizerCase c) throws Exception {
        ParamLayout layout = ParamLayout.builder().add("w", 2, 3).add("z", 0).add("s").build();
        OptimizerSpec spec = c.spec();
        Optimizer a = Optimizer.builder(spec).layout(layout).build();
        float[] pa = {1, -1, 2, -2, 0.5f, 0.25f, 3};
        for (int t = 0; t < 5; t++) a.step(pa, grads(t));
        StateDict sd = StateIO.fromBytes(StateIO.toBytes(a.stateDict()), "memory");
        Optimizer b = Optimizer.builder(spec).layout(layout).build();
        b.loadStateDict(sd);
        float[] pb = pa.clone();
        for (int t = 5; t < 15; t++) {
            a.step(pa, grads(t));
            b.step(pb, grads(t));
        }
        assertThat(pb).as(c.name()).containsExactly(pa);
        assertThat(b.stateDict()).isEqualTo(a.stateDict());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void steppingOneGroupOrSplitGroupsWithTheSameSpecIsTheSame(OptimizerCase c) {
        ParamLayout layout = ParamLayout.builder().add("a", 3).add("b", 2).add("c", 2).build();
        Optimizer one = Optimizer.builder(c.spec()).layout(layout).build();
        Optimizer split = Optimizer.builder(c.spec()).layout(layout).group("bc", List.of("c", "b"), c.spec()).build();
        float[] p1 = {1, 2, 3, 4, 5, 6, 7}, p2 = p1.clone();
        for (int t = 0; t < 10; t++) {
            one.step(p1, grads(t));
            split.step(p2, grads(t));
        }
        assertThat(p2).as(c.name()).containsExactly(p1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void copyStartsFresh(OptimizerCase c) {
        Optimizer a = Optimizer.builder(c.spec()).size(7).build();
        float[] p = new float[7];
        a.step(p, grads(0));
        Optimizer fresh = Optimizer.builder(c.spec()).size(7).build();
        assertThat(a.copy().stateDict()).isEqualTo(fresh.stateDict());
    }

    static float[] grads(int t) {
        float[] g = new float[7];
        for (int i = 0; i < g.length; i++) g[i] = (float) (Math.sin(0.9 * t + i) * (i + 1));
        return g;
    }
}
