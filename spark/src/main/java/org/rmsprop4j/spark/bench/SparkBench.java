package org.rmsprop4j.spark.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.spark.SparkGradients;
import org.rmsprop4j.spark.SparkRows;
import org.rmsprop4j.train.EpochMetrics;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * Spark against one machine on a generated data set (Gaussian blobs): epoch time and time to a target test
 * accuracy of (a) our Trainer with 2 threads, (b) the same Trainer with its gradients on Spark ({@link SparkGradients}),
 * (c) MLlib's own {@code LogisticRegression}; then what one Spark step costs (an empty job, broadcasting the
 * parameters, collecting chunk gradients) against the batch size. Prints plain tables.
 *
 * <pre>{@code
 * java <spark --add-opens> -cp spark/target/rmsprop4j-spark-*.jar:$(cat spark/target/classpath.txt) \
 *     org.rmsprop4j.spark.bench.SparkBench [MASTER] [ROWS] [REPEATS]
 * }</pre>
 * Defaults: {@code local[2]}, 200,000 rows (160,000 train / 40,000 test), 3 repeats (the median is printed).
 */
public final class SparkBench {
    static final int FEATURES = 20, CLASSES = 10;
    static final double NOISE = 1.0;
    /** Set from MLlib's best test accuracy minus half a point. */
    static double target;

    private SparkBench() {}

    public static void main(String[] args) throws Exception {
        String master = args.length > 0 ? args[0] : "local[2]";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.setProperty("log4j2.configurationFile", "rmsprop4j-spark-log4j2.properties");
        SparkSession spark = SparkSession.builder().master(master).appName("rmsprop4j bench").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        sc.setLogLevel("WARN");
        int parts = sc.defaultParallelism();
        org.rmsprop4j.train.data.Dataset all = blobs(rows, 1);
        org.rmsprop4j.train.data.Dataset.Split s = all.split(0.2, 1).standardized();
        p("data: %,d generated rows (%d Gaussian blobs, %d features, noise %.1f), %,d train / %,d test; master %s, %d partitions",
                rows, CLASSES, FEATURES, NOISE, s.train().size(), s.test().size(), master, parts);
        p("load average at start: %s", load());
        SparkRows train = SparkRows.of(sc, s.train(), parts);
        train.blocks().count();

        p("%n== MLlib LogisticRegression (multinomial, L-BFGS, no regularisation) on the same rows ==");
        Dataset<Row> trainDf = frame(spark, s.train()), testDf = frame(spark, s.test());
        trainDf.cache().count();
        testDf.cache().count();
        p("%-10s %12s %14s", "maxIter", "fit s", "test accuracy");
        double best = 0;
        for (int it : new int[] {5, 10, 20, 50, 100}) {
            double[] t = new double[repeats];
            double acc = 0;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                LogisticRegressionModel m = new LogisticRegression().setMaxIter(it).setRegParam(0).setFamily("multinomial").setTol(0).fit(trainDf);
                t[r] = (System.nanoTime() - t0) / 1e9;
                Dataset<Row> pred = m.transform(testDf);
                acc = pred.filter(functions.col("prediction").equalTo(functions.col("label"))).count() / (double) s.test().size();
            }
            p("%-10d %12.2f %14.4f", it, median(t), acc);
            best = Math.max(best, acc);
        }
        target = best - 0.005;
        p("target for the trainers below: test accuracy >= %.4f (MLlib's best - 0.005)", target);

        p("%n== epoch time and time to target accuracy (median of %d; softmax = multinomial logistic regression, RMSprop PyTorch preset lr 0.01, chunk 256) ==", repeats);
        p("%-28s %8s %10s %12s %14s %10s %10s", "trainer", "batch", "steps/ep", "epoch s", "to target s", "epochs", "accuracy");
        for (String spec : new String[] {"softmax", "mlp:64"}) {
            for (int batch : new int[] {256, 1024, 4096, 16384}) {
                for (boolean onSpark : new boolean[] {false, true}) {
                    double[] ep = new double[repeats], tt = new double[repeats];
                    int epochs = 0;
                    double acc = 0;
                    for (int r = 0; r < repeats; r++) {
                        double[] res = run(spec, batch, onSpark ? train : null, s, parts, 5);
                        ep[r] = res[0];
                        tt[r] = res[1];
                        epochs = (int) res[2];
                        acc = res[3];
                    }
                    p("%-28s %8d %10d %12.2f %14s %10s %10.4f", spec + (onSpark ? " on Spark " + master : " one machine, 2 thr"), batch,
                            (s.train().size() + batch - 1) / batch, median(ep), Double.isNaN(median(tt)) ? "not reached" : String.format(Locale.ROOT, "%.2f", median(tt)),
                            epochs, acc);
                }
            }
        }

        p("%n== cost of one Spark step, without the gradient (median of 30; of 5 for 1,000,000 doubles) ==");
        JavaRDD<Integer> empty = sc.parallelize(List.of(1, 2), parts).cache();
        empty.count();
        p("%-52s %10s", "what", "ms");
        p("%-52s %10.2f", "empty job over " + parts + " partitions (schedule + run + result)", 1e3 * timeMedian(30, () -> empty.foreachPartition(it -> { })));
        for (int n : new int[] {650, 18_000, 1_000_000}) {
            double[] params = new double[n];
            int reps = n >= 1_000_000 ? 5 : 30;
            p("%-52s %10.2f", String.format(Locale.ROOT, "broadcast %,d doubles, read in every task, destroy", n), 1e3 * timeMedian(reps, () -> {
                Broadcast<double[]> b = sc.broadcast(params);
                empty.foreachPartition(it -> b.value());
                b.destroy();
            }));
            for (int chunks : new int[] {4, 16, 64}) {
                if (n >= 1_000_000 && chunks > 16) continue;
                p("%-52s %10.2f", String.format(Locale.ROOT, "collect %d chunk gradients of %,d doubles", chunks, n), 1e3 * timeMedian(reps, () -> {
                    empty.flatMap(x -> {
                        List<double[]> out = new ArrayList<>();
                        for (int c = x - 1; c < chunks; c += 2) out.add(new double[n]);
                        return out.iterator();
                    }).collect();
                }));
            }
        }
        p("load average at end: %s", load());
        spark.stop();
    }

    /** Ends a run at the target accuracy. */
    static final class Reached extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Reached() { super(null, null, false, false); }
    }

    /** {epoch seconds (mean over epochs), seconds to target (NaN if not reached in maxEpochs), epochs run, last test accuracy}. */
    static double[] run(String spec, int batch, SparkRows train, org.rmsprop4j.train.data.Dataset.Split s, int parts, int maxEpochs) throws Exception {
        Model m = Models.parse(spec, s.train().features(), s.train().classes(), 0);
        TrainConfig cfg = TrainConfig.builder().epochs(maxEpochs).batchSize(batch).chunkSize(256).threads(2).seed(3).build();
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.01)).layout(m.layout()).dtype(Dtype.FLOAT32).build();
        long t0 = System.nanoTime();
        double[] toTarget = {Double.NaN};
        double[] epochSum = {0};
        int[] epochs = {0};
        double[] acc = {0};
        // stop at the target: evaluate after every epoch (the evaluation's time counts, as a user's would)
        try (Trainer t = new Trainer(m, opt, cfg); SparkGradients g = train == null ? null : new SparkGradients(train, m, batch, 256, parts, 0)) {
            TrainingListener l = new TrainingListener() {
                @Override public void epochDone(EpochMetrics em) {
                    epochSum[0] += em.seconds();
                    epochs[0]++;
                    acc[0] = em.testAccuracy();
                    if (em.testAccuracy() >= target) {
                        toTarget[0] = (System.nanoTime() - t0) / 1e9;
                        throw new Reached();
                    }
                }
            };
            try {
                if (g == null) t.fit(s.train(), null, s.test(), l);
                else t.fit(s.train().size(), g, null, s.test(), l);
            } catch (Reached e) {
                // the target is reached: stop
            }
        }
        return new double[] {epochSum[0] / epochs[0], toTarget[0], epochs[0], acc[0]};
    }

    /** Gaussian blobs: one random centre per class in [-1, 1]^d, rows = centre + NOISE·N(0, 1). */
    static org.rmsprop4j.train.data.Dataset blobs(int rows, long seed) {
        Rng rng = new Rng(seed);
        double[][] c = new double[CLASSES][FEATURES];
        for (double[] r : c) for (int j = 0; j < FEATURES; j++) r[j] = 2 * rng.nextDouble() - 1;
        float[] x = new float[rows * FEATURES];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            int k = rng.nextInt(CLASSES);
            y[i] = k;
            for (int j = 0; j < FEATURES; j++) {
                double g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
                x[i * FEATURES + j] = (float) (c[k][j] + NOISE * g);
            }
        }
        return new org.rmsprop4j.train.data.Dataset("blobs", FEATURES, org.rmsprop4j.train.data.Dataset.numberedClasses(CLASSES), x, y);
    }

    static Dataset<Row> frame(SparkSession spark, org.rmsprop4j.train.data.Dataset d) {
        List<LabeledPoint> ps = new ArrayList<>(d.size());
        int f = d.features();
        for (int i = 0; i < d.size(); i++) {
            double[] v = new double[f];
            for (int j = 0; j < f; j++) v[j] = d.x()[i * f + j];
            ps.add(new LabeledPoint(d.y()[i], Vectors.dense(v)));
        }
        return spark.createDataFrame(ps, LabeledPoint.class).repartition(2);
    }

    interface Body { void run() throws Exception; }

    static double timeMedian(int n, Body b) throws Exception {
        b.run();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            b.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(t);
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static void p(String f, Object... a) {
        System.out.println(String.format(Locale.ROOT, f, a));
        System.out.flush();
    }
}
