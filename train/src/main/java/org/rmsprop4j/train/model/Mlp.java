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
        pullSwitch(PULL_RAW); // a bad -Drmsprop4j.train.pull is refused here, naming it
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
        forward(p, x, y, rows, r0, nb, s, false);
    }

    /**
     * As above; with {@code skipZeros} the products leave out the terms whose input is zero (an exact zero times a finite
     * weight adds ±0, which changes no sum but the sign of a zero one, and no loss or prediction after it; with a non-finite
     * weight the skipped term would have been NaN), as the float32 passes do ({@link Gemm32#SKIP_ZEROS}). {@link #evaluate}
     * uses it: MNIST's inputs are 81% zeros, and the dense products of the test set took longer than the epoch's training.
     */
    private void forward(double[] p, float[] x, int[] y, int[] rows, int r0, int nb, Scratch s, boolean skipZeros) {
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
                    if (skipZeros && ai == 0) continue;
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

    /** The name of the switch of {@link #pull}. */
    static final String PULL_PROPERTY = "rmsprop4j.train.pull";
    /** The property's value when this class initialised (read once); the constructor refuses a bad one, naming it ({@link #pullSwitch}). */
    private static final String PULL_RAW = System.getProperty(PULL_PROPERTY);
    /**
     * Whether the passes that start on rows another thread of a fused region may have just written (the first layer's sums of a
     * block, a chunk's first-layer deltas) first touch one element of each 64-byte line of those rows, with no dependence between
     * the touches, so that the lines' misses overlap instead of coming one strip at a time inside the products (issue 15, ninth
     * pass). Off unless {@code -Drmsprop4j.train.pull=true}: against the same build without it the 2-thread MNIST epoch measured
     * 0.95–0.99× in the "far" vCPU state and 0.94–1.15× near, under load, i.e. not shown to help (docs/speed-history.md, "Issue
     * 15, ninth pass"; in the ninth-pass window, near, 0.99× on 2 threads and 1.01× on 1). Only reads, or writes that the pass then overwrites, so the bits do not change either way.
     */
    static boolean pull = PULL_RAW != null && "true".equals(PULL_RAW.trim()); // not final: tests switch it (PullSwitch)
    /** A value the sum of {@link #pullLines} is compared with, to keep it live (see {@link #firstLayerGradientChunk32}). */
    private static final int PULL_NEVER = 0x6a09e667;

    /** The value of {@code -Drmsprop4j.train.pull}: false when not set; refuses anything but {@code true} or {@code false}. */
    static boolean pullSwitch(String raw) {
        if (raw == null || raw.trim().equals("false")) return false;
        if (raw.trim().equals("true")) return true;
        throw Checks.invalid("-D" + PULL_PROPERTY, "\"" + raw + "\"", "true or false (whether the fused passes touch their rows' lines first)");
    }

    /** A sum of the bits of one element per 16 (64 bytes of floats) of {@code rows[q][0..n)}, {@code q} in {@code [a, b)}, and of each row's last. */
    static int pullLines(float[][] rows, int a, int b, int n) {
        int acc = 0;
        for (int q = a; q < b; q++) {
            float[] r = rows[q];
            for (int k = 0; k < n; k += 16) acc += Float.floatToRawIntBits(r[k]);
            acc += Float.floatToRawIntBits(r[n - 1]);
        }
        return acc;
    }

    /** Writes 0 to one element per 16 of {@code rows[q][0..n)}, {@code q} in {@code [a, b)}, and to each row's last: only for rows the caller then overwrites. */
    static void claimLines(float[][] rows, int a, int b, int n) {
        for (int q = a; q < b; q++) {
            float[] r = rows[q];
            for (int k = 0; k < n; k += 16) r[k] = 0f;
            r[n - 1] = 0f;
        }
    }

    /**
     * The non-zero inputs of every row of the data array {@code x} (as {@link Gemm32#nonZeros} lists them): row r's are
     * {@code listed[start[r] .. start[r+1])}, their values {@code val} in the same order, so that a row's inputs are read from
     * two contiguous runs instead of gathered from its 784 pixels. Made once per data array ({@link Batch32#listing}), because
     * the rows do not change between epochs; {@code start}, {@code listed} and {@code val} are null when more than half of the
     * inputs are non-zero (then each row is listed as it comes). Costs 8 bytes per non-zero input and 4 per row. Immutable.
     */
    private static final class Listing {
        final float[] x, val;
        final int[] start, listed;

        Listing(float[] x, int[] start, int[] listed, float[] val) {
            this.x = x;
            this.start = start;
            this.listed = listed;
            this.val = val;
        }
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
        int pulled; // keeps the pull passes' touches live (this scratch belongs to one thread at a time)

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

    /** The parameters as {@link #accumulate32} reads them: from layer 2 on weight rows and their transposes, and the flat array (the first layer's weights and the biases). */
    private static final class Prepared32 {
        final Mlp owner;
        final float[][][] w, wt;
        float[] flat;

        Prepared32(Mlp owner) {
            this.owner = owner;
            int[] sizes = owner.sizes;
            w = new float[sizes.length][][];
            wt = new float[sizes.length][][];
            for (int l = 2; l < sizes.length; l++) { // the first layer is read from the flat parameters (flat): no copy
                w[l] = new float[sizes[l - 1]][sizes[l]];
                wt[l] = new float[sizes[l]][sizes[l - 1]];
            }
        }
    }

    @Override public boolean hasFloat32Path() { return true; }

    @Override public Object newScratch32() { return new Scratch32(sizes); }

    /**
     * Copies the weights from layer 2 on out of the flat array into rows and transposes, reusing {@code previous} when it is one
     * of ours. The first layer is read from {@code p} itself (its rows are already contiguous there): copying its 100,352
     * weights (MNIST's 784×128) every batch cost thread 0 of the owned-rest region 13 µs per batch near and 36 µs far
     * (issue 15, tenth pass).
     */
    @Override public Object prepare32(float[] p, Object previous) {
        if (p == null || p.length != layout.size()) {
            throw Checks.invalid("params.length", p == null ? null : p.length, "the layout size " + layout.size() + " of " + spec);
        }
        Prepared32 s = previous instanceof Prepared32 q && q.owner == this ? q : new Prepared32(this);
        copyRows(p, s, 0, 1);
        return s;
    }

    /** Rows {@code i} with {@code i·parts/inputs = part} of every layer's weights (and those columns of the transposes). */
    @Override public void prepare32Part(float[] p, Object prepared, int part, int parts) { prepare32Part(p, prepared, part, parts, ALL_LAYERS); }

    /** {@link #prepare32Part(float[], Object, int, int)} of the weights that {@link #gradientPart32(Object, int, int, int, float, float[], int)} with {@code layers} writes. */
    @Override public void prepare32Part(float[] p, Object prepared, int part, int parts, int layers) {
        checkLayers(layers);
        if (p == null || p.length != layout.size()) {
            throw Checks.invalid("params.length", p == null ? null : p.length, "the layout size " + layout.size() + " of " + spec);
        }
        if (!(prepared instanceof Prepared32 s) || s.owner != this) {
            throw Checks.invalid("prepared", prepared == null ? null : prepared.getClass().getSimpleName(), "the result of this model's prepare32");
        }
        if (parts < 1 || part < 0 || part >= parts) throw Checks.invalid("part", part + " of " + parts, "0 <= part < parts");
        copyRows(p, s, part, parts, layers);
    }

    private void copyRows(float[] p, Prepared32 s, int part, int parts) { copyRows(p, s, part, parts, ALL_LAYERS); }

    private void copyRows(float[] p, Prepared32 s, int part, int parts, int layers) {
        // written only when it changes: both threads of a fused region copy parts, and a write would pass the line that holds
        // the prepared weights' references between their cores at every part (a read keeps it shared)
        if (s.flat != p) s.flat = p;
        for (int l = 2; l < sizes.length; l++) { // the first layer's passes read it from the flat parameters
            if (!hasWeights(layers, l)) continue;
            int nIn = sizes[l - 1], nOut = sizes[l];
            float[][] w = s.w[l];
            int i0 = (int) ((long) nIn * part / parts), i1 = (int) ((long) nIn * (part + 1) / parts);
            for (int i = i0; i < i1; i++) System.arraycopy(p, wOff[l] + i * nOut, w[i], 0, nOut);
            float[][] wt = s.wt[l];
            for (int i = i0; i < i1; i++) {
                float[] wi = w[i];
                for (int j = 0; j < nOut; j++) wt[j][i] = wi[j];
            }
        }
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
            if (l == 1) Gemm32.nnFlat(nb, nOut, nIn, s.act[0], p, wOff[1], z, s.idx); // the first layer straight from the flat parameters
            else Gemm32.nn(nb, nOut, nIn, s.act[l - 1], w.w[l], z, s.idx);
            if (l < last) for (int b = 0; b < nb; b++) activate32(z[b], nOut);
        }
        for (int b = 0; b < nb; b++) s.loss[b] = softmax32(s.act[last][b], y[rows[r0 + b]]);
    }

    /** The hidden-layer activation in place on {@code z[0..n)}. */
    private void activate32(float[] z, int n) {
        switch (activation) {
            case RELU -> { for (int i = 0; i < n; i++) z[i] = Math.max(z[i], 0f); } // vectorised; NaN stays NaN
            case TANH -> { for (int i = 0; i < n; i++) z[i] = (float) Math.tanh(z[i]); }
            default -> { for (int i = 0; i < n; i++) z[i] = (float) (1.0 / (1.0 + Math.exp(-z[i]))); }
        }
    }

    /** Multiplies the delta {@code dp[0..n)} by the activation's derivative, given the layer's output {@code a}. */
    private void derive32(float[] dp, float[] a, int n) {
        switch (activation) {
            case RELU -> Gemm32.reluMask(dp, a, n);
            case TANH -> { for (int i = 0; i < n; i++) dp[i] = dp[i] * (1f - a[i] * a[i]); }
            default -> { for (int i = 0; i < n; i++) dp[i] = dp[i] * (a[i] * (1f - a[i])); }
        }
    }

    /** Softmax of the logits {@code z} in place (computed in float64, stored as float32); returns {@code −log p_label}. */
    private double softmax32(float[] z, int label) {
        int k = sizes[sizes.length - 1];
        double max = z[0];
        for (int c = 1; c < k; c++) max = Math.max(max, z[c]);
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(z[c] - max);
        double logSum = Math.log(sum);
        double loss = -(z[label] - max - logSum);
        for (int c = 0; c < k; c++) z[c] = (float) Math.exp(z[c] - max - logSum);
        return loss;
    }

    /**
     * The float32 path: forward and backward on blocks of up to 16 rows with the products of
     * {@link Gemm32}; the gradient is added to {@code grad} (float32), the summed loss returned in float64.
     */
    @Override public double accumulate32(Object prepared, Dataset data, int[] rows, int from, int to, float[] grad, Object scratch) {
        Prepared32 w = prepared32(prepared);
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
                    for (int b = 0; b < nb; b++) derive32(dPrev[b], in[b], nIn);
                }
            }
        }
        return loss;
    }

    /**
     * Working memory of the fused batch path: every row's activations and deltas (arrays of rows, by
     * position q in the batch), and each chunk's input rows as a sparse matrix by column, so that a
     * weight-gradient row is summed over its chunks in one go instead of through a gradient-sized
     * buffer per chunk.
     */
    private static final class Batch32 {
        final Mlp owner;
        final int capacity, chunkSize;
        final float[][][] act, delta;   // [l][q][j] for l = 1..L (act[L]: probabilities)
        final float[][][] actT;         // [l][j][q]: the hidden layers' outputs by unit, l = 1..L-1 (the left factors of layers 2..L)
        final int[] nnz;                // non-zero inputs per chunk
        final int[][] cooCol, cooRow;   // per chunk, in row order: column and row (within the chunk) of each non-zero input
        final float[][] cooVal;
        final int[][] colStart;         // per chunk: column i's entries are colStart[i] .. colStart[i+1] of entryRow/entryVal
        final int[][] entryRow, next;
        final float[][] entryVal;
        /**
         * The low columns' lists of the owned-rest region ({@link #listColumns32}): per chunk, columns {@code i < loEnd}, apart from
         * the lists above (which then hold the columns from {@code loEnd} on), listed by the thread that owns those inputs in the
         * batch, or by the other thread a batch ahead ({@link #listColumnsAhead32}, swapped in by {@link #useListsAhead32}).
         * {@code loEnd} is 0 when every column is above.
         */
        final int[][] loColStart, loNext;
        int[][] loEntryRow;
        float[][] loEntryVal;
        int loEnd;
        /**
         * A second set of the low columns' lists, per chunk: the next batch's, listed ahead ({@link #listColumnsAhead32}) and
         * swapped in for the chunk's own when that batch comes ({@link #useListsAhead32}).
         */
        final int[][] aheadColStart, aheadNext;
        int[][] aheadEntryRow;
        float[][] aheadEntryVal;
        final int parts;                // as newBatch32 was given
        final float[][] tmp, acc, col;  // per gradient part (twice: see the constructor)
        final float[] zero;             // zeros (read only) to start a sum from
        final int[][] idx;
        /**
         * The listing of the last data array seen, published whole once made ({@link #listing}): the passes read it without
         * taking this object's lock, because a lock writes this object's header line, which both threads of a fused region then
         * pass back and forth (three passes per block or chunk, tens of times per batch; issue 15, ninth pass).
         */
        private volatile Listing listing;
        int pullNever; // see PULL_NEVER

        /** The listing of {@code x} (made by {@link #listInputs} under the lock if it is not the current one). */
        Listing listing(float[] x, int d) {
            Listing li = listing;
            if (li != null && li.x == x) return li;
            synchronized (this) {
                li = listing;
                if (li == null || li.x != x) listing = li = listInputs(x, d);
                return li;
            }
        }

        Batch32(Mlp owner, int rows, int chunkSize, int parts) {
            this.owner = owner;
            this.chunkSize = chunkSize;
            int chunks = (rows + chunkSize - 1) / chunkSize;
            capacity = chunks * chunkSize;
            int[] sizes = owner.sizes;
            int L = sizes.length, d = sizes[0], most = 0;
            act = new float[L][][];
            delta = new float[L][][];
            actT = new float[L][][];
            for (int l = 1; l < L; l++) {
                act[l] = new float[capacity][sizes[l]];
                delta[l] = new float[capacity][sizes[l]];
                if (l < L - 1) actT[l] = new float[sizes[l]][capacity];
            }
            for (int size : sizes) most = Math.max(most, size);
            nnz = new int[chunks];
            cooCol = new int[chunks][];
            cooRow = new int[chunks][];
            cooVal = new float[chunks][];
            entryRow = new int[chunks][];
            entryVal = new float[chunks][];
            colStart = new int[chunks][d + 1];
            next = new int[chunks][d];
            int start = (int) Math.min((long) chunkSize * d, Math.max(64, (long) chunkSize * d / 4));
            for (int c = 0; c < chunks; c++) grow(c, start);
            loColStart = new int[chunks][d + 1];
            loNext = new int[chunks][d];
            loEntryRow = new int[chunks][start];
            loEntryVal = new float[chunks][start];
            aheadColStart = new int[chunks][d + 1];
            aheadNext = new int[chunks][d];
            aheadEntryRow = new int[chunks][start];
            aheadEntryVal = new float[chunks][start];
            this.parts = parts;
            // twice the parts: a first-layer part and the later-layer part of the same index may run at once (LATER_LAYERS uses the second half)
            tmp = new float[2 * parts][most];
            acc = new float[2 * parts][most];
            zero = new float[most];
            col = new float[2 * parts][capacity];
            idx = new int[2 * parts][capacity];
        }

        static Listing listInputs(float[] x, int d) {
            int n = x.length / d;
            long total = 0;
            int[] tmp = new int[d];
            for (int r = 0; r < n; r++) total += Gemm32.nonZeros(x, r * d, (r + 1) * d, tmp);
            if (2 * total > x.length) return new Listing(x, null, null, null);
            int[] start = new int[n + 1], all = new int[(int) total];
            float[] val = new float[(int) total];
            for (int r = 0; r < n; r++) {
                int c = Gemm32.nonZeros(x, r * d, (r + 1) * d, tmp);
                for (int t = 0; t < c; t++) {
                    all[start[r] + t] = tmp[t] - r * d;
                    val[start[r] + t] = x[tmp[t]];
                }
                start[r + 1] = start[r] + c;
            }
            return new Listing(x, start, all, val);
        }

        void growLo(int c, int size, boolean ahead) {
            int[][] er = ahead ? aheadEntryRow : loEntryRow;
            if (er[c].length >= size) return;
            int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size, 2L * er[c].length));
            er[c] = new int[n];
            (ahead ? aheadEntryVal : loEntryVal)[c] = new float[n];
        }

        /** Chunk {@code c}'s lists listed ahead become its low columns' lists (and its old ones the spare set). */
        void swapAhead(int c) {
            int[] a = loColStart[c];
            loColStart[c] = aheadColStart[c];
            aheadColStart[c] = a;
            a = loNext[c];
            loNext[c] = aheadNext[c];
            aheadNext[c] = a;
            a = loEntryRow[c];
            loEntryRow[c] = aheadEntryRow[c];
            aheadEntryRow[c] = a;
            float[] v = loEntryVal[c];
            loEntryVal[c] = aheadEntryVal[c];
            aheadEntryVal[c] = v;
        }

        void grow(int c, int size) {
            if (cooCol[c] != null && cooCol[c].length >= size) return;
            int n = cooCol[c] == null ? size : (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size, 2L * cooCol[c].length));
            cooCol[c] = cooCol[c] == null ? new int[n] : Arrays.copyOf(cooCol[c], n);
            cooRow[c] = cooRow[c] == null ? new int[n] : Arrays.copyOf(cooRow[c], n);
            cooVal[c] = cooVal[c] == null ? new float[n] : Arrays.copyOf(cooVal[c], n);
            entryRow[c] = new int[n];
            entryVal[c] = new float[n];
        }
    }

    @Override public boolean hasBatch32() { return true; }

    @Override public Object newBatch32(int rows, int chunkSize, int parts) {
        Checks.atLeast("rows", rows, 1);
        Checks.atLeast("chunkSize", chunkSize, 1);
        Checks.atLeast("parts", parts, 1);
        Gemm32.refuseBadVectorWidth();
        return new Batch32(this, rows, chunkSize, parts);
    }

    private Batch32 batch32(Object batch) {
        if (!(batch instanceof Batch32 b) || b.owner != this) {
            throw Checks.invalid("batch", batch == null ? null : batch.getClass().getSimpleName(), "the result of this model's newBatch32");
        }
        return b;
    }

    /**
     * The forward and backward pass of one chunk, row by row, with the same products, in the same order,
     * as {@link #accumulate32} (so the same bits); the layer-1 inputs are listed by column for
     * {@link #gradientPart32}.
     */
    @Override public double chunkPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch) {
        return chunkPass32(prepared, data, rows, from, to, chunk, batch, scratch, LISTED_COLUMNS, false, 0);
    }

    @Override public double restPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch) {
        return chunkPass32(prepared, data, rows, from, to, chunk, batch, scratch, LISTED_COLUMNS, true, 0);
    }

    @Override public double restPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch,
            int listFrom) {
        if (listFrom < 0 || listFrom > sizes[0]) throw Checks.invalid("listFrom", listFrom, "0 to " + sizes[0] + " (the inputs)");
        return chunkPass32(prepared, data, rows, from, to, chunk, batch, scratch, LISTED_COLUMNS, true, listFrom);
    }

    /**
     * {@link #chunkPass32} with the choice of {@link #LISTED_COLUMNS} (for tests), or with {@code firstLayerDone} the same pass
     * without the first layer's product, which {@link #firstLayerStage32} has written.
     */
    double chunkPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch, boolean listedColumns,
            boolean firstLayerDone) {
        return chunkPass32(prepared, data, rows, from, to, chunk, batch, scratch, listedColumns, firstLayerDone, 0);
    }

    /** As above; the chunk's inputs are listed by column from column {@code listFrom} on ({@link #listColumns32} lists the others). */
    private double chunkPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch,
            boolean listedColumns, boolean firstLayerDone, int listFrom) {
        Prepared32 w = prepared32(prepared);
        Batch32 bt = batch32(batch);
        checkData(data);
        int cs = bt.chunkSize, qa = chunk * cs, qb = Math.min(to - from, qa + cs);
        if (chunk < 0 || qa >= to - from || to - from > bt.capacity) {
            throw Checks.invalid("chunk", chunk, "a chunk of the batch of " + (to - from) + " rows (capacity " + bt.capacity + ")");
        }
        Scratch32 s = (Scratch32) scratch;
        float[] x = data.x(), p = w.flat, xr = s.act[0][0];
        int[] y = data.y(), idx = s.idx;
        int d = sizes[0], last = sizes.length - 1, nnz = 0;
        double loss = 0;
        Listing lst = bt.listing(x, d); // the data's non-zero inputs, listed once (by the first pass that sees this data)
        int[] listStart = lst.start, listed = lst.listed;
        float[] listedVal = lst.val;
        // the chunk's first-layer delta rows, which the backward pass below overwrites whole (a fill, or the copy when there is no
        // hidden layer) and which the other thread of an owned-rest region read last: their lines claimed at once (see pull)
        if (pull) claimLines(bt.delta[1], qa, qb, sizes[1]);
        // a batch's first rest pass reads the later layers' weights and transposes, whose parts another thread may have stepped
        // and copied (in the owned-rest region thread 0 takes the last parts when it runs out of its own): all their lines at once
        if (pull && firstLayerDone && chunk == 0) {
            int acc = 0;
            for (int l = 2; l <= last; l++) acc += pullLines(w.w[l], 0, sizes[l - 1], sizes[l]) + pullLines(w.wt[l], 0, sizes[l], sizes[l - 1]);
            s.pulled ^= acc;
        }
        for (int q = qa; q < qb; q++) {
            int row = rows[from + q], xo = row * d, cnt, s0;
            int[] li;
            float[] coef;
            if (listStart != null) { // the row's non-zero inputs: listed[s0 ..], values listedVal[s0 ..]
                s0 = listStart[row];
                cnt = listStart[row + 1] - s0;
                li = listed;
                coef = listedVal;
            } else {
                System.arraycopy(x, xo, xr, 0, d);
                cnt = Gemm32.nonZeros(xr, 0, d, idx);
                s0 = 0;
                xo = 0;
                li = idx;
                coef = xr;
            }
            boolean byPosition = listStart != null; // coef[s0 + t] is the value of entry t, else coef[xo + i]
            if (!byPosition || !listedColumns) { // listed rows are sorted by column from their lists at the end
                bt.grow(chunk, nnz + cnt);
                int[] cc = bt.cooCol[chunk], cr = bt.cooRow[chunk];
                float[] cv = bt.cooVal[chunk];
                for (int t = 0; t < cnt; t++) {
                    int i = li[s0 + t];
                    cc[nnz + t] = i;
                    cr[nnz + t] = q - qa;
                    cv[nnz + t] = byPosition ? coef[s0 + t] : coef[xo + i];
                }
            }
            nnz += cnt;
            float[] z = bt.act[1][q];
            if (!firstLayerDone) {
                System.arraycopy(p, bOff[1], z, 0, sizes[1]);
                if (byPosition) Gemm32.addSparseRow(coef, li, s0, s0 + cnt, p, wOff[1], z, sizes[1]);
                else Gemm32.addRowsFlat(coef, xo, p, wOff[1], li, s0, cnt, z, sizes[1]);
            }
            for (int l = 2; l <= last + 1; l++) {
                if (l - 1 < last) { // z holds a hidden layer's sums: activate them and keep them by unit too
                    float[][] at = bt.actT[l - 1];
                    activate32(z, sizes[l - 1]);
                    for (int j = 0; j < sizes[l - 1]; j++) at[j][q] = z[j];
                }
                if (l > last) break;
                float[] in = z;
                z = bt.act[l][q];
                System.arraycopy(p, bOff[l], z, 0, sizes[l]);
                Gemm32.addRowsLater(in, w.w[l], idx, Gemm32.nonZeros(in, 0, sizes[l - 1], idx), z, sizes[l]);
            }
            int label = y[row];
            loss += softmax32(bt.act[last][q], label);
            float[] dl = bt.delta[last][q];
            System.arraycopy(bt.act[last][q], 0, dl, 0, sizes[last]);
            dl[label] -= 1f;
            for (int l = last; l > 1; l--) {
                float[] dr = bt.delta[l][q], dp = bt.delta[l - 1][q];
                Arrays.fill(dp, 0, sizes[l - 1], 0f);
                Gemm32.addRowsLater(dr, w.wt[l], idx, Gemm32.nonZeros(dr, 0, sizes[l], idx), dp, sizes[l - 1]);
                derive32(dp, bt.act[l - 1][q], sizes[l - 1]);
            }
        }
        // the chunk's inputs by column (a counting sort, stable: each column's entries stay in row order)
        bt.nnz[chunk] = nnz;
        if (listFrom == 0 && bt.loEnd != 0) bt.loEnd = 0; // every column in the lists below (written only when it changes, as in listColumns32)
        if (listStart != null && listedColumns) {
            sortListed(bt, chunk, nnz, rows, from + qa, from + qb, listStart, listed, listedVal, listFrom);
            return loss;
        }
        int[] start = bt.colStart[chunk], nx = bt.next[chunk], cc = bt.cooCol[chunk], cr = bt.cooRow[chunk];
        int[] er = bt.entryRow[chunk];
        float[] cv = bt.cooVal[chunk], ev = bt.entryVal[chunk];
        Arrays.fill(start, 0);
        for (int t = 0; t < nnz; t++) if (cc[t] >= listFrom) start[cc[t] + 1]++;
        for (int i = 0; i < d; i++) {
            start[i + 1] += start[i];
            nx[i] = start[i];
        }
        for (int t = 0; t < nnz; t++) {
            if (cc[t] < listFrom) continue;
            int at = nx[cc[t]]++;
            er[at] = cr[t];
            ev[at] = cv[t];
        }
        return loss;
    }

    @Override public boolean hasStagedFirstLayer32() { return true; }

    /**
     * Stage {@code stage} of {@code stages} of the first layer's sums for the batch positions {@code q} in {@code [qa, qb)}:
     * stage s adds, in input order, the terms of the inputs {@code i} in {@code [inputs·s/stages, inputs·(s+1)/stages)} to
     * the sums the earlier stages left ({@code stage 0} starts from the bias). Each sum thus gets exactly the terms, in
     * exactly the order, of {@link #chunkPass32}'s whole-row pass, so the bits do not depend on the stages; and a thread
     * that runs one stage for every row reads, and (as {@link #prepare32Part} for the matching gradient parts) writes, only
     * that stage's weight rows.
     */
    @Override public void firstLayerStage32(Object prepared, Dataset data, int[] rows, int from, int to, int qa, int qb, int stage, int stages,
            Object batch, Object scratch) {
        if (stages < 1 || stage < 0 || stage >= stages) throw Checks.invalid("stage", stage + " of " + stages, "0 <= stage < stages");
        int d = sizes[0];
        firstLayerInputs32(prepared, data, rows, from, to, qa, qb, (int) ((long) d * stage / stages), (int) ((long) d * (stage + 1) / stages), batch, scratch);
    }

    /**
     * The first layer's terms of the inputs {@code [i0, i1)} for positions {@code [qa, qb)}, added in input order to the sums
     * that the inputs below {@code i0} left ({@code i0 = 0} starts from the bias): {@link #firstLayerStage32} with any split.
     */
    @Override public void firstLayerInputs32(Object prepared, Dataset data, int[] rows, int from, int to, int qa, int qb, int i0, int i1,
            Object batch, Object scratch) {
        Prepared32 w = prepared32(prepared);
        Batch32 bt = batch32(batch);
        checkData(data);
        checkPositions(bt, from, to, qa, qb);
        if (i0 < 0 || i1 > sizes[0] || i0 > i1) throw Checks.invalid("inputs", "[" + i0 + ", " + i1 + ")", "a range within 0 to " + sizes[0]);
        firstLayerInputs(w, data, rows, from, qa, qb, i0, i1, bt, (Scratch32) scratch);
    }

    /** {@code prepared} as this model's {@link Prepared32}, else the error that names it. */
    private Prepared32 prepared32(Object prepared) {
        if (!(prepared instanceof Prepared32 w) || w.owner != this) {
            throw Checks.invalid("prepared", prepared == null ? null : prepared.getClass().getSimpleName(), "the result of this model's prepare32");
        }
        return w;
    }

    /** Refuses a batch of rows {@code [from, to)} the working memory cannot hold, or positions {@code [qa, qb)} outside it. */
    private static void checkPositions(Batch32 bt, int from, int to, int qa, int qb) {
        if (to - from < 1 || to - from > bt.capacity) throw Checks.invalid("to - from", to - from, "1 to " + bt.capacity + " rows (the batch's capacity)");
        if (qa < 0 || qb > to - from || qa >= qb) throw Checks.invalid("positions", "[" + qa + ", " + qb + ")", "a non-empty range within 0 to " + (to - from));
    }

    private void firstLayerInputs(Prepared32 w, Dataset data, int[] rows, int from, int qa, int qb, int i0, int i1, Batch32 bt, Scratch32 s) {
        int d = sizes[0], n1 = sizes[1];
        if (pull) { // the rows' lines, all at once, before the loop below reads or writes them one strip at a time (see pull)
            if (i0 == 0) claimLines(bt.act[1], qa, qb, n1);
            else s.pulled ^= pullLines(bt.act[1], qa, qb, n1);
        }
        float[] x = data.x(), p = w.flat;
        Listing lst = bt.listing(x, d); // the data's non-zero inputs, listed once (by the first pass that sees this data)
        int[] listStart = lst.start, listed = lst.listed;
        float[] listedVal = lst.val;
        for (int q = qa; q < qb; q++) {
            int row = rows[from + q];
            float[] z = bt.act[1][q];
            if (i0 == 0) System.arraycopy(p, bOff[1], z, 0, n1);
            if (listStart != null) {
                int a = firstAtLeast(listed, listStart[row], listStart[row + 1], i0), b = firstAtLeast(listed, a, listStart[row + 1], i1);
                if (a < b) Gemm32.addSparseRow(listedVal, listed, a, b, p, wOff[1], z, n1);
            } else {
                float[] xr = s.act[0][0];
                System.arraycopy(x, row * d + i0, xr, i0, i1 - i0);
                Gemm32.addRowsFlat(xr, 0, p, wOff[1], s.idx, 0, Gemm32.nonZeros(xr, i0, i1, s.idx), z, n1);
            }
        }
    }

    /**
     * Lists chunk {@code chunk}'s inputs of the columns below {@code inputs} by column, apart from the lists of the other columns
     * (which {@link #restPass32(Object, Dataset, int[], int, int, int, Object, Object, int)} with {@code listFrom = inputs} writes):
     * the same entries in the same order as {@link #chunkPass32} lists them, so {@link #gradientPart32} gives the same bits.
     * Every chunk of a batch must be listed with the same {@code inputs}.
     */
    @Override public void listColumns32(Dataset data, int[] rows, int from, int to, int chunk, int inputs, Object batch, Object scratch) {
        listLow(data, rows, from, to, chunk, inputs, batch, scratch, false);
    }

    /**
     * {@link #listColumns32} into the batch's spare lists, for a batch still to come (rows {@code rows[from..to)}), while the
     * batch memory serves another: nothing the current batch reads changes. {@link #useListsAhead32} then makes them chunk
     * {@code chunk}'s lists, as {@link #listColumns32} with the same arguments would have made them.
     */
    @Override public void listColumnsAhead32(Dataset data, int[] rows, int from, int to, int chunk, int inputs, Object batch, Object scratch) {
        listLow(data, rows, from, to, chunk, inputs, batch, scratch, true);
    }

    /** Chunk {@code chunk}'s lists made by {@link #listColumnsAhead32} (with this {@code inputs}) become its low columns' lists. */
    @Override public void useListsAhead32(Object batch, int chunk, int inputs) {
        Batch32 bt = batch32(batch);
        if (chunk < 0 || chunk >= bt.loColStart.length) throw Checks.invalid("chunk", chunk, "0 to " + (bt.loColStart.length - 1) + " (the batch's chunks)");
        if (inputs < 0 || inputs > sizes[0]) throw Checks.invalid("inputs", inputs, "0 to " + sizes[0] + " (the model's inputs)");
        bt.swapAhead(chunk);
        if (bt.loEnd != inputs) bt.loEnd = inputs;
    }

    @Override public boolean hasListsAhead32() { return true; }

    private void listLow(Dataset data, int[] rows, int from, int to, int chunk, int inputs, Object batch, Object scratch, boolean ahead) {
        Batch32 bt = batch32(batch);
        checkData(data);
        int d = sizes[0], cs = bt.chunkSize, qa = chunk * cs, qb = Math.min(to - from, qa + cs);
        if (chunk < 0 || qa >= to - from || to - from > bt.capacity) {
            throw Checks.invalid("chunk", chunk, "a chunk of the batch of " + (to - from) + " rows (capacity " + bt.capacity + ")");
        }
        if (inputs < 0 || inputs > d) throw Checks.invalid("inputs", inputs, "0 to " + d + " (the model's inputs)");
        float[] x = data.x();
        Listing lst = bt.listing(x, d); // the data's non-zero inputs, listed once (by the first pass that sees this data)
        int[] listStart = lst.start, listed = lst.listed;
        float[] listedVal = lst.val;
        int[] start = (ahead ? bt.aheadColStart : bt.loColStart)[chunk], nx = (ahead ? bt.aheadNext : bt.loNext)[chunk], idx = ((Scratch32) scratch).idx;
        Arrays.fill(start, 0, inputs + 1, 0);
        int n = 0;
        for (int q = qa; q < qb; q++) { // count per column
            int row = rows[from + q];
            if (listStart != null) {
                int a = listStart[row], b = firstAtLeast(listed, a, listStart[row + 1], inputs);
                for (int t = a; t < b; t++) start[listed[t] + 1]++;
                n += b - a;
            } else {
                int c = Gemm32.nonZeros(x, row * d, row * d + inputs, idx);
                for (int t = 0; t < c; t++) start[idx[t] - row * d + 1]++;
                n += c;
            }
        }
        bt.growLo(chunk, n, ahead);
        int[] er = (ahead ? bt.aheadEntryRow : bt.loEntryRow)[chunk];
        float[] ev = (ahead ? bt.aheadEntryVal : bt.loEntryVal)[chunk];
        for (int i = 0; i < inputs; i++) {
            start[i + 1] += start[i];
            nx[i] = start[i];
        }
        for (int q = qa; q < qb; q++) { // then place, rows in batch order: each column's entries stay in row order
            int row = rows[from + q];
            if (listStart != null) {
                int a = listStart[row], b = firstAtLeast(listed, a, listStart[row + 1], inputs);
                for (int t = a; t < b; t++) {
                    int at = nx[listed[t]]++;
                    er[at] = q - qa;
                    ev[at] = listedVal[t];
                }
            } else {
                int c = Gemm32.nonZeros(x, row * d, row * d + inputs, idx);
                for (int t = 0; t < c; t++) {
                    int at = nx[idx[t] - row * d]++;
                    er[at] = q - qa;
                    ev[at] = x[idx[t]];
                }
            }
        }
        if (!ahead && bt.loEnd != inputs) bt.loEnd = inputs; // written only when it changes: a write passes the line of the fields every pass reads
    }

    /** The first {@code t} in {@code [a, b)} with {@code v[t] >= key} ({@code v} increasing there), else {@code b}. */
    private static int firstAtLeast(int[] v, int a, int b, int key) {
        while (a < b) {
            int m = (a + b) >>> 1;
            if (v[m] < key) a = m + 1;
            else b = m;
        }
        return a;
    }

    /**
     * Listed data ({@link Listing}): the counting sort of {@link #chunkPass32} read straight from the rows' lists
     * instead of from a copy of them in row order, which gives the same entries in the same order (rows in batch order,
     * each row's inputs in column order), without writing and reading that copy. {@code
     * -Drmsprop4j.train.listedColumns=false} sorts the copy (for A/B runs).
     */
    static final boolean LISTED_COLUMNS = !"false".equals(System.getProperty("rmsprop4j.train.listedColumns"));

    /** The entries of rows {@code rows[a..b)} (listed data) by column into chunk {@code chunk}'s {@code colStart}, {@code entryRow} and {@code entryVal}. */
    private void sortListed(Batch32 bt, int chunk, int nnz, int[] rows, int a, int b, int[] listStart, int[] listed, float[] listedVal, int i0) {
        int d = sizes[0];
        bt.grow(chunk, nnz);
        int[] start = bt.colStart[chunk], nx = bt.next[chunk], er = bt.entryRow[chunk];
        float[] ev = bt.entryVal[chunk];
        Arrays.fill(start, 0);
        for (int r = a; r < b; r++) {
            int e = listStart[rows[r] + 1];
            for (int t = i0 == 0 ? listStart[rows[r]] : firstAtLeast(listed, listStart[rows[r]], e, i0); t < e; t++) start[listed[t] + 1]++;
        }
        for (int i = 0; i < d; i++) {
            start[i + 1] += start[i];
            nx[i] = start[i];
        }
        for (int r = a; r < b; r++) {
            int q = r - a, e = listStart[rows[r] + 1];
            for (int t = i0 == 0 ? listStart[rows[r]] : firstAtLeast(listed, listStart[rows[r]], e, i0); t < e; t++) {
                int at = nx[listed[t]]++;
                er[at] = q;
                ev[at] = listedVal[t];
            }
        }
    }

    /**
     * Weight-gradient rows {@code i} of every layer with {@code i·parts/inputs = part} (and, in the last part,
     * the biases): for each chunk, its rows' terms summed in row order from zero into a row buffer (zero
     * inputs left out, as in {@link Gemm32#tn}), then the chunks added in chunk order. A chunk with no
     * non-zero input in a column adds +0, which changes nothing (a sum that starts at +0 is never −0), so
     * it is skipped.
     */
    @Override public void gradientPart32(Object batch, int batchRows, int part, int parts, float divisor, float[] grad) {
        gradientPart32(batch, batchRows, part, parts, divisor, grad, ALL_LAYERS);
    }

    /** {@link #gradientPart32} of the first layer's weights only ({@link #FIRST_LAYER}), or of the later layers' and, in the last part, every bias ({@link #LATER_LAYERS}). */
    @Override public void gradientPart32(Object batch, int batchRows, int part, int parts, float divisor, float[] grad, int layers) {
        checkLayers(layers);
        Batch32 bt = batch32(batch);
        if (batchRows < 1 || batchRows > bt.capacity) throw Checks.invalid("batchRows", batchRows, "1 to " + bt.capacity);
        if (parts < 1 || parts > bt.parts || part < 0 || part >= parts) {
            throw Checks.invalid("part", part + " of " + parts, "0 <= part < parts <= " + bt.parts + " (as newBatch32 was given)");
        }
        if (grad == null || grad.length != layout.size()) {
            throw Checks.invalid("grad.length", grad == null ? null : grad.length, "the layout size " + layout.size() + " of " + spec);
        }
        int cs = bt.chunkSize, chunks = (batchRows + cs - 1) / cs;
        int sx = layers == LATER_LAYERS ? part + bt.parts : part; // its own buffers (a first-layer part of this index may run at once)
        float[] tmp = bt.tmp[sx], acc = bt.acc[sx], col = bt.col[sx];
        int[] idx = bt.idx[sx];
        int loEnd = bt.loEnd;
        for (int l = 1; l < sizes.length; l++) {
            int nIn = sizes[l - 1], nOut = sizes[l];
            float[][] dl = bt.delta[l], at = bt.actT[l - 1];
            boolean weights = hasWeights(layers, l);
            for (int i = weights ? nIn * part / parts : 0, end = weights ? nIn * (part + 1) / parts : 0; i < end; i++) {
                int o = wOff[l] + i * nOut;
                boolean lo = i < loEnd; // this column's lists are the low ones (listColumns32)
                int[][] colStart = lo ? bt.loColStart : bt.colStart, entryRow = lo ? bt.loEntryRow : bt.entryRow;
                float[][] entryVal = lo ? bt.loEntryVal : bt.entryVal;
                if (l == 1 && Gemm32.vectorProducts) { // the same sums, each chunk's in registers (Gemm32Vector)
                    Gemm32Vector.columnGradient(entryVal, entryRow, colStart, i, chunks, cs, dl, divisor, grad, o, nOut);
                    continue;
                }
                boolean any = false;
                // each chunk's sum in registers, into grad (narrow outputs: the scalar passes, as Gemm32.addRowsLater)
                boolean laterVector = l > 1 && Gemm32.laterVector(nOut);
                for (int c = 0; c < chunks; c++) {
                    int qa = c * cs;
                    if (l == 1) {
                        int s0 = colStart[c][i], s1 = colStart[c][i + 1];
                        if (s0 == s1) continue;
                        Gemm32.addColumn(entryVal[c], entryRow[c], qa, s0, s1, dl, bt.zero, tmp, acc, nOut, !any);
                    } else {
                        int qb = Math.min(batchRows, qa + cs), cnt = 0;
                        float[] ai = at[i];
                        for (int q = qa; q < qb; q++) {
                            float v = ai[q];
                            col[cnt] = v;
                            idx[cnt] = q;
                            cnt += Gemm32.SKIP_ZEROS ? ((Float.floatToRawIntBits(v) & 0x7fffffff) + 0x7fffffff) >>> 31 : 1; // v != ±0, as Gemm32.nonZeros
                        }
                        if (cnt == 0) continue;
                        if (laterVector) Gemm32Vector.addColumn(col, idx, cnt, dl, grad, o, nOut, !any);
                        else Gemm32.addColumn(col, idx, 0, 0, cnt, dl, bt.zero, tmp, acc, nOut, !any);
                    }
                    any = true;
                }
                if (laterVector && any) {
                    if (divisor != 1f) Gemm32.divide(grad, o, nOut, divisor);
                } else if (any) {
                    if (divisor != 1f) Gemm32.divide(acc, nOut, divisor);
                    System.arraycopy(acc, 0, grad, o, nOut);
                } else {
                    Arrays.fill(grad, o, o + nOut, 0f / divisor); // +0, or NaN for a zero or NaN divisor, as dividing the zero sum gives
                }
            }
            if (part == parts - 1 && layers != FIRST_LAYER) {
                int o = bOff[l];
                for (int c = 0; c < chunks; c++) {
                    int qa = c * cs, qb = Math.min(batchRows, qa + cs);
                    Arrays.fill(tmp, 0, nOut, 0f);
                    for (int q = qa; q < qb; q++) {
                        float[] dq = dl[q];
                        for (int j = 0; j < nOut; j++) tmp[j] = tmp[j] + dq[j];
                    }
                    if (c == 0) System.arraycopy(tmp, 0, acc, 0, nOut);
                    else for (int j = 0; j < nOut; j++) acc[j] = acc[j] + tmp[j];
                }
                if (divisor != 1f) Gemm32.divide(acc, nOut, divisor);
                System.arraycopy(acc, 0, grad, o, nOut);
            }
        }
    }

    /** Per layer, the weight rows {@code i} with {@code i·parts/inputs = part} (as {@link #gradientPart32} and {@link #copyRows}); the last part adds the biases. */
    @Override public int gradientPartRanges(int part, int parts, int[] out) { return gradientPartRanges(part, parts, ALL_LAYERS, out); }

    /** As {@link #gradientPartRanges(int, int, int[])} for {@link #gradientPart32(Object, int, int, int, float, float[], int)} with {@code layers}. */
    @Override public int gradientPartRanges(int part, int parts, int layers, int[] out) {
        checkLayers(layers);
        if (parts < 1 || part < 0 || part >= parts) throw Checks.invalid("part", part + " of " + parts, "0 <= part < parts");
        int L = sizes.length, need = 2 * (L - 1) * (part == parts - 1 ? 2 : 1);
        if (out == null || out.length < need) throw Checks.invalid("out.length", out == null ? null : out.length, "at least " + need);
        int k = 0;
        for (int l = 1; l < L; l++) {
            int nIn = sizes[l - 1], nOut = sizes[l], i0 = nIn * part / parts, i1 = nIn * (part + 1) / parts;
            if (hasWeights(layers, l)) {
                out[k++] = wOff[l] + i0 * nOut;
                out[k++] = (i1 - i0) * nOut;
            }
            if (part == parts - 1 && layers != FIRST_LAYER) {
                out[k++] = bOff[l];
                out[k++] = nOut;
            }
        }
        return k / 2;
    }

    @Override public boolean hasFirstLayerChunkGradient32() { return Gemm32.vectorProducts; }

    /**
     * Chunk {@code chunk}'s terms of the first layer's weight-gradient rows of parts {@code [part0, part1)} of {@code parts},
     * added to running sums in {@code grad}: for chunks 0, 1, … in order, then {@link #firstLayerGradientFinish32} of each part,
     * the same bits as {@link #gradientPart32(Object, int, int, int, float, float[], int)} with {@link #FIRST_LAYER}.
     */
    @Override public void firstLayerGradientChunk32(Object batch, int batchRows, int chunk, int part0, int part1, int parts, float[] grad) {
        Batch32 bt = checkFirstLayerChunks(batch, batchRows, part0, part1, parts, grad);
        int cs = bt.chunkSize, nIn = sizes[0], nOut = sizes[1], loEnd = bt.loEnd;
        if (chunk < 0 || chunk * cs >= batchRows) throw Checks.invalid("chunk", chunk, "a chunk of the batch of " + batchRows + " rows");
        // the chunk's first-layer deltas, all at once (see pull); the result is kept by a branch that a sum of loaded bits never takes
        // in practice (and that, if it ever did, only counts)
        if (pull && pullLines(bt.delta[1], chunk * cs, Math.min(batchRows, (chunk + 1) * cs), nOut) == PULL_NEVER) bt.pullNever++;
        for (int i = nIn * part0 / parts, end = nIn * part1 / parts; i < end; i++) {
            boolean lo = i < loEnd;
            Gemm32Vector.columnChunk(lo ? bt.loEntryVal : bt.entryVal, lo ? bt.loEntryRow : bt.entryRow, lo ? bt.loColStart : bt.colStart, i, chunk, cs,
                    bt.delta[1], grad, wOff[1] + i * nOut, nOut);
        }
    }

    /** The end of part {@code part}'s first-layer rows after {@link #firstLayerGradientChunk32} of every chunk: the division by {@code divisor}. */
    @Override public void firstLayerGradientFinish32(Object batch, int batchRows, int part, int parts, float divisor, float[] grad) {
        Batch32 bt = checkFirstLayerChunks(batch, batchRows, part, part + 1, parts, grad);
        int cs = bt.chunkSize, chunks = (batchRows + cs - 1) / cs, nIn = sizes[0], nOut = sizes[1], loEnd = bt.loEnd;
        for (int i = nIn * part / parts, end = nIn * (part + 1) / parts; i < end; i++) {
            Gemm32Vector.columnFinish(i < loEnd ? bt.loColStart : bt.colStart, i, chunks, divisor, grad, wOff[1] + i * nOut, nOut);
        }
    }

    private Batch32 checkFirstLayerChunks(Object batch, int batchRows, int part0, int part1, int parts, float[] grad) {
        Batch32 bt = batch32(batch);
        if (!Gemm32.vectorProducts) throw new UnsupportedOperationException(spec + ": the first layer's gradient by chunks needs the vector products");
        if (batchRows < 1 || batchRows > bt.capacity) throw Checks.invalid("batchRows", batchRows, "1 to " + bt.capacity);
        if (parts < 1 || part0 < 0 || part0 > part1 || part1 > parts) throw Checks.invalid("parts", "[" + part0 + ", " + part1 + ") of " + parts, "0 <= part0 <= part1 <= parts");
        if (grad == null || grad.length != layout.size()) throw Checks.invalid("grad.length", grad == null ? null : grad.length, "the layout size " + layout.size() + " of " + spec);
        return bt;
    }

    /** Whether the parts of {@code layers} cover layer {@code l}'s weights (every layer, the first only, or the later ones). */
    private static boolean hasWeights(int layers, int l) { return layers == ALL_LAYERS || (layers == FIRST_LAYER) == (l == 1); }

    private static void checkLayers(int layers) {
        if (layers != ALL_LAYERS && layers != FIRST_LAYER && layers != LATER_LAYERS) {
            throw Checks.invalid("layers", layers, "ALL_LAYERS (0), FIRST_LAYER (1) or LATER_LAYERS (2)");
        }
    }

    @Override public boolean hasOwnedRest32() { return true; }

    /**
     * The later layers' multiply-adds per row (forward, deltas and weight gradient: 3 per weight) over a first-layer input's
     * (forward and gradient: 2 per unit of the first hidden layer), times {@link #LATER_WORK_SCALE}.
     */
    @Override public double laterLayersWork32() {
        double later = 0;
        for (int l = 2; l < sizes.length; l++) later += 3.0 * sizes[l - 1] * sizes[l];
        return LATER_WORK_SCALE * later / (2.0 * sizes[1]);
    }

    /**
     * How much slower per multiply-add the later layers ran than the first on this machine (the first layer's products are
     * vector loops over listed inputs; the later layers' are shorter and also pay for the hand-offs): fitted to the best
     * owned-rest shares measured for MNIST-10k's 784-128-64-10 network with its own sparse inputs and with dense ones
     * (issue 15, tenth pass; docs/speed-history.md).
     */
    static final double LATER_WORK_SCALE = 2.6;

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
            forward(p, data.x(), data.y(), rows, r0, nb, s, Gemm32.SKIP_ZEROS);
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
