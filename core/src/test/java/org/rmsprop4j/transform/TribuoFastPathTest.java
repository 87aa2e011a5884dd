package org.rmsprop4j.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.Arithmetic;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * Tribuo's loops ({@code ProfileLoops}/{@code ProfileLoopsF32.tribuo}: a scan per block, then two passes or
 * the branching loop; in float64 on the Vector API {@code ProfileVectorTribuo}: the fold as a lane mask) against the reference arithmetic
 * ({@link ProfileReference}) bit for bit, from states {@link ProfileFastPathTest} never reaches in 12
 * steps: multipliers per element around the fold threshold (some fold this step, some next, some
 * never), zero, subnormal and negative multipliers, zero and huge elements, blocks where nothing folds
 * beside blocks where one element does; float32 and float64, with and without the Vector API.
 */
class TribuoFastPathTest {

    private static final int N = 2 * 1024 + 611, OFF = 3, LEN = N - 10;   // two whole blocks of 1,024, a partial one, a tail of 1 after groups of 4

    /** A multiplier: mostly 1 (whole blocks fold-free), else near the threshold 1e-6 / keep or unusual. */
    private static double multiplier(SplittableRandom r, int i, double keep) {
        if (i < 1024 + OFF) return 1.0;                          // the first block never folds (in 12 steps at ρ ≥ 0.2 from 1, only at 0.2 itself)
        switch (r.nextInt(10)) {
            case 0: return 1e-6 / keep * (1 + (r.nextDouble() - 0.5) * 1e-6);   // within a hair of folding
            case 1: return 1e-6 * (0.5 + r.nextDouble() * 3);
            case 2: return 0.0;
            case 3: return Float.MIN_VALUE * (r.nextBoolean() ? 1 : -1);
            case 4: return -r.nextDouble();
            default: return r.nextDouble();
        }
    }

    private static double element(SplittableRandom r, boolean f32) {
        switch (r.nextInt(6)) {
            case 0: return 0.0;
            case 1: return r.nextDouble() * (f32 ? 1e30 : 1e200);
            default: return r.nextDouble() * 1e-3;
        }
    }

    @Test
    void float32AgreesWithTheReferenceOnBothPaths() {
        ProfileFastPathTest.withVector(false, () -> run(true));
        if (org.rmsprop4j.kernel.ProfileBlocksF32.vectorEnabled()) ProfileFastPathTest.withVector(true, () -> run(true));
    }

    @Test
    void float64AgreesWithTheReferenceOnBothPaths() {
        ProfileFastPathTest.withVector(false, () -> run(false));
        if (org.rmsprop4j.kernel.ProfileBlocksF32.vectorEnabled()) ProfileFastPathTest.withVector(true, () -> run(false));
    }

    private void run(boolean f32) {
        int folded = 0;
        for (double decay : new double[] {0.9, 0.2, 0.999}) {
            RmsPropProfile prof = new RmsPropProfile(Arithmetic.TRIBUO, decay, 1e-8, EpsPlacement.OUTSIDE, 0, false, 0,
                    MomentumStyle.LR_INSIDE, false, 0, WeightDecayStyle.L2, false);
            double keep = 1.0 - (1.0 - decay);
            SplittableRandom r = new SplittableRandom(Double.hashCode(decay) + (f32 ? 1 : 2));
            int k = prof.slots().size();
            assertThat(prof.slots()).containsExactly(RmsPropProfile.SQUARE_AVG, RmsPropProfile.ELEMENTS, RmsPropProfile.MULTIPLIER);
            double[] p0 = new double[N];
            double[][] s0 = new double[k][N];
            for (int i = 0; i < N; i++) {
                p0[i] = r.nextGaussian();
                s0[2][i] = multiplier(r, i, keep);                 // slots: square_avg, elements, multiplier
                s0[1][i] = element(r, f32);
                s0[0][i] = s0[1][i] * s0[2][i];
                if (Math.abs(s0[2][i] * keep) < 1e-6) folded++;
            }
            ProfileFastPathTest.Ctx c = new ProfileFastPathTest.Ctx(OFF, LEN);
            if (f32) {
                float[] pRef = f(p0), pUpd = f(p0), pStep = f(p0);
                float[][] sRef = new float[k][], sUpd = new float[k][], sStep = new float[k][];
                for (int j = 0; j < k; j++) { sRef[j] = f(s0[j]); sUpd[j] = f(s0[j]); sStep[j] = f(s0[j]); }
                for (int t = 1; t <= 12; t++) {
                    c.step = t;
                    c.lr = 0.01 / (1 + 0.3 * t);
                    float[] g = new float[N];
                    for (int i = 0; i < N; i++) g[i] = (float) ProfileFastPathTest.gradient(r, true);
                    float[] u = g.clone(), u2 = g.clone();
                    new ProfileReference(prof).update(u, pRef, sRef, 0, OFF, LEN, OFF + LEN - LEN % 8, c);
                    prof.update(u2, pUpd, sUpd, 0, OFF, LEN, c);
                    prof.step(pStep, g, sStep, 0, OFF, LEN, c.lr, t, null);
                    System.arraycopy(u, OFF, pRef, OFF, LEN);
                    System.arraycopy(u2, OFF, pUpd, OFF, LEN);
                    String at = "decay " + decay + " step " + t + " vector " + RmsPropProfile.vector;
                    ProfileFastPathTest.assertSame32(pUpd, pRef, at + " params (update)");
                    ProfileFastPathTest.assertSame32(pStep, pRef, at + " params (step)");
                    for (int j = 0; j < k; j++) {
                        ProfileFastPathTest.assertSame32(sUpd[j], sRef[j], at + " slot " + prof.slots().get(j) + " (update)");
                        ProfileFastPathTest.assertSame32(sStep[j], sRef[j], at + " slot " + prof.slots().get(j) + " (step)");
                    }
                }
            } else {
                double[] pRef = p0.clone(), pUpd = p0.clone(), pStep = p0.clone();
                double[][] sRef = new double[k][], sUpd = new double[k][], sStep = new double[k][];
                for (int j = 0; j < k; j++) { sRef[j] = s0[j].clone(); sUpd[j] = s0[j].clone(); sStep[j] = s0[j].clone(); }
                for (int t = 1; t <= 12; t++) {
                    c.step = t;
                    c.lr = 0.01 / (1 + 0.3 * t);
                    double[] g = new double[N];
                    for (int i = 0; i < N; i++) g[i] = ProfileFastPathTest.gradient(r, false);
                    double[] u = g.clone(), u2 = g.clone();
                    new ProfileReference(prof).update(u, pRef, sRef, 0, OFF, LEN, c);
                    prof.update(u2, pUpd, sUpd, 0, OFF, LEN, c);
                    prof.step(pStep, g, sStep, 0, OFF, LEN, c.lr, t);
                    System.arraycopy(u, OFF, pRef, OFF, LEN);
                    System.arraycopy(u2, OFF, pUpd, OFF, LEN);
                    String at = "decay " + decay + " step " + t + " vector " + RmsPropProfile.vector;
                    ProfileFastPathTest.assertSame64(pUpd, pRef, at + " params (update)");
                    ProfileFastPathTest.assertSame64(pStep, pRef, at + " params (step)");
                    for (int j = 0; j < k; j++) {
                        ProfileFastPathTest.assertSame64(sUpd[j], sRef[j], at + " slot " + prof.slots().get(j) + " (update)");
                        ProfileFastPathTest.assertSame64(sStep[j], sRef[j], at + " slot " + prof.slots().get(j) + " (step)");
                    }
                }
            }
        }
        assertThat(folded).as("elements that fold on the first step").isGreaterThan(300);
    }

    private static float[] f(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) x[i];
        return y;
    }
}
