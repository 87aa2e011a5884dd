package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

/**
 * The float32 path of {@link Mlp} ({@link Gemm32}'s products on arrays of rows, zero groups skipped)
 * against its float64 path: same loss and gradient up to float32 rounding, for shapes that are not
 * multiples of the 4-term groups, several 16-row blocks and a partial one, and inputs that are
 * mostly zeros (as MNIST's pixels), so that the skipped groups are exercised.
 */
class MlpFloat32Test {

    static Dataset sparseData(int rows, int features, int classes, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[rows * features];
        int[] y = new int[rows];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() < 0.3 ? (float) (2 * r.nextDouble() - 1) : 0f;
        for (int i = 0; i < rows; i++) y[i] = r.nextInt(classes);
        return new Dataset("sparse", features, Dataset.numberedClasses(classes), x, y);
    }

    @ParameterizedTest(name = "{0} on {1} inputs, {2} rows")
    @CsvSource({"'mlp:13,7:relu', 23, 37", "'mlp:8,4:tanh', 16, 33", "mlp:5:sigmoid, 9, 17", "'mlp:24,16:relu', 40, 16", "softmax, 11, 5"})
    void float32GradientMatchesFloat64(String spec, int inputs, int rowCount) {
        Dataset d = sparseData(rowCount, inputs, 5, 3);
        Model m = Models.parse(spec, inputs, 5, 0);
        double[] p = new double[m.layout().size()];
        m.initialize(p, new Rng(9));
        Rng r = new Rng(4);
        float[] p32 = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            p32[i] = (float) (p[i] + 0.2 * (2 * r.nextDouble() - 1)); // biases off zero too
            p[i] = p32[i];
        }
        int[] rows = new int[rowCount];
        for (int i = 0; i < rowCount; i++) rows[i] = rowCount - 1 - i; // not the identity
        double[] g64 = new double[p.length];
        double loss64 = m.accumulate(p, d, rows, 0, rowCount, g64, m.newScratch());
        float[] g32 = new float[p.length];
        Object prep = m.prepare32(p32, null);
        double loss32 = m.accumulate32(prep, d, rows, 0, rowCount, g32, m.newScratch32());
        assertThat(loss32).isCloseTo(loss64, org.assertj.core.data.Offset.offset(1e-5 * rowCount));
        double scale = 0;
        for (double g : g64) scale = Math.max(scale, Math.abs(g));
        assertThat(scale).isGreaterThan(0.1);
        for (int i = 0; i < p.length; i++) {
            if (Math.abs(g32[i] - g64[i]) > 1e-5 * scale + 1e-5 * Math.abs(g64[i])) {
                throw new AssertionError("parameter " + i + ": float32 " + g32[i] + " vs float64 " + g64[i]);
            }
        }
        // the same inputs give the same bits, and a second call adds (not overwrites)
        float[] again = g32.clone();
        m.accumulate32(m.prepare32(p32, prep), d, rows, 0, rowCount, again, m.newScratch32());
        for (int i = 0; i < p.length; i++) assertThat(again[i]).isEqualTo(2 * g32[i], org.assertj.core.data.Offset.offset(1e-6f * (1 + Math.abs(g32[i]))));
    }

    @Test
    void float32PathRefusesForeignPreparedParameters() {
        Model a = Models.parse("mlp:4", 3, 2, 0), b = Models.parse("mlp:4", 3, 2, 0);
        Object prep = a.prepare32(new float[a.layout().size()], null);
        Dataset d = sparseData(4, 3, 2, 1);
        assertThatThrownBy(() -> b.accumulate32(prep, d, new int[] {0, 1}, 0, 2, new float[b.layout().size()], b.newScratch32()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prepared");
        assertThatThrownBy(() -> a.prepare32(new float[3], null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("params.length");
    }
}
