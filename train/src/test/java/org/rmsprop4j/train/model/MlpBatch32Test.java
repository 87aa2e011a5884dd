package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

/**
 * The fused batch path of {@link Mlp} ({@code chunkPass32} then {@code gradientPart32}) against its
 * definition: each chunk's {@link Mlp#accumulate32} from zero, summed in chunk order ({@code g = g₀;
 * g += g₁; …}), which is what the trainer's chunk buffers and the spark module's executors compute.
 * Bit for bit, for every split into parts, chunk sizes that do and do not divide the batch, a batch
 * smaller than the working memory, inputs with zeros and negative values, and every activation.
 */
class MlpBatch32Test {

    /** Chunk-buffer reference: per chunk accumulate32 into zeros, then g0 += g_c in order; loss likewise. */
    static double reference(Model m, Object prep, Dataset d, int[] rows, int from, int to, int cs, float[] out) {
        int n = out.length, chunks = (to - from + cs - 1) / cs;
        float[][] g = new float[chunks][n];
        double[] loss = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            int a = from + c * cs, b = Math.min(to, a + cs);
            loss[c] = m.accumulate32(prep, d, rows, a, b, g[c], m.newScratch32());
        }
        double l = loss[0];
        for (int c = 1; c < chunks; c++) {
            for (int i = 0; i < n; i++) g[0][i] += g[c][i];
            l += loss[c];
        }
        System.arraycopy(g[0], 0, out, 0, n);
        return l;
    }

    static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", the chunk sum gives " + expected[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} inputs, batch {2} of capacity {3}, chunks of {4}")
    @CsvSource({"'mlp:13,7:relu', 23, 37, 40, 5", "'mlp:13,7:relu', 23, 37, 37, 16", "'mlp:20,9:relu', 30, 64, 64, 16",
            "'mlp:8,4:tanh', 16, 33, 64, 1", "mlp:5:sigmoid, 9, 17, 17, 23", "softmax, 11, 29, 32, 4"})
    void fusedBatchGivesTheBitsOfTheChunkSum(String spec, int inputs, int batchRows, int capacity, int cs) {
        Dataset d = MlpFloat32Test.sparseData(70, inputs, 5, 11);
        Model m = Models.parse(spec, inputs, 5, 0);
        double[] p = new double[m.layout().size()];
        m.initialize(p, new Rng(2));
        Rng r = new Rng(8);
        float[] p32 = new float[p.length];
        for (int i = 0; i < p.length; i++) p32[i] = (float) (p[i] + 0.3 * (2 * r.nextDouble() - 1));
        int[] rows = new int[70];
        for (int i = 0; i < rows.length; i++) rows[i] = (i * 17 + 3) % 70;
        int from = 70 - batchRows, to = 70;
        Object prep = m.prepare32(p32, null);
        float[] want = new float[p.length];
        double wantLoss = reference(m, prep, d, rows, from, to, cs, want);
        assertThat(wantLoss).isPositive();

        Object batch = m.newBatch32(capacity, cs, 8);
        // a first, different batch leaves its rows behind in the working memory; the second must not see them
        int chunks = (batchRows + cs - 1) / cs;
        for (int c = 0; c < chunks; c++) m.chunkPass32(prep, d, rows, 0, batchRows, c, batch, m.newScratch32());
        double loss = 0;
        Object scratch = m.newScratch32();
        for (int c = 0; c < chunks; c++) loss += m.chunkPass32(prep, d, rows, from, to, c, batch, scratch);
        assertThat(loss).isEqualTo(wantLoss);
        for (int parts : new int[] {1, 3, 8}) {
            float[] got = new float[p.length];
            java.util.Arrays.fill(got, Float.NaN); // overwritten, not added to
            for (int q = parts - 1; q >= 0; q--) m.gradientPart32(batch, batchRows, q, parts, 1f, got);
            assertSameBits(want, got, parts + " parts");
        }
        // the mean, as the trainer asks for it: each element of the sum divided by the row count
        float[] mean = new float[p.length], wantMean = new float[p.length];
        for (int i = 0; i < p.length; i++) wantMean[i] = want[i] / batchRows;
        for (int q = 0; q < 3; q++) m.gradientPart32(batch, batchRows, q, 3, batchRows, mean);
        assertSameBits(wantMean, mean, "mean");
    }

    @ParameterizedTest(name = "{0}, chunks of {1}")
    @CsvSource({"'mlp:13,7:relu', 5", "'mlp:20,9:relu', 16", "softmax, 4"})
    void listedRowsSortedFromTheirListsGiveTheBitsOfTheCopy(String spec, int cs) {
        int inputs = 23, rows = 37;
        Dataset d = MlpFloat32Test.sparseData(rows, inputs, 5, 6); // 30% non-zero: listed
        Mlp m = (Mlp) Models.parse(spec, inputs, 5, 0);
        float[] p32 = new float[m.layout().size()];
        Rng r = new Rng(12);
        for (int i = 0; i < p32.length; i++) p32[i] = (float) (2 * r.nextDouble() - 1);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = (i * 11 + 5) % rows;
        Object prep = m.prepare32(p32, null);
        float[][] grads = new float[2][p32.length];
        double[] loss = new double[2];
        for (int k = 0; k < 2; k++) {
            Object batch = m.newBatch32(rows, cs, 2), scratch = m.newScratch32();
            for (int c = 0; c * cs < rows; c++) loss[k] += m.chunkPass32(prep, d, order, 0, rows, c, batch, scratch, k == 1, false);
            m.gradientPart32(batch, rows, 0, 2, rows, grads[k]);
            m.gradientPart32(batch, rows, 1, 2, rows, grads[k]);
        }
        assertThat(loss[1]).isEqualTo(loss[0]).isPositive();
        assertSameBits(grads[0], grads[1], "sorted from the lists");
        assertThat(grads[1]).as("a gradient was written").isNotEqualTo(new float[p32.length]);
    }

    @ParameterizedTest(name = "{0}, {1} stages, blocks of {2}, dense {3}")
    @CsvSource({"'mlp:13,7:relu', 1, 8, false", "'mlp:13,7:relu', 2, 8, false", "'mlp:13,7:relu', 3, 5, false", "'mlp:13,7:relu', 2, 8, true",
            "'mlp:8,4:tanh', 3, 4, true", "softmax, 2, 3, false"})
    void theStagedFirstLayerGivesTheBitsOfTheChunkPass(String spec, int stages, int block, boolean dense) {
        int inputs = 23, rows = 37, cs = 8;
        Dataset sparse = MlpFloat32Test.sparseData(rows, inputs, 5, 6), d = sparse; // 30% non-zero: listed
        if (dense) { // every input non-zero but a few: rows listed as they come
            float[] x = sparse.x().clone();
            for (int i = 0; i < x.length; i++) if (x[i] == 0f && i % 5 != 0) x[i] = 0.01f * (i % 7 + 1);
            d = new Dataset("dense", inputs, sparse.classNames(), x, sparse.y());
        }
        Model m = Models.parse(spec, inputs, 5, 0);
        float[] p32 = new float[m.layout().size()];
        Rng r = new Rng(13);
        for (int i = 0; i < p32.length; i++) p32[i] = (float) (2 * r.nextDouble() - 1);
        int[] order = new int[rows + 3];
        for (int i = 0; i < order.length; i++) order[i] = (i * 7 + 2) % rows;
        int from = 3, to = rows + 3, chunks = (to - from + cs - 1) / cs;
        Object prep = m.prepare32(p32, null);
        float[][] grads = new float[2][p32.length];
        double[] loss = new double[2];
        for (int k = 0; k < 2; k++) {
            Object batch = m.newBatch32(to - from, cs, 2), scratch = m.newScratch32();
            if (k == 1) { // stages by blocks, the later stages first where they may go, as threads would
                for (int qa = 0; qa < to - from; qa += block) {
                    for (int s = 0; s < stages; s++) m.firstLayerStage32(prep, d, order, from, to, qa, Math.min(to - from, qa + block), s, stages, batch, scratch);
                }
            }
            for (int c = 0; c < chunks; c++) {
                loss[k] += k == 0 ? m.chunkPass32(prep, d, order, from, to, c, batch, scratch) : m.restPass32(prep, d, order, from, to, c, batch, scratch);
            }
            m.gradientPart32(batch, to - from, 0, 2, to - from, grads[k]);
            m.gradientPart32(batch, to - from, 1, 2, to - from, grads[k]);
        }
        assertThat(loss[1]).isEqualTo(loss[0]).isPositive();
        assertSameBits(grads[0], grads[1], stages + " stages");
        Object batch = m.newBatch32(to - from, cs, 2);
        Dataset data = d;
        assertThatThrownBy(() -> m.firstLayerStage32(prep, data, order, from, to, 0, 8, stages, stages, batch, m.newScratch32())).hasMessageContaining("stage");
        assertThatThrownBy(() -> m.firstLayerStage32(prep, data, order, from, to, 5, 5, 0, stages, batch, m.newScratch32())).hasMessageContaining("positions");
    }

    @ParameterizedTest(name = "{0}, {1} parts")
    @CsvSource({"'mlp:13,7:relu', 1", "'mlp:13,7:relu', 5", "'mlp:20,9:relu', 16", "softmax, 3"})
    void eachPartNamesExactlyTheElementsItWrites(String spec, int parts) {
        int inputs = 23, rows = 20;
        Dataset d = MlpFloat32Test.sparseData(rows, inputs, 5, 3);
        Model m = Models.parse(spec, inputs, 5, 0);
        int n = m.layout().size();
        float[] p32 = new float[n];
        Rng r = new Rng(4);
        for (int i = 0; i < n; i++) p32[i] = (float) (2 * r.nextDouble() - 1);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        Object prep = m.prepare32(p32, null), batch = m.newBatch32(rows, 8, parts);
        for (int c = 0; c < 3; c++) m.chunkPass32(prep, d, order, 0, rows, c, batch, m.newScratch32());
        int[] owner = new int[n], out = new int[4 * m.layout().params().size()];
        java.util.Arrays.fill(owner, -1);
        for (int q = 0; q < parts; q++) {
            float[] g = new float[n];
            java.util.Arrays.fill(g, Float.NaN);
            m.gradientPart32(batch, rows, q, parts, rows, g);
            boolean[] named = new boolean[n];
            int k = m.gradientPartRanges(q, parts, out);
            assertThat(k).isPositive();
            for (int t = 0; t < k; t++) {
                for (int i = out[2 * t]; i < out[2 * t] + out[2 * t + 1]; i++) {
                    assertThat(owner[i]).as("element %d named by parts %d and %d", i, owner[i], q).isEqualTo(-1);
                    owner[i] = q;
                    named[i] = true;
                }
            }
            for (int i = 0; i < n; i++) assertThat(Float.isNaN(g[i])).as("part %d, element %d written: %s", q, i, !named[i]).isEqualTo(!named[i]);
        }
        assertThat(owner).doesNotContain(-1);
        assertThatThrownBy(() -> m.gradientPartRanges(parts, parts, out)).hasMessageContaining("part");
        assertThatThrownBy(() -> m.gradientPartRanges(0, parts, new int[1])).hasMessageContaining("out.length");
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        Model m = Models.parse("mlp:4", 3, 2, 0), other = Models.parse("mlp:4", 3, 2, 0);
        Object batch = m.newBatch32(8, 4, 2);
        float[] g = new float[m.layout().size()];
        assertThatThrownBy(() -> other.gradientPart32(batch, 8, 0, 1, 1f, g)).hasMessageContaining("batch");
        assertThatThrownBy(() -> m.gradientPart32(batch, 9, 0, 1, 1f, g)).hasMessageContaining("batchRows").hasMessageContaining("9");
        assertThatThrownBy(() -> m.gradientPart32(batch, 8, 2, 2, 1f, g)).hasMessageContaining("part");
        assertThatThrownBy(() -> m.gradientPart32(batch, 8, 0, 3, 1f, g)).hasMessageContaining("parts <= 2");
        assertThatThrownBy(() -> m.gradientPart32(batch, 8, 0, 1, 1f, new float[3])).hasMessageContaining("grad.length");
        assertThatThrownBy(() -> m.newBatch32(0, 4, 1)).hasMessageContaining("rows");
        Dataset d = MlpFloat32Test.sparseData(8, 3, 2, 1);
        Object prep = m.prepare32(new float[m.layout().size()], null);
        assertThatThrownBy(() -> m.chunkPass32(prep, d, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0, 8, 2, batch, m.newScratch32()))
                .hasMessageContaining("chunk");
    }
}
