package org.rmsprop4j.train.model;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.rmsprop4j.internal.Checks;
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

    /** Rows processed together: each weight row is loaded once per block instead of once per row. */
    private static final int BLOCK = 16;

    private static final class Scratch {
        final double[][] act;   // act[l][b*sizes[l] + j]: output of layer l for row b of the block (last: probabilities)
        final double[][] delta;
        final double[] loss = new double[BLOCK];

        Scratch(int[] sizes) {
            act = new double[sizes.length][];
            delta = new double[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                act[l] = new double[BLOCK * sizes[l]];
                delta[l] = new double[BLOCK * sizes[l]];
            }
        }
    }

    @Override public Object newScratch() { return new Scratch(sizes); }

    /**
     * Forward pass of rows {@code rows[r0..r0+nb)}, nb <= BLOCK: activations and softmax probabilities
     * in s.act, {@code −log p_y} per row in s.loss. Every sum runs over the inputs in index order, as
     * in a row-by-row loop, so blocking does not change a bit.
     */
    private void forward(double[] p, float[] x, int[] y, int[] rows, int r0, int nb, Scratch s) {
        int d = sizes[0];
        double[] a0 = s.act[0];
        for (int b = 0; b < nb; b++) {
            for (int i = 0, o = rows[r0 + b] * d, t = b * d; i < d; i++) a0[t + i] = x[o + i];
        }
        int last = sizes.length - 1;
        for (int l = 1; l <= last; l++) {
            double[] in = s.act[l - 1], z = s.act[l];
            int nIn = sizes[l - 1], nOut = sizes[l], w = wOff[l];
            for (int b = 0; b < nb; b++) System.arraycopy(p, bOff[l], z, b * nOut, nOut);
            for (int i = 0; i < nIn; i++) {
                int wr = w + i * nOut;
                for (int b = 0; b < nb; b++) {
                    double ai = in[b * nIn + i];
                    int zr = b * nOut;
                    for (int j = 0; j < nOut; j++) z[zr + j] += ai * p[wr + j];
                }
            }
            if (l < last) for (int k = 0, n = nb * nOut; k < n; k++) z[k] = activation.apply(z[k]);
        }
        double[] z = s.act[last];
        int k = sizes[last];
        for (int b = 0; b < nb; b++) {
            int o = b * k, label = y[rows[r0 + b]];
            double max = z[o];
            for (int c = 1; c < k; c++) max = Math.max(max, z[o + c]);
            double zl = z[o + label] - max;
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[o + c] = Math.exp(z[o + c] - max);
                sum += z[o + c];
            }
            s.loss[b] = -(zl - Math.log(sum));
            double inv = 1.0 / sum;
            for (int c = 0; c < k; c++) z[o + c] *= inv;
        }
    }

    @Override public double accumulate(double[] p, Dataset data, int[] rows, int from, int to, double[] grad, Object scratch) {
        checkParams(p);
        checkData(data);
        Scratch s = (Scratch) scratch;
        int[] y = data.y();
        int last = sizes.length - 1;
        double loss = 0;
        for (int r0 = from; r0 < to; r0 += BLOCK) {
            int nb = Math.min(BLOCK, to - r0);
            forward(p, data.x(), y, rows, r0, nb, s);
            for (int b = 0; b < nb; b++) loss += s.loss[b];
            int k = sizes[last];
            double[] dz = s.delta[last];
            System.arraycopy(s.act[last], 0, dz, 0, nb * k);
            for (int b = 0; b < nb; b++) dz[b * k + y[rows[r0 + b]]] -= 1.0;
            for (int l = last; l >= 1; l--) {
                double[] in = s.act[l - 1], dl = s.delta[l];
                int nIn = sizes[l - 1], nOut = sizes[l], w = wOff[l], bo = bOff[l];
                for (int b = 0; b < nb; b++) {
                    for (int j = 0, t = b * nOut; j < nOut; j++) grad[bo + j] += dl[t + j];
                }
                for (int i = 0; i < nIn; i++) {
                    int wr = w + i * nOut;
                    for (int b = 0; b < nb; b++) {
                        double ai = in[b * nIn + i];
                        int t = b * nOut;
                        for (int j = 0; j < nOut; j++) grad[wr + j] += ai * dl[t + j];
                    }
                }
                if (l > 1) {
                    double[] dPrev = s.delta[l - 1];
                    for (int b = 0; b < nb; b++) {
                        int t = b * nOut;
                        for (int i = 0; i < nIn; i++) {
                            int wr = w + i * nOut;
                            double acc = 0;
                            for (int j = 0; j < nOut; j++) acc += p[wr + j] * dl[t + j];
                            dPrev[b * nIn + i] = acc * activation.derivativeFromOutput(in[b * nIn + i]);
                        }
                    }
                }
            }
        }
        return loss;
    }

    /**
     * Working memory of the float32 path, as arrays of rows (see {@link Gemm32}): activations and
     * deltas of a block, and each call's copy of the weights (and of their transposes, for the
     * backward pass) taken from the flat parameter array.
     */
    private static final class Scratch32 {
        final float[][][] act, delta;
        final float[] acc, col = new float[BLOCK];
        final int[] idx;
        final double[] loss = new double[BLOCK];

        Scratch32(int[] sizes) {
            int L = sizes.length;
            act = new float[L][BLOCK][];
            delta = new float[L][BLOCK][];
            int most = 0;
            for (int l = 0; l < L; l++) {
                act[l] = new float[BLOCK][sizes[l]];
                delta[l] = new float[BLOCK][sizes[l]];
                most = Math.max(most, sizes[l]);
            }
            acc = new float[most];
            idx = new int[Math.max(most, BLOCK)];
        }
    }

    /** The parameters as {@link #accumulate32} reads them: weight rows, their transposes from layer 2 on, and the flat array (biases). */
    private static final class Prepared32 {
        final Mlp owner;
        final float[][][] w, wt;
        float[] flat;

        Prepared32(Mlp owner) {
            this.owner = owner;
            int[] sizes = owner.sizes;
            w = new float[sizes.length][][];
            wt = new float[sizes.length][][];
            for (int l = 1; l < sizes.length; l++) {
                w[l] = new float[sizes[l - 1]][sizes[l]];
                if (l > 1) wt[l] = new float[sizes[l]][sizes[l - 1]];
            }
        }
    }

    @Override public boolean hasFloat32Path() { return true; }

    @Override public Object newScratch32() { return new Scratch32(sizes); }

    /** Copies the weights out of the flat array into rows (and transposes, from layer 2 on), reusing {@code previous} when it is one of ours. */
    @Override public Object prepare32(float[] p, Object previous) {
        if (p == null || p.length != layout.size()) {
            throw Checks.invalid("params.length", p == null ? null : p.length, "the layout size " + layout.size() + " of " + spec);
        }
        Prepared32 s = previous instanceof Prepared32 q && q.owner == this ? q : new Prepared32(this);
        s.flat = p;
        for (int l = 1; l < sizes.length; l++) {
            int nIn = sizes[l - 1], nOut = sizes[l];
            float[][] w = s.w[l];
            for (int i = 0; i < nIn; i++) System.arraycopy(p, wOff[l] + i * nOut, w[i], 0, nOut);
            if (l > 1) {
                float[][] wt = s.wt[l];
                for (int i = 0; i < nIn; i++) {
                    float[] wi = w[i];
                    for (int j = 0; j < nOut; j++) wt[j][i] = wi[j];
                }
            }
        }
        return s;
    }

    /**
     * The float32 forward pass of rows {@code rows[r0..r0+nb)}: each layer is one product
     * {@link Gemm32#nn} on the block, activations in float32; the softmax and the loss are computed in
     * float64 from the float32 logits, probabilities stored back as float32.
     */
    private void forward32(Prepared32 w, float[] x, int[] y, int[] rows, int r0, int nb, Scratch32 s) {
        float[] p = w.flat;
        int d = sizes[0];
        for (int b = 0; b < nb; b++) System.arraycopy(x, rows[r0 + b] * d, s.act[0][b], 0, d);
        int last = sizes.length - 1;
        for (int l = 1; l <= last; l++) {
            float[][] z = s.act[l];
            int nIn = sizes[l - 1], nOut = sizes[l];
            for (int b = 0; b < nb; b++) System.arraycopy(p, bOff[l], z[b], 0, nOut);
            Gemm32.nn(nb, nOut, nIn, s.act[l - 1], w.w[l], z, s.idx);
            if (l < last) {
                for (int b = 0; b < nb; b++) {
                    float[] zb = z[b];
                    switch (activation) {
                        case RELU -> { for (int i = 0; i < nOut; i++) zb[i] = Math.max(zb[i], 0f); } // vectorised; NaN stays NaN
                        case TANH -> { for (int i = 0; i < nOut; i++) zb[i] = (float) Math.tanh(zb[i]); }
                        default -> { for (int i = 0; i < nOut; i++) zb[i] = (float) (1.0 / (1.0 + Math.exp(-zb[i]))); }
                    }
                }
            }
        }
        int k = sizes[last];
        for (int b = 0; b < nb; b++) {
            float[] z = s.act[last][b];
            int label = y[rows[r0 + b]];
            double max = z[0];
            for (int c = 1; c < k; c++) max = Math.max(max, z[c]);
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.exp(z[c] - max);
            double logSum = Math.log(sum);
            s.loss[b] = -(z[label] - max - logSum);
            for (int c = 0; c < k; c++) z[c] = (float) Math.exp(z[c] - max - logSum);
        }
    }

    /**
     * The float32 path: forward and backward on blocks of up to 16 rows with the products of
     * {@link Gemm32}; the gradient is added to {@code grad} (float32), the summed loss returned in float64.
     */
    @Override public double accumulate32(Object prepared, Dataset data, int[] rows, int from, int to, float[] grad, Object scratch) {
        if (!(prepared instanceof Prepared32 w) || w.owner != this) {
            throw Checks.invalid("prepared", prepared == null ? null : prepared.getClass().getSimpleName(), "the result of this model's prepare32");
        }
        if (grad == null || grad.length != layout.size()) {
            throw Checks.invalid("grad.length", grad == null ? null : grad.length, "the layout size " + layout.size() + " of " + spec);
        }
        checkData(data);
        Scratch32 s = (Scratch32) scratch;
        int[] y = data.y();
        int last = sizes.length - 1;
        double loss = 0;
        for (int r0 = from; r0 < to; r0 += BLOCK) {
            int nb = Math.min(BLOCK, to - r0);
            forward32(w, data.x(), y, rows, r0, nb, s);
            for (int b = 0; b < nb; b++) loss += s.loss[b];
            int k = sizes[last];
            for (int b = 0; b < nb; b++) {
                System.arraycopy(s.act[last][b], 0, s.delta[last][b], 0, k);
                s.delta[last][b][y[rows[r0 + b]]] -= 1f;
            }
            for (int l = last; l >= 1; l--) {
                float[][] in = s.act[l - 1], dl = s.delta[l];
                int nIn = sizes[l - 1], nOut = sizes[l], bo = bOff[l];
                float[] acc = s.acc;
                System.arraycopy(grad, bo, acc, 0, nOut);
                for (int b = 0; b < nb; b++) {
                    float[] db = dl[b];
                    for (int j = 0; j < nOut; j++) acc[j] = acc[j] + db[j];
                }
                System.arraycopy(acc, 0, grad, bo, nOut);
                Gemm32.tn(nb, nOut, nIn, in, dl, grad, wOff[l], acc, s.col, s.idx);
                if (l > 1) {
                    float[][] dPrev = s.delta[l - 1];
                    Gemm32.nt(nb, nOut, nIn, dl, w.wt[l], dPrev, s.idx);
                    for (int b = 0; b < nb; b++) {
                        float[] dp = dPrev[b], ib = in[b];
                        switch (activation) {
                            case RELU -> Gemm32.reluMask(dp, ib, nIn);
                            case TANH -> { for (int i = 0; i < nIn; i++) dp[i] = dp[i] * (1f - ib[i] * ib[i]); }
                            default -> { for (int i = 0; i < nIn; i++) dp[i] = dp[i] * (ib[i] * (1f - ib[i])); }
                        }
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
        int k = classes();
        double[] probs = s.act[sizes.length - 1];
        for (int r0 = from; r0 < to; r0 += BLOCK) {
            int nb = Math.min(BLOCK, to - r0);
            forward(p, data.x(), data.y(), rows, r0, nb, s);
            for (int b = 0; b < nb; b++) {
                loss += s.loss[b];
                int best = 0;
                for (int c = 1; c < k; c++) if (probs[b * k + c] > probs[b * k + best]) best = c;
                if (best == data.y()[rows[r0 + b]]) correct++;
            }
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
