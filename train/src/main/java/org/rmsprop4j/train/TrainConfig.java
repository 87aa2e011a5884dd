package org.rmsprop4j.train;

import java.nio.file.Path;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.LearningRateSchedule;
import org.rmsprop4j.optim.Optimizer;

/**
 * How a {@link Trainer} runs: epochs, batch size, seed, threads and the fixed chunk size that makes
 * results independent of the thread count, early stopping and checkpoints. Validated on construction.
 *
 * @param epochs                epochs to run in total (a resumed run counts the epochs already done), {@code >= 1}
 * @param batchSize             rows per mini-batch, {@code >= 1}; the last batch of an epoch may be smaller
 * @param seed                  seeds initialisation and shuffling
 * @param threads               threads computing a batch's gradient, {@code >= 1}; does not change results
 * @param chunkSize             rows per gradient chunk, {@code >= 1}: a batch is cut into chunks of this many rows,
 *                              each chunk's gradient is summed over its rows in order, and the chunks are summed in
 *                              order. Part of the arithmetic: changing it changes the last bits.
 * @param patience              early stopping: stop after this many epochs without a lower monitored loss; 0 = off
 * @param checkpointDir         folder for {@code checkpoint.bin}, or {@code null} for none
 * @param checkpointEverySteps  also write a checkpoint every this many steps; 0 = only at epoch ends
 * @param checkpointEveryEpochs write a checkpoint every this many epochs (and after the last); {@code >= 1}
 * @param schedule              the optimizer's learning-rate schedule as its {@code toString()} (for a schedule over the
 *                              whole run, such as cosine, it shows the run's length), saved in checkpoints and compared on
 *                              resume; {@code null} when not given (the {@link Optimizer} does not expose it)
 */
public record TrainConfig(int epochs, int batchSize, long seed, int threads, int chunkSize, int patience,
                          Path checkpointDir, long checkpointEverySteps, int checkpointEveryEpochs, String schedule) {
    public TrainConfig {
        Checks.atLeast("epochs", epochs, 1);
        Checks.atLeast("batchSize", batchSize, 1);
        Checks.atLeast("threads", threads, 1);
        if (threads > 256) throw Checks.invalid("threads", threads, "in 1..256");
        Checks.atLeast("chunkSize", chunkSize, 1);
        Checks.atLeast("patience", patience, 0);
        Checks.atLeast("checkpointEverySteps", checkpointEverySteps, 0);
        Checks.atLeast("checkpointEveryEpochs", checkpointEveryEpochs, 1);
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).seed(seed).threads(threads).chunkSize(chunkSize)
                .patience(patience).checkpointDir(checkpointDir).checkpointEverySteps(checkpointEverySteps)
                .checkpointEveryEpochs(checkpointEveryEpochs).scheduleDescription(schedule);
    }

    /** Collects values; {@link #build()} validates. Defaults: 10 epochs, batch 64, seed 42, 1 thread, chunks of 16. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 64;
        private long seed = 42;
        private int threads = 1;
        private int chunkSize = 16;
        private int patience = 0;
        private Path checkpointDir;
        private long checkpointEverySteps = 0;
        private int checkpointEveryEpochs = 1;
        private String schedule;

        private Builder() {}

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder chunkSize(int v) { chunkSize = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder checkpointDir(Path v) { checkpointDir = v; return this; }
        public Builder checkpointEverySteps(long v) { checkpointEverySteps = v; return this; }
        public Builder checkpointEveryEpochs(int v) { checkpointEveryEpochs = v; return this; }
        /** The schedule the optimizer was built with, so that a resume with another one is refused. */
        public Builder schedule(LearningRateSchedule v) { schedule = v == null ? null : v.toString(); return this; }
        private Builder scheduleDescription(String v) { schedule = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(epochs, batchSize, seed, threads, chunkSize, patience, checkpointDir, checkpointEverySteps,
                    checkpointEveryEpochs, schedule);
        }
    }
}
