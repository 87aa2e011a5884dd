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
 * <li>Arithmetic is float64 whatever the storage of the parameters, unless the model also offers
 * a float32 path ({@link #hasFloat32Path()}); either way the same inputs in the same order give the
 * same bits.</li>
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
     * Whether {@link #accumulate32} is implemented: a float32 forward and backward pass, which a
     * {@link org.rmsprop4j.train.Trainer} with a float32 optimizer uses instead of the float64 one
     * (as PyTorch computes a float32 model in float32). {@code false} by default.
     */
    default boolean hasFloat32Path() { return false; }

    /** Per-thread working memory for {@link #accumulate32}; only when {@link #hasFloat32Path()}. */
    default Object newScratch32() { throw new UnsupportedOperationException(spec() + " has no float32 path"); }

    /**
     * The parameters in the form {@link #accumulate32} reads, made once per step and then shared,
     * read-only, by every chunk and thread of that step. Only when {@link #hasFloat32Path()}. The form may read
     * {@code params} itself (the MLP reads its first layer from it, not from a copy), so {@code params} must not change
     * while passes that use the form run.
     *
     * @param params   parameters (length {@code layout().size()}), Not modified
     * @param previous what the previous call returned, to be refilled, or {@code null}
     */
    default Object prepare32(float[] params, Object previous) {
        throw new UnsupportedOperationException(spec() + " has no float32 path");
    }

    /**
     * Part {@code part} of {@code parts} of refilling {@code prepared}, an earlier result of {@link #prepare32} of
     * this model, from {@code params}: the parts together do what {@code prepare32(params, prepared)} does, and
     * distinct parts may run on different threads at once. By default part 0 calls {@link #prepare32} (which must
     * then refill {@code prepared} in place) and the other parts do nothing.
     */
    default void prepare32Part(float[] params, Object prepared, int part, int parts) {
        if (part == 0) prepare32(params, prepared);
    }

    /**
     * {@link #accumulate} in float32: adds to {@code grad} the gradient of the summed loss over
     * {@code rows[from..to)}, computed in float32 arithmetic (the loss itself in float64), and returns
     * that sum. The same inputs in the same order give the same bits. Only when {@link #hasFloat32Path()}.
     *
     * @param prepared from {@link #prepare32}, Not modified
     * @param grad     length {@code layout().size()}, Modified: the gradient is added to it
     * @param scratch  from {@link #newScratch32()}
     */
    default double accumulate32(Object prepared, Dataset data, int[] rows, int from, int to, float[] grad, Object scratch) {
        throw new UnsupportedOperationException(spec() + " has no float32 path");
    }

    /**
     * Whether the fused batch form of the float32 path is implemented ({@link #newBatch32},
     * {@link #chunkPass32}, {@link #gradientPart32}): the same bits as summing each chunk's
     * {@link #accumulate32} (from zero) in chunk order, without a gradient-sized buffer per chunk.
     * {@code false} by default.
     */
    default boolean hasBatch32() { return false; }

    /**
     * Working memory of the fused batch path for batches of up to {@code rows} rows cut into chunks of
     * {@code chunkSize}, whose gradient is asked for in {@code parts} parts.
     */
    default Object newBatch32(int rows, int chunkSize, int parts) { throw new UnsupportedOperationException(spec() + " has no fused batch path"); }

    /**
     * First half of a fused batch step: the forward and backward pass of chunk {@code chunk} of the batch
     * {@code rows[from..to)} (its rows {@code from + chunk·chunkSize ..}, in order), kept in {@code batch}
     * for {@link #gradientPart32}; returns the chunk's summed loss, as {@link #accumulate32} would. Distinct
     * chunks may run on different threads at once, each with its own {@code scratch} ({@link #newScratch32()}).
     */
    default double chunkPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch) {
        throw new UnsupportedOperationException(spec() + " has no fused batch path");
    }

    /**
     * Second half, after {@link #chunkPass32} of every chunk of a batch of {@code batchRows} rows: overwrites
     * part {@code part} of {@code parts} of {@code grad} with the sum, in chunk order, of the chunks' gradients
     * (each summed over its rows in order from zero, exactly as {@link #accumulate32}), divided by
     * {@code divisor} (one float32 division per element; 1 gives the sum itself). The parts together cover
     * every element once and may run on different threads at once; the result does not depend on {@code parts}.
     */
    default void gradientPart32(Object batch, int batchRows, int part, int parts, float divisor, float[] grad) {
        throw new UnsupportedOperationException(spec() + " has no fused batch path");
    }

    /**
     * The elements of the flat parameter array that {@link #gradientPart32} writes for {@code part} of {@code parts}, as
     * pairs {@code (offset, length)} in {@code out} (room for {@code 2 · layers} pairs suffices for the MLP); returns the
     * number of pairs, or −1 when the model does not say (the default). When it does, {@link #prepare32Part} with the same
     * part and parts reads exactly the weights in these ranges, so that a caller may step a part and refresh its copy
     * right after writing its gradient.
     */
    default int gradientPartRanges(int part, int parts, int[] out) { return -1; }

    /**
     * Whether the first layer's sums of a fused batch can be computed in stages by input ranges
     * ({@link #firstLayerStage32}) and the rest of each chunk's pass after them ({@link #restPass32}), with the same bits as
     * {@link #chunkPass32}. {@code false} by default.
     */
    default boolean hasStagedFirstLayer32() { return false; }

    /**
     * Stage {@code stage} of {@code stages} of the first layer's sums of batch positions {@code [qa, qb)} of the batch
     * {@code rows[from..to)}; stage s of a position must run after stage s − 1 of it. Distinct positions may run at once,
     * each with its own {@code scratch} ({@link #newScratch32()}).
     */
    default void firstLayerStage32(Object prepared, Dataset data, int[] rows, int from, int to, int qa, int qb, int stage, int stages,
            Object batch, Object scratch) {
        throw new UnsupportedOperationException(spec() + " has no staged first layer");
    }

    /** {@link #chunkPass32} after every stage of {@link #firstLayerStage32} for the chunk's positions: the same pass without the first layer's sums. */
    default double restPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch) {
        throw new UnsupportedOperationException(spec() + " has no staged first layer");
    }

    /** {@code layers} of the per-layer forms below: every layer (as the forms without it), the first layer's weights only, or the later layers' weights and every bias. */
    int ALL_LAYERS = 0, FIRST_LAYER = 1, LATER_LAYERS = 2;

    /**
     * Whether the fused batch can also be split so that one thread owns everything after the first layer: the first layer's sums
     * by any input split ({@link #firstLayerInputs32}), the low columns' lists apart ({@link #listColumns32}, with
     * {@link #restPass32(Object, Dataset, int[], int, int, int, Object, Object, int)} listing the others), and the gradient, its
     * element ranges and the weight copy by layer group ({@code layers}), all with the same bits. {@code false} by default.
     */
    default boolean hasOwnedRest32() { return false; }

    /**
     * With the owned rest: the time one row's pass through the layers after the first takes, in units of the time one
     * non-zero input of that row takes in the first layer (its forward terms and its gradient terms), so that the trainer can
     * give thread 0 the share of the first layer that balances thread 1's rest passes. 0 by default.
     */
    default double laterLayersWork32() { return 0; }

    /** The first layer's terms of inputs {@code [i0, i1)} for positions {@code [qa, qb)}, after those of the inputs below {@code i0} ({@code i0 = 0}: from the bias). */
    default void firstLayerInputs32(Object prepared, Dataset data, int[] rows, int from, int to, int qa, int qb, int i0, int i1, Object batch, Object scratch) {
        throw new UnsupportedOperationException(spec() + " has no owned-rest form");
    }

    /** {@link #restPass32} listing the chunk's inputs by column from column {@code listFrom} on only ({@link #listColumns32} lists the ones below). */
    default double restPass32(Object prepared, Dataset data, int[] rows, int from, int to, int chunk, Object batch, Object scratch, int listFrom) {
        throw new UnsupportedOperationException(spec() + " has no owned-rest form");
    }

    /** Lists chunk {@code chunk}'s inputs of the columns below {@code inputs} by column, for {@link #gradientPart32} (every chunk with the same {@code inputs}). */
    default void listColumns32(Dataset data, int[] rows, int from, int to, int chunk, int inputs, Object batch, Object scratch) {
        throw new UnsupportedOperationException(spec() + " has no owned-rest form");
    }

    /** Whether the low columns' lists of a batch to come can be made ahead ({@link #listColumnsAhead32}). {@code false} by default. */
    default boolean hasListsAhead32() { return false; }

    /** {@link #listColumns32} of a batch still to come, into the batch memory's spare lists (nothing the current batch reads changes). */
    default void listColumnsAhead32(Dataset data, int[] rows, int from, int to, int chunk, int inputs, Object batch, Object scratch) {
        throw new UnsupportedOperationException(spec() + " cannot list ahead");
    }

    /** Chunk {@code chunk}'s lists made ahead (with these {@code inputs}) become its low columns' lists, as {@link #listColumns32} would have made them. */
    default void useListsAhead32(Object batch, int chunk, int inputs) {
        throw new UnsupportedOperationException(spec() + " cannot list ahead");
    }

    /** {@link #gradientPart32} of {@code layers} only ({@link #ALL_LAYERS}, {@link #FIRST_LAYER} or {@link #LATER_LAYERS}, which has the biases). */
    default void gradientPart32(Object batch, int batchRows, int part, int parts, float divisor, float[] grad, int layers) {
        throw new UnsupportedOperationException(spec() + " has no owned-rest form");
    }

    /** {@link #gradientPartRanges} of {@link #gradientPart32(Object, int, int, int, float, float[], int)} with {@code layers}. */
    default int gradientPartRanges(int part, int parts, int layers, int[] out) { return layers == ALL_LAYERS ? gradientPartRanges(part, parts, out) : -1; }

    /** {@link #prepare32Part} of the weights that {@link #gradientPart32(Object, int, int, int, float, float[], int)} with {@code layers} writes. */
    default void prepare32Part(float[] params, Object prepared, int part, int parts, int layers) {
        throw new UnsupportedOperationException(spec() + " has no owned-rest form");
    }

    /** Whether the first layer's weight gradient can also be summed one chunk at a time ({@link #firstLayerGradientChunk32}). {@code false} by default. */
    default boolean hasFirstLayerChunkGradient32() { return false; }

    /** Chunk {@code chunk}'s terms of the first layer's rows of parts {@code [part0, part1)}, added to running sums in {@code grad} (chunks in order). */
    default void firstLayerGradientChunk32(Object batch, int batchRows, int chunk, int part0, int part1, int parts, float[] grad) {
        throw new UnsupportedOperationException(spec() + " has no first-layer gradient by chunks");
    }

    /** After {@link #firstLayerGradientChunk32} of every chunk: part {@code part}'s first-layer rows as {@link #gradientPart32(Object, int, int, int, float, float[], int)} gives them. */
    default void firstLayerGradientFinish32(Object batch, int batchRows, int part, int parts, float divisor, float[] grad) {
        throw new UnsupportedOperationException(spec() + " has no first-layer gradient by chunks");
    }

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
