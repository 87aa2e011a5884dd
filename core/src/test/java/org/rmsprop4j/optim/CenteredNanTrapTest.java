package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Known trap: centered RMSprop in float32 on a constant gradient drives ν − μ² to 0, where rounding
 * pushes it below zero and √ gives NaN (PyTorch, which does not clamp, goes NaN after about 1,200
 * steps). Our clamp keeps it finite.
 */
class CenteredNanTrapTest {

    private static final RmsPropConfig CENTERED = RmsPropConfig.builder().centered(true).build();

    @Test
    void centeredFloat32StaysFiniteOver100kStepsOfAConstantGradient() {
        Optimizer opt = Optimizer.builder(CENTERED).size(4).build();
        float[] p = {1f, -2f, 0.5f, 3f};
        float[] g = {0.11851099f, -0.81682265f, 1.2227019f, 5.6614647f};
        for (int t = 0; t < 100_000; t++) {
            opt.step(p, g);
        }
        for (float x : p) assertThat(Float.isFinite(x)).isTrue();
        for (double v : opt.state("param", RmsPropConfig.SQUARE_AVG)) assertThat(Double.isFinite(v)).isTrue();
    }

    /** The same arithmetic without the clamp (PyTorch's) does go NaN: the trap is real and the test can fail. */
    @Test
    void withoutTheClampTheSameArithmeticGoesNaN() {
        float[] g = {0.11851099f, -0.81682265f, 1.2227019f, 5.6614647f};
        float decay = 0.99f, omd = (float) (1 - 0.99), eps = 1e-8f, lr = 0.01f;
        float[] p = {1f, -2f, 0.5f, 3f}, v = new float[4], a = new float[4];
        int firstNaN = -1;
        for (int t = 0; t < 100_000 && firstNaN < 0; t++) {
            for (int i = 0; i < 4; i++) {
                v[i] = Math.fma(omd * g[i], g[i], decay * v[i]);
                a[i] = Math.fma(omd, g[i], decay * a[i]);
                float d = (float) Math.sqrt(Math.fma(-a[i], a[i], v[i])) + eps;
                p[i] = p[i] - (lr * g[i]) / d;
                if (Float.isNaN(p[i])) firstNaN = t + 1;
            }
        }
        assertThat(firstNaN).as("step at which the unclamped loop first gives NaN").isBetween(1_000, 2_000);
    }
}
