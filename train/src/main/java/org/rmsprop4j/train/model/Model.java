package org.rmsprop4j.train.model;

import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

/**
 * A classifier that computes its loss and gradient analytically (no autograd). The model owns the
 * shape of its parameters ({@link #layout()}: named tensors in one flat array, as the optimizer
 * sees them) but not their values: the caller holds the flat {@code double[]} and passes it in, so
 * one model serves many threads and checkpoints only need the array.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #accumulate} adds to {@code grad} the gradient of the <em>sum</em> of the per-row
 * losses over the given rows, visiting rows in the order given, and returns that sum. It reads
 * {@code params} and the data, writes only {@code grad} and its scratch. Averaging over a batch
 * and the L2 penalty are the caller's ({@link #addPenalty}).</li>
 * <li>Arithmetic is float64 whatever the storage of the parameters; the same inputs in the same
 * order give the same bits.</li>
 * <li>A scratch object ({@link #newScratch()}) may be used by one thread at a time.</li>
 * </ul>
 */
public interface Model {

    /** The spec this model was made from, e.g. {@code "mlp:128,64:relu"} ({@link Models#parse}). */
    String spec();

    /** Named parameter tensors, in the order of the flat array. */
    ParamLayout layout();

    /** Numbers per input row. */
    int inputs();

    /** Number of classes predicted. */
    int classes();

    /** Writes initial values into {@code params} (length {@code layout().size()}), drawing from {@code rng}. */
    void initialize(double[] params, Rng rng);

    /** Per-thread working memory for {@link #accumulate} and {@link #evaluate}. */
    Object newScratch();

    /**
     * Adds the gradient of {@code sum over rows[from..to) of loss(row)} to {@code grad} and returns that sum.
     *
     * @param params  parameters, Not modified
     * @param data    rows of features and labels, Not modified
     * @param rows    row indices into {@code data}, Not modified
     * @param grad    Modified: the gradient is added to it
     * @param scratch from {@link #newScratch()}
     */
    double accumulate(double[] params, Dataset data, int[] rows, int from, int to, double[] grad, Object scratch);

    /**
     * Summed loss and number of correct predictions (arg-max) over {@code rows[from..to)}, without a gradient.
     *
     * @return {@code {lossSum, correctCount}}
     */
    double[] evaluate(double[] params, Dataset data, int[] rows, int from, int to, Object scratch);

    /** L2 strength λ of the penalty {@code λ/2·Σw²} over the weights (not the biases); 0 when off. */
    double l2();

    /**
     * Adds the gradient of the L2 penalty, {@code λ·w} on weight tensors, to {@code grad} and
     * returns the penalty {@code λ/2·Σw²}; does nothing and returns 0 when {@link #l2()} is 0.
     */
    double addPenalty(double[] params, double[] grad);
}
