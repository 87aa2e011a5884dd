package org.rmsprop4j.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.Arithmetic;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * The fused profile loops ({@code kernel.ProfileLoops*}) against the member-by-member arithmetic they
 * replaced ({@link ProfileReference}), bit for bit: every arithmetic, every knob
 * combination the framework accepts, float32 and float64, over 12 steps with a changing learning
 * rate, on gradients that mix ordinary values with zeros, subnormals, tiny and huge values and
 * signs. Both fast entries are checked: {@code update} (the chain path: gradient in, parameter out
 * of the update buffer; the table-based float32 profiles in one scalar loop) and {@code step} (the
 * fused path, straight on the parameters; in float32 with a scratch array, so the table-based
 * profiles run their block loops).
 */
class ProfileFastPathTest {

    static final Arithmetic[] PROFILES = {Arithmetic.PYTORCH_2_13, Arithmetic.TIMM_TF, Arithmetic.KERAS_3, Arithmetic.KERAS_3_GRAPH,
            Arithmetic.KERAS_3_XLA, Arithmetic.TF1, Arithmetic.TFJS, Arithmetic.OPTAX, Arithmetic.ND4J, Arithmetic.TRIBUO};

    /** Every profile the framework accepts, over the knobs that change its loop. */
    static List<RmsPropProfile> variants(Arithmetic a) {
        List<RmsPropProfile> out = new ArrayList<>();
        for (double decay : new double[] {0.9, 0.2})
            for (EpsPlacement eps : EpsPlacement.values())
                for (boolean centered : new boolean[] {false, true})
                    for (double momentum : new double[] {0, 0.9})
                        for (MomentumStyle style : MomentumStyle.values())
                            for (boolean nesterov : new boolean[] {false, true})
                                for (int wd = 0; wd < 3; wd++)
                                    for (boolean bc : new boolean[] {false, true}) {
                                        if (momentum == 0 && (style != MomentumStyle.LR_INSIDE || nesterov)) continue;
                                        try {                   // ν₀ = 0 at ρ = 0.2: zero roots reach the block loops' scalar fallback
                                            out.add(new RmsPropProfile(a, decay, 1e-7, eps, bc || decay < 0.5 ? 0 : 0.05, centered, momentum, style, nesterov,
                                                    wd == 0 ? 0 : 0.01, wd == 2 ? WeightDecayStyle.DECOUPLED : WeightDecayStyle.L2, bc));
                                        } catch (IllegalArgumentException refused) {
                                            // a knob this framework does not have
                                        }
                                    }
        return out;
    }

    /** Gradients of every kind: ordinary, zero, ±subnormal, tiny, huge; a few elements ordinary so most steps stay finite. */
    static double gradient(SplittableRandom r, boolean f32) {
        double x = r.nextGaussian();
        switch (r.nextInt(12)) {
            case 0: return 0.0;
            case 1: return -0.0;
            case 2: return (f32 ? 1e-42 : 1e-310) * (r.nextBoolean() ? 1 : -1);
            case 3: return x * 1e-20;
            case 4: return x * (f32 ? 1e18 : 1e150);
            case 5: return x * 1e-4;
            default: return x;
        }
    }

    static final class Ctx implements StepContext {
        final int off, len;
        long step;
        double lr;

        Ctx(int off, int len) { this.off = off; this.len = len; }

        @Override public long step() { return step; }
        @Override public double learningRate() { return lr; }
        @Override public int tensorCount() { return 2; }
        @Override public int tensorOffset(int i) { return i == 0 ? off : off + 37; }
        @Override public int tensorLength(int i) { return i == 0 ? 37 : len - 37; }
        @Override public int runCount() { return 1; }
        @Override public int runOffset(int r) { return off; }
        @Override public int runLength(int r) { return len; }
        @Override public StepContext withStep(long s) { throw new UnsupportedOperationException(); }
    }

    @Test
    void everyProfileAgreesBitForBitWithTheReferenceInFloat32() {
        withVector(false, this::float32);
    }

    /** The same with the {@code rsqrtps} profiles on the Vector API ({@code kernel.ProfileVectorF32}), as the build runs core's tests. */
    @Test
    void everyProfileAgreesBitForBitWithTheReferenceInFloat32OnTheVectorApi() {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).as("the build runs core's tests with --add-modules jdk.incubator.vector").isPresent();
        org.junit.jupiter.api.Assumptions.assumeTrue(org.rmsprop4j.kernel.ProfileBlocksF32.vectorEnabled(), "this CPU has no 256-bit vectors");
        withVector(true, this::float32);
    }

    /** Runs {@code body} with the profiles' Vector API loops (the opt-in float64 MKL ones too) on or off, and puts the switches back. */
    static void withVector(boolean on, Runnable body) {
        boolean was = RmsPropProfile.vector, wasMkl = RmsPropProfile.mklVector;
        try {
            RmsPropProfile.vector = on;
            RmsPropProfile.mklVector = on;
            body.run();
        } finally {
            RmsPropProfile.vector = was;
            RmsPropProfile.mklVector = wasMkl;
        }
    }

    private void float32() {
        float32(PROFILES, 603);               // len 591: one whole block of 512 and a partial one; 73 vectors of 8 and a tail of 7
    }

    /**
     * The profiles whose loops work in blocks of 1,024 (Tribuo; Keras 3, TF1 and TF.js centered: the state, then the update),
     * over 2 whole blocks and a partial one, on both paths.
     */
    @Test
    void theBlockedLoopsAgreeAcrossBlocks() {
        Arithmetic[] blocked = {Arithmetic.KERAS_3, Arithmetic.TF1, Arithmetic.TFJS, Arithmetic.TRIBUO};
        for (boolean on : new boolean[] {false, org.rmsprop4j.kernel.ProfileBlocksF32.vectorEnabled()}) {
            withVector(on, () -> float32(blocked, 2 * 1024 + 300));
            withVector(on, () -> float64(blocked, 2 * 1024 + 300));
        }
    }

    private void float32(Arithmetic[] profiles, int n) {
        int off = 5, len = n - 12;
        int checked = 0;
        for (Arithmetic a : profiles) {
            List<RmsPropProfile> vs = variants(a);
            assertThat(vs).as(a.id()).isNotEmpty();
            for (RmsPropProfile prof : vs) {
                SplittableRandom r = new SplittableRandom(a.ordinal() * 1000L + checked);
                int k = prof.slots().size();
                float[] p0 = new float[n];
                for (int i = 0; i < n; i++) p0[i] = (float) (r.nextGaussian() * (i % 50 == 0 ? 1e30 : 1));
                float[] pRef = p0.clone(), pUpd = p0.clone(), pStep = p0.clone();
                float[][] sRef = new float[k][n], sUpd = new float[k][n], sStep = new float[k][n];
                for (int j = 0; j < k; j++) {
                    java.util.Arrays.fill(sRef[j], (float) prof.initialValue(prof.slots().get(j)));
                    java.util.Arrays.fill(sUpd[j], (float) prof.initialValue(prof.slots().get(j)));
                    java.util.Arrays.fill(sStep[j], (float) prof.initialValue(prof.slots().get(j)));
                }
                Ctx c = new Ctx(off, len);
                for (int t = 1; t <= 12; t++) {
                    c.step = t;
                    c.lr = 0.01 / (1 + 0.3 * t);
                    float[] g = new float[n];
                    for (int i = 0; i < n; i++) g[i] = (float) gradient(r, true);
                    float[] u = g.clone(), u2 = g.clone(), gKeep = g.clone();
                    if (prof.elementwise()) {
                        new ProfileReference(prof).update(u, pRef, sRef, 0, off, len, off + len - len % 8, c);
                        prof.update(u2, pUpd, sUpd, 0, off, len, c);
                        prof.step(pStep, g, sStep, 0, off, len, c.lr, t, new float[n]);
                        assertThat(g).isEqualTo(gKeep);
                    } else {
                        for (int ti = 0; ti < 2; ti++) {
                            int o = c.tensorOffset(ti), l = c.tensorLength(ti);
                            new ProfileReference(prof).update(u, pRef, sRef, 0, o, l, o + l - l % 8, c);
                        }
                        prof.updateGroup(u2, pUpd, sUpd, 0, c);
                    }
                    System.arraycopy(u, off, pRef, off, len);
                    System.arraycopy(u2, off, pUpd, off, len);
                    String at = prof + " step " + t;
                    assertSame32(pUpd, pRef, at + " params (update)");
                    for (int j = 0; j < k; j++) assertSame32(sUpd[j], sRef[j], at + " slot " + prof.slots().get(j) + " (update)");
                    if (prof.elementwise()) {
                        assertSame32(pStep, pRef, at + " params (step)");
                        for (int j = 0; j < k; j++) assertSame32(sStep[j], sRef[j], at + " slot " + prof.slots().get(j) + " (step)");
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(profiles.length == PROFILES.length ? 100 : 30);
    }

    @Test
    void everyProfileAgreesBitForBitWithTheReferenceInFloat64() {
        withVector(false, this::float64);
    }

    /** The same with the float64 MKL profiles and Tribuo on the Vector API ({@code kernel.ProfileVectorF64}, {@code ProfileVectorTribuo}). */
    @Test
    void everyProfileAgreesBitForBitWithTheReferenceInFloat64OnTheVectorApi() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.rmsprop4j.kernel.ProfileBlocksF32.vectorEnabled(), "this CPU has no 256-bit vectors");
        withVector(true, this::float64);
    }

    private void float64() {
        float64(PROFILES, 603);               // len 592: one whole block of 512 and a partial one
    }

    private void float64(Arithmetic[] profiles, int n) {
        int off = 5, len = n - 11;
        int checked = 0;
        for (Arithmetic a : profiles) {
            for (RmsPropProfile prof : variants(a)) {
                SplittableRandom r = new SplittableRandom(a.ordinal() * 1000L + checked + 7);
                int k = prof.slots().size();
                double[] p0 = new double[n];
                for (int i = 0; i < n; i++) p0[i] = r.nextGaussian() * (i % 50 == 0 ? 1e200 : 1);
                double[] pRef = p0.clone(), pUpd = p0.clone(), pStep = p0.clone();
                double[][] sRef = new double[k][n], sUpd = new double[k][n], sStep = new double[k][n];
                for (int j = 0; j < k; j++) {
                    java.util.Arrays.fill(sRef[j], prof.initialValue(prof.slots().get(j)));
                    java.util.Arrays.fill(sUpd[j], prof.initialValue(prof.slots().get(j)));
                    java.util.Arrays.fill(sStep[j], prof.initialValue(prof.slots().get(j)));
                }
                Ctx c = new Ctx(off, len);
                for (int t = 1; t <= 12; t++) {
                    c.step = t;
                    c.lr = 0.01 / (1 + 0.3 * t);
                    double[] g = new double[n];
                    for (int i = 0; i < n; i++) g[i] = gradient(r, false);
                    double[] u = g.clone(), u2 = g.clone(), gKeep = g.clone();
                    if (prof.elementwise()) {
                        new ProfileReference(prof).update(u, pRef, sRef, 0, off, len, c);
                        prof.update(u2, pUpd, sUpd, 0, off, len, c);
                        prof.step(pStep, g, sStep, 0, off, len, c.lr, t);
                        assertThat(g).isEqualTo(gKeep);
                    } else {
                        for (int ti = 0; ti < 2; ti++) new ProfileReference(prof).update(u, pRef, sRef, 0, c.tensorOffset(ti), c.tensorLength(ti), c);
                        prof.updateGroup(u2, pUpd, sUpd, 0, c);
                    }
                    System.arraycopy(u, off, pRef, off, len);
                    System.arraycopy(u2, off, pUpd, off, len);
                    String at = prof + " step " + t;
                    assertSame64(pUpd, pRef, at + " params (update)");
                    for (int j = 0; j < k; j++) assertSame64(sUpd[j], sRef[j], at + " slot " + prof.slots().get(j) + " (update)");
                    if (prof.elementwise()) {
                        assertSame64(pStep, pRef, at + " params (step)");
                        for (int j = 0; j < k; j++) assertSame64(sStep[j], sRef[j], at + " slot " + prof.slots().get(j) + " (step)");
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(profiles.length == PROFILES.length ? 100 : 30);
    }

    /** The data above reaches every kind of value the loops branch on: zero, subnormal and non-finite results occur. */
    @Test
    void theDataReachesZerosSubnormalsAndNonFiniteResults() {
        SplittableRandom r = new SplittableRandom(1);
        int zeros = 0, sub = 0, huge = 0;
        for (int i = 0; i < 10_000; i++) {
            float g = (float) gradient(r, true);
            if (g == 0) zeros++;
            else if (Math.abs(g) < Float.MIN_NORMAL) sub++;
            else if (Math.abs(g) > 1e17f) huge++;
        }
        assertThat(zeros).isGreaterThan(1000);
        assertThat(sub).isGreaterThan(500);
        assertThat(huge).isGreaterThan(500);
    }

    static void assertSame32(float[] actual, float[] expected, String what) {
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", the reference " + expected[i]);
            }
        }
    }

    static void assertSame64(double[] actual, double[] expected, String what) {
        for (int i = 0; i < actual.length; i++) {
            if (Double.doubleToLongBits(actual[i]) != Double.doubleToLongBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", the reference " + expected[i]);
            }
        }
    }
}
