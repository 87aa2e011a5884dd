package org.rmsprop4j.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;

class SimulatorTest {

    static Stream<OptimizerSpec> specs() {
        return Stream.of(RmsPropPreset.SEED.config(), RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.05).build(),
                RmsPropPreset.TF1.config(), RmsPropPreset.GRAVES.config(),
                RmsPropConfig.builder().momentum(0.9).nesterov(true).biasCorrection(true).learningRate(0.01).build(),
                SgdConfig.builder().learningRate(1e-3).momentum(0.9).build(), AdagradConfig.builder().learningRate(0.1).build(),
                AdamConfig.builder().learningRate(0.05).build(), AdadeltaConfig.builder().build());
    }

    /** The simulator must record exactly what core's optimizer does, step for step, bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void recordsTheSameNumbersAsCoresStepBitForBit(OptimizerSpec spec) {
        Surface s = Surfaces.rosenbrock();
        int n = 200;
        Trajectory t = Simulator.run(s, spec, s.start(), n);
        assertThat(t.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(t.frames()).isEqualTo(n + 1);

        Optimizer opt = Optimizer.builder(spec).size(2).dtype(Dtype.FLOAT64).build();
        double[] p = {s.start().x(), s.start().y()};
        for (int k = 0; k <= n; k++) {
            double[] g = s.gradient(p[0], p[1]);
            assertThat(Double.doubleToLongBits(t.x(k))).as("x at frame %d", k).isEqualTo(Double.doubleToLongBits(p[0]));
            assertThat(Double.doubleToLongBits(t.y(k))).as("y at frame %d", k).isEqualTo(Double.doubleToLongBits(p[1]));
            assertThat(t.loss(k)).isEqualTo(s.value(p[0], p[1]));
            assertThat(t.gradient(k, 0)).isEqualTo(g[0]);
            assertThat(t.gradient(k, 1)).isEqualTo(g[1]);
            for (String slot : spec.stateSlots()) {
                double[] v = opt.state("param", slot);
                assertThat(t.state(slot, k, 0)).as("%s x at frame %d", slot, k).isEqualTo(v[0]);
                assertThat(t.state(slot, k, 1)).as("%s y at frame %d", slot, k).isEqualTo(v[1]);
            }
            if (k < n) opt.step(p, g);
        }
    }

    /** An independent re-derivation of the seed article's loop: v ← βv + (1−β)g²; θ ← θ − η·g/√(v+ε). */
    @Test
    void seedRmspropFollowsTheArticlesEquations() {
        Surface s = Surfaces.sigmoidNeuron();
        Trajectory t = Simulator.run(s, RmsPropPreset.SEED.config(), s.start(), 50);
        double w = -2, b = -2, vw = 0, vb = 0;
        for (int k = 1; k <= 50; k++) {
            double[] g = s.gradient(w, b);
            vw = 0.9 * vw + 0.1 * g[0] * g[0];
            vb = 0.9 * vb + 0.1 * g[1] * g[1];
            w -= 0.1 / Math.sqrt(vw + 1e-9) * g[0];
            b -= 0.1 / Math.sqrt(vb + 1e-9) * g[1];
            assertThat(t.x(k)).isCloseTo(w, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(t.y(k)).isCloseTo(b, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(t.state(RmsPropConfig.SQUARE_AVG, k, 0)).isCloseTo(vw, org.assertj.core.data.Offset.offset(1e-15));
            assertThat(t.effectiveStep(k, 1)).isCloseTo(0.1 / Math.sqrt(vb + 1e-9), org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(t.effectiveStep(0, 0)).isNaN();
    }

    @Test
    void effectiveStepOfPytorchRmspropAndAdagrad() {
        Surface s = Surfaces.ellipticBowl();
        RmsPropConfig c = RmsPropPreset.PYTORCH.config();
        Trajectory t = Simulator.run(s, c, s.start(), 5);
        for (int k = 1; k <= 5; k++) {
            double v = t.state(RmsPropConfig.SQUARE_AVG, k, 0);
            assertThat(t.effectiveStep(k, 0)).isEqualTo(0.01 / (Math.sqrt(v) + 1e-8));
            // the step actually taken is the effective step times the gradient of the previous frame
            assertThat(t.x(k - 1) - t.x(k)).isCloseTo(t.effectiveStep(k, 0) * t.gradient(k - 1, 0), org.assertj.core.data.Offset.offset(1e-14));
        }
        Trajectory a = Simulator.run(s, AdagradConfig.builder().learningRate(0.5).build(), s.start(), 5);
        double sum = 0;
        for (int k = 1; k <= 5; k++) {
            sum += a.gradient(k - 1, 1) * a.gradient(k - 1, 1);
            assertThat(a.squaredGradientAccumulator(k, 1)).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-12 * sum));
        }
    }

    static Stream<OptimizerSpec> noMomentumSpecs() {
        return Stream.of(RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.05).build(), RmsPropPreset.SEED.config(),
                RmsPropPreset.TF1.config().toBuilder().learningRate(0.05).build(), RmsPropPreset.DQN.config().toBuilder().learningRate(0.01).build(),
                RmsPropConfig.builder().learningRate(0.02).biasCorrection(true).build(),
                RmsPropConfig.builder().learningRate(0.02).lrDecay(0.1).centered(true).build(),
                AdagradConfig.builder().learningRate(0.3).lrDecay(0.05).build(), AdadeltaConfig.builder().build(),
                SgdConfig.builder().learningRate(1e-3).build());
    }

    /** Without momentum every step is θ_{k−1} − θ_k = effectiveStep(k)·g_{k−1}: pins the formulas of the class comment. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("noMomentumSpecs")
    void effectiveStepTimesGradientIsTheStepTaken(OptimizerSpec spec) {
        Surface s = Surfaces.rosenbrock();
        Trajectory t = Simulator.run(s, spec, s.start(), 60);
        for (int k = 1; k < t.frames(); k++) {
            for (int a = 0; a < 2; a++) {
                double taken = t.position(k - 1, a) - t.position(k, a);
                double predicted = t.effectiveStep(k, a) * t.gradient(k - 1, a);
                assertThat(taken).as("step %d axis %d", k, a).isCloseTo(predicted, org.assertj.core.data.Offset.offset(1e-12 + 1e-9 * Math.abs(taken)));
            }
        }
    }

    /** Adam's effective step multiplies the first moment m_k, not the gradient. */
    @Test
    void adamEffectiveStepTimesFirstMomentIsTheStepTaken() {
        Surface s = Surfaces.beale();
        Trajectory t = Simulator.run(s, AdamConfig.builder().learningRate(0.05).build(), s.start(), 60);
        for (int k = 1; k < t.frames(); k++) {
            double taken = t.x(k - 1) - t.x(k);
            assertThat(taken).isCloseTo(t.effectiveStep(k, 0) * t.momentum(k, 0), org.assertj.core.data.Offset.offset(1e-12 + 1e-9 * Math.abs(taken)));
        }
    }

    @Test
    void divergenceEndsTheTrajectoryWithAReasonInsteadOfAnException() {
        Surface s = Surfaces.rosenbrock();
        Trajectory t = Simulator.run(s, SgdConfig.builder().learningRate(0.1).build(), s.start(), 500);
        assertThat(t.stopReason()).isIn(StopReason.DIVERGED, StopReason.NON_FINITE);
        assertThat(t.diverged()).isTrue();
        assertThat(t.frames()).isLessThan(501).isGreaterThan(1);
        assertThat(t.stopMessage()).contains("at step");
        for (int k = 0; k < t.frames(); k++) {
            assertThat(Double.isFinite(t.x(k)) && Double.isFinite(t.y(k)) && Double.isFinite(t.loss(k))).isTrue();
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() {
        Surface s = Surfaces.beale();
        assertThatThrownBy(() -> Simulator.run(s, RmsPropPreset.SEED.config(), s.start(), 0))
                .hasMessage("steps must be in [1, 100000], got 0");
        assertThatThrownBy(() -> Simulator.run(s, RmsPropPreset.SEED.config(), new Surface.Point(10, 0), 10))
                .hasMessageContaining("start must lie in the domain");
        assertThatThrownBy(() -> Simulator.race(s, s.start(), 10, List.of()))
                .hasMessageContaining("contenders must name at least one optimizer");
        Contender c = new Contender("a", RmsPropPreset.SEED.config());
        assertThatThrownBy(() -> Simulator.race(s, s.start(), 10, List.of(c, c))).hasMessageContaining("'a' twice");
    }

    @Test
    void sweepMarksDivergentCellsAndRefusesOptimizersWithoutDecay() {
        Surface s = Surfaces.beale();
        Sweep sw = Sweep.run(s, s.start(), 50, RmsPropPreset.PYTORCH.config(), new double[] {1e-3, 1e9}, new double[] {0.5, 0.9}, i -> { });
        assertThat(sw.diverged(0, 0)).isFalse();
        assertThat(sw.finalLoss(0, 1)).isLessThan(s.value(1, 1.5));
        assertThat(sw.diverged(1, 1)).isTrue();
        assertThatThrownBy(() -> Sweep.run(s, s.start(), 50, SgdConfig.builder().build(), new double[] {1}, new double[] {0.5}, i -> { }))
                .hasMessageContaining("got sgd");
        assertThatThrownBy(() -> Sweep.run(s, s.start(), 50, RmsPropPreset.PYTORCH.config(), new double[0], new double[] {0.5}, i -> { }))
                .hasMessageContaining("learning rates must have 1..200 values, got 0");
    }

    /**
     * The article's story on its neuron, from (−2, −2): RMSprop crosses the plateau first (lowest loss
     * after 25 steps), AdaGrad's growing sum slows it down (still far from the minimum after 300
     * steps), and RMSprop with a constant learning rate then hovers near the minimum without settling.
     */
    @Test
    void articleStoryOnTheSigmoidNeuron() {
        Surface s = Surfaces.sigmoidNeuron();
        Trajectory rms = Simulator.run(s, RmsPropPreset.SEED.config(), s.start(), 300);
        Trajectory gd = Simulator.run(s, SgdConfig.builder().learningRate(1.0).build(), s.start(), 300);
        Trajectory mom = Simulator.run(s, SgdConfig.builder().learningRate(1.0).momentum(0.9).build(), s.start(), 300);
        Trajectory ada = Simulator.run(s, AdagradConfig.builder().learningRate(0.1).eps(1e-8).build(), s.start(), 300);
        assertThat(rms.loss(25)).isLessThan(gd.loss(25)).isLessThan(mom.loss(25)).isLessThan(ada.loss(25));
        assertThat(ada.finalLoss()).isGreaterThan(10 * rms.finalLoss());
        assertThat(rms.finalLoss()).isLessThan(1e-3).isGreaterThan(1e-6);
    }
}
