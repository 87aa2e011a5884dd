package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Two steps per optimizer worked by hand from the textbook equations, in double, on one parameter
 * (θ₀ = 1, g₁ = 2, g₂ = −1). Tests against other implementations "could in theory be wrong" (EJML);
 * these are written from the equations alone.
 */
class HandComputedTest {

    static double[] twoSteps(OptimizerSpec spec) {
        Optimizer opt = Optimizer.builder(spec).size(1).dtype(Dtype.FLOAT64).build();
        double[] p = {1};
        opt.step(p, new double[] {2});
        double first = p[0];
        opt.step(p, new double[] {-1});
        return new double[] {first, p[0]};
    }

    @Test
    void pytorchRmsProp() {
        // v1 = 0.01*4 = 0.04, θ1 = 1 - 0.01*2/(0.2+1e-8); v2 = 0.99*0.04 + 0.01*1 = 0.0496, θ2 = θ1 + 0.01/(sqrt(0.0496)+1e-8)
        double t1 = 1 - 0.02 / (0.2 + 1e-8), t2 = t1 + 0.01 / (Math.sqrt(0.0496) + 1e-8);
        assertThat(twoSteps(RmsPropPreset.PYTORCH.config())).containsExactly(new double[] {t1, t2}, within(1e-15));
    }

    @Test
    void seedRmsPropEpsInsideTheRoot() {
        // v1 = 0.1*4 = 0.4, θ1 = 1 - 0.1*2/sqrt(0.4+1e-9); v2 = 0.36+0.1 = 0.46, θ2 = θ1 + 0.1/sqrt(0.46+1e-9)
        double t1 = 1 - 0.2 / Math.sqrt(0.4 + 1e-9), t2 = t1 + 0.1 / Math.sqrt(0.46 + 1e-9);
        assertThat(twoSteps(RmsPropPreset.SEED.config())).containsExactly(new double[] {t1, t2}, within(1e-15));
    }

    @Test
    void tf1StartsTheMeanSquareAtOne() {
        // ms1 = 0.9 + 0.1*4 = 1.3; mom = lr*g/sqrt(ms+eps); ms2 = 1.17 + 0.1 = 1.27
        double t1 = 1 - 0.001 * 2 / Math.sqrt(1.3 + 1e-10), t2 = t1 + 0.001 / Math.sqrt(1.27 + 1e-10);
        // TF1 turns every hyper-parameter into a float32 tensor first: ~1e-8 relative even in float64
        assertThat(twoSteps(RmsPropPreset.TF1.config())).containsExactly(new double[] {t1, t2}, within(1e-10));
        // in its own arithmetic, exactly: ms ← ms + (g² − ms)(1 − ρ), hyper-parameters through float32
        double rho = (float) 0.9, eps = (float) 1e-10, lr = (float) 0.001, om = 1 - rho;
        double ms1 = 1 + (4 - 1) * om, m1 = 2 * lr / Math.sqrt(ms1 + eps), ms2 = ms1 + (1 - ms1) * om;
        double m2 = m1 * 0 + -1 * lr / Math.sqrt(ms2 + eps);
        assertThat(twoSteps(RmsPropPreset.TF1.config())).containsExactly(1 - m1, 1 - m1 - m2);
    }

    @Test
    void centeredWithMomentumGraves() {
        // n1 = 0.05*4 = 0.2, g1 = 0.1, Δ1 = -1e-4*2/sqrt(0.2-0.01+1e-4)
        double d1 = -1e-4 * 2 / Math.sqrt(0.2 - 0.01 + 1e-4);
        // n2 = 0.19+0.05 = 0.24, g2 = 0.095-0.05 = 0.045, Δ2 = 0.9Δ1 + 1e-4/sqrt(0.24-0.045^2+1e-4)
        double d2 = 0.9 * d1 + 1e-4 / Math.sqrt(0.24 - 0.045 * 0.045 + 1e-4);
        assertThat(twoSteps(RmsPropPreset.GRAVES.config())).containsExactly(new double[] {1 + d1, 1 + d1 + d2}, within(1e-15));
    }

    @Test
    void sgdWithMomentumAndNesterov() {
        // PyTorch: b1 = g1 = 2, θ1 = 1 - 0.1*(2 + 0.9*2) = 0.62; b2 = 0.9*2 - 1 = 0.8, θ2 = 0.62 - 0.1*(-1 + 0.72) = 0.648
        assertThat(twoSteps(SgdConfig.builder().learningRate(0.1).momentum(0.9).nesterov(true).build()))
                .containsExactly(new double[] {0.62, 0.648}, within(1e-15));
    }

    @Test
    void adagradWithLrDecay() {
        // s1 = 4, θ1 = 1 - 0.1*2/(2+1e-10); clr2 = 0.1/(1+0.5) ; s2 = 5, θ2 = θ1 + clr2/(sqrt5+1e-10)
        double t1 = 1 - 0.2 / (2 + 1e-10), t2 = t1 + (0.1 / 1.5) / (Math.sqrt(5) + 1e-10);
        assertThat(twoSteps(AdagradConfig.builder().learningRate(0.1).lrDecay(0.5).build()))
                .containsExactly(new double[] {t1, t2}, within(1e-15));
    }

    @Test
    void adadelta() {
        // v1 = 0.1*4 = 0.4, δ1 = sqrt(0+1e-6)/sqrt(0.4+1e-6)*2, a1 = 0.1δ1²
        double d1 = Math.sqrt(1e-6) / Math.sqrt(0.4 + 1e-6) * 2, a1 = 0.1 * d1 * d1;
        double v2 = 0.36 + 0.1, d2 = Math.sqrt(a1 + 1e-6) / Math.sqrt(v2 + 1e-6) * -1;
        assertThat(twoSteps(AdadeltaConfig.builder().build())).containsExactly(new double[] {1 - d1, 1 - d1 - d2}, within(1e-15));
    }

    @Test
    void adamAndAdamW() {
        // m1 = 0.2, v1 = 0.004; m̂ = 2, v̂ = 4 → θ1 = 1 - 0.1*2/(2+1e-8)
        double t1 = 1 - 0.1 * 2 / (2 + 1e-8);
        double m2 = 0.9 * 0.2 - 0.1, v2 = 0.999 * 0.004 + 0.001;
        double t2 = t1 - 0.1 / (1 - 0.81) * m2 / (Math.sqrt(v2) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8);
        assertThat(twoSteps(AdamConfig.builder().learningRate(0.1).build())).containsExactly(new double[] {t1, t2}, within(1e-14));
        // AdamW: θ ← θ(1 - lr·λ) first
        double w1 = 1 * (1 - 0.1 * 0.5) - 0.1 * 2 / (2 + 1e-8);
        double w2 = w1 * (1 - 0.1 * 0.5) - 0.1 / (1 - 0.81) * m2 / (Math.sqrt(v2) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8);
        assertThat(twoSteps(AdamConfig.adamW().learningRate(0.1).weightDecay(0.5).build())).containsExactly(new double[] {w1, w2}, within(1e-14));
    }
}
