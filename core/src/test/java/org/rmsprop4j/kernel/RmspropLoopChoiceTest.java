package org.rmsprop4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lean loops that {@link RmspropKernels#step} picks when every extra coefficient is neutral,
 * against the generic loops on the same inputs: one table over the four variants (plain, centered,
 * momentum, centered momentum), ε inside and outside, lr inside and outside the buffer, for the
 * float64 source and the generated float32 class.
 */
class RmspropLoopChoiceTest {

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (boolean centered : new boolean[] {false, true}) {
            for (boolean momentum : new boolean[] {false, true}) {
                for (boolean inside : new boolean[] {false, true}) {
                    for (boolean lrInside : momentum ? new boolean[] {false, true} : new boolean[] {false}) {
                        out.add(Arguments.of(centered, momentum, inside, lrInside));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "centered={0} momentum={1} epsInside={2} lrInside={3}")
    @MethodSource("variants")
    void float32LeanAndGenericLoopsAgreeBitForBitOnFiniteNonZeroValues(boolean centered, boolean momentum, boolean inside, boolean lrInside) {
        SplittableRandom r = new SplittableRandom(7);
        int n = 4_099, off = 3, len = n - 8;
        float[][] a = new float[4][n], b = new float[4][n];        // p, v, avg, buf
        for (int i = 0; i < n; i++) a[0][i] = b[0][i] = nonZero(r) * (float) Math.pow(10, r.nextInt(-6, 6));
        float epsIn = inside ? 1e-8f : 0f, epsOut = inside ? 0f : 1e-8f;
        for (int step = 0; step < 20; step++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = nonZero(r) * (float) Math.pow(10, r.nextInt(-8, 4));
            float lr = 0.01f / (step + 1), s = lrInside ? lr : 1f, t = lrInside ? 1f : lr;
            for (boolean lean : new boolean[] {true, false}) {
                float[][] x = lean ? a : b;
                RmspropKernelsF32.step(x[0], g, x[1], centered ? x[2] : null, momentum ? x[3] : null, off, len,
                        1f, 0f, Float.POSITIVE_INFINITY, 0f, lr, 0.99f, 0.01f, 1f, epsIn, epsOut, lr, 0.9f, s, t, 0f, 1f, lean);
            }
        }
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < n; i++) {
                assertThat(Float.floatToRawIntBits(a[k][i])).as("array %d [%d]", k, i).isEqualTo(Float.floatToRawIntBits(b[k][i]));
            }
        }
        assertThat(a[1][0]).as("outside [off, off+len) nothing is touched").isZero();
    }

    @ParameterizedTest(name = "centered={0} momentum={1} epsInside={2} lrInside={3}")
    @MethodSource("variants")
    void float64LeanAndGenericLoopsAgreeBitForBitOnFiniteNonZeroValues(boolean centered, boolean momentum, boolean inside, boolean lrInside) {
        SplittableRandom r = new SplittableRandom(11);
        int n = 2_003;
        double[][] a = new double[4][n], b = new double[4][n];
        for (int i = 0; i < n; i++) a[0][i] = b[0][i] = nonZero(r) * Math.pow(10, r.nextInt(-6, 6));
        double epsIn = inside ? 1e-8 : 0, epsOut = inside ? 0 : 1e-8;
        for (int step = 0; step < 20; step++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = nonZero(r) * Math.pow(10, r.nextInt(-8, 4));
            double lr = 0.01 / (step + 1), s = lrInside ? lr : 1, t = lrInside ? 1 : lr;
            for (boolean lean : new boolean[] {true, false}) {
                double[][] x = lean ? a : b;
                RmspropKernels.step(x[0], g, x[1], centered ? x[2] : null, momentum ? x[3] : null, 0, n,
                        1, 0, Double.POSITIVE_INFINITY, 0, lr, 0.9, 0.1, 1, epsIn, epsOut, lr, 0.9, s, t, 0, 1, lean);
            }
        }
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < n; i++) {
                assertThat(Double.doubleToRawLongBits(a[k][i])).as("array %d [%d]", k, i).isEqualTo(Double.doubleToRawLongBits(b[k][i]));
            }
        }
    }

    @Test
    void zerosDifferAtMostInTheSignOfZero() {
        float[] p1 = {0f, -0f, 0f, -0f, 1f, -1f}, g = {0f, 0f, -0f, -0f, 0f, -0f};
        float[] p2 = p1.clone(), v1 = new float[6], v2 = new float[6];
        RmspropKernelsF32.step(p1, g, v1, null, null, 0, 6, 1f, 0f, Float.POSITIVE_INFINITY, 0f, 0.01f, 0.99f, 0.01f, 1f, 0f, 1e-8f,
                0.01f, 0f, 1f, 1f, 0f, 1f, false);
        RmspropKernelsF32.step(p2, g, v2, null, null, 0, 6, 1f, 0f, Float.POSITIVE_INFINITY, 0f, 0.01f, 0.99f, 0.01f, 1f, 0f, 1e-8f,
                0.01f, 0f, 1f, 1f, 0f, 1f, true);
        for (int i = 0; i < 6; i++) {
            assertThat(p2[i] == p1[i]).as("p[%d]: %s vs %s", i, p2[i], p1[i]).isTrue();
            assertThat(v2[i] == v1[i]).isTrue();
        }
    }

    private static float nonZero(SplittableRandom r) {
        float x;
        do x = (float) (r.nextDouble() * 2 - 1); while (x == 0f);
        return x;
    }

    /** The short-run copy of the lean plain loop gives the same bits as the lean loop, for every short length and offset. */
    @Test
    void shortAndLongLeanPlainLoopsAgreeBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        for (int len = 0; len <= RmspropKernels.SHORT_RUN; len++) {
            for (int off = 0; off < 3; off++) {
                int n = off + len + 2;
                float[] p1 = new float[n], p2 = new float[n], v1 = new float[n], v2 = new float[n], g = new float[n];
                double[] q1 = new double[n], q2 = new double[n], w1 = new double[n], w2 = new double[n], h = new double[n];
                for (int i = 0; i < n; i++) {
                    p1[i] = p2[i] = nonZero(r);
                    q1[i] = q2[i] = r.nextDouble(-1, 1);
                }
                for (int step = 0; step < 5; step++) {
                    for (int i = 0; i < n; i++) {
                        g[i] = nonZero(r) * 3;
                        h[i] = r.nextDouble(-3, 3);
                    }
                    float epsIn = step % 2 == 0 ? 0f : 1e-8f, epsOut = step % 2 == 0 ? 1e-8f : 0f;
                    RmspropKernelsF32.leanPlain(p1, g, v1, off, len, 0.99f, (float) (1 - 0.99), epsIn, epsOut, 0.01f);
                    RmspropKernelsF32.leanPlainShort(p2, g, v2, off, len, 0.99f, (float) (1 - 0.99), epsIn, epsOut, 0.01f);
                    RmspropKernels.leanPlain(q1, h, w1, off, len, 0.9, 0.1, epsIn, epsOut, 0.1);
                    RmspropKernels.leanPlainShort(q2, h, w2, off, len, 0.9, 0.1, epsIn, epsOut, 0.1);
                }
                for (int i = 0; i < n; i++) {
                    assertThat(Float.floatToRawIntBits(p2[i])).as("len %d off %d p[%d]", len, off, i).isEqualTo(Float.floatToRawIntBits(p1[i]));
                    assertThat(Float.floatToRawIntBits(v2[i])).as("len %d off %d v[%d]", len, off, i).isEqualTo(Float.floatToRawIntBits(v1[i]));
                    assertThat(Double.doubleToRawLongBits(q2[i])).as("len %d off %d q[%d]", len, off, i).isEqualTo(Double.doubleToRawLongBits(q1[i]));
                    assertThat(Double.doubleToRawLongBits(w2[i])).as("len %d off %d w[%d]", len, off, i).isEqualTo(Double.doubleToRawLongBits(w1[i]));
                }
                if (len > 0) assertThat(v2[off]).isPositive();
            }
        }
    }
}
