package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The rounding of 8-bit mean squares ({@code QuantizedState.roundUnbiased}, on with
 * {@code -Drmsprop4j.blockwise8.unbiased=true}): a stored ν follows the float32 recursion on average, also
 * where each step's change is far below the gap between map entries.
 */
class QuantizedStateRoundingTest {

    /**
     * One block of 2,048: value 0 sees a gradient of 1 every step and holds the block's maximum near 1;
     * the other 2,047 see one gradient of 0.3 at step 1 and then zeros, so their float32 ν only decays,
     * by 1% a step, to 1.6e-5 after 400 steps. That is 1.6e-5 of the block maximum, where the map's
     * entries lie 20% apart. Nearest rounding keeps each of them at its old entry, a fixed fraction of a
     * block maximum that grows from 0.01 to 0.98, so their ν grows instead of decaying: measured, 170×
     * the float32 value after 400 steps (2× after 50). Unbiased rounding follows the decay on average
     * (measured within 2% at every 50th step).
     */
    @Test
    void aDecayingMeanSquareFollowsTheFloat32DecayOnAverage() {
        assertThat(decayRatio(true)).as("mean stored ν over the float32 ν, unbiased rounding").isBetween(0.9, 1.1);
    }

    /** Nearest rounding (the default; {@code -Drmsprop4j.blockwise8.unbiased=false}) ratchets. */
    @Test
    void nearestRoundingCanBeChosenAndRatchets() {
        assertThat(decayRatio(false)).as("mean stored ν over the float32 ν, nearest rounding").isGreaterThan(50);
    }

    /** The scenario above; returns the mean stored ν of the 2,047 decaying values over their float32 ν after 400 steps. */
    static double decayRatio(boolean unbiased) {
        int n = 2048;
        Optimizer q;
        String was = System.getProperty(QuantizedState.UNBIASED_PROPERTY);
        System.setProperty(QuantizedState.UNBIASED_PROPERTY, String.valueOf(unbiased));
        try {
            q = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(n).stateQuantization(StateQuantization.blockwise8(2048)).build();
        } finally {
            if (was == null) System.clearProperty(QuantizedState.UNBIASED_PROPERTY);
            else System.setProperty(QuantizedState.UNBIASED_PROPERTY, was);
        }
        Optimizer f = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(n).build();
        float[] pq = new float[n], pf = new float[n];
        for (int t = 1; t <= 400; t++) {
            float[] g = new float[n];
            g[0] = 1f;
            if (t == 1) java.util.Arrays.fill(g, 1, n, 0.3f);
            q.step(pq, g);
            f.step(pf, g);
        }
        double[] nq = q.state("param", "square_avg"), nf = f.state("param", "square_avg");
        double sq = 0, sf = 0;
        for (int i = 1; i < n; i++) {
            sq += nq[i];
            sf += nf[i];
        }
        assertThat(nf[1]).isBetween(1.5e-5, 1.7e-5);
        int distinct = (int) java.util.stream.IntStream.range(1, n).mapToDouble(i -> nq[i]).distinct().count();
        if (unbiased) assertThat(distinct).as("values drawn on both sides of the float32 ν").isGreaterThanOrEqualTo(2);
        assertThat(nq[0]).isEqualTo(nf[0], org.assertj.core.data.Offset.offset(0.01));
        return sq / sf;
    }

    /** Zero stays zero and the block maximum stays exact: elements that never saw a gradient keep ν = 0 and do not move. */
    @Test
    void zeroStaysZero() {
        int n = 4096;
        String was = System.getProperty(QuantizedState.UNBIASED_PROPERTY);
        System.setProperty(QuantizedState.UNBIASED_PROPERTY, "true");
        Optimizer q;
        try {
            q = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(n).stateQuantization(StateQuantization.blockwise8(2048)).build();
        } finally {
            if (was == null) System.clearProperty(QuantizedState.UNBIASED_PROPERTY);
            else System.setProperty(QuantizedState.UNBIASED_PROPERTY, was);
        }
        float[] p = new float[n];
        for (int t = 1; t <= 50; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i += 2) g[i] = (float) Math.sin(t + i);
            q.step(p, g);
        }
        double[] nu = q.state("param", "square_avg");
        for (int i = 1; i < n; i += 2) {
            assertThat(nu[i]).isEqualTo(0.0);
            assertThat(p[i]).isEqualTo(0f);
        }
    }

    /** Built with unbiased rounding on (and, if {@code scalar}, the scalar loops). */
    static Optimizer unbiased(int threads, boolean scalar) {
        String was = System.getProperty(QuantizedState.UNBIASED_PROPERTY), vec = System.getProperty(QuantizedState.VECTOR_PROPERTY);
        System.setProperty(QuantizedState.UNBIASED_PROPERTY, "true");
        if (scalar) System.setProperty(QuantizedState.VECTOR_PROPERTY, "false");
        try {
            return Optimizer.builder(RmsPropConfig.builder().momentum(0.9).build()).size(5000).threads(threads).parallelThreshold(64)
                    .stateQuantization(StateQuantization.blockwise8(64)).build();
        } finally {
            if (was == null) System.clearProperty(QuantizedState.UNBIASED_PROPERTY);
            else System.setProperty(QuantizedState.UNBIASED_PROPERTY, was);
            if (vec == null) System.clearProperty(QuantizedState.VECTOR_PROPERTY);
            else System.setProperty(QuantizedState.VECTOR_PROPERTY, vec);
        }
    }

    /** The draws depend on step, slot and position only: 1 and 3 threads, scalar and vector loops, and a resumed run give the same bits. */
    @Test
    void unbiasedRoundingGivesTheSameBitsOnThreadsLoopsAndResume() throws java.io.IOException {
        Optimizer a = unbiased(1, false), b = unbiased(3, false), s = unbiased(1, true);
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        float[] pa = new float[5000], pb = new float[5000], ps = new float[5000];
        for (int t = 0; t < 6; t++) {
            float[] g = new float[5000];
            for (int i = 0; i < g.length; i++) g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-8, 0)));
            a.step(pa, g);
            b.step(pb, g);
            s.step(ps, g);
        }
        assertThat(pb).containsExactly(pa);
        assertThat(ps).containsExactly(pa);
        assertThat(b.stateDict()).isEqualTo(a.stateDict());
        assertThat(s.stateDict()).isEqualTo(a.stateDict());
        Optimizer c = unbiased(1, false);
        c.loadStateDict(StateIO.fromBytes(StateIO.toBytes(a.stateDict()), "mid-run"));
        float[] pc = pa.clone();
        for (int t = 0; t < 4; t++) {
            float[] g = new float[5000];
            for (int i = 0; i < g.length; i++) g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-8, 0)));
            a.step(pa, g);
            c.step(pc, g);
        }
        assertThat(pc).containsExactly(pa);
        assertThat(c.stateDict()).isEqualTo(a.stateDict());
    }
}
