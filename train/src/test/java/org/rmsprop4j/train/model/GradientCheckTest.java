package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

/** Every model's analytic gradient against central finite differences, in float64. */
class GradientCheckTest {

    static Dataset randomData(int rows, int features, int classes, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[rows * features];
        int[] y = new int[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        for (int i = 0; i < rows; i++) y[i] = r.nextInt(classes);
        y[0] = 0;
        y[1] = classes - 1;
        return new Dataset("random", features, Dataset.numberedClasses(classes), x, y);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("softmax", 3, 0.0),
                Arguments.of("softmax", 4, 0.3),
                Arguments.of("logistic", 2, 0.0),
                Arguments.of("logistic", 2, 0.2),
                Arguments.of("mlp:6,5", 3, 0.0),
                Arguments.of("mlp:6,5:tanh", 3, 0.1),
                Arguments.of("mlp:7:sigmoid", 4, 0.0),
                Arguments.of("mlp:4,3,5:relu", 3, 0.05));
    }

    /** Loss as the trainer defines it: mean over rows + penalty. */
    static double objective(Model m, double[] p, Dataset d, int[] rows) {
        double[] g = new double[p.length];
        double loss = m.accumulate(p, d, rows, 0, rows.length, g, m.newScratch()) / rows.length;
        return loss + m.addPenalty(p, new double[p.length]);
    }

    @ParameterizedTest(name = "{0} classes={1} l2={2}")
    @MethodSource("models")
    void analyticGradientMatchesFiniteDifferences(String spec, int classes, double l2) {
        Dataset d = randomData(9, 5, classes, 7);
        Model m = Models.parse(spec, 5, classes, l2);
        double[] p = new double[m.layout().size()];
        m.initialize(p, new Rng(3));
        Rng r = new Rng(11);
        for (int i = 0; i < p.length; i++) p[i] += 0.3 * (2 * r.nextDouble() - 1); // biases too, off zero
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        double[] g = new double[p.length];
        m.accumulate(p, d, rows, 0, rows.length, g, m.newScratch());
        for (int i = 0; i < g.length; i++) g[i] /= rows.length;
        m.addPenalty(p, g);
        double worst = 0;
        for (int i = 0; i < p.length; i++) {
            double h = 1e-6, old = p[i];
            p[i] = old + h;
            double up = objective(m, p, d, rows);
            p[i] = old - h;
            double down = objective(m, p, d, rows);
            p[i] = old;
            double fd = (up - down) / (2 * h);
            double err = Math.abs(fd - g[i]) / Math.max(1e-3, Math.abs(fd) + Math.abs(g[i]));
            worst = Math.max(worst, err);
            assertThat(err).as("%s: d/d%s[%d]: analytic %s, finite difference %s", spec, paramName(m, i), i, g[i], fd).isLessThan(1e-6);
        }
        assertThat(worst).isLessThan(1e-6);
    }

    static String paramName(Model m, int i) {
        for (var p : m.layout().params()) if (i >= p.offset() && i < p.offset() + p.length()) return p.name();
        return "?";
    }

    @Test
    void sigmoidNeuronGradientMatchesFiniteDifferences() {
        SigmoidNeuron n = SigmoidNeuron.article();
        for (double[] at : new double[][] {{-2, -2}, {0.3, -0.7}, {1.7, -2.2}}) {
            double[] g = new double[2];
            n.lossAndGradient(at, g);
            double h = 1e-6;
            double fw = (n.loss(at[0] + h, at[1]) - n.loss(at[0] - h, at[1])) / (2 * h);
            double fb = (n.loss(at[0], at[1] + h) - n.loss(at[0], at[1] - h)) / (2 * h);
            assertThat(g[0]).isCloseTo(fw, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(g[1]).isCloseTo(fb, org.assertj.core.data.Offset.offset(1e-9));
        }
        double[] opt = n.exactOptimum();
        assertThat(n.loss(opt[0], opt[1])).isLessThan(1e-30);
    }

    @Test
    void largeLogitsDoNotOverflow() {
        Dataset d = randomData(4, 5, 3, 1);
        Model m = Models.parse("softmax", 5, 3, 0);
        double[] p = new double[m.layout().size()];
        java.util.Arrays.fill(p, 500);
        double[] g = new double[p.length];
        double loss = m.accumulate(p, d, new int[] {0, 1, 2, 3}, 0, 4, g, m.newScratch());
        assertThat(Double.isFinite(loss)).isTrue();
        for (double v : g) assertThat(Double.isFinite(v)).isTrue();
    }

    @Test
    void impossibleSpecsAreRefusedWithTheAcceptedForms() {
        assertThatThrownBy(() -> Models.parse("mlp:0", 4, 3, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("hidden layer width in model 'mlp:0' must be in 1\\.\\.65536, got 0");
        assertThatThrownBy(() -> Models.parse("mlp:abc", 4, 3, 0)).hasMessageContaining("got 'abc'");
        assertThatThrownBy(() -> Models.parse("mlp:", 4, 3, 0)).hasMessageContaining("model must be softmax, logistic, mlp:");
        assertThatThrownBy(() -> Models.parse("mlp:8:swish", 4, 3, 0)).hasMessage("activation must be one of relu, tanh, sigmoid, got 'swish'");
        assertThatThrownBy(() -> Models.parse("cnn", 4, 3, 0)).hasMessageContaining("got 'cnn'");
        assertThatThrownBy(() -> Models.parse("logistic", 4, 3, 0)).hasMessageContaining("logistic is for 2 classes");
        assertThatThrownBy(() -> Models.parse("softmax", 4, 3, -1)).hasMessage("l2 must be a finite number >= 0, got -1.0");
    }
}
