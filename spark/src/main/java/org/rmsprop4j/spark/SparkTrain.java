package org.rmsprop4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.train.EpochMetrics;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * The main class for {@code spark-submit}: trains on a data set that the executors read from any path Spark reads
 * (HDFS, S3, a shared folder), split and preprocessed on the cluster; the test part comes to the driver.
 *
 * <pre>{@code
 * spark-submit --master spark://host:7077 --class org.rmsprop4j.spark.SparkTrain rmsprop4j-spark-0.2.0-all.jar \
 *     hdfs:///data/blobs.csv --model mlp:64 --preset pytorch --lr 0.001 --epochs 5 --batch-size 4096 --chunk-size 256
 * }</pre>
 *
 * DATA is a CSV file (or folder/glob of them), or an IDX images file whose labels file has the same name with
 * {@code images-idx3} replaced by {@code labels-idx1}. Options (defaults as {@code rmsprop4j train}): {@code --model},
 * {@code --preset} (RMSprop flavour, default pytorch), {@code --lr}, {@code --epochs}, {@code --batch-size},
 * {@code --chunk-size}, {@code --seed}, {@code --dtype}, {@code --l2}, {@code --test-fraction}, {@code --preprocess}
 * (auto, standardize, scale, none), {@code --partitions}, {@code --checkpoint-dir} and {@code --resume} (folders on
 * the driver's file system). For the same data and options the parameters are bit for bit those of
 * {@code rmsprop4j train} on one machine.
 */
public final class SparkTrain {
    private SparkTrain() {}

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("rmsprop4j spark: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws Exception {
        String data = null, model = "softmax", preset = "pytorch", prep = "auto", dtype = "float32";
        Double lr = null;
        int epochs = 10, batch = 64, chunk = 16, partitions = 0;
        long seed = 42;
        double l2 = 0, testFraction = 0.2;
        Path ckpt = null, resume = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                if (data != null) throw new IllegalArgumentException("give one data set, got '" + data + "' and '" + a + "'");
                data = a;
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--model": model = v; break;
                case "--preset": preset = v; break;
                case "--lr": lr = number(a, v); break;
                case "--epochs": epochs = (int) whole(a, v); break;
                case "--batch-size": batch = (int) whole(a, v); break;
                case "--chunk-size": chunk = (int) whole(a, v); break;
                case "--partitions": partitions = (int) whole(a, v); break;
                case "--seed": seed = whole(a, v); break;
                case "--l2": l2 = number(a, v); break;
                case "--test-fraction": testFraction = number(a, v); break;
                case "--preprocess": prep = v.toLowerCase(Locale.ROOT); break;
                case "--dtype": dtype = v.toLowerCase(Locale.ROOT); break;
                case "--checkpoint-dir": ckpt = Path.of(v); break;
                case "--resume": resume = Path.of(v); break;
                default: throw new IllegalArgumentException("unknown option " + a + "; see the Javadoc of SparkTrain or the README");
            }
        }
        if (data == null) throw new IllegalArgumentException("a data set path is required (CSV, or an IDX images file)");
        if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
        TrainConfig cfg = TrainConfig.builder().epochs(epochs).batchSize(batch).chunkSize(chunk).seed(seed).threads(2)
                .checkpointDir(ckpt).build();
        RmsPropConfig spec = RmsPropPreset.byName(preset).config();
        if (lr != null) spec = spec.withLearningRate(lr);
        Dtype dt = Dtype.parse(dtype);

        try (SparkBackend b = SparkBackend.open(null, partitions)) {
            boolean images = data.contains("images-idx3");
            SparkRows all = images ? SparkData.idx(b.context(), data, data.replace("images-idx3", "labels-idx1"), b.partitions())
                    : SparkData.csv(b.context(), data, b.partitions());
            SparkRows.Split s = all.split(testFraction, seed);
            SparkRows train = s.train(), test = s.test();
            if (prep.equals("auto")) prep = images ? "scale" : "standardize";
            switch (prep) {
                case "standardize": {
                    double[][] st = train.standardization();
                    train = train.standardizedBy(st[0], st[1]);
                    test = test.standardizedBy(st[0], st[1]);
                    break;
                }
                case "scale":
                    train = train.scaled(1.0 / 255);
                    test = test.scaled(1.0 / 255);
                    break;
                case "none": break;
                default: throw new IllegalArgumentException("--preprocess must be auto, standardize, scale or none, got '" + prep + "'");
            }
            Dataset testLocal = test.collect(all.name() + " (test)");
            Model m = Models.parse(model, train.features(), train.classes(), l2);
            Optimizer opt = Optimizer.builder(spec).layout(m.layout()).dtype(dt).build();
            System.out.printf(Locale.ROOT, "data   %s: %d train / %d test rows, %d features, %d classes (%s)%n", data, train.size(),
                    testLocal.size(), train.features(), train.classes(), prep);
            System.out.printf(Locale.ROOT, "model  %s, %,d parameters, %s; spark %s%n", m.spec(), m.layout().size(), dt.label(), b.describe());
            int total = epochs;
            try (Trainer t = new Trainer(m, opt, cfg);
                 SparkGradients g = new SparkGradients(train, m, batch, chunk, b.partitions(), l2)) {
                if (resume != null) t.resume(resume);
                Trainer.Result r = t.fit(train.size(), g, null, testLocal, new TrainingListener() {
                    @Override public void epochDone(EpochMetrics e) {
                        System.out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f  test loss %.4f  test accuracy %.4f  %.1f s%n", e.epoch(), total,
                                e.trainLoss(), e.testLoss(), e.testAccuracy(), e.seconds());
                    }
                });
                System.out.printf(Locale.ROOT, "test accuracy %.4f  test loss %.4f  (%d epochs, %d steps)%n", r.test().accuracy(), r.test().loss(),
                        r.epochsDone(), r.steps());
            }
        }
        return 0;
    }

    private static double number(String opt, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " must be a number, got '" + v + "'");
        }
    }

    private static long whole(String opt, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " must be a whole number, got '" + v + "'");
        }
    }
}
