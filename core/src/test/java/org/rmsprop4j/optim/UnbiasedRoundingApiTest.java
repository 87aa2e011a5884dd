package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link StateQuantization#withUnbiasedRounding()}: per optimizer, the same bits as the global property, and
 * not nearest rounding's; parsed and labelled as {@code 8bit-N-unbiased}; refused for float state.
 */
class UnbiasedRoundingApiTest {

    private static float[] run(StateQuantization q, String property) {
        String was = System.getProperty(QuantizedState.UNBIASED_PROPERTY);
        Optimizer o;
        try {
            System.setProperty(QuantizedState.UNBIASED_PROPERTY, property);
            o = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(5000).stateQuantization(q).build();
        } finally {
            if (was == null) System.clearProperty(QuantizedState.UNBIASED_PROPERTY);
            else System.setProperty(QuantizedState.UNBIASED_PROPERTY, was);
        }
        SplittableRandom r = new SplittableRandom(7);
        float[] p = new float[5000], g = new float[5000];
        for (int t = 0; t < 30; t++) {
            for (int i = 0; i < g.length; i++) g[i] = t % 3 == 0 ? (float) (r.nextGaussian() * Math.exp(-i / 700.0)) : 0f;
            o.step(p, g);
        }
        double[] v = o.state("param", "square_avg");
        float[] out = new float[p.length + v.length];
        System.arraycopy(p, 0, out, 0, p.length);
        for (int i = 0; i < v.length; i++) out[p.length + i] = (float) v[i];
        return out;
    }

    @Test
    void perOptimizerGivesThePropertysBitsAndNotNearestRoundings() {
        StateQuantization near = StateQuantization.blockwise8(256), unb = near.withUnbiasedRounding();
        float[] api = run(unb, "false"), prop = run(near, "true"), nearest = run(near, "false");
        assertThat(api).as("withUnbiasedRounding() against -Drmsprop4j.blockwise8.unbiased=true").containsExactly(prop);
        assertThat(api).as("unbiased against nearest rounding").isNotEqualTo(nearest);
    }

    @Test
    void parsedLabelledAndRefused() {
        StateQuantization u = StateQuantization.parse("8bit-256-unbiased");
        assertThat(u).isEqualTo(StateQuantization.blockwise8(256).withUnbiasedRounding());
        assertThat(u.unbiasedRounding()).isTrue();
        assertThat(u.label()).isEqualTo("8bit-256-unbiased");
        assertThat(StateQuantization.parse("8-unbiased").blockSize()).isEqualTo(StateQuantization.DEFAULT_BLOCK_SIZE);
        assertThat(StateQuantization.blockwise8(256).label()).isEqualTo("8bit-256");
        assertThat(new StateQuantization(8, 256)).isEqualTo(new StateQuantization(8, 256, false));
        assertThatThrownBy(() -> StateQuantization.parse("8bit-256-unbiased-unbiased")).hasMessageContaining("8bit-256-unbiased-unbiased");
        assertThatThrownBy(() -> StateQuantization.parse("fp32-unbiased")).hasMessageContaining("fp32-unbiased").hasMessageContaining("-unbiased");
        assertThatThrownBy(() -> StateQuantization.none().withUnbiasedRounding()).hasMessageContaining("state").hasMessageContaining("8-bit");
        assertThatThrownBy(() -> new StateQuantization(32, 0, true)).hasMessageContaining("unbiasedRounding");
    }
}
