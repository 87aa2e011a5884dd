package org.rmsprop4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * Java half of the end-to-end comparison with {@code bench/python/torch_mlp_epoch.py}: the MLP
 * 784-128-64-10 (ReLU, softmax cross-entropy) on the 8,000 MNIST-10k training images scaled to
 * [0, 1], mini-batches of 64, RMSprop lr 1e-3 (alpha 0.99, eps 1e-8), float32. One warm-up epoch,
 * then {@code epochs} timed ones; an epoch's time runs from its first batch to the end of its last
 * optimizer step (shuffling included, evaluation excluded, as in the Python script).
 */
final class MlpEpochTimer {
    private MlpEpochTimer() {}

    /** Median seconds per epoch and the individual timed epochs. */
    record Result(double secondsPerEpoch, double[] epochSeconds, int parameters) {}

    static Result run(int threads, int epochs) throws IOException {
        Dataset train = Datasets.mnist10k().train().scaled(1.0 / 255);
        Model m = Models.parse("mlp:128,64:relu", train.features(), train.classes(), 0);
        Optimizer opt = Optimizer.builder(RmsPropConfig.builder().learningRate(1e-3).decay(0.99).eps(1e-8).build())
                .layout(m.layout()).build();
        TrainConfig cfg = TrainConfig.builder().epochs(epochs + 1).batchSize(64).seed(0).threads(threads).build();
        List<Double> times = new ArrayList<>();
        TrainingListener timer = new TrainingListener() {
            long start;

            @Override public void epochStarted(int epoch, int batches, int firstBatch) { start = System.nanoTime(); }

            @Override public void batchDone(int epoch, int batch, int batches, double loss) {
                if (batch == batches && epoch > 1) times.add((System.nanoTime() - start) / 1e9);
            }
        };
        try (Trainer t = new Trainer(m, opt, cfg)) {
            t.fit(train, null, null, timer);
        }
        double[] s = times.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Result(median, s, m.layout().size());
    }
}
