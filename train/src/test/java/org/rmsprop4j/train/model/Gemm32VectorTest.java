package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;

/**
 * {@link Gemm32Vector} (the first layer's sums on the Vector API, output row held in registers) against the scalar passes
 * of {@link Gemm32}, bit for bit: the kernel on widths around the vector strips and on special values, and the whole
 * chunk pass, staged first layer and gradient of {@link Mlp} with the vector products on and off, on MNIST rows and on
 * random sparse and dense data of odd sizes (rows with no non-zero input, an input present in every row).
 */
class Gemm32VectorTest {

    @BeforeAll
    static void vectorModulePresent() {
        // the build runs the tests with --add-modules jdk.incubator.vector; a machine without AVX2 keeps the scalar loops
        assumeTrue(Gemm32.vectorAvailable(), "jdk.incubator.vector at a usable width");
    }

    @Test
    void theKernelGivesTheBitsOfTheScalarPassesAtEveryWidth() {
        Rng r = new Rng(21);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f, 3e38f};
        int rowsN = 40;
        for (int n : new int[] {1, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129, 135, 153, 256, 300}) {
            for (int terms = 0; terms <= 11; terms++) {
                for (boolean withSpecials : new boolean[] {false, true}) {
                    float[][] w = new float[rowsN][n];
                    for (float[] wr : w) for (int j = 0; j < n; j++) wr[j] = pick(r, special, withSpecials);
                    // the same rows flat, as the first layer's weights sit in the parameters: from an offset, row after row
                    int off = 3;
                    float[] flat = new float[off + rowsN * n + 5];
                    for (int i = 0; i < rowsN; i++) System.arraycopy(w[i], 0, flat, off + i * n, n);
                    float[] val = new float[terms + 3];
                    int[] row = new int[terms + 3];
                    for (int t = 0; t < val.length; t++) {
                        val[t] = pick(r, special, withSpecials);
                        row[t] = r.nextInt(rowsN - 2);
                    }
                    float[] out0 = new float[n];
                    for (int j = 0; j < n; j++) out0[j] = pick(r, special, withSpecials);
                    float[] want = out0.clone(), got = out0.clone(), byRows = out0.clone(), byFlat = out0.clone();
                    Gemm32.addSparse(val, row, 3, 3 + terms, flat, off + 2 * n, want, n);
                    Gemm32Vector.addSparse(val, row, 3, 3 + terms, flat, off + 2 * n, got, n);
                    // and the scalar passes against the definition, term by term from the rows as arrays (row[t] + 2: the offset's 2 rows)
                    float[] naive = out0.clone();
                    for (int t = 3; t < 3 + terms; t++) for (int j = 0; j < n; j++) naive[j] = naive[j] + val[t] * w[row[t] + 2][j];
                    for (int j = 0; j < n; j++) {
                        if (Float.floatToIntBits(naive[j]) != Float.floatToIntBits(want[j])) {
                            throw new AssertionError("Gemm32.addSparse, width " + n + ", " + terms + " terms: element " + j + " is " + want[j] + ", term by term " + naive[j]);
                        }
                    }
                    // addRows reading the flat rows against the same rows as arrays: the same bits (row[t] as the index list)
                    float[] coef = new float[rowsN];
                    for (int i = 0; i < rowsN; i++) coef[i] = pick(r, special, withSpecials);
                    Gemm32.addRows(coef, 0, w, row, 3, terms, byRows, n);
                    Gemm32.addRowsFlat(coef, 0, flat, off, row, 3, terms, byFlat, n);
                    for (int j = 0; j < n; j++) {
                        if (Float.floatToIntBits(byRows[j]) != Float.floatToIntBits(byFlat[j])) {
                            throw new AssertionError("addRowsFlat, width " + n + ", " + terms + " terms: element " + j + " is " + byFlat[j] + ", by rows " + byRows[j]);
                        }
                    }
                    // the later layers' kernels against the scalar passes: addRows (index list from 0) and a gradient row's chunk
                    int[] idx0 = Arrays.copyOfRange(row, 3, 3 + terms);
                    float[] laterWant = out0.clone(), laterGot = out0.clone();
                    Gemm32.addRows(coef, w, idx0, terms, laterWant, n);
                    Gemm32Vector.addRows(coef, w, idx0, terms, laterGot, n);
                    sameBits(laterWant, 0, laterGot, 0, n, "Gemm32Vector.addRows, width " + n + ", " + terms + " terms, specials " + withSpecials);
                    if (terms > 0) {
                        for (boolean first : new boolean[] {true, false}) {
                            float[] acc = out0.clone(), tmp = new float[n], zero = new float[n];
                            float[] g = new float[n + 4];
                            System.arraycopy(out0, 0, g, 2, n);
                            Gemm32.addColumn(val, idx0, 0, 0, terms, w, zero, tmp, acc, n, first);
                            Gemm32Vector.addColumn(val, idx0, terms, w, g, 2, n, first);
                            sameBits(acc, 0, g, 2, n, "Gemm32Vector.addColumn, width " + n + ", " + terms + " terms, first " + first + ", specials " + withSpecials);
                        }
                    }
                    for (int j = 0; j < n; j++) { // every bit, but any NaN equals any NaN: Java leaves a NaN's payload and sign open, C2 too
                        if (Float.floatToIntBits(want[j]) != Float.floatToIntBits(got[j])) {
                            throw new AssertionError("width " + n + ", " + terms + " terms, specials " + withSpecials + ": element " + j + " is " + got[j]
                                    + ", the scalar passes give " + want[j]);
                        }
                    }
                    if (terms > 0 && !withSpecials) assertThat(got).as("the terms were added").isNotEqualTo(out0);
                }
            }
        }
    }

    /** {@code want[wo ..]} and {@code got[go ..]} have the same bits over n elements (any NaN equals any NaN). */
    private static void sameBits(float[] want, int wo, float[] got, int go, int n, String what) {
        for (int j = 0; j < n; j++) {
            if (Float.floatToIntBits(want[wo + j]) != Float.floatToIntBits(got[go + j])) {
                throw new AssertionError(what + ": element " + j + " is " + got[go + j] + ", the scalar pass gives " + want[wo + j]);
            }
        }
    }

    /**
     * On JDK 17, C2 sometimes keeps Vector API values on the heap (docs/speed-history.md, "8-bit state: one vector width"), which makes a
     * loop many times slower. Once compiled, the two loops must not allocate: checked over the last three of eight rounds
     * (the earlier ones run interpreted and allocate), failing only if all three allocate, so that a late compile under
     * load does not fail it.
     */
    @Test
    void theCompiledLoopsAllocateNothing() {
        var tm = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(tm.isThreadAllocatedMemorySupported() && tm.isThreadAllocatedMemoryEnabled(), "per-thread allocation counts");
        Rng r = new Rng(3);
        int n = 128, rowsN = 300, terms = 150, chunks = 4, cs = 16;
        float[] w = new float[rowsN * n];
        float[][] d = new float[chunks * cs][n];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextDouble();
        for (float[] x : d) for (int j = 0; j < n; j++) x[j] = (float) (r.nextDouble() - 0.5);
        float[] val = new float[terms], out = new float[n], grad = new float[3 * n];
        int[] row = new int[terms];
        for (int t = 0; t < terms; t++) {
            val[t] = (float) r.nextDouble();
            row[t] = r.nextInt(rowsN);
        }
        float[][] ev = new float[chunks][8];
        int[][] er = new int[chunks][8], start = new int[chunks][];
        for (int c = 0; c < chunks; c++) {
            start[c] = new int[] {0, 2 + c};
            for (int t = 0; t < 8; t++) {
                ev[c][t] = (float) r.nextDouble();
                er[c][t] = r.nextInt(cs);
            }
        }
        long[] perCall = new long[8];
        for (int round = 0; round < perCall.length; round++) {
            long b0 = tm.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < 10_000; k++) {
                Gemm32Vector.addSparse(val, row, 0, terms, w, 0, out, n);
                Gemm32Vector.columnGradient(ev, er, start, 0, chunks, cs, d, 64f, grad, n, n);
                Gemm32Vector.columnGradient(ev, er, start, 0, chunks, cs, d, 37f, grad, 2 * n, n);
                // the later layers' kernels at MNIST's widths: 64 columns (four vectors at 512 bits), 128 and 10
                Gemm32Vector.addRows(val, d, er[0], 8, out, 64);
                Gemm32Vector.addRows(val, d, er[1], 8, out, n);
                Gemm32Vector.addRows(val, d, er[2], 8, out, 10);
                Gemm32Vector.addColumn(val, er[3], 8, d, grad, 0, 64, (k & 1) == 0);
                Gemm32Vector.addColumn(val, er[3], 8, d, grad, 0, 10, false);
            }
            perCall[round] = (tm.getCurrentThreadAllocatedBytes() - b0) / 10_000;
        }
        assertThat(grad[n]).as("a gradient was written").isNotZero();
        assertThat(Math.min(perCall[5], Math.min(perCall[6], perCall[7]))).as("bytes per call, by round: " + Arrays.toString(perCall)).isLessThan(16);
    }

    /**
     * {@link Gemm32Vector#columnChunk} for chunks 0, 1, … and then {@link Gemm32Vector#columnFinish}, and
     * {@link Gemm32Vector#columnGradient}, against the documented sums written out in scalar code, bit for bit, at widths that take the 8-vector path at 512 and 256 bits (128, the
     * MNIST MLP's first layer; 259, 131 and 67 with a tail) and one that does not (7), with chunks that have no entry in the column (first, middle, last, all),
     * specials among the terms (NaNs compared as Java's canonical NaN), and divisors 1, 64 (a power of two), 37, 0 and NaN.
     */
    @Test
    void theColumnSummedChunkByChunkHasTheDocumentedBits() {
        assumeTrue(Gemm32.vectorAvailable(), "jdk.incubator.vector at a usable width");
        Rng r = new Rng(17);
        int cs = 5, chunks = 5;
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL, 1e30f, -1e30f, Float.NaN, Float.POSITIVE_INFINITY};
        for (int n : new int[] {128, 259, 131, 67, 7}) { // 8 vectors of 16 or 8 lanes, with and without a tail
            for (int empty = 0; empty <= chunks + 1; empty++) { // the chunk without entries: 0 .. chunks-1, none (chunks), all (chunks + 1)
                for (boolean specials : new boolean[] {false, true}) {
                    float[][] d = new float[chunks * cs][n];
                    for (float[] x : d) for (int j = 0; j < n; j++) x[j] = pick(r, special, specials);
                    float[][] ev = new float[chunks][];
                    int[][] er = new int[chunks][], start = new int[chunks][];
                    for (int c = 0; c < chunks; c++) {
                        int cnt = empty == c || empty == chunks + 1 ? 0 : 1 + r.nextInt(9);
                        ev[c] = new float[cnt];
                        er[c] = new int[cnt];
                        start[c] = new int[] {0, cnt}; // column 0's entries are all of them
                        for (int t = 0; t < cnt; t++) {
                            ev[c][t] = pick(r, special, specials);
                            er[c][t] = r.nextInt(cs);
                        }
                    }
                    for (float divisor : new float[] {1f, 64f, 37f, 0f, Float.NaN}) {
                        float[] want = new float[n + 3], byChunk = new float[n + 3], whole = new float[n + 3];
                        Arrays.fill(byChunk, 12345f); // stale values: the first chunk with entries must start the sum
                        Arrays.fill(whole, 12345f);
                        referenceColumn(ev, er, start, chunks, cs, d, divisor, want, 3, n);
                        for (int c = 0; c < chunks; c++) Gemm32Vector.columnChunk(ev, er, start, 0, c, cs, d, byChunk, 3, n);
                        Gemm32Vector.columnFinish(start, 0, chunks, divisor, byChunk, 3, n);
                        Gemm32Vector.columnGradient(ev, er, start, 0, chunks, cs, d, divisor, whole, 3, n);
                        String what = "width " + n + ", empty chunk " + empty + ", specials " + specials + ", divisor " + divisor;
                        int[] expected = bits(Arrays.copyOfRange(want, 3, n + 3));
                        assertThat(bits(Arrays.copyOfRange(byChunk, 3, n + 3))).as("by chunks, " + what).containsExactly(expected);
                        assertThat(bits(Arrays.copyOfRange(whole, 3, n + 3))).as("whole column, " + what).containsExactly(expected);
                    }
                }
            }
        }
    }

    /**
     * Column 0's gradient as {@link Gemm32Vector#columnGradient} documents it, one value at a time: per chunk with entries,
     * {@code p = ((+0 + t₀) + t₁) + …}; the first such chunk's p, then {@code + p} for the next; then divided (by the exact
     * reciprocal for a normal power of two); {@code 0 / divisor} when no chunk has an entry.
     */
    private static void referenceColumn(float[][] val, int[][] row, int[][] colStart, int chunks, int cs, float[][] rows, float divisor,
            float[] out, int o, int n) {
        int bits = Float.floatToRawIntBits(divisor), exp = (bits >>> 23) & 0xff;
        boolean byReciprocal = (bits & 0x007fffff) == 0 && exp != 0 && exp != 0xff;
        for (int j = 0; j < n; j++) {
            float acc = 0f;
            boolean any = false;
            for (int c = 0; c < chunks; c++) {
                if (colStart[c][0] == colStart[c][1]) continue;
                float p = 0f;
                for (int t = colStart[c][0]; t < colStart[c][1]; t++) p = p + val[c][t] * rows[c * cs + row[c][t]][j];
                acc = any ? acc + p : p;
                any = true;
            }
            if (!any) out[o + j] = 0f / divisor;
            else if (divisor == 1f) out[o + j] = acc;
            else out[o + j] = byReciprocal ? acc * (1f / divisor) : acc / divisor;
        }
    }

    /** The bits, every NaN as Java's canonical one: a NaN's sign and payload depend on the operand order C2 picks for a commutative add. */
    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToIntBits(x[i]);
        return b;
    }

    private static float pick(Rng r, float[] special, boolean withSpecials) {
        if (withSpecials && r.nextDouble() < 0.2) return special[r.nextInt(special.length)];
        return (float) ((2 * r.nextDouble() - 1) * Math.pow(10, r.nextInt(7) - 3));
    }

    /** Rows 0 and 5 have no non-zero input; input 2 is non-zero in every other row. */
    static Dataset oddSparse(int rows, int inputs, boolean dense) {
        Dataset d = MlpFloat32Test.sparseData(rows, inputs, 5, 31);
        float[] x = d.x().clone();
        for (int q = 0; q < rows; q++) {
            for (int i = 0; i < inputs; i++) {
                int k = q * inputs + i;
                if (q == 0 || q == 5) x[k] = 0f;
                else if (i == 2) x[k] = 0.5f + 0.01f * q;
                else if (dense && x[k] == 0f && k % 7 != 0) x[k] = -0.02f * (k % 5 + 1);
            }
        }
        return new Dataset(dense ? "dense" : "sparse", inputs, d.classNames(), x, d.y());
    }

    @ParameterizedTest(name = "{0} on {1} inputs, {2} rows, dense {3}")
    @CsvSource({"'mlp:153,9:relu', 41, 37, false", "'mlp:135:tanh', 29, 21, false", "'mlp:17,5:relu', 23, 37, true", "'mlp:7:sigmoid', 30, 19, false",
            "softmax, 11, 9, false"})
    void theModelGivesTheSameBitsWithTheVectorProductsOnAndOff(String spec, int inputs, int rows, boolean dense) {
        compareOnOff(Models.parse(spec, inputs, 5, 0), oddSparse(rows, inputs, dense), rows, 8);
    }

    @Test
    void mnistRowsGiveTheSameBitsWithTheVectorProductsOnAndOff() throws java.io.IOException {
        Dataset train = Datasets.mnist10k().scaled(1.0 / 255).train();
        Model m = Models.parse("mlp:128,64:relu", train.features(), train.classes(), 0);
        compareOnOff(m, train, 64, 16); // the mean's divisor a power of two (a product with its reciprocal) ...
        compareOnOff(m, train, 37, 16); // ... and not (a division), with a part chunk
    }

    /**
     * Chunk passes, then the staged first layer on 1–3 stages, each with the vector products off, on, and on for the first layer
     * only ({@link Gemm32#laterVectorProducts} off): the same loss and gradient bits.
     */
    private static void compareOnOff(Model m, Dataset d, int rows, int cs) {
        float[] p32 = new float[m.layout().size()];
        Rng r = new Rng(5);
        for (int i = 0; i < p32.length; i++) p32[i] = (float) (0.2 * (2 * r.nextDouble() - 1));
        int[] order = new int[rows + 2];
        for (int i = 0; i < order.length; i++) order[i] = (i * 13 + 1) % rows;
        int from = 2, to = rows + 2, chunks = (to - from + cs - 1) / cs;
        Object prep = m.prepare32(p32, null);
        boolean saved = Gemm32.vectorProducts, savedLater = Gemm32.laterVectorProducts;
        float[] ref = null;
        double refLoss = 0;
        try {
            for (int stages = 0; stages <= 3; stages++) {
                for (int mode = 0; mode < 3; mode++) { // scalar; vector; vector for the first layer only
                    boolean vec = mode > 0;
                    Gemm32.vectorProducts = vec;
                    Gemm32.laterVectorProducts = mode == 1;
                    Object batch = m.newBatch32(to - from, cs, 2), scratch = m.newScratch32();
                    for (int qa = 0; stages > 0 && qa < to - from; qa += 8) {
                        for (int s = 0; s < stages; s++) m.firstLayerStage32(prep, d, order, from, to, qa, Math.min(to - from, qa + 8), s, stages, batch, scratch);
                    }
                    double loss = 0;
                    for (int c = 0; c < chunks; c++) {
                        loss += stages == 0 ? m.chunkPass32(prep, d, order, from, to, c, batch, scratch) : m.restPass32(prep, d, order, from, to, c, batch, scratch);
                    }
                    float[] g = new float[p32.length];
                    Arrays.fill(g, Float.NaN);
                    m.gradientPart32(batch, to - from, 0, 2, to - from, g);
                    m.gradientPart32(batch, to - from, 1, 2, to - from, g);
                    String what = (mode == 0 ? "scalar" : mode == 1 ? "vector" : "vector first layer only") + ", " + stages + " stages";
                    if (ref == null) {
                        ref = g;
                        refLoss = loss;
                        assertThat(loss).isPositive();
                        assertThat(g).as("a gradient was written").isNotEqualTo(new float[g.length]);
                    } else {
                        assertThat(loss).as(what).isEqualTo(refLoss);
                        MlpBatch32Test.assertSameBits(ref, g, what);
                    }
                }
            }
        } finally {
            Gemm32.vectorProducts = saved;
            Gemm32.laterVectorProducts = savedLater;
        }
    }
}
