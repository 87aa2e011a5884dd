package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

/**
 * The blocked {@link Mlp} against a plain row-by-row implementation written here, bit for bit
 * (EJML's rule: every fast variant has the simple loop as its oracle). 37 rows cross two block
 * boundaries and end in a partial block.
 */
class MlpReferenceTest {

    /** Row by row, the textbook way; same summation order per element as documented by Mlp. */
    static double reference(int[] sizes, Activation act, double[] p, Dataset d, int[] rows, double[] grad, int[] wOff, int[] bOff) {
        int last = sizes.length - 1;
        double loss = 0;
        for (int row : rows) {
            double[][] a = new double[sizes.length][];
            a[0] = new double[sizes[0]];
            for (int i = 0; i < sizes[0]; i++) a[0][i] = d.x()[row * sizes[0] + i];
            for (int l = 1; l <= last; l++) {
                a[l] = new double[sizes[l]];
                for (int j = 0; j < sizes[l]; j++) a[l][j] = p[bOff[l] + j];
                for (int i = 0; i < sizes[l - 1]; i++) {
                    for (int j = 0; j < sizes[l]; j++) a[l][j] += a[l - 1][i] * p[wOff[l] + i * sizes[l] + j];
                }
                if (l < last) for (int j = 0; j < sizes[l]; j++) a[l][j] = act.apply(a[l][j]);
            }
            double[] z = a[last];
            double max = z[0];
            for (double v : z) max = Math.max(max, v);
            int y = d.y()[row];
            double zl = z[y] - max, sum = 0;
            for (int c = 0; c < z.length; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            loss += -(zl - Math.log(sum));
            double[] delta = new double[z.length];
            for (int c = 0; c < z.length; c++) delta[c] = z[c] * (1.0 / sum);
            delta[y] -= 1.0;
            for (int l = last; l >= 1; l--) {
                for (int j = 0; j < sizes[l]; j++) grad[bOff[l] + j] += delta[j];
                for (int i = 0; i < sizes[l - 1]; i++) {
                    for (int j = 0; j < sizes[l]; j++) grad[wOff[l] + i * sizes[l] + j] += a[l - 1][i] * delta[j];
                }
                if (l > 1) {
                    double[] prev = new double[sizes[l - 1]];
                    for (int i = 0; i < sizes[l - 1]; i++) {
                        double acc = 0;
                        for (int j = 0; j < sizes[l]; j++) acc += p[wOff[l] + i * sizes[l] + j] * delta[j];
                        prev[i] = acc * act.derivativeFromOutput(a[l - 1][i]);
                    }
                    delta = prev;
                }
            }
        }
        return loss;
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "mlp:9:relu", "mlp:7,5:tanh", "mlp:6,4,3:sigmoid"})
    void blockedMlpEqualsTheRowByRowLoopBitForBit(String spec) {
        Dataset d = GradientCheckTest.randomData(37, 11, 4, 5);
        Mlp m = (Mlp) Models.parse(spec, 11, 4, 0);
        double[] p = new double[m.layout().size()];
        m.initialize(p, new Rng(9));
        Rng r = new Rng(2);
        for (int i = 0; i < p.length; i++) p[i] += 0.1 * (2 * r.nextDouble() - 1);
        int[] rows = new int[37];
        for (int i = 0; i < rows.length; i++) rows[i] = (i * 7) % 37; // a permutation, not the identity
        int[][] shape = shape(m, 11, 4);
        int[] sizes = shape[0], wOff = shape[1], bOff = shape[2];
        double[] gFast = new double[p.length], gRef = new double[p.length];
        double lFast = m.accumulate(p, d, rows, 0, rows.length, gFast, m.newScratch());
        double lRef = reference(sizes, m.activation(), p, d, rows, gRef, wOff, bOff);
        assertThat(Double.doubleToRawLongBits(lFast)).isEqualTo(Double.doubleToRawLongBits(lRef));
        for (int i = 0; i < p.length; i++) {
            assertThat(Double.doubleToRawLongBits(gFast[i])).as("gradient %d: %s vs %s", i, gFast[i], gRef[i])
                    .isEqualTo(Double.doubleToRawLongBits(gRef[i]));
        }
        double[] ev = m.evaluate(p, d, rows, 0, rows.length, m.newScratch());
        assertThat(ev[0]).isEqualTo(lRef);
    }

    /**
     * {@link Mlp#evaluate} leaves out the terms of zero inputs (and of ReLU's zero outputs); the loss and the number right
     * are still exactly the dense row-by-row loop's, with two thirds of the inputs +0 or −0.
     */
    @ParameterizedTest
    @ValueSource(strings = {"softmax", "mlp:9:relu", "mlp:7,5:tanh", "mlp:6,4,3:relu"})
    void evaluationSkippingZerosEqualsTheDenseLoop(String spec) {
        Dataset dense = GradientCheckTest.randomData(37, 11, 4, 6);
        float[] x = dense.x().clone();
        Rng z = new Rng(4);
        int zeros = 0;
        for (int i = 0; i < x.length; i++) {
            double u = z.nextDouble();
            if (u < 0.67) {
                x[i] = u < 0.2 ? -0f : 0f;
                zeros++;
            }
        }
        assertThat(zeros).isGreaterThan(x.length / 2);
        Dataset d = new Dataset("sparse", 11, Dataset.numberedClasses(4), x, dense.y());
        Mlp m = (Mlp) Models.parse(spec, 11, 4, 0);
        double[] p = new double[m.layout().size()];
        m.initialize(p, new Rng(3));
        int[] rows = new int[37];
        for (int i = 0; i < rows.length; i++) rows[i] = (i * 5) % 37;
        int[][] shape = shape(m, 11, 4);
        int[] sizes = shape[0], wOff = shape[1], bOff = shape[2];
        double lossRef = 0;
        int right = 0;
        for (int row : rows) { // the dense loop, one row at a time, with its predictions
            double l = reference(sizes, m.activation(), p, d, new int[] {row}, new double[p.length], wOff, bOff);
            lossRef += l;
            right += predicted(sizes, m.activation(), p, d, row, wOff, bOff) == d.y()[row] ? 1 : 0;
        }
        double[] ev = m.evaluate(p, d, rows, 0, rows.length, m.newScratch());
        assertThat(Double.doubleToRawLongBits(ev[0])).as("loss %s vs %s", ev[0], lossRef).isEqualTo(Double.doubleToRawLongBits(lossRef));
        assertThat(ev[1]).isEqualTo(right);
    }

    /** The layer sizes of {@code m} (inputs, hidden widths, classes) and each layer's weight and bias offsets in its layout. */
    private static int[][] shape(Mlp m, int inputs, int classes) {
        int[] sizes = new int[m.hidden().length + 2];
        sizes[0] = inputs;
        System.arraycopy(m.hidden(), 0, sizes, 1, m.hidden().length);
        sizes[sizes.length - 1] = classes;
        int[] wOff = new int[sizes.length], bOff = new int[sizes.length];
        for (int l = 1; l < sizes.length; l++) {
            wOff[l] = m.layout().param("w" + l).offset();
            bOff[l] = m.layout().param("b" + l).offset();
        }
        return new int[][] {sizes, wOff, bOff};
    }

    /** The dense loop's class for one row (the first of the largest outputs). */
    private static int predicted(int[] sizes, Activation act, double[] p, Dataset d, int row, int[] wOff, int[] bOff) {
        double[] a = new double[sizes[0]];
        for (int i = 0; i < sizes[0]; i++) a[i] = d.x()[row * sizes[0] + i];
        for (int l = 1; l < sizes.length; l++) {
            double[] o = new double[sizes[l]];
            for (int j = 0; j < sizes[l]; j++) o[j] = p[bOff[l] + j];
            for (int i = 0; i < sizes[l - 1]; i++) for (int j = 0; j < sizes[l]; j++) o[j] += a[i] * p[wOff[l] + i * sizes[l] + j];
            if (l < sizes.length - 1) for (int j = 0; j < sizes[l]; j++) o[j] = act.apply(o[j]);
            a = o;
        }
        int best = 0;
        for (int c = 1; c < a.length; c++) if (a[c] > a[best]) best = c;
        return best;
    }
}
