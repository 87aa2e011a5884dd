package org.rmsprop4j.train.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.rmsprop4j.kernel.VectorWidth;

/**
 * {@link Gemm32#addSparse} on the incubating Vector API, with the output row held in registers across all the terms:
 * for each strip of eight vectors of the row, {@code z = out[strip]}, then {@code z = z + a_t·b_t[strip]} for every term t in
 * order, then one store. Every element gets exactly the same roundings in the same order as the scalar loop (a float
 * product, then a float sum, never fused), so the bits are the same; only the loads and stores of {@code out}, which
 * the scalar passes repeat every four terms, are gone, and so are C2's scalar pre- and post-loops around each 128-column
 * pass. Measured on MNIST's first layer (784×128 weights, batches of 64 listed rows; {@code tools/bench/FirstLayerAB.java},
 * thread CPU time): 16.7 GMAC/s against 12.1 for the scalar passes.
 *
 * <p>Uses {@link VectorWidth#BITS} (as every other Vector API loop of the library, so a JVM never mixes two shapes of
 * one element type). Links only with {@code --add-modules jdk.incubator.vector}; {@link Mlp} probes for it.
 */
final class Gemm32Vector {
    private Gemm32Vector() {}

    private static final VectorSpecies<Float> S = VectorWidth.BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int L = S.length();

    /** Whether the JVM's vector width runs here (touches the incubator module: a LinkageError without it). */
    static boolean usable() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= VectorWidth.BITS;
    }

    /** As {@link Gemm32#addSparse}, same bits: {@code out[j] = ((out[j] + val[s]·rows[base + row[s]][j]) + …)} for {@code j < n}. */
    static void addSparse(float[] val, int[] row, int base, int s, int e, float[][] rows, float[] out, int n) {
        if (e <= s) return;
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) strip8(val, row, base, s, e, rows, out, j);
        for (; j + L <= n; j += L) strip1(val, row, base, s, e, rows, out, j);
        for (; j < n; j++) {
            float z = out[j];
            for (int t = s; t < e; t++) z = z + val[t] * rows[base + row[t]][j];
            out[j] = z;
        }
    }

    private static void strip8(float[] val, int[] row, int base, int s, int e, float[][] rows, float[] out, int j) {
        FloatVector z0 = FloatVector.fromArray(S, out, j), z1 = FloatVector.fromArray(S, out, j + L);
        FloatVector z2 = FloatVector.fromArray(S, out, j + 2 * L), z3 = FloatVector.fromArray(S, out, j + 3 * L);
        FloatVector z4 = FloatVector.fromArray(S, out, j + 4 * L), z5 = FloatVector.fromArray(S, out, j + 5 * L);
        FloatVector z6 = FloatVector.fromArray(S, out, j + 6 * L), z7 = FloatVector.fromArray(S, out, j + 7 * L);
        for (int t = s; t < e; t++) {
            FloatVector a = FloatVector.broadcast(S, val[t]);
            float[] b = rows[base + row[t]];
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

    private static void strip1(float[] val, int[] row, int base, int s, int e, float[][] rows, float[] out, int j) {
        FloatVector z = FloatVector.fromArray(S, out, j);
        for (int t = s; t < e; t++) z = z.add(FloatVector.fromArray(S, rows[base + row[t]], j).mul(FloatVector.broadcast(S, val[t])));
        z.intoArray(out, j);
    }
}
