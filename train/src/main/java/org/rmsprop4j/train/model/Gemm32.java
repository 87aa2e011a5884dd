package org.rmsprop4j.train.model;

/**
 * The three float32 matrix products of an MLP layer, as plain loops that C2 vectorises. Matrices
 * are arrays of rows ({@code float[rows][cols]}): C2 (JDK 17 to 25) vectorises a loop whose arrays
 * are all indexed by the loop variable alone, but not one that reads two rows of one flat array at
 * different offsets (measured 29 against 6–7 GFLOP/s at 16×784×128).
 *
 * <h2>Order of the sums</h2> Each output element is {@code ((c + t₀) + t₁) + …} over its terms
 * {@code tᵢ = aᵢ·bᵢ} in index order, every operation rounded to float32 (products and sums are
 * separate roundings, never fused: {@code Math.fma} falls back to a very slow software path on
 * processors without FMA). The order depends only on the shapes and on which left factors are
 * zero, never on threads or timing, so the same inputs give the same bits. Four terms are added per
 * pass over an output row, so the row is loaded and stored a quarter as often; as the additions
 * stay sequential, the grouping does not change a bit.
 *
 * <h2>Zeros</h2> Terms whose left factor is zero are left out: each pass first lists the indices of
 * the non-zero left factors, then adds their terms four at a time. Leaving out {@code 0·b} changes
 * nothing (except the sign of a zero sum, or a non-finite {@code b}, which the rest of the gradient
 * shows anyway). MNIST's pixels are about 80% zeros and a ReLU layer's outputs and deltas about
 * half, so most of the first layer's work is skipped. {@code -Drmsprop4j.train.skipZeros=false}
 * lists every index instead (the dense loops, for measurements).
 */
final class Gemm32 {
    private Gemm32() {}

    static final boolean SKIP_ZEROS = !"false".equals(System.getProperty("rmsprop4j.train.skipZeros"));

    /** Lists into {@code idx} the indices {@code i < k} with {@code v[i] != 0} (all of them when not skipping zeros); returns how many. */
    private static int nonZeros(float[] v, int k, int[] idx) {
        int c = 0;
        if (SKIP_ZEROS) {
            for (int i = 0; i < k; i++) if (v[i] != 0) idx[c++] = i;
        } else {
            for (int i = 0; i < k; i++) idx[c++] = i;
        }
        return c;
    }

    /** {@code c[r] += a[r] · b} for rows {@code r < m}: {@code a[m][k]}, {@code b[k][n]}, {@code c[m][n]}; {@code idx} holds at least k. */
    static void nn(int m, int n, int k, float[][] a, float[][] b, float[][] c, int[] idx) {
        for (int r = 0; r < m; r++) {
            float[] ar = a[r];
            int cnt = nonZeros(ar, k, idx);
            addRows(ar, b, idx, cnt, c[r], n);
        }
    }

    /** {@code out[r] = d[r] · bt} for {@code d[m][n]}, {@code bt[n][k]} (a transposed weight matrix); {@code idx} holds at least n. */
    static void nt(int m, int n, int k, float[][] d, float[][] bt, float[][] out, int[] idx) {
        for (int r = 0; r < m; r++) {
            float[] dr = d[r], o = out[r];
            java.util.Arrays.fill(o, 0, k, 0f);
            int cnt = nonZeros(dr, n, idx);
            addRows(dr, bt, idx, cnt, o, k);
        }
    }

    /** {@code out[j] += Σ_t coef[idx[t]] · rows[idx[t]][j]} for {@code j < n}, terms in the order of idx, four per pass. */
    private static void addRows(float[] coef, float[][] rows, int[] idx, int cnt, float[] out, int n) {
        int t = 0;
        for (; t + 4 <= cnt; t += 4) {
            int i0 = idx[t], i1 = idx[t + 1], i2 = idx[t + 2], i3 = idx[t + 3];
            float a0 = coef[i0], a1 = coef[i1], a2 = coef[i2], a3 = coef[i3];
            float[] b0 = rows[i0], b1 = rows[i1], b2 = rows[i2], b3 = rows[i3];
            for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
        for (; t < cnt; t++) {
            float a0 = coef[idx[t]];
            float[] b0 = rows[idx[t]];
            for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[j];
        }
    }

    /**
     * The weight gradient {@code g[i·n + j] (from gOff) += Σ_r a[r][i] · d[r][j]} for {@code a[m][k]},
     * {@code d[m][n]}, over the rows r in index order; {@code acc} holds at least n, {@code col} at least m, {@code idx} at least m.
     */
    static void tn(int m, int n, int k, float[][] a, float[][] d, float[] g, int gOff, float[] acc, float[] col, int[] idx) {
        for (int i = 0; i < k; i++) {
            for (int r = 0; r < m; r++) col[r] = a[r][i];
            int cnt = nonZeros(col, m, idx);
            if (cnt == 0) continue;
            int gr = gOff + i * n;
            System.arraycopy(g, gr, acc, 0, n);
            addRows(col, d, idx, cnt, acc, n);
            System.arraycopy(acc, 0, g, gr, n);
        }
    }
}
