package org.rmsprop4j.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.Arithmetic;

/**
 * {@link PyTorchProfile}'s loops ({@code kernel.ProfilePyTorchLoops}) against the arithmetic they
 * replaced ({@link PyTorchReference}), bit for bit: SGD, AdaGrad, Adadelta and Adam/AdamW in every
 * arithmetic the profile accepts, over their knobs, float32 and float64, 12 steps with a changing
 * learning rate, on gradients that mix ordinary values with zeros, subnormals, tiny and huge values
 * ({@link ProfileFastPathTest#gradient}). Both entries: {@code update} (the chain path) and
 * {@code step} (the fused path, straight on the parameters, tensor by tensor with its body's end).
 */
class PyTorchFastPathTest {

    static List<PyTorchProfile> variants() {
        List<PyTorchProfile> out = new ArrayList<>();
        Arithmetic fused = Arithmetic.PYTORCH_2_13_FUSED, a213 = Arithmetic.PYTORCH_2_13;
        for (double wd : new double[] {0, 0.01}) {
            for (double m : new double[] {0, 0.9})
                for (double damp : new double[] {0, 0.1})
                    for (boolean nest : new boolean[] {false, true})
                        out.add(new PyTorchProfile(fused, "sgd", m, damp, nest, 0, 0, 0, 0, 0, 0, false, wd, false));
            for (Arithmetic a : new Arithmetic[] {a213, Arithmetic.PYTORCH_1_13_FOREACH})
                for (double lrDecay : new double[] {0, 0.01})
                    for (double init : new double[] {0, 0.1})
                        out.add(new PyTorchProfile(a, "adagrad", 0, 0, false, lrDecay, init, 0, 0, 0, 1e-10, false, wd, false));
            for (double rho : new double[] {0.9, 0.3})
                out.add(new PyTorchProfile(a213, "adadelta", 0, 0, false, 0, 0, rho, 0, 0, 1e-6, false, wd, false));
            for (Arithmetic a : new Arithmetic[] {a213, fused})
                for (double b1 : new double[] {0.9, 0.2})
                    for (boolean ams : new boolean[] {false, true})
                        for (boolean dec : new boolean[] {false, true})
                            out.add(new PyTorchProfile(a, "adam", 0, 0, false, 0, 0, 0, b1, 0.999, 1e-8, ams, wd, dec));
        }
        return out;
    }

    /** Two tensors of 37 and 554 elements from offset 5 in arrays of 603. */
    static final int N = 603, OFF = 5, LEN = N - 12;

    @Test
    void everyProfileAgreesBitForBitWithTheReferenceInFloat32() {
        ProfileFastPathTest.withVector(false, this::float32);
    }

    /** The same with 2.13's MKL-root loops on the Vector API ({@code kernel.ProfileVectorF32}), as the build runs core's tests. */
    @Test
    void everyProfileAgreesBitForBitWithTheReferenceInFloat32OnTheVectorApi() {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).as("the build runs core's tests with --add-modules jdk.incubator.vector").isPresent();
        org.junit.jupiter.api.Assumptions.assumeTrue(org.rmsprop4j.kernel.ProfileBlocksF32.vectorEnabled(), "this CPU has no 256-bit vectors");
        ProfileFastPathTest.withVector(true, this::float32);
    }

    private void float32() {
        int checked = 0;
        for (PyTorchProfile prof : variants()) {
            SplittableRandom r = new SplittableRandom(31L * checked + 3);
            int k = prof.slots().size();
            float[] p0 = new float[N];
            for (int i = 0; i < N; i++) p0[i] = (float) (r.nextGaussian() * (i % 50 == 0 ? 1e30 : 1));
            float[] pRef = p0.clone(), pUpd = p0.clone(), pStep = p0.clone();
            float[][] sRef = new float[k][N], sUpd = new float[k][N], sStep = new float[k][N];
            for (int j = 0; j < k; j++) {
                java.util.Arrays.fill(sRef[j], (float) prof.initialValue(prof.slots().get(j)));
                java.util.Arrays.fill(sUpd[j], (float) prof.initialValue(prof.slots().get(j)));
                java.util.Arrays.fill(sStep[j], (float) prof.initialValue(prof.slots().get(j)));
            }
            ProfileFastPathTest.Ctx c = new ProfileFastPathTest.Ctx(OFF, LEN);
            for (int t = 1; t <= 12; t++) {
                c.step = t;
                c.lr = 0.01 / (1 + 0.3 * t);
                float[] g = new float[N];
                for (int i = 0; i < N; i++) g[i] = (float) ProfileFastPathTest.gradient(r, true);
                float[] u = g.clone(), u2 = g.clone(), gKeep = g.clone();
                for (int ti = 0; ti < 2; ti++) {
                    int o = c.tensorOffset(ti), l = c.tensorLength(ti);
                    new PyTorchReference(prof).update(u, pRef, sRef, 0, o, l, c);
                    prof.step(pStep, g, sStep, 0, o, l, o + l - l % 8, c.lr, t);
                }
                prof.updateGroup(u2, pUpd, sUpd, 0, c);
                assertThat(g).isEqualTo(gKeep);
                System.arraycopy(u, OFF, pRef, OFF, LEN);
                System.arraycopy(u2, OFF, pUpd, OFF, LEN);
                String at = prof + " step " + t;
                ProfileFastPathTest.assertSame32(pUpd, pRef, at + " params (update)");
                ProfileFastPathTest.assertSame32(pStep, pRef, at + " params (step)");
                for (int j = 0; j < k; j++) {
                    ProfileFastPathTest.assertSame32(sUpd[j], sRef[j], at + " slot " + prof.slots().get(j) + " (update)");
                    ProfileFastPathTest.assertSame32(sStep[j], sRef[j], at + " slot " + prof.slots().get(j) + " (step)");
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(40);
    }

    @Test
    void everyProfileAgreesBitForBitWithTheReferenceInFloat64() {
        int checked = 0;
        for (PyTorchProfile prof : variants()) {
            SplittableRandom r = new SplittableRandom(31L * checked + 5);
            int k = prof.slots().size();
            double[] p0 = new double[N];
            for (int i = 0; i < N; i++) p0[i] = r.nextGaussian() * (i % 50 == 0 ? 1e200 : 1);
            double[] pRef = p0.clone(), pUpd = p0.clone(), pStep = p0.clone();
            double[][] sRef = new double[k][N], sUpd = new double[k][N], sStep = new double[k][N];
            for (int j = 0; j < k; j++) {
                java.util.Arrays.fill(sRef[j], prof.initialValue(prof.slots().get(j)));
                java.util.Arrays.fill(sUpd[j], prof.initialValue(prof.slots().get(j)));
                java.util.Arrays.fill(sStep[j], prof.initialValue(prof.slots().get(j)));
            }
            ProfileFastPathTest.Ctx c = new ProfileFastPathTest.Ctx(OFF, LEN);
            for (int t = 1; t <= 12; t++) {
                c.step = t;
                c.lr = 0.01 / (1 + 0.3 * t);
                double[] g = new double[N];
                for (int i = 0; i < N; i++) g[i] = ProfileFastPathTest.gradient(r, false);
                double[] u = g.clone(), u2 = g.clone(), gKeep = g.clone();
                for (int ti = 0; ti < 2; ti++) {
                    int o = c.tensorOffset(ti), l = c.tensorLength(ti);
                    new PyTorchReference(prof).update(u, pRef, sRef, 0, o, l, c);
                    prof.step(pStep, g, sStep, 0, o, l, o + l - l % 4, c.lr, t);
                }
                prof.updateGroup(u2, pUpd, sUpd, 0, c);
                assertThat(g).isEqualTo(gKeep);
                System.arraycopy(u, OFF, pRef, OFF, LEN);
                System.arraycopy(u2, OFF, pUpd, OFF, LEN);
                String at = prof + " step " + t;
                ProfileFastPathTest.assertSame64(pUpd, pRef, at + " params (update)");
                ProfileFastPathTest.assertSame64(pStep, pRef, at + " params (step)");
                for (int j = 0; j < k; j++) {
                    ProfileFastPathTest.assertSame64(sUpd[j], sRef[j], at + " slot " + prof.slots().get(j) + " (update)");
                    ProfileFastPathTest.assertSame64(sStep[j], sRef[j], at + " slot " + prof.slots().get(j) + " (step)");
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(40);
    }
}
