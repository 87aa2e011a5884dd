package org.rmsprop4j.train.model;

import java.util.Arrays;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

/**
 * Binary logistic regression: {@code z = x·w + b}, {@code P(y=1) = σ(z)}, loss per row the binary
 * cross-entropy {@code −y·log σ(z) − (1−y)·log(1−σ(z))}, computed as
 * {@code max(z,0) − y·z + log1p(e^−|z|)} so that it never overflows. Gradient {@code (σ(z) − y)·x}
 * and {@code σ(z) − y}. Parameters {@code "w"} of shape {@code [inputs]} and {@code "b"} of shape
 * {@code [1]}, initialised to 0 (the loss is convex). Labels must be 0 or 1.
 */
public final class LogisticRegression implements Model {
    private final int inputs;
    private final double l2;
    private final ParamLayout layout;

    /** @param inputs numbers per row, {@code >= 1}; @param l2 λ of {@code λ/2·Σw²}, finite and {@code >= 0} */
    public LogisticRegression(int inputs, double l2) {
        this.inputs = (int) Checks.atLeast("inputs", inputs, 1);
        this.l2 = Checks.nonNegative("l2", l2);
        this.layout = ParamLayout.builder().add("w", inputs).add("b", 1).build();
    }

    @Override public String spec() { return "logistic"; }

    @Override public ParamLayout layout() { return layout; }

    @Override public int inputs() { return inputs; }

    @Override public int classes() { return 2; }

    @Override public double l2() { return l2; }

    @Override public void initialize(double[] params, Rng rng) {
        check(params);
        Arrays.fill(params, 0.0);
    }

    @Override public Object newScratch() { return null; }

    private double logit(double[] p, float[] x, int row) {
        double z = p[inputs];
        for (int i = 0, o = row * inputs; i < inputs; i++) z += x[o + i] * p[i];
        return z;
    }

    private static double bce(double z, int y) { return Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z))); }

    private static double sigmoid(double z) {
        if (z >= 0) return 1.0 / (1.0 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    @Override public double accumulate(double[] p, Dataset data, int[] rows, int from, int to, double[] grad, Object scratch) {
        check(p);
        checkData(data);
        float[] x = data.x();
        double loss = 0;
        for (int r = from; r < to; r++) {
            int row = rows[r], y = data.y()[row];
            double z = logit(p, x, row);
            loss += bce(z, y);
            double d = sigmoid(z) - y;
            for (int i = 0, o = row * inputs; i < inputs; i++) grad[i] += d * x[o + i];
            grad[inputs] += d;
        }
        return loss;
    }

    @Override public double[] evaluate(double[] p, Dataset data, int[] rows, int from, int to, Object scratch) {
        check(p);
        checkData(data);
        double loss = 0;
        int correct = 0;
        for (int r = from; r < to; r++) {
            int row = rows[r], y = data.y()[row];
            double z = logit(p, data.x(), row);
            loss += bce(z, y);
            if ((z > 0 ? 1 : 0) == y) correct++;
        }
        return new double[] {loss, correct};
    }

    @Override public double addPenalty(double[] p, double[] grad) {
        if (l2 == 0) return 0;
        double sq = 0;
        for (int i = 0; i < inputs; i++) {
            sq += p[i] * p[i];
            grad[i] += l2 * p[i];
        }
        return 0.5 * l2 * sq;
    }

    private void check(double[] p) {
        if (p == null || p.length != layout.size()) throw Checks.invalid("params.length", p == null ? null : p.length, "the layout size " + layout.size());
    }

    private void checkData(Dataset data) {
        if (data.features() != inputs) throw Checks.invalid("features of " + data.name(), data.features(), inputs + " (the model's inputs)");
        if (data.classes() != 2) {
            throw Checks.invalid("classes of " + data.name(), data.classes(), "2 for logistic regression (use softmax or mlp for more)");
        }
    }

    @Override public String toString() { return "logistic [" + layout.size() + " parameters]"; }
}
