package org.rmsprop4j.train;

/**
 * Receives a {@link Trainer}'s progress (for progress bars, logs, metrics files). Called on the
 * training thread; every method has an empty default.
 */
public interface TrainingListener {
    /** Before the first batch of an epoch; {@code firstBatch} > 0 when resuming mid-epoch. */
    default void epochStarted(int epoch, int batches, int firstBatch) {}

    /** After each optimizer step, with the batch's mean loss. */
    default void batchDone(int epoch, int batch, int batches, double loss) {}

    /** After each epoch's evaluation. */
    default void epochDone(EpochMetrics metrics) {}

    /** After a checkpoint was written. */
    default void checkpointWritten(java.nio.file.Path file, long step) {}
}
