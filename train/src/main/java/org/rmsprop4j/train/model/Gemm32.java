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
 * zero, never on threads or timing, so the same inputs give the same bits. Up to five terms are added
 * per pass over an output row, so the row is loaded and stored a fifth as often; as the additions
 * stay sequential, the grouping does not change a bit. Every loop indexes all its arrays by the loop
 * variable alone: C2 (JDK 17) vectorises neither a loop that reads two rows of one flat array at
 * different offsets nor one that stores into an array at an offset while reading others.
 *
 * <h2>Zeros</h2> Terms whose left factor is zero are left out: each pass first lists the indices of
 * the non-zero left factors (without a branch per index), then adds their terms in groups. Leaving out {@code 0·b} changes
 * nothing (except the sign of a zero sum, or a non-finite {@code b}, which the rest of the gradient
 * shows anyway). MNIST's pixels are about 80% zeros and a ReLU layer's outputs and deltas about
 * half, so most of the first layer's work is skipped. {@code -Drmsprop4j.train.skipZeros=false}
 * lists every index instead (the dense loops, for measurements).
 */
final class Gemm32 {
    private Gemm32() {}

    static final boolean SKIP_ZEROS = !"false".equals(System.getProperty("rmsprop4j.train.skipZeros"));

    /**
     * Whether {@link #addSparseRow} and the first layer's weight gradient (and, with {@link #laterVectorProducts}, the later layers'
     * products) run {@link Gemm32Vector}: the JVM has {@code jdk.incubator.vector} ({@code
     * --add-modules jdk.incubator.vector}) at a usable width, and {@code -Drmsprop4j.train.vectorProducts=false} does not
     * turn it off (for A/B runs). Same bits either way. Not final: tests run both.
     */
    static boolean vectorProducts = vectorAvailable() && !"false".equals(System.getProperty("rmsprop4j.train.vectorProducts"));

    /**
     * Whether {@link Gemm32Vector} can run in this JVM: core's probe of the library's vector loops (the module, a width of
     * at least 256 bits). A bad {@code -Drmsprop4j.vector.bits} counts as no here; {@link #refuseBadVectorWidth} reports it
     * where the float32 products start.
     */
    static boolean vectorAvailable() {
        try {
            return org.rmsprop4j.kernel.Blockwise8.vectorAvailable();
        } catch (IllegalArgumentException e) { // VectorWidth refused the property
            return false;
        }
    }

    /**
     * Throws core's error for a bad {@code -Drmsprop4j.vector.bits} (naming the property, the value and what is accepted),
     * so that training refuses it as the 8-bit paths do instead of quietly running the scalar loops.
     *
     * @throws IllegalArgumentException when the property is set to anything but 256 or 512
     */
    static void refuseBadVectorWidth() {
        try {
            org.rmsprop4j.kernel.Blockwise8.vectorAvailable();
        } catch (IllegalArgumentException e) { // core keeps one instance: give this caller its own trace
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Whether the later layers' products (after the first layer: the forward sums, the deltas and the weight gradient) run
     * {@link Gemm32Vector} too, with {@link #vectorProducts}; {@code -Drmsprop4j.train.laterVectorProducts=false} keeps
     * them scalar (for A/B runs). Same bits either way. Not final: tests run both.
     */
    static boolean laterVectorProducts = !"false".equals(System.getProperty("rmsprop4j.train.laterVectorProducts"));

    /**
     * The narrowest later layer, in vectors, whose products run {@link Gemm32Vector}: 4 (64 floats at 512 bits). Narrower
     * outputs stay on the scalar passes: the vector loop's leftover columns sum one term after another (for MNIST's 10
     * classes that chain ran slower than these passes), and a small network's loops are not called often enough for C2 to
     * compile them soon, while C1's code keeps every vector on the heap ({@code train digits -m mlp:24,16 --epochs 4}: 0.5–0.6 s
     * against 0.4 s, and the trainer's allocation test failed).
     */
    static final int LATER_VECTOR_LANES = 4;

    /**
     * {@link #addRows(float[], float[][], int[], int, float[], int)} of a later layer: on {@link Gemm32Vector} when both switches
     * are on and the output is at least {@link #LATER_VECTOR_LANES} vectors wide, the same bits.
     */
    static void addRowsLater(float[] coef, float[][] rows, int[] idx, int cnt, float[] out, int n) {
        if (laterVector(n)) Gemm32Vector.addRows(coef, rows, idx, cnt, out, n);
        else addRows(coef, rows, idx, cnt, out, n);
    }

    /** Whether a later layer's products with {@code n} outputs run {@link Gemm32Vector} (both switches on, {@link #LATER_VECTOR_LANES} vectors wide). */
    static boolean laterVector(int n) {
        return vectorProducts && laterVectorProducts && n >= LATER_VECTOR_LANES * Gemm32Vector.lanes();
    }

    /** {@link #addSparse}, on {@link Gemm32Vector} when {@link #vectorProducts}: the same bits. */
    static void addSparseRow(float[] val, int[] row, int s, int e, float[] w, int off, float[] out, int n) {
        if (vectorProducts) Gemm32Vector.addSparse(val, row, s, e, w, off, out, n);
        else addSparse(val, row, s, e, w, off, out, n);
    }

    /** Lists into {@code idx} the indices {@code i < k} with {@code v[i] != 0} (all of them when not skipping zeros); returns how many. */
    static int nonZeros(float[] v, int k, int[] idx) {
        return nonZeros(v, 0, k, idx);
    }

    /**
     * Lists into {@code idx} the indices {@code from <= i < to} with {@code v[i] != 0} (NaN counts as
     * non-zero, ±0 does not), in increasing order; returns how many. Branch-free: every index is
     * written and the count advances by 0 or 1 (the bit test below), because a data-dependent branch
     * here mispredicts about once per non-zero pixel. {@code idx} holds at least {@code to - from}.
     */
    static int nonZeros(float[] v, int from, int to, int[] idx) {
        int c = 0;
        if (SKIP_ZEROS) {
            for (int i = from; i < to; i++) {
                idx[c] = i;
                // |v| bits + 0x7fffffff overflows to negative exactly when |v| bits != 0, i.e. v != ±0
                c += ((Float.floatToRawIntBits(v[i]) & 0x7fffffff) + 0x7fffffff) >>> 31;
            }
        } else {
            for (int i = from; i < to; i++) idx[c++] = i;
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

    /** As {@link #nn} with {@code b} flat: row i at {@code b[off + i·n ..]}. */
    static void nnFlat(int m, int n, int k, float[][] a, float[] b, int off, float[][] c, int[] idx) {
        for (int r = 0; r < m; r++) {
            float[] ar = a[r];
            addRowsFlat(ar, 0, b, off, idx, 0, nonZeros(ar, k, idx), c[r], n);
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

    /**
     * {@code out[j] += Σ_t coef[idx[t]] · rows[idx[t]][j]} for {@code j < n}, terms in the order of idx:
     * five per pass (the most for which C2 still vectorises the loop on JDK 17: six or eight terms ran
     * scalar, 4–5 GFLOP/s against 22–24 at 128 columns), then one pass for the last four to one (a pass over
     * a row costs about the same whatever its term count, so the remainder takes one pass, not up to four).
     */
    static void addRows(float[] coef, float[][] rows, int[] idx, int cnt, float[] out, int n) {
        addRows(coef, 0, rows, idx, 0, cnt, out, n);
    }

    /** {@link #addRows(float[], float[][], int[], int, float[], int)} with the indices {@code idx[from ..]} and the coefficient of index i at {@code coef[coefOff + i]}. */
    static void addRows(float[] coef, int coefOff, float[][] rows, int[] idx, int from, int cnt, float[] out, int n) {
        addRows(coef, coefOff, rows, null, 0, idx, from, cnt, out, n);
    }

    /**
     * As {@link #addRows(float[], int, float[][], int[], int, int, float[], int)} with row i of the weights at {@code flat[off + i·n ..]}
     * (the first layer read straight from the flat parameters, not from a copy).
     */
    static void addRowsFlat(float[] coef, int coefOff, float[] flat, int off, int[] idx, int from, int cnt, float[] out, int n) {
        addRows(coef, coefOff, null, flat, off, idx, from, cnt, out, n);
    }

    /** The loop of both: row i is {@code rows[i]} from 0 when {@code rows} is given, else {@code flat} from {@code off + i·n}. */
    private static void addRows(float[] coef, int coefOff, float[][] rows, float[] flat, int off, int[] idx, int from, int cnt, float[] out, int n) {
        int t = from, end = from + cnt;
        boolean byRow = rows != null;
        for (; t + 5 <= end; t += 5) {
            int i0 = idx[t], i1 = idx[t + 1], i2 = idx[t + 2], i3 = idx[t + 3], i4 = idx[t + 4];
            float a0 = coef[coefOff + i0], a1 = coef[coefOff + i1], a2 = coef[coefOff + i2], a3 = coef[coefOff + i3], a4 = coef[coefOff + i4];
            float[] b0 = byRow ? rows[i0] : flat, b1 = byRow ? rows[i1] : flat, b2 = byRow ? rows[i2] : flat, b3 = byRow ? rows[i3] : flat,
                    b4 = byRow ? rows[i4] : flat;
            int o0 = byRow ? 0 : off + i0 * n, o1 = byRow ? 0 : off + i1 * n, o2 = byRow ? 0 : off + i2 * n, o3 = byRow ? 0 : off + i3 * n,
                    o4 = byRow ? 0 : off + i4 * n;
            for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[o0 + j] + a1 * b1[o1 + j] + a2 * b2[o2 + j] + a3 * b3[o3 + j] + a4 * b4[o4 + j];
        }
        switch (end - t) {
            case 4 -> {
                int i0 = idx[t], i1 = idx[t + 1], i2 = idx[t + 2], i3 = idx[t + 3];
                float a0 = coef[coefOff + i0], a1 = coef[coefOff + i1], a2 = coef[coefOff + i2], a3 = coef[coefOff + i3];
                float[] b0 = byRow ? rows[i0] : flat, b1 = byRow ? rows[i1] : flat, b2 = byRow ? rows[i2] : flat, b3 = byRow ? rows[i3] : flat;
                int o0 = byRow ? 0 : off + i0 * n, o1 = byRow ? 0 : off + i1 * n, o2 = byRow ? 0 : off + i2 * n, o3 = byRow ? 0 : off + i3 * n;
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[o0 + j] + a1 * b1[o1 + j] + a2 * b2[o2 + j] + a3 * b3[o3 + j];
            }
            case 3 -> {
                int i0 = idx[t], i1 = idx[t + 1], i2 = idx[t + 2];
                float a0 = coef[coefOff + i0], a1 = coef[coefOff + i1], a2 = coef[coefOff + i2];
                float[] b0 = byRow ? rows[i0] : flat, b1 = byRow ? rows[i1] : flat, b2 = byRow ? rows[i2] : flat;
                int o0 = byRow ? 0 : off + i0 * n, o1 = byRow ? 0 : off + i1 * n, o2 = byRow ? 0 : off + i2 * n;
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[o0 + j] + a1 * b1[o1 + j] + a2 * b2[o2 + j];
            }
            case 2 -> {
                int i0 = idx[t], i1 = idx[t + 1];
                float a0 = coef[coefOff + i0], a1 = coef[coefOff + i1];
                float[] b0 = byRow ? rows[i0] : flat, b1 = byRow ? rows[i1] : flat;
                int o0 = byRow ? 0 : off + i0 * n, o1 = byRow ? 0 : off + i1 * n;
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[o0 + j] + a1 * b1[o1 + j];
            }
            case 1 -> {
                int i0 = idx[t];
                float a0 = coef[coefOff + i0];
                float[] b0 = byRow ? rows[i0] : flat;
                int o0 = byRow ? 0 : off + i0 * n;
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[o0 + j];
            }
            default -> { }
        }
    }

    /**
     * {@code out[j] += Σ_t val[t] · w[off + row[t]·n + j]} for {@code s <= t < e} and {@code j < n}, terms
     * in order of t (a column of a sparse matrix times the rows of a flat weight matrix), grouped in passes as {@link #addRows}.
     */
    static void addSparse(float[] val, int[] row, int s, int e, float[] w, int off, float[] out, int n) {
        int t = s;
        for (; t + 4 <= e; t += 4) {
            float a0 = val[t], a1 = val[t + 1], a2 = val[t + 2], a3 = val[t + 3];
            int o0 = off + row[t] * n, o1 = off + row[t + 1] * n, o2 = off + row[t + 2] * n, o3 = off + row[t + 3] * n;
            for (int j = 0; j < n; j++) out[j] = out[j] + a0 * w[o0 + j] + a1 * w[o1 + j] + a2 * w[o2 + j] + a3 * w[o3 + j];
        }
        switch (e - t) {
            case 3 -> {
                float a0 = val[t], a1 = val[t + 1], a2 = val[t + 2];
                int o0 = off + row[t] * n, o1 = off + row[t + 1] * n, o2 = off + row[t + 2] * n;
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * w[o0 + j] + a1 * w[o1 + j] + a2 * w[o2 + j];
            }
            case 2 -> {
                float a0 = val[t], a1 = val[t + 1];
                int o0 = off + row[t] * n, o1 = off + row[t + 1] * n;
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * w[o0 + j] + a1 * w[o1 + j];
            }
            case 1 -> {
                float a0 = val[t];
                int o0 = off + row[t] * n;
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * w[o0 + j];
            }
            default -> { }
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

    /**
     * {@code v[j] = v[j] / divisor} for {@code j < n}, bit for bit. When the divisor is a power of two (a normal float
     * with no fraction bits, such as a batch of 64 rows) its reciprocal is exact, and {@code x · 2⁻ᵏ} is then the same
     * real number as {@code x / 2ᵏ}, so it rounds to the same float (subnormals included): a multiplication, several
     * times cheaper than a division, gives the quotient's bits.
     */
    static void divide(float[] v, int n, float divisor) {
        divide(v, 0, n, divisor);
    }

    /** {@link #divide(float[], int, float)} of {@code v[off .. off + n)}. */
    static void divide(float[] v, int off, int n, float divisor) {
        int bits = Float.floatToRawIntBits(divisor), exp = (bits >>> 23) & 0xff;
        if ((bits & 0x007fffff) == 0 && exp != 0 && exp != 0xff) {
            float r = 1f / divisor; // exact: 2^-k with k in [-127, 127] is a float
            for (int j = off, e = off + n; j < e; j++) v[j] = v[j] * r;
        } else {
            for (int j = off, e = off + n; j < e; j++) v[j] = v[j] / divisor;
        }
    }

    /**
     * {@code d[i] = a[i] > 0 ? d[i] : +0} for {@code i < n}: the ReLU derivative applied to a delta, given
     * the layer's output a. Branch-free on the bits (a hidden unit is on for about half the rows, at
     * random, so a branch mispredicts often): {@code a > 0} exactly when its bits lie in
     * {@code [1, 0x7f800000]} (positive, up to +∞; NaN and every negative or zero value fail).
     */
    static void reluMask(float[] d, float[] a, int n) {
        for (int i = 0; i < n; i++) {
            int b = Float.floatToRawIntBits(a[i]);
            int keep = ~(((0x7f800000 - b) | (b - 1)) >> 31);
            d[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d[i]) & keep);
        }
    }

    /**
     * One chunk's share of a weight-gradient row: with {@code p = (((+0 + t₀) + t₁) + …)} over the terms
     * {@code tₜ = val[t] · rows[base + row[t]][j]}, {@code s <= t < e} in order, sets {@code acc[j] = p}
     * ({@code first}) or adds {@code acc[j] = acc[j] + p}, for {@code j < n}. The last one to four terms
     * and the write to acc share one pass (earlier terms go through {@code tmp}, four per pass), so a chunk
     * with up to four terms costs one pass over the row. {@code e > s}; {@code zero} holds n zeros. Every array is indexed by j alone: C2 does not
     * vectorise a loop that stores into one array at an offset while it reads others (they might be the same).
     */
    static void addColumn(float[] val, int[] row, int base, int s, int e, float[][] rows, float[] zero, float[] tmp, float[] acc, int n, boolean first) {
        float[] st = zero;
        int t = s;
        for (; e - t > 4; t += 4) {
            float a0 = val[t], a1 = val[t + 1], a2 = val[t + 2], a3 = val[t + 3];
            float[] b0 = rows[base + row[t]], b1 = rows[base + row[t + 1]], b2 = rows[base + row[t + 2]], b3 = rows[base + row[t + 3]];
            for (int j = 0; j < n; j++) tmp[j] = st[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            st = tmp;
        }
        switch (e - t) {
            case 4 -> {
                float a0 = val[t], a1 = val[t + 1], a2 = val[t + 2], a3 = val[t + 3];
                float[] b0 = rows[base + row[t]], b1 = rows[base + row[t + 1]], b2 = rows[base + row[t + 2]], b3 = rows[base + row[t + 3]];
                if (first) for (int j = 0; j < n; j++) acc[j] = st[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                else for (int j = 0; j < n; j++) acc[j] = acc[j] + (st[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j]);
            }
            case 3 -> {
                float a0 = val[t], a1 = val[t + 1], a2 = val[t + 2];
                float[] b0 = rows[base + row[t]], b1 = rows[base + row[t + 1]], b2 = rows[base + row[t + 2]];
                if (first) for (int j = 0; j < n; j++) acc[j] = st[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j];
                else for (int j = 0; j < n; j++) acc[j] = acc[j] + (st[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j]);
            }
            case 2 -> {
                float a0 = val[t], a1 = val[t + 1];
                float[] b0 = rows[base + row[t]], b1 = rows[base + row[t + 1]];
                if (first) for (int j = 0; j < n; j++) acc[j] = st[j] + a0 * b0[j] + a1 * b1[j];
                else for (int j = 0; j < n; j++) acc[j] = acc[j] + (st[j] + a0 * b0[j] + a1 * b1[j]);
            }
            default -> {
                float a0 = val[t];
                float[] b0 = rows[base + row[t]];
                if (first) for (int j = 0; j < n; j++) acc[j] = st[j] + a0 * b0[j];
                else for (int j = 0; j < n; j++) acc[j] = acc[j] + (st[j] + a0 * b0[j]);
            }
        }
    }
}
