package org.rmsprop4j.train.seed;

import java.io.IOException;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * The second half of {@code rmsprop4j demo}: RMSprop on real data. The shipped {@code digits} set
 * (1,797 8x8 images; 80/20 split with seed 42, standardised on the training part), an MLP with
 * hidden layers of 128 and 64 ReLU units, PyTorch's RMSprop with η = 0.001, batches of 32, 20 epochs,
 * float32, seed 42. About a second on two cores.
 */
public final class RealDataDemo {
    private RealDataDemo() {}

    /** Data set trained on. */
    public static final String DATASET = "digits";
    /** Model spec. */
    public static final String MODEL = "mlp:128,64";
    /** Epochs. */
    public static final int EPOCHS = 20;
    /** Batch size. */
    public static final int BATCH = 32;
    /** Seed of split, initialisation and shuffling. */
    public static final long SEED = 42;

    /** The optimizer: PyTorch's RMSprop with η = 0.001. */
    public static RmsPropConfig spec() { return RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.001).build(); }

    /** What the run gave. */
    public record Result(String dataset, String model, RmsPropConfig spec, int trainRows, int testRows, int epochs,
                         int batchSize, double testAccuracy, double testLoss, double seconds) {}

    /** Trains and evaluates; {@code threads} does not change the result. */
    public static Result run(int threads) throws IOException {
        long t0 = System.nanoTime();
        Dataset.Split sp = Datasets.load(DATASET, 0.2, SEED).standardized();
        Model m = Models.parse(MODEL, sp.train().features(), sp.train().classes(), 0);
        Optimizer opt = Optimizer.builder(spec()).layout(m.layout()).dtype(Dtype.FLOAT32).build();
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(EPOCHS).batchSize(BATCH).seed(SEED).threads(threads).build())) {
            Trainer.Result r = t.fit(sp.train(), null, sp.test(), null);
            return new Result(DATASET, m.spec(), spec(), sp.train().size(), sp.test().size(), EPOCHS, BATCH, r.test().accuracy(),
                    r.test().loss(), (System.nanoTime() - t0) / 1e9);
        }
    }
}
