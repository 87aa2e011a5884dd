package org.rmsprop4j.train.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.rmsprop4j.kernel.VectorWidth;

/**
 * The MLP's products on the incubating Vector API: the first layer's forward sums ({@link #addSparse}, as {@link
 * Gemm32#addSparse}) and weight gradient ({@link #columnGradient}, as {@link Mlp#gradientPart32} with {@link
 * Gemm32#addColumn}), and the later layers' forward sums and deltas ({@link #addRows}) and weight gradient
 * ({@link #addColumn}). A strip of eight (or four, or one) vectors of the output row is held in registers across all the terms:
 * {@code z = out[strip]}, then {@code z = z + a_t·b_t[strip]} for every term t in order, then one store. Every element
 * gets exactly the same roundings in the same order as the scalar loops (a float product, then a float sum, never
 * fused), so the bits are the same. What goes is the load and store of the output row every four terms, and C2's
 * scalar pre- and post-loops around each 128-column pass.
 *
 * <p>Measured on MNIST's first layer (784×128 weights, batches of 64 listed rows; {@code tools/bench/FirstLayerAB.java},
 * thread CPU time): the forward sums at 16.7 GMAC/s against 12.1 for the scalar passes. The column-major order over a
 * block of rows (one pass per term, each weight row read from L2 once per block) ran at 4–6 GMAC/s, and tiles of
 * 32–96 inputs per block at 10–12: the scalar pass is bound by its own loop overhead, not by reading weight rows
 * from L2. The later layers' products (64 and 128 columns on MNIST's network) were first measured to gain nothing under a load
 * of 9–10 (sixth pass); in the eleventh pass's window (issue 15) the 1-thread epoch took 0.89× as long with them, per round. Layers narrower
 * than {@link Gemm32#LATER_VECTOR_LANES} vectors stay on the scalar passes.
 *
 * <p>Uses {@link VectorWidth#BITS} (as every other Vector API loop of the library, so a JVM never mixes two shapes of
 * one element type). Links only with {@code --add-modules jdk.incubator.vector}; {@link Gemm32#vectorAvailable} probes
 * for it.
 */
final class Gemm32Vector {
    private Gemm32Vector() {}

    private static final VectorSpecies<Float> S = VectorWidth.BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int L = S.length();

    /** Floats per vector (16 at 512 bits), for {@link Gemm32#LATER_VECTOR_LANES}. */
    static int lanes() { return L; }

    /** As {@link Gemm32#addSparse}, same bits: {@code out[j] = ((out[j] + val[s]·w[off + row[s]·n + j]) + …)} for {@code j < n}. */
    static void addSparse(float[] val, int[] row, int s, int e, float[] w, int off, float[] out, int n) {
        if (e <= s) return;
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) strip8(val, row, s, e, w, off, n, out, j);
        for (; j + L <= n; j += L) strip1(val, row, s, e, w, off, n, out, j);
        for (; j < n; j++) {
            float z = out[j];
            for (int t = s; t < e; t++) z = z + val[t] * w[off + row[t] * n + j];
            out[j] = z;
        }
    }

    private static void strip8(float[] val, int[] row, int s, int e, float[] w, int off, int n, float[] out, int j) {
        FloatVector z0 = FloatVector.fromArray(S, out, j), z1 = FloatVector.fromArray(S, out, j + L);
        FloatVector z2 = FloatVector.fromArray(S, out, j + 2 * L), z3 = FloatVector.fromArray(S, out, j + 3 * L);
        FloatVector z4 = FloatVector.fromArray(S, out, j + 4 * L), z5 = FloatVector.fromArray(S, out, j + 5 * L);
        FloatVector z6 = FloatVector.fromArray(S, out, j + 6 * L), z7 = FloatVector.fromArray(S, out, j + 7 * L);
        for (int t = s; t < e; t++) {
            FloatVector a = FloatVector.broadcast(S, val[t]);
            int b = off + row[t] * n + j;
            z0 = z0.add(FloatVector.fromArray(S, w, b).mul(a));
            z1 = z1.add(FloatVector.fromArray(S, w, b + L).mul(a));
            z2 = z2.add(FloatVector.fromArray(S, w, b + 2 * L).mul(a));
            z3 = z3.add(FloatVector.fromArray(S, w, b + 3 * L).mul(a));
            z4 = z4.add(FloatVector.fromArray(S, w, b + 4 * L).mul(a));
            z5 = z5.add(FloatVector.fromArray(S, w, b + 5 * L).mul(a));
            z6 = z6.add(FloatVector.fromArray(S, w, b + 6 * L).mul(a));
            z7 = z7.add(FloatVector.fromArray(S, w, b + 7 * L).mul(a));
        }
        z0.intoArray(out, j);
        z1.intoArray(out, j + L);
        z2.intoArray(out, j + 2 * L);
        z3.intoArray(out, j + 3 * L);
        z4.intoArray(out, j + 4 * L);
        z5.intoArray(out, j + 5 * L);
        z6.intoArray(out, j + 6 * L);
        z7.intoArray(out, j + 7 * L);
    }

    /**
     * One weight-gradient row of the first layer over the chunks of a batch, as {@link Mlp#gradientPart32} computes it with
     * {@link Gemm32#addColumn}, {@link Gemm32#divide} and a copy, with the same bits: per chunk c with entries of column i,
     * {@code p = ((+0 + t₀) + t₁) + …} over its terms {@code tₜ = val[c][t]·rows[c·cs + row[c][t]][j]}; {@code acc = p} for the
     * first such chunk, {@code acc = acc + p} for the next; then {@code grad[o + j] = acc / divisor} (a product with the exact
     * reciprocal when the divisor is a power of two, as {@link Gemm32#divide}); {@code 0f / divisor} when no chunk has one.
     * The chunk's sum stays in registers; the row is read and written once per chunk.
     */
    static void columnGradient(float[][] val, int[][] row, int[][] colStart, int i, int chunks, int cs, float[][] rows, float divisor, float[] grad,
            int o, int n) {
        boolean any = false;
        for (int c = 0; c < chunks && !any; c++) any = colStart[c][i] < colStart[c][i + 1];
        if (!any) {
            java.util.Arrays.fill(grad, o, o + n, 0f / divisor);
            return;
        }
        int bits = Float.floatToRawIntBits(divisor), exp = (bits >>> 23) & 0xff;
        boolean byReciprocal = (bits & 0x007fffff) == 0 && exp != 0 && exp != 0xff, divide = divisor != 1f;
        float r = 1f / divisor;
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) column8(val, row, colStart, i, chunks, cs, rows, divide, byReciprocal, r, divisor, grad, o, j);
        for (; j < n; j++) {
            float acc = 0f;
            boolean first = true;
            for (int c = 0; c < chunks; c++) {
                int s0 = colStart[c][i], s1 = colStart[c][i + 1];
                if (s0 == s1) continue;
                float p = 0f;
                float[] v = val[c];
                int[] rw = row[c];
                for (int t = s0; t < s1; t++) p = p + v[t] * rows[c * cs + rw[t]][j];
                acc = first ? p : acc + p;
                first = false;
            }
            if (divide) acc = byReciprocal ? acc * r : acc / divisor;
            grad[o + j] = acc;
        }
    }

    private static void column8(float[][] val, int[][] row, int[][] colStart, int i, int chunks, int cs, float[][] rows, boolean divide, boolean byReciprocal,
            float r, float divisor, float[] grad, int o, int j) {
        boolean first = true;
        for (int c = 0; c < chunks; c++) {
            int s0 = colStart[c][i], s1 = colStart[c][i + 1];
            if (s0 == s1) continue;
            chunk8(val[c], row[c], c * cs, s0, s1, rows, j, grad, o + j, first);
            first = false;
        }
        if (divide) {
            for (int k = 0; k < 8; k++) {
                FloatVector a = FloatVector.fromArray(S, grad, o + j + k * L);
                if (byReciprocal) a.mul(r).intoArray(grad, o + j + k * L);
                else a.div(divisor).intoArray(grad, o + j + k * L);
            }
        }
    }

    /**
     * Chunk {@code c}'s terms of {@link #columnGradient}'s column {@code i}, added to the running sum in {@code grad[o..o+n)}
     * (which the first chunk with terms in the column starts): calling this for chunks 0, 1, … in order and then
     * {@link #columnFinish} gives exactly {@link #columnGradient}'s result, one chunk at a time.
     */
    static void columnChunk(float[][] val, int[][] row, int[][] colStart, int i, int c, int cs, float[][] rows, float[] grad, int o, int n) {
        int s0 = colStart[c][i], s1 = colStart[c][i + 1];
        if (s0 == s1) return;
        boolean first = true;
        for (int k = 0; k < c && first; k++) first = colStart[k][i] == colStart[k][i + 1];
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) chunk8(val[c], row[c], c * cs, s0, s1, rows, j, grad, o + j, first);
        float[] v = val[c];
        int[] rw = row[c];
        for (; j < n; j++) {
            float p = 0f;
            for (int t = s0; t < s1; t++) p = p + v[t] * rows[c * cs + rw[t]][j];
            grad[o + j] = first ? p : grad[o + j] + p;
        }
    }

    /** The end of {@link #columnGradient} after {@link #columnChunk} of every chunk: the division, or the zero column's {@code 0 / divisor}. */
    static void columnFinish(int[][] colStart, int i, int chunks, float divisor, float[] grad, int o, int n) {
        boolean any = false;
        for (int c = 0; c < chunks && !any; c++) any = colStart[c][i] < colStart[c][i + 1];
        if (!any) {
            java.util.Arrays.fill(grad, o, o + n, 0f / divisor);
            return;
        }
        if (divisor == 1f) return;
        int bits = Float.floatToRawIntBits(divisor), exp = (bits >>> 23) & 0xff;
        boolean byReciprocal = (bits & 0x007fffff) == 0 && exp != 0 && exp != 0xff;
        float r = 1f / divisor;
        for (int j = 0; j < n; j++) grad[o + j] = byReciprocal ? grad[o + j] * r : grad[o + j] / divisor;
    }

    /**
     * {@code g[go + k] = p[k]} ({@code first}) or {@code g[go + k] + p[k]}, {@code k < 8L}, with {@code p = ((+0 + t₀) + t₁) + …} over the terms
     * {@code v[t]·rows[base + rw[t]][j + k]} held in registers. (Both branches store: C2 on JDK 17 keeps vectors that merge after a branch on the heap.)
     */
    private static void chunk8(float[] v, int[] rw, int base, int s0, int s1, float[][] rows, int j, float[] g, int go, boolean first) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector p0 = zero, p1 = zero, p2 = zero, p3 = zero, p4 = zero, p5 = zero, p6 = zero, p7 = zero;
        for (int t = s0; t < s1; t++) {
            FloatVector a = FloatVector.broadcast(S, v[t]);
            float[] b = rows[base + rw[t]];
            p0 = p0.add(FloatVector.fromArray(S, b, j).mul(a));
            p1 = p1.add(FloatVector.fromArray(S, b, j + L).mul(a));
            p2 = p2.add(FloatVector.fromArray(S, b, j + 2 * L).mul(a));
            p3 = p3.add(FloatVector.fromArray(S, b, j + 3 * L).mul(a));
            p4 = p4.add(FloatVector.fromArray(S, b, j + 4 * L).mul(a));
            p5 = p5.add(FloatVector.fromArray(S, b, j + 5 * L).mul(a));
            p6 = p6.add(FloatVector.fromArray(S, b, j + 6 * L).mul(a));
            p7 = p7.add(FloatVector.fromArray(S, b, j + 7 * L).mul(a));
        }
        if (first) {
            p0.intoArray(g, go);
            p1.intoArray(g, go + L);
            p2.intoArray(g, go + 2 * L);
            p3.intoArray(g, go + 3 * L);
            p4.intoArray(g, go + 4 * L);
            p5.intoArray(g, go + 5 * L);
            p6.intoArray(g, go + 6 * L);
            p7.intoArray(g, go + 7 * L);
        } else {
            FloatVector.fromArray(S, g, go).add(p0).intoArray(g, go);
            FloatVector.fromArray(S, g, go + L).add(p1).intoArray(g, go + L);
            FloatVector.fromArray(S, g, go + 2 * L).add(p2).intoArray(g, go + 2 * L);
            FloatVector.fromArray(S, g, go + 3 * L).add(p3).intoArray(g, go + 3 * L);
            FloatVector.fromArray(S, g, go + 4 * L).add(p4).intoArray(g, go + 4 * L);
            FloatVector.fromArray(S, g, go + 5 * L).add(p5).intoArray(g, go + 5 * L);
            FloatVector.fromArray(S, g, go + 6 * L).add(p6).intoArray(g, go + 6 * L);
            FloatVector.fromArray(S, g, go + 7 * L).add(p7).intoArray(g, go + 7 * L);
        }
    }

    /**
     * As {@link Gemm32#addRows(float[], float[][], int[], int, float[], int)}, same bits: {@code out[j] = ((out[j] +
     * coef[i₀]·rows[i₀][j]) + coef[i₁]·rows[i₁][j]) + …} over {@code i_t = idx[t]}, {@code t < cnt}, for {@code j < n}; the
     * later layers' products at least {@link Gemm32#LATER_VECTOR_LANES} vectors wide (on MNIST's network the second layer's 64
     * columns and the first layer's deltas' 128; the 10 classes stay scalar), with the output strip in registers.
     */
    static void addRows(float[] coef, float[][] rows, int[] idx, int cnt, float[] out, int n) {
        if (cnt <= 0) return;
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) rows8(coef, rows, idx, cnt, out, j);
        for (; j + 4 * L <= n; j += 4 * L) rows4(coef, rows, idx, cnt, out, j);
        for (; j + L <= n; j += L) rows1(coef, rows, idx, cnt, out, j);
        for (; j < n; j++) {
            float z = out[j];
            for (int t = 0; t < cnt; t++) {
                int i = idx[t];
                z = z + coef[i] * rows[i][j];
            }
            out[j] = z;
        }
    }

    private static void rows8(float[] coef, float[][] rows, int[] idx, int cnt, float[] out, int j) {
        FloatVector z0 = FloatVector.fromArray(S, out, j), z1 = FloatVector.fromArray(S, out, j + L);
        FloatVector z2 = FloatVector.fromArray(S, out, j + 2 * L), z3 = FloatVector.fromArray(S, out, j + 3 * L);
        FloatVector z4 = FloatVector.fromArray(S, out, j + 4 * L), z5 = FloatVector.fromArray(S, out, j + 5 * L);
        FloatVector z6 = FloatVector.fromArray(S, out, j + 6 * L), z7 = FloatVector.fromArray(S, out, j + 7 * L);
        for (int t = 0; t < cnt; t++) {
            int i = idx[t];
            FloatVector a = FloatVector.broadcast(S, coef[i]);
            float[] b = rows[i];
            z0 = z0.add(FloatVector.fromArray(S, b, j).mul(a));
            z1 = z1.add(FloatVector.fromArray(S, b, j + L).mul(a));
            z2 = z2.add(FloatVector.fromArray(S, b, j + 2 * L).mul(a));
            z3 = z3.add(FloatVector.fromArray(S, b, j + 3 * L).mul(a));
            z4 = z4.add(FloatVector.fromArray(S, b, j + 4 * L).mul(a));
            z5 = z5.add(FloatVector.fromArray(S, b, j + 5 * L).mul(a));
            z6 = z6.add(FloatVector.fromArray(S, b, j + 6 * L).mul(a));
            z7 = z7.add(FloatVector.fromArray(S, b, j + 7 * L).mul(a));
        }
        z0.intoArray(out, j);
        z1.intoArray(out, j + L);
        z2.intoArray(out, j + 2 * L);
        z3.intoArray(out, j + 3 * L);
        z4.intoArray(out, j + 4 * L);
        z5.intoArray(out, j + 5 * L);
        z6.intoArray(out, j + 6 * L);
        z7.intoArray(out, j + 7 * L);
    }

    private static void rows4(float[] coef, float[][] rows, int[] idx, int cnt, float[] out, int j) {
        FloatVector z0 = FloatVector.fromArray(S, out, j), z1 = FloatVector.fromArray(S, out, j + L);
        FloatVector z2 = FloatVector.fromArray(S, out, j + 2 * L), z3 = FloatVector.fromArray(S, out, j + 3 * L);
        for (int t = 0; t < cnt; t++) {
            int i = idx[t];
            FloatVector a = FloatVector.broadcast(S, coef[i]);
            float[] b = rows[i];
            z0 = z0.add(FloatVector.fromArray(S, b, j).mul(a));
            z1 = z1.add(FloatVector.fromArray(S, b, j + L).mul(a));
            z2 = z2.add(FloatVector.fromArray(S, b, j + 2 * L).mul(a));
            z3 = z3.add(FloatVector.fromArray(S, b, j + 3 * L).mul(a));
        }
        z0.intoArray(out, j);
        z1.intoArray(out, j + L);
        z2.intoArray(out, j + 2 * L);
        z3.intoArray(out, j + 3 * L);
    }

    private static void rows1(float[] coef, float[][] rows, int[] idx, int cnt, float[] out, int j) {
        FloatVector z = FloatVector.fromArray(S, out, j);
        for (int t = 0; t < cnt; t++) {
            int i = idx[t];
            z = z.add(FloatVector.fromArray(S, rows[i], j).mul(FloatVector.broadcast(S, coef[i])));
        }
        z.intoArray(out, j);
    }

    /**
     * Chunk terms of a later layer's weight-gradient row, as {@link Gemm32#addColumn} with {@code base = 0} and the result
     * written to {@code g[go ..]} instead of {@code acc}, same bits: {@code p = ((+0 + t₀) + t₁) + …} over
     * {@code tₜ = v[t]·rows[rw[t]][j]}, {@code t < cnt}; {@code g[go + j] = p} ({@code first}) or {@code g[go + j] + p}.
     */
    static void addColumn(float[] v, int[] rw, int cnt, float[][] rows, float[] g, int go, int n, boolean first) {
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) chunk8(v, rw, 0, 0, cnt, rows, j, g, go + j, first);
        for (; j + 4 * L <= n; j += 4 * L) chunk4(v, rw, cnt, rows, j, g, go + j, first);
        for (; j + L <= n; j += L) chunk1(v, rw, cnt, rows, j, g, go + j, first);
        for (; j < n; j++) {
            float p = 0f;
            for (int t = 0; t < cnt; t++) p = p + v[t] * rows[rw[t]][j];
            g[go + j] = first ? p : g[go + j] + p;
        }
    }

    /** {@link #chunk8} with four vectors. */
    private static void chunk4(float[] v, int[] rw, int cnt, float[][] rows, int j, float[] g, int go, boolean first) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector p0 = zero, p1 = zero, p2 = zero, p3 = zero;
        for (int t = 0; t < cnt; t++) {
            FloatVector a = FloatVector.broadcast(S, v[t]);
            float[] b = rows[rw[t]];
            p0 = p0.add(FloatVector.fromArray(S, b, j).mul(a));
            p1 = p1.add(FloatVector.fromArray(S, b, j + L).mul(a));
            p2 = p2.add(FloatVector.fromArray(S, b, j + 2 * L).mul(a));
            p3 = p3.add(FloatVector.fromArray(S, b, j + 3 * L).mul(a));
        }
        if (first) {
            p0.intoArray(g, go);
            p1.intoArray(g, go + L);
            p2.intoArray(g, go + 2 * L);
            p3.intoArray(g, go + 3 * L);
        } else {
            FloatVector.fromArray(S, g, go).add(p0).intoArray(g, go);
            FloatVector.fromArray(S, g, go + L).add(p1).intoArray(g, go + L);
            FloatVector.fromArray(S, g, go + 2 * L).add(p2).intoArray(g, go + 2 * L);
            FloatVector.fromArray(S, g, go + 3 * L).add(p3).intoArray(g, go + 3 * L);
        }
    }

    /** {@link #chunk8} with one vector. */
    private static void chunk1(float[] v, int[] rw, int cnt, float[][] rows, int j, float[] g, int go, boolean first) {
        FloatVector p = FloatVector.zero(S);
        for (int t = 0; t < cnt; t++) p = p.add(FloatVector.fromArray(S, rows[rw[t]], j).mul(FloatVector.broadcast(S, v[t])));
        if (first) p.intoArray(g, go);
        else FloatVector.fromArray(S, g, go).add(p).intoArray(g, go);
    }

    private static void strip1(float[] val, int[] row, int s, int e, float[] w, int off, int n, float[] out, int j) {
        FloatVector z = FloatVector.fromArray(S, out, j);
        for (int t = s; t < e; t++) z = z.add(FloatVector.fromArray(S, w, off + row[t] * n + j).mul(FloatVector.broadcast(S, val[t])));
        z.intoArray(out, j);
    }
}
