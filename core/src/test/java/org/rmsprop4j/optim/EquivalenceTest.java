package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Identities between configurations (Optax's {@code test_rms_match_adam} and friends). */
class EquivalenceTest {

    static double[] run(OptimizerSpec spec, LearningRateSchedule schedule, int steps) {
        Optimizer opt = Optimizer.builder(spec).size(4).dtype(Dtype.FLOAT64).schedule(schedule).build();
        double[] p = {1, -2, 0.5, 3};
        for (int t = 0; t < steps; t++) {
            double[] g = {Math.sin(t), Math.cos(0.7 * t) * 3, 0.01 * t, -1};
            opt.step(p, g);
        }
        return p;
    }

    @Test
    void optaxWithEpsOutsideAndZeroStartEqualsPyTorchWithoutMomentum() {
        RmsPropConfig optax = RmsPropPreset.OPTAX.config().toBuilder().epsPlacement(EpsPlacement.OUTSIDE).initialMeanSquare(0)
                .learningRate(0.01).decay(0.99).eps(1e-8).build();
        assertThat(run(optax, Schedules.constant(), 50)).containsExactly(run(RmsPropPreset.PYTORCH.config(), Schedules.constant(), 50));
    }

    @Test
    void momentumStylesAgreeUnderAConstantRateAndDifferUnderASchedule() {
        RmsPropConfig outside = RmsPropConfig.builder().momentum(0.9).momentumStyle(MomentumStyle.LR_OUTSIDE).build();
        RmsPropConfig inside = outside.toBuilder().momentumStyle(MomentumStyle.LR_INSIDE).build();
        double[] a = run(outside, Schedules.constant(), 60), b = run(inside, Schedules.constant(), 60);
        for (int i = 0; i < 4; i++) assertThat(a[i]).isCloseTo(b[i], within(1e-12));
        double[] c = run(outside, Schedules.step(10, 0.3), 60), d = run(inside, Schedules.step(10, 0.3), 60);
        double maxDiff = 0;
        for (int i = 0; i < 4; i++) maxDiff = Math.max(maxDiff, Math.abs(c[i] - d[i]));
        assertThat(maxDiff).isGreaterThan(1e-3);
    }

    @Test
    void biasCorrectedRmsPropWithEpsOutsideEqualsAdamWithoutFirstMoment() {
        RmsPropConfig rms = RmsPropConfig.builder().learningRate(0.01).decay(0.999).eps(1e-8).biasCorrection(true).build();
        AdamConfig adam = AdamConfig.builder().learningRate(0.01).betas(0, 0.999).eps(1e-8).build();
        double[] a = run(rms, Schedules.constant(), 80), b = run(adam, Schedules.constant(), 80);
        for (int i = 0; i < 4; i++) assertThat(a[i]).isCloseTo(b[i], within(1e-12));
    }

    @Test
    void centeredOnAConstantGradientDrivesTheDenominatorToEps() {
        for (EpsPlacement place : EpsPlacement.values()) {
            RmsPropConfig c = RmsPropConfig.builder().centered(true).eps(1e-2).epsPlacement(place).learningRate(1e-6).build();
            Optimizer opt = Optimizer.builder(c).size(1).dtype(Dtype.FLOAT64).build();
            double[] p = {0};
            for (int t = 0; t < 5000; t++) opt.step(p, new double[] {2});
            double before = p[0];
            opt.step(p, new double[] {2});
            double step = before - p[0];
            double expected = 1e-6 * 2 / (place == EpsPlacement.INSIDE ? Math.sqrt(1e-2) : 1e-2);
            assertThat(step).as(place.toString()).isCloseTo(expected, within(expected * 1e-3));
        }
    }

    @Test
    void zeroMomentumIsNoBuffer() {
        assertThat(RmsPropConfig.builder().momentum(0).build().stateSlots()).containsExactly("rms/" + RmsPropConfig.SQUARE_AVG);
        assertThat(SgdConfig.builder().build().stateSlots()).isEmpty();
    }
}
