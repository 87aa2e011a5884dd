package org.rmsprop4j.train.model;

/**
 * The three float32 matrix products of an MLP layer, as plain loops that C2 vectorises. Matrices
 * are arrays of rows ({@code float[rows][cols]}): C2 (JDK 17 to 25) vectorises a loop whose arrays
 * are all indexed by the loop variable alone, but not one that reads two rows of one flat array at
 * different offsets (measured 29 against 6–7 GFLOP/s at 16×784×128).
 *
 * <p>Each output element is a sum in a fixed order that depends only on the shapes, never on
 * threads or timing, so the same inputs give the same bits. Products and sums are separate
 * roundings ({@code a*b + c}, not fused: {@code Math.fma} is exact but falls back to a very slow
 * software path on processors without FMA). Four terms of the shared dimension are added per pass
 * over an output row, in index order, so the output row is loaded and stored a quarter as often.
 *
 * <p>A group of four terms whose left factors are all zero is skipped: their products are zeros
 * and adding them would not change the sum (but for the sign of a zero sum, or a non-finite right
 * factor, which the rest of the gradient shows anyway). MNIST's pixels are about 80% zeros and a
 * ReLU layer's outputs about half, so this saves much of the first layer's work.
 */
final class Gemm32 {
    private Gemm32() {}

    /** Skip groups of four zero left factors (on by default; {@code -Drmsprop4j.train.skipZeros=false} measures the dense loops). */
    static final boolean SKIP_ZEROS = !"false".equals(System.getProperty("rmsprop4j.train.skipZeros"));

    /** {@code c[r] += a[r] · b} for rows {@code r < m}: {@code a[m][k]}, {@code b[k][n]}, {@code c[m][n]}; sums over k in index order. */
    static void nn(int m, int n, int k, float[][] a, float[][] b, float[][] c) {
        int k4 = k & ~3;
        for (int r = 0; r < m; r++) {
            float[] ar = a[r], cr = c[r];
            int i = 0;
            for (; i < k4; i += 4) {
                float a0 = ar[i], a1 = ar[i + 1], a2 = ar[i + 2], a3 = ar[i + 3];
                if (SKIP_ZEROS && a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) continue;
                float[] b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
                for (int j = 0; j < n; j++) cr[j] = cr[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
            for (; i < k; i++) {
                float a0 = ar[i];
                float[] b0 = b[i];
                for (int j = 0; j < n; j++) cr[j] = cr[j] + a0 * b0[j];
            }
        }
    }

    /**
     * The weight gradient {@code g[i·n + j] (from gOff) += Σ_r a[r][i] · d[r][j]} for {@code a[m][k]},
     * {@code d[m][n]}, summed over the rows r in index order; {@code acc} is a scratch of at least n.
     */
    static void tn(int m, int n, int k, float[][] a, float[][] d, float[] g, int gOff, float[] acc) {
        int m4 = m & ~3;
        for (int i = 0; i < k; i++) {
            int gr = gOff + i * n;
            boolean loaded = false;
            int r = 0;
            for (; r < m4; r += 4) {
                float a0 = a[r][i], a1 = a[r + 1][i], a2 = a[r + 2][i], a3 = a[r + 3][i];
                if (SKIP_ZEROS && a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) continue;
                if (!loaded) {
                    System.arraycopy(g, gr, acc, 0, n);
                    loaded = true;
                }
                float[] d0 = d[r], d1 = d[r + 1], d2 = d[r + 2], d3 = d[r + 3];
                for (int j = 0; j < n; j++) acc[j] = acc[j] + a0 * d0[j] + a1 * d1[j] + a2 * d2[j] + a3 * d3[j];
            }
            for (; r < m; r++) {
                float a0 = a[r][i];
                if (!loaded) {
                    System.arraycopy(g, gr, acc, 0, n);
                    loaded = true;
                }
                float[] d0 = d[r];
                for (int j = 0; j < n; j++) acc[j] = acc[j] + a0 * d0[j];
            }
            if (loaded) System.arraycopy(acc, 0, g, gr, n);
        }
    }

    /** {@code out[r] = d[r] · bt} for {@code d[m][n]}, {@code bt[n][k]} (a transposed weight matrix); sums over n in index order. */
    static void nt(int m, int n, int k, float[][] d, float[][] bt, float[][] out) {
        int n4 = n & ~3;
        for (int r = 0; r < m; r++) {
            float[] dr = d[r], o = out[r];
            java.util.Arrays.fill(o, 0, k, 0f);
            int j = 0;
            for (; j < n4; j += 4) {
                float d0 = dr[j], d1 = dr[j + 1], d2 = dr[j + 2], d3 = dr[j + 3];
                if (SKIP_ZEROS && d0 == 0 && d1 == 0 && d2 == 0 && d3 == 0) continue;
                float[] t0 = bt[j], t1 = bt[j + 1], t2 = bt[j + 2], t3 = bt[j + 3];
                for (int i = 0; i < k; i++) o[i] = o[i] + d0 * t0[i] + d1 * t1[i] + d2 * t2[i] + d3 * t3[i];
            }
            for (; j < n; j++) {
                float d0 = dr[j];
                float[] t0 = bt[j];
                for (int i = 0; i < k; i++) o[i] = o[i] + d0 * t0[i];
            }
        }
    }
}
