package org.rmsprop4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.StateQuantization;
import org.rmsprop4j.train.EpochMetrics;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;
import org.rmsprop4j.viz.Curves;
import org.rmsprop4j.viz.Render;

/**
 * The README's 8-bit state figure and table: MNIST-10k, 784-128-64-10 ReLU, RMSprop (PyTorch
 * defaults, lr 1e-3), batch 64, 8 epochs, 2 threads, float32 state against 8-bit state (blocks of
 * 2,048 and 256), seeds 1–3. Prints per seed the final test accuracy and the mean of the last three
 * epochs, and writes the curves of seed 1 (training loss and test accuracy per epoch) as a PNG.
 *
 * <pre>{@code java -cp cli/target/rmsprop4j.jar org.rmsprop4j.cli.EightBitFigure docs/eightbit-mnist.png}</pre>
 */
public final class EightBitFigure {
    private EightBitFigure() {}

    static List<EpochMetrics> fit(Dataset.Split sp, StateQuantization q, long seed) throws Exception {
        Model m = Models.parse("mlp:128,64:relu", sp.train().features(), sp.train().classes(), 0);
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.001)).layout(m.layout()).stateQuantization(q).build();
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(8).batchSize(64).seed(seed).threads(2).build())) {
            return t.fit(sp.train(), null, sp.test(), null).history();
        }
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/eightbit-mnist.png");
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        List<StateQuantization> states = List.of(StateQuantization.none(), StateQuantization.blockwise8(2048), StateQuantization.blockwise8(256));
        List<String> labels = List.of("float32 state", "8-bit state, blocks of 2,048", "8-bit state, blocks of 256");
        List<double[]> loss = new ArrayList<>(), acc = new ArrayList<>();
        System.out.println("| seed | state | test accuracy, epoch 8 | mean of epochs 6–8 | vs float32 (epoch 8) | vs float32 (mean 6–8) |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: |");
        for (long seed = 1; seed <= 3; seed++) {
            double f8 = 0, fm = 0;
            for (int s = 0; s < states.size(); s++) {
                List<EpochMetrics> h = fit(sp, states.get(s), seed);
                int n = h.size();
                double last = 100 * h.get(n - 1).testAccuracy();
                double mean = 100 * (h.get(n - 1).testAccuracy() + h.get(n - 2).testAccuracy() + h.get(n - 3).testAccuracy()) / 3;
                if (s == 0) {
                    f8 = last;
                    fm = mean;
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %.2f%% | %.2f%% | %+.2f | %+.2f |%n", seed, states.get(s).label(), last, mean, last - f8, mean - fm);
                if (seed == 1) {
                    loss.add(h.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
                    acc.add(h.stream().mapToDouble(e -> 100 * e.testAccuracy()).toArray());
                }
            }
        }
        Render.writePng(Curves.of("RMSprop with float32 and 8-bit optimizer state — MNIST-10k",
                "784-128-64-10 ReLU, RMSprop lr 1e-3 (PyTorch defaults), batch 64, seed 1; rmsprop4j EightBitFigure",
                labels, List.of(new Curves.Panel("Training loss", "epoch", "mean cross-entropy (log scale)", true, loss),
                        new Curves.Panel("Test accuracy (2,000 images)", "epoch", "%", false, acc))), out);
        System.out.println("wrote " + out);
    }
}
