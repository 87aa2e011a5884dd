package org.rmsprop4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.optim.StateQuantization;
import org.rmsprop4j.train.EpochMetrics;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;
import org.rmsprop4j.viz.Curves;
import org.rmsprop4j.viz.Render;

/**
 * The README's 8-bit state quality table and figure: MNIST-10k, 784-128-64-10 ReLU, RMSprop (PyTorch
 * defaults, lr 1e-3), batch 64, 8 epochs, on seeds 1..N (default 16), each seed trained four ways with
 * the same initial weights and batch order:
 * <ul>
 *   <li>float32 state (the reference);</li>
 *   <li>the control: float32 state whose mean square is multiplied after every step by an independent
 *       {@code 1 + u}, {@code u} uniform in ±1% (about the rounding error 8-bit state makes, but unbiased
 *       and with no quantization), to show how far a run moves from the reference on noise alone;</li>
 *   <li>8-bit state in blocks of 2,048 and of 256.</li>
 * </ul>
 * Prints per seed the test accuracy at epoch 8 and each run's difference to float32, then per run the
 * mean, spread, 95% t interval and signs of the paired differences, for the test accuracy at epoch 8,
 * the mean test accuracy of epochs 6–8 and the training loss of epoch 8; draws the mean curves over the
 * seeds (training loss, its ratio to float32 state's, and test accuracy per epoch) as a PNG.
 *
 * <pre>{@code java --add-modules jdk.incubator.vector [-Drmsprop4j.blockwise8.unbiased=true] -cp cli/target/rmsprop4j.jar org.rmsprop4j.cli.EightBitFigure docs/eightbit-mnist.png [--seeds 16] [--threads 1] [--runs fp32,fp8-2048,fp8-256,fp8-256-unbiased]}</pre>
 * The 8-bit runs round mean squares to the nearest map entry, or without bias with the property (see {@code StateQuantization}).
 * {@code --runs} picks other runs (the first must be {@code fp32}, the reference): {@code control} and any
 * {@code StateQuantization.parse} form, such as {@code fp8-256} (float8 maps) or {@code 8bit-256-unbiased}.
 */
public final class EightBitFigure {
    private EightBitFigure() {}

    /** The runs of one seed, in table order. */
    static final List<String> RUNS = List.of("fp32", "control", "8bit-2048", "8bit-256");
    static final List<String> LABELS = List.of("float32 state", "control: float32, ν × (1 ± 1%)",
            "8-bit state, blocks of 2,048", "8-bit state, blocks of 256");

    /** The figure's label of a run. */
    static String label(String run) {
        int k = RUNS.indexOf(run);
        if (k >= 0) return LABELS.get(k);
        StateQuantization q = StateQuantization.parse(run);
        return (q.float8() ? "8-bit float8 state" : "8-bit state") + ", blocks of " + String.format(Locale.ROOT, "%,d", q.blockSize())
                + (q.unbiasedRounding() ? ", unbiased" : "");
    }

    static List<EpochMetrics> fit(Dataset.Split sp, String run, long seed, int threads) throws Exception {
        Model m = Models.parse("mlp:128,64:relu", sp.train().features(), sp.train().classes(), 0);
        StateQuantization q = run.equals("fp32") || run.equals("control") ? StateQuantization.none() : StateQuantization.parse(run);
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.001)).layout(m.layout()).stateQuantization(q).build();
        TrainingListener l = run.equals("control") ? new NoisyMeanSquare(opt, new SplittableRandom(seed * 7919 + 17)) : null;
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(8).batchSize(64).seed(seed).threads(threads).build())) {
            return t.fit(sp.train(), null, sp.test(), l).history();
        }
    }

    /** The control: after every step, each stored mean square times {@code 1 + u}, u uniform in [-1%, 1%), rounded to float32. */
    static final class NoisyMeanSquare implements TrainingListener {
        private final Optimizer opt;
        private final SplittableRandom rnd;

        NoisyMeanSquare(Optimizer opt, SplittableRandom rnd) {
            this.opt = opt;
            this.rnd = rnd;
        }

        @Override public void batchDone(int epoch, int batch, int batches, double loss) {
            StateDict sd = opt.stateDict();
            Map<String, double[]> b = new LinkedHashMap<>();
            for (String k : sd.bufferKeys()) {
                double[] v = sd.buffer(k);
                for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * (1 + 0.01 * rnd.nextDouble(-1, 1)));
                b.put(k, v);
            }
            opt.loadStateDict(new StateDict(sd.formatVersion(), sd.kind(), sd.dtype(), sd.groups(), sd.paramLengths(), b));
        }
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("docs/eightbit-mnist.png");
        int seeds = 16, threads = 1;
        List<String> runs = RUNS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--runs" -> runs = List.of(args[++i].split(","));
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> out = Path.of(args[i]);
            }
        }
        if (seeds < 2) throw new IllegalArgumentException("--seeds must be at least 2 (a spread needs two), got " + seeds);
        if (runs.size() < 2 || !runs.get(0).equals("fp32")) throw new IllegalArgumentException("--runs must start with fp32 (the reference) and name another run, got " + runs);
        List<String> labels = new ArrayList<>();
        for (String run : runs) labels.add(label(run));
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        int r = runs.size();
        double[][][] acc = new double[r][seeds][], loss = new double[r][seeds][];
        System.out.println("| seed | float32 state, epoch 8 | " + String.join(" | ", runs.subList(1, r)) + " | float32 range, epochs 6–8 |");
        System.out.println("| ---: | ---: |" + " ---: |".repeat(r));
        for (int s = 0; s < seeds; s++) {
            for (int k = 0; k < r; k++) {
                List<EpochMetrics> h = fit(sp, runs.get(k), s + 1, threads);
                acc[k][s] = h.stream().mapToDouble(e -> 100 * e.testAccuracy()).toArray();
                loss[k][s] = h.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
            }
            double[] f = acc[0][s];
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %.2f%% |", s + 1, f[7]));
            for (int k = 1; k < r; k++) row.append(String.format(Locale.ROOT, " %+.2f |", acc[k][s][7] - f[7]));
            row.append(String.format(Locale.ROOT, " %.2f |", Math.max(f[5], Math.max(f[6], f[7])) - Math.min(f[5], Math.min(f[6], f[7]))));
            System.out.println(row);
        }
        System.out.println();
        System.out.println("Paired differences to float32 state over seeds 1–" + seeds + " (mean ± sd, 95% t interval of the mean, seeds below/above, seeds within 0.3 points):");
        System.out.println();
        System.out.println("| run | test accuracy, epoch 8 (points) | mean of epochs 6–8 (points) | training loss, epoch 8 (%) |");
        System.out.println("| --- | --- | --- | --- |");
        for (int k = 1; k < r; k++) {
            double[] e8 = new double[seeds], m68 = new double[seeds], l8 = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                e8[s] = acc[k][s][7] - acc[0][s][7];
                m68[s] = (acc[k][s][5] + acc[k][s][6] + acc[k][s][7] - acc[0][s][5] - acc[0][s][6] - acc[0][s][7]) / 3;
                l8[s] = 100 * (loss[k][s][7] / loss[0][s][7] - 1);
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", runs.get(k), summary(e8, 0.3), summary(m68, 0.3), summary(l8, -1));
        }
        List<double[]> meanLoss = new ArrayList<>(), meanAcc = new ArrayList<>(), relLoss = new ArrayList<>();
        for (int k = 0; k < r; k++) {
            meanLoss.add(mean(loss[k]));
            meanAcc.add(mean(acc[k]));
        }
        for (int k = 0; k < r; k++) {
            double[] rel = new double[meanLoss.get(k).length];
            for (int e = 0; e < rel.length; e++) rel[e] = 100 * (meanLoss.get(k)[e] / meanLoss.get(0)[e] - 1);
            relLoss.add(rel);
        }
        Render.writePng(Curves.of("float32 and 8-bit RMSprop state, MNIST-10k, mean of " + seeds + " seeds",
                "784-128-64-10 ReLU, RMSprop lr 1e-3 (PyTorch defaults), batch 64; 8-bit mean squares rounded "
                        + ("true".equals(System.getProperty("rmsprop4j.blockwise8.unbiased")) ? "without bias" : "to nearest") + "; rmsprop4j EightBitFigure", labels,
                List.of(new Curves.Panel("Training loss", "epoch", "mean cross-entropy (log scale)", true, meanLoss),
                        new Curves.Panel("Training loss against float32", "epoch", "% above float32 state's", false, relLoss),
                        new Curves.Panel("Test accuracy (2,000 images)", "epoch", "%", false, meanAcc))), out);
        System.out.println();
        System.out.println("wrote " + out);
    }

    /** Per epoch, the mean over seeds. */
    static double[] mean(double[][] perSeed) {
        double[] m = new double[perSeed[0].length];
        for (double[] s : perSeed) for (int e = 0; e < m.length; e++) m[e] += s[e] / perSeed.length;
        return m;
    }

    /** "mean ± sd [lo, hi], below/above, within" of paired differences; {@code within < 0} leaves the last part out. */
    static String summary(double[] d, double within) {
        int n = d.length, below = 0, above = 0, in = 0;
        double m = 0;
        for (double x : d) {
            m += x / n;
            if (x < 0) below++;
            if (x > 0) above++;
            if (Math.abs(x) <= within + 1e-9) in++;
        }
        double ss = 0;
        for (double x : d) ss += (x - m) * (x - m);
        double sd = Math.sqrt(ss / (n - 1)), h = tCritical(n - 1) * sd / Math.sqrt(n);
        String s = String.format(Locale.ROOT, "%+.2f ± %.2f [%+.2f, %+.2f], %d/%d", m, sd, m - h, m + h, below, above);
        return within < 0 ? s : s + String.format(Locale.ROOT, ", %d of %d within", in, n);
    }

    /** Two-sided 95% critical value of Student's t with {@code df} degrees of freedom. */
    static double tCritical(int df) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
        return df <= t.length ? t[df - 1] : 1.96 + 2.4 / df;
    }
}
