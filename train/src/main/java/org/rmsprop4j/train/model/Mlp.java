package org.rmsprop4j.train.model;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.rmsprop4j.optim.Checks;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

/**
 * A multi-layer perceptron with softmax cross-entropy: hidden layers {@code a_l = act(a_{l−1}·W_l + b_l)},
 * then logits {@code z = a_L·W + b} and loss {@code −log softmax(z)_y} per row. With no hidden layer
 * it is multinomial logistic (softmax) regression.
 *
 * <h2>Parameters</h2> For layer {@code l = 1..L+1}: {@code "w<l>"} of shape {@code [in, out]}
 * (row-major, as Keras' {@code Dense} kernel; PyTorch's {@code Linear.weight} is the transpose) and
 * {@code "b<l>"} of shape {@code [out]}. Initialisation: weights uniform in {@code ±√(6/in)} for ReLU
 * (He) and {@code ±√(6/(in+out))} otherwise and for the output layer (Glorot); biases 0.
 *
 * <h2>Gradient</h2> {@code δ_out = softmax(z) − onehot(y)}; {@code ∂W_l += a_{l−1}ᵀδ_l},
 * {@code ∂b_l += δ_l}, {@code δ_{l−1} = (W_l δ_l) ⊙ act'(a_{l−1})}. The log-sum-exp subtracts the
 * largest logit first, so large logits do not overflow.
 */
public final class Mlp implements Model {
    private final String spec;
    private final int[] sizes; // inputs, hidden..., classes
    private final Activation activation;
    private final double l2;
    private final ParamLayout layout;
    private final int[] wOff, bOff;

    /**
     * @param inputs     numbers per row, {@code >= 1}
     * @param hidden     widths of the hidden layers, each {@code >= 1}; empty for softmax regression
     * @param classes    number of classes, {@code >= 2}
     * @param activation hidden-layer non-linearity
     * @param l2         λ of the penalty {@code λ/2·Σw²} on weights, finite and {@code >= 0}
     */
    public Mlp(int inputs, int[] hidden, int classes, Activation activation, double l2) {
        Checks.atLeast("inputs", inputs, 1);
        Checks.notNull("hidden", hidden);
        for (int h : hidden) if (h < 1) throw Checks.invalid("hidden layer width", h, ">= 1");
        Checks.atLeast("classes", classes, 2);
        this.activation = Checks.notNull("activation", activation);
        this.l2 = Checks.nonNegative("l2", l2);
        sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        ParamLayout.Builder b = ParamLayout.builder();
        for (int l = 1; l < sizes.length; l++) {
            b.add("w" + l, sizes[l - 1], sizes[l]);
            b.add("b" + l, sizes[l]);
        }
        layout = b.build();
        wOff = new int[sizes.length];
        bOff = new int[sizes.length];
        for (int l = 1; l < sizes.length; l++) {
            wOff[l] = layout.param("w" + l).offset();
            bOff[l] = layout.param("b" + l).offset();
        }
        spec = hidden.length == 0 ? "softmax" : "mlp:" + Arrays.stream(hidden).mapToObj(Integer::toString)
                .collect(Collectors.joining(",")) + ":" + activation.id();
    }

    @Override public String spec() { return spec; }

    @Override public ParamLayout layout() { return layout; }

    @Override public int inputs() { return sizes[0]; }

    @Override public int classes() { return sizes[sizes.length - 1]; }

    /** Widths of the hidden layers. */
    public int[] hidden() { return Arrays.copyOfRange(sizes, 1, sizes.length - 1); }

    public Activation activation() { return activation; }

    @Override public double l2() { return l2; }

    @Override public void initialize(double[] params, Rng rng) {
        checkParams(params);
        Arrays.fill(params, 0.0);
        for (int l = 1; l < sizes.length; l++) {
            int in = sizes[l - 1], out = sizes[l];
            boolean he = activation == Activation.RELU && l < sizes.length - 1;
            double a = he ? Math.sqrt(6.0 / in) : Math.sqrt(6.0 / (in + out));
            for (int i = 0, n = in * out; i < n; i++) params[wOff[l] + i] = (2 * rng.nextDouble() - 1) * a;
        }
    }

    private static final class Scratch {
        final double[][] act;   // act[0] = input row, act[l] = layer l output (last: probabilities)
        final double[][] delta;

        Scratch(int[] sizes) {
            act = new double[sizes.length][];
            delta = new double[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                act[l] = new double[sizes[l]];
                delta[l] = new double[sizes[l]];
            }
        }
    }

    @Override public Object newScratch() { return new Scratch(sizes); }

    /** Forward pass of one row; leaves activations and softmax probabilities in s.act; returns −log p_y. */
    private double forward(double[] p, float[] x, int row, int label, Scratch s) {
        int d = sizes[0];
        double[] a0 = s.act[0];
        for (int i = 0, o = row * d; i < d; i++) a0[i] = x[o + i];
        int last = sizes.length - 1;
        for (int l = 1; l <= last; l++) {
            double[] in = s.act[l - 1], z = s.act[l];
            int nIn = sizes[l - 1], nOut = sizes[l], w = wOff[l];
            System.arraycopy(p, bOff[l], z, 0, nOut);
            for (int i = 0; i < nIn; i++) {
                double ai = in[i];
                int r = w + i * nOut;
                for (int j = 0; j < nOut; j++) z[j] += ai * p[r + j];
            }
            if (l < last) for (int j = 0; j < nOut; j++) z[j] = activation.apply(z[j]);
        }
        double[] z = s.act[last];
        double max = z[0];
        for (int k = 1; k < z.length; k++) max = Math.max(max, z[k]);
        double zl = z[label] - max;
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        double logp = zl - Math.log(sum);
        double inv = 1.0 / sum;
        for (int k = 0; k < z.length; k++) z[k] *= inv;
        return -logp;
    }

    @Override public double accumulate(double[] p, Dataset data, int[] rows, int from, int to, double[] grad, Object scratch) {
        checkParams(p);
        checkData(data);
        Scratch s = (Scratch) scratch;
        float[] x = data.x();
        int[] y = data.y();
        int last = sizes.length - 1;
        double loss = 0;
        for (int r = from; r < to; r++) {
            int row = rows[r];
            loss += forward(p, x, row, y[row], s);
            double[] dz = s.delta[last];
            System.arraycopy(s.act[last], 0, dz, 0, dz.length);
            dz[y[row]] -= 1.0;
            for (int l = last; l >= 1; l--) {
                double[] in = s.act[l - 1], dl = s.delta[l];
                int nIn = sizes[l - 1], nOut = sizes[l], w = wOff[l], b = bOff[l];
                for (int j = 0; j < nOut; j++) grad[b + j] += dl[j];
                for (int i = 0; i < nIn; i++) {
                    double ai = in[i];
                    int rr = w + i * nOut;
                    for (int j = 0; j < nOut; j++) grad[rr + j] += ai * dl[j];
                }
                if (l > 1) {
                    double[] dPrev = s.delta[l - 1];
                    for (int i = 0; i < nIn; i++) {
                        int rr = w + i * nOut;
                        double acc = 0;
                        for (int j = 0; j < nOut; j++) acc += p[rr + j] * dl[j];
                        dPrev[i] = acc * activation.derivativeFromOutput(in[i]);
                    }
                }
            }
        }
        return loss;
    }

    @Override public double[] evaluate(double[] p, Dataset data, int[] rows, int from, int to, Object scratch) {
        checkParams(p);
        checkData(data);
        Scratch s = (Scratch) scratch;
        double loss = 0;
        int correct = 0;
        double[] probs = s.act[sizes.length - 1];
        for (int r = from; r < to; r++) {
            int row = rows[r];
            loss += forward(p, data.x(), row, data.y()[row], s);
            int best = 0;
            for (int k = 1; k < probs.length; k++) if (probs[k] > probs[best]) best = k;
            if (best == data.y()[row]) correct++;
        }
        return new double[] {loss, correct};
    }

    @Override public double addPenalty(double[] p, double[] grad) {
        if (l2 == 0) return 0;
        double sq = 0;
        for (int l = 1; l < sizes.length; l++) {
            for (int i = wOff[l], end = wOff[l] + sizes[l - 1] * sizes[l]; i < end; i++) {
                sq += p[i] * p[i];
                grad[i] += l2 * p[i];
            }
        }
        return 0.5 * l2 * sq;
    }

    private void checkParams(double[] p) {
        if (p == null || p.length != layout.size()) {
            throw Checks.invalid("params.length", p == null ? null : p.length, "the layout size " + layout.size() + " of " + spec);
        }
    }

    private void checkData(Dataset data) {
        if (data.features() != sizes[0]) throw Checks.invalid("features of " + data.name(), data.features(), sizes[0] + " (the model's inputs)");
        if (data.classes() > classes()) throw Checks.invalid("classes of " + data.name(), data.classes(), "<= " + classes() + " (the model's outputs)");
    }

    @Override public String toString() { return spec + " [" + layout.size() + " parameters]"; }
}
