package org.rmsprop4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The lean loops against the generic loops with neutral coefficients, on the same inputs. */
class RmspropLeanKernelsTest {

    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void float32IsBitIdenticalToTheGenericLoopForFiniteNonZeroValues() {
        for (boolean inside : new boolean[] {false, true}) {
            SplittableRandom r = new SplittableRandom(inside ? 1 : 2);
            int n = 10_007, off = 3, len = n - 8;
            float[] p1 = new float[n], v1 = new float[n];
            for (int i = 0; i < n; i++) p1[i] = nonZero(r) * (float) Math.pow(10, r.nextInt(-6, 6));
            float[] p2 = p1.clone(), v2 = v1.clone();
            float epsIn = inside ? 1e-8f : 0f, epsOut = inside ? 0f : 1e-8f;
            for (int step = 0; step < 20; step++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) g[i] = nonZero(r) * (float) Math.pow(10, r.nextInt(-8, 4));
                float lr = 0.01f / (step + 1);
                RmspropKernels.plain(p1, g, v1, off, len, 1f, 0f, INF, 0f, lr, 0.99f, 0.01f, 1f, epsIn, epsOut, lr);
                RmspropLeanKernels.plain(p2, g, v2, off, len, 0.99f, 0.01f, epsIn, epsOut, lr);
            }
            for (int i = 0; i < n; i++) {
                assertThat(Float.floatToRawIntBits(p2[i])).as("p[%d] eps inside %s", i, inside).isEqualTo(Float.floatToRawIntBits(p1[i]));
                assertThat(Float.floatToRawIntBits(v2[i])).as("v[%d]", i).isEqualTo(Float.floatToRawIntBits(v1[i]));
            }
            assertThat(p2[0]).isEqualTo(p1[0]); // outside [off, off+len): untouched by both
            assertThat(v2[0]).isZero();
        }
    }

    @Test
    void float64IsBitIdenticalToTheGenericLoopForFiniteNonZeroValues() {
        for (boolean inside : new boolean[] {false, true}) {
            SplittableRandom r = new SplittableRandom(inside ? 3 : 4);
            int n = 5_003;
            double[] p1 = new double[n], v1 = new double[n];
            for (int i = 0; i < n; i++) p1[i] = nonZero(r) * Math.pow(10, r.nextInt(-6, 6));
            double[] p2 = p1.clone(), v2 = v1.clone();
            double epsIn = inside ? 1e-8 : 0, epsOut = inside ? 0 : 1e-8;
            for (int step = 0; step < 20; step++) {
                double[] g = new double[n];
                for (int i = 0; i < n; i++) g[i] = nonZero(r) * Math.pow(10, r.nextInt(-8, 4));
                RmspropKernels.plain(p1, g, v1, 0, n, 1, 0, Double.POSITIVE_INFINITY, 0, 0.01, 0.9, 0.1, 1, epsIn, epsOut, 0.01);
                RmspropLeanKernels.plain(p2, g, v2, 0, n, 0.9, 0.1, epsIn, epsOut, 0.01);
            }
            for (int i = 0; i < n; i++) {
                assertThat(Double.doubleToRawLongBits(p2[i])).as("p[%d]", i).isEqualTo(Double.doubleToRawLongBits(p1[i]));
                assertThat(Double.doubleToRawLongBits(v2[i])).as("v[%d]", i).isEqualTo(Double.doubleToRawLongBits(v1[i]));
            }
        }
    }

    @Test
    void zerosDifferAtMostInTheSignOfZero() {
        float[] p1 = {0f, -0f, 0f, -0f, 1f, -1f}, g = {0f, 0f, -0f, -0f, 0f, -0f};
        float[] p2 = p1.clone(), v1 = new float[6], v2 = new float[6];
        RmspropKernels.plain(p1, g, v1, 0, 6, 1f, 0f, INF, 0f, 0.01f, 0.99f, 0.01f, 1f, 0f, 1e-8f, 0.01f);
        RmspropLeanKernels.plain(p2, g, v2, 0, 6, 0.99f, 0.01f, 0f, 1e-8f, 0.01f);
        for (int i = 0; i < 6; i++) {
            assertThat(p2[i] == p1[i]).as("p[%d]: %s vs %s", i, p2[i], p1[i]).isTrue();
            assertThat(v2[i] == v1[i]).isTrue();
        }
    }

    @Test
    void centeredMomentumIsBitIdenticalToTheGenericLoopForFiniteNonZeroValues() {
        // {m, s, t}: lr outside the buffer, lr inside (the generic loop with nz = 0, mn = 1: no Nesterov)
        float lr = 0.01f;
        float[][] styles = {{0.9f, 1f, lr}, {0.9f, lr, 1f}, {0.5f, 1f, lr}};
        for (float[] st : styles) {
            for (boolean inside : new boolean[] {false, true}) {
                SplittableRandom r = new SplittableRandom(17);
                int n = 4_099;
                float[] p1 = new float[n], v1 = new float[n], a1 = new float[n], b1 = new float[n];
                for (int i = 0; i < n; i++) p1[i] = nonZero(r) * (float) Math.pow(10, r.nextInt(-4, 4));
                float[] p2 = p1.clone(), v2 = v1.clone(), a2 = a1.clone(), b2 = b1.clone();
                double[] q1 = new double[n], w1 = new double[n], c1 = new double[n], d1 = new double[n];
                for (int i = 0; i < n; i++) q1[i] = p1[i];
                double[] q2 = q1.clone(), w2 = w1.clone(), c2 = c1.clone(), d2 = d1.clone();
                float epsIn = inside ? 1e-8f : 0f, epsOut = inside ? 0f : 1e-8f;
                for (int step = 0; step < 15; step++) {
                    float[] g = new float[n];
                    double[] gd = new double[n];
                    for (int i = 0; i < n; i++) { g[i] = nonZero(r) * (float) Math.pow(10, r.nextInt(-6, 3)); gd[i] = g[i] * 1.1; }
                    RmspropKernels.centeredMomentum(p1, g, v1, a1, b1, 0, n, 1f, 0f, INF, 0f, lr, 0.99f, 0.01f, 1f, epsIn, epsOut,
                            st[0], st[1], st[2], 0f, 1f);
                    RmspropLeanKernels.centeredMomentum(p2, g, v2, a2, b2, 0, n, 0.99f, 0.01f, epsIn, epsOut, st[0], st[1], st[2]);
                    RmspropKernels.centeredMomentum(q1, gd, w1, c1, d1, 0, n, 1, 0, Double.POSITIVE_INFINITY, 0, lr, 0.9, 0.1, 1, epsIn, epsOut,
                            st[0], st[1], st[2], 0, 1);
                    RmspropLeanKernels.centeredMomentum(q2, gd, w2, c2, d2, 0, n, 0.9, 0.1, epsIn, epsOut, st[0], st[1], st[2]);
                }
                for (int i = 0; i < n; i++) {
                    assertThat(Float.floatToRawIntBits(p2[i])).as("p[%d]", i).isEqualTo(Float.floatToRawIntBits(p1[i]));
                    assertThat(Float.floatToRawIntBits(a2[i])).as("a[%d]", i).isEqualTo(Float.floatToRawIntBits(a1[i]));
                    assertThat(Float.floatToRawIntBits(b2[i])).as("b[%d]", i).isEqualTo(Float.floatToRawIntBits(b1[i]));
                    assertThat(Float.floatToRawIntBits(v2[i])).as("v[%d]", i).isEqualTo(Float.floatToRawIntBits(v1[i]));
                    assertThat(Double.doubleToRawLongBits(q2[i])).as("fp64 p[%d]", i).isEqualTo(Double.doubleToRawLongBits(q1[i]));
                    assertThat(Double.doubleToRawLongBits(d2[i])).as("fp64 b[%d]", i).isEqualTo(Double.doubleToRawLongBits(d1[i]));
                }
            }
        }
    }

    @Test
    void centeredAndMomentumAreBitIdenticalToTheGenericLoopsForFiniteNonZeroValues() {
        for (boolean inside : new boolean[] {false, true}) {
            SplittableRandom r = new SplittableRandom(inside ? 23 : 29);
            int n = 3_001;
            float lr = 0.01f, epsIn = inside ? 1e-8f : 0f, epsOut = inside ? 0f : 1e-8f;
            float[] p1 = new float[n];
            for (int i = 0; i < n; i++) p1[i] = nonZero(r);
            float[] p2 = p1.clone(), p3 = p1.clone(), p4 = p1.clone();
            float[] v1 = new float[n], v2 = new float[n], a1 = new float[n], a2 = new float[n];
            float[] v3 = new float[n], v4 = new float[n], b3 = new float[n], b4 = new float[n];
            double[] q1 = new double[n], q2 = new double[n], w1 = new double[n], w2 = new double[n], c1 = new double[n], c2 = new double[n];
            double[] q3 = new double[n], q4 = new double[n], w3 = new double[n], w4 = new double[n], d3 = new double[n], d4 = new double[n];
            for (int i = 0; i < n; i++) q1[i] = q2[i] = q3[i] = q4[i] = p1[i];
            for (int step = 0; step < 15; step++) {
                float[] g = new float[n];
                double[] gd = new double[n];
                for (int i = 0; i < n; i++) { g[i] = nonZero(r) * (float) Math.pow(10, r.nextInt(-6, 3)); gd[i] = g[i] * 0.7; }
                RmspropKernels.centered(p1, g, v1, a1, 0, n, 1f, 0f, INF, 0f, lr, 0.99f, 0.01f, 1f, epsIn, epsOut, lr);
                RmspropLeanKernels.centered(p2, g, v2, a2, 0, n, 0.99f, 0.01f, epsIn, epsOut, lr);
                RmspropKernels.momentum(p3, g, v3, b3, 0, n, 1f, 0f, INF, 0f, lr, 0.99f, 0.01f, 1f, epsIn, epsOut, 0.9f, lr, 1f, 0f, 1f);
                RmspropLeanKernels.momentum(p4, g, v4, b4, 0, n, 0.99f, 0.01f, epsIn, epsOut, 0.9f, lr, 1f);
                RmspropKernels.centered(q1, gd, w1, c1, 0, n, 1, 0, Double.POSITIVE_INFINITY, 0, lr, 0.9, 0.1, 1, epsIn, epsOut, lr);
                RmspropLeanKernels.centered(q2, gd, w2, c2, 0, n, 0.9, 0.1, epsIn, epsOut, lr);
                RmspropKernels.momentum(q3, gd, w3, d3, 0, n, 1, 0, Double.POSITIVE_INFINITY, 0, lr, 0.9, 0.1, 1, epsIn, epsOut, 0.5, 1, lr, 0, 1);
                RmspropLeanKernels.momentum(q4, gd, w4, d4, 0, n, 0.9, 0.1, epsIn, epsOut, 0.5, 1, lr);
            }
            for (int i = 0; i < n; i++) {
                assertThat(Float.floatToRawIntBits(p2[i])).as("centered p[%d]", i).isEqualTo(Float.floatToRawIntBits(p1[i]));
                assertThat(Float.floatToRawIntBits(a2[i])).as("centered a[%d]", i).isEqualTo(Float.floatToRawIntBits(a1[i]));
                assertThat(Float.floatToRawIntBits(p4[i])).as("momentum p[%d]", i).isEqualTo(Float.floatToRawIntBits(p3[i]));
                assertThat(Float.floatToRawIntBits(b4[i])).as("momentum b[%d]", i).isEqualTo(Float.floatToRawIntBits(b3[i]));
                assertThat(Double.doubleToRawLongBits(q2[i])).as("fp64 centered p[%d]", i).isEqualTo(Double.doubleToRawLongBits(q1[i]));
                assertThat(Double.doubleToRawLongBits(q4[i])).as("fp64 momentum p[%d]", i).isEqualTo(Double.doubleToRawLongBits(q3[i]));
                assertThat(Double.doubleToRawLongBits(d4[i])).as("fp64 momentum b[%d]", i).isEqualTo(Double.doubleToRawLongBits(d3[i]));
            }
        }
    }

    private static float nonZero(SplittableRandom r) {
        float x;
        do x = (float) (r.nextDouble() * 2 - 1); while (x == 0f);
        return x;
    }
}
