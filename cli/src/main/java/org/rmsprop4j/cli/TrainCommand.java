package org.rmsprop4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.rmsprop4j.optim.Clipping;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.LearningRateSchedule;
import org.rmsprop4j.optim.NonFiniteGradientException;
import org.rmsprop4j.optim.NonFinitePolicy;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.train.Checkpoint;
import org.rmsprop4j.train.IoMessages;
import org.rmsprop4j.train.MetricsWriter;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.data.Standardizer;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rmsprop4j train}: trains a model on a shipped data set or a file, with any optimizer. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a model on a data set with RMSprop (any framework's flavour) or another optimizer.",
                "Shows progress, then the test accuracy and loss.",
                "Same seed, data and settings give the same bits, whatever --threads;",
                "--resume continues a checkpointed run to the bits of an uninterrupted one.",
                "Example: rmsprop4j train digits -m mlp:128,64 --lr 0.001 --epochs 20"},
        footerHeading = "%nData files:%n",
        footer = {"CSV: UTF-8 text, comma-separated, one row per line; features are decimal",
                "  numbers. The label is the last column (or --label-column): class numbers",
                "  0, 1, 2, ... (at most one class per row, at most 65536), or class names",
                "  (any other text; the classes are the distinct names, sorted). The first",
                "  line may name the columns (a,b,label), or be scikit-learn's",
                "  rows,features,className0,className1,... Gzip-compressed files are read",
                "  as they are.",
                "IDX: a file whose name contains images-idx3, with its labels-idx1 file",
                "  beside it, or a folder holding MNIST's train- and t10k- (or test-) images",
                "  and labels (optionally .gz); images are scaled by 1/255 unless --preprocess."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = {"-d", "--data"}, paramLabel = "NAME|PATH",
            description = "Shipped data set (digits, breast-cancer, iris, wine, mnist10k), a CSV file, an IDX images file, or a folder of MNIST IDX files.")
    String data;

    @CommandLine.Parameters(arity = "0..1", paramLabel = "DATA", description = "The data set, as --data (give one or the other).")
    String dataPositional;

    @Option(names = "--label-column", paramLabel = "NAME|N",
            description = "CSV files: the label's column, by name (with a header of column names) or 1-based number (default: the last).")
    String labelColumn;

    @Option(names = {"-m", "--model"}, paramLabel = "SPEC", defaultValue = "softmax",
            description = {"softmax, logistic (2 classes), or an MLP: its hidden widths and activation, as in mlp:128,64 (relu, the default) or mlp:32:tanh (also: sigmoid) (default: ${DEFAULT-VALUE})."})
    String model;

    @Mixin
    OptimizerOptions opt;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Rows per mini-batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of split, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the gradient (default: the number of cores, at most 8). Does not change results.")
    Integer threads;

    @Option(names = "--shared-threads", paramLabel = "K",
            description = {"Asynchronous mode: K worker threads train on shared parameters and a shared optimizer state "
                    + "(RMSprop's mean square, momentum) without locks (Hogwild!, A3C's shared RMSprop). RACY BY DESIGN: an element's "
                    + "update can be overwritten by another worker's, gradients are computed at parameters other workers are changing, "
                    + "and results differ from run to run (the step count stays exact). Each worker takes every K-th batch of the seeded "
                    + "order. RMSprop, SGD or Adam; not with --threads, --spark or --checkpoint-every-steps. --checkpoint-dir writes "
                    + "checkpoints at epoch ends (workers joined: exact state) and --resume continues from one; the run after it is racy "
                    + "again. Without it (the default) training is synchronous and bit-reproducible."})
    Integer sharedThreads;

    @Option(names = "--dynamic-batches",
            description = {"With --shared-threads: deal batches on demand (each worker takes the next batch nobody has taken) instead "
                    + "of every K-th batch, so a worker the system deschedules does not hold up the end of the epoch; which worker "
                    + "computes which batch is then racy too."})
    boolean dynamicBatches;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "16",
            description = "Rows per gradient chunk; part of the arithmetic, so changing it changes the last bits (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "Storage of parameters and optimizer state: float32 or float64; gradients are computed in float64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--l2", paramLabel = "X", defaultValue = "0", description = "L2 penalty lambda/2*sum(w^2) on weights, in the loss (default: off).")
    double l2;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Clip the gradient to this global norm.")
    Double clipNorm;

    @Option(names = "--non-finite", paramLabel = "POLICY", defaultValue = "propagate",
            description = "When a gradient holds NaN or infinity: propagate (as PyTorch), skip the step, or stop with a message (default: ${DEFAULT-VALUE}).")
    String nonFinite;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Test part of data sets without their own split (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0",
            description = "Part of the training rows held out for early stopping (default: none; early stopping then watches the training loss).")
    double valFraction;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0", description = "Stop after N epochs without a lower monitored loss (default: off).")
    int patience;

    @Option(names = "--preprocess", paramLabel = "HOW", defaultValue = "auto",
            description = "standardize (fitted on the training part), scale (x/255), none, or auto: scale for IDX images, else standardize (default: ${DEFAULT-VALUE}).")
    String preprocess;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write " + Checkpoint.FILE_NAME + " here (atomically).")
    Path checkpointDir;

    @Option(names = "--checkpoint-every-steps", paramLabel = "N", description = "Also checkpoint every N steps, N >= 1 (default: at epoch ends only).")
    Long checkpointEverySteps;

    @Option(names = "--checkpoint-every-epochs", paramLabel = "N", defaultValue = "1", description = "Checkpoint every N epochs (default: ${DEFAULT-VALUE}).")
    int checkpointEveryEpochs;

    @Option(names = "--resume", paramLabel = "PATH", description = "Continue from a checkpoint file or folder. Repeat the interrupted command's "
            + "options (data, model, optimizer, seed, batch size, --epochs: the schedule depends on the run's length) and the result is bit-identical. "
            + "With other --state-bits or --state-block than the checkpoint's, its optimizer state is converted and the run says so "
            + "(float32 to 8-bit: what the 8-bit optimizer stores for it, lossy; 8-bit to float32: exact).")
    Path resume;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Write per-epoch metrics: CSV if FILE ends in .csv, else JSON lines.")
    Path metrics;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = {"Compute the gradients on Spark: MASTER is local[2] or spark://HOST:PORT. Same results, bit for bit, as without it.",
                    "The data are loaded here and spread over the cluster; the optimizer steps here."})
    String spark;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "With --spark: partitions of the training rows (default: Spark's default parallelism).")
    int partitions;

    @Option(names = "--no-progress", description = "No progress bar or progress lines (epoch lines and the result still print).")
    boolean noProgress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (data != null && dataPositional != null) throw new CliException("give the data set once: --data " + data + " or " + dataPositional);
        if (data == null) data = dataPositional;
        if (data == null) {
            throw new CliException("a data set is required: one of " + String.join(", ", Datasets.SHIPPED) + ", or a file or folder (--data or first argument)");
        }
        Dtype dt;
        try {
            dt = Dtype.parse(dtype.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--dtype must be float32 or float64, got '" + dtype + "'");
        }
        int th = threads == null ? Math.min(8, Runtime.getRuntime().availableProcessors()) : threads;
        if (sharedThreads != null || dynamicBatches) th = SharedTrainRun.check(sharedThreads, threads, spark, checkpointEverySteps, dynamicBatches);
        if (!(testFraction > 0 && testFraction < 1)) throw new CliException("--test-fraction must be in (0, 1), got " + testFraction);
        if (valFraction != 0 && !(valFraction > 0 && valFraction < 1)) {
            throw new CliException("--val-fraction must be in (0, 1), got " + valFraction);
        }
        if (partitions < 0) throw new CliException("--partitions must be >= 1 (or 0 for Spark's default), got " + partitions);
        if (partitions != 0 && spark == null) throw new CliException("--partitions needs --spark");
        if (spark != null && spark.isBlank()) throw new CliException("--spark must be a Spark master URL such as local[2] or spark://host:7077, got ''");
        if (spark != null && data.matches("[A-Za-z][A-Za-z0-9+.-]+:/.*")) {
            throw new CliException("--spark: train loads DATA on this machine and spreads it over the cluster; to have the executors read '"
                    + data + "', spark-submit the spark module's SparkTrain (see the README)");
        }
        if (resume != null) checkResume();

        if (checkpointEverySteps != null && checkpointEverySteps < 1) {
            throw new CliException("--checkpoint-every-steps must be >= 1, got " + checkpointEverySteps + " (leave it out to checkpoint at epoch ends only)");
        }
        TrainConfig cfg = trainConfig(th);
        opt.schedule(1); // its own errors now, before the data is loaded
        Clipping clipping = clipNorm == null ? null : withOption("--clip-norm", "maxNorm", () -> Clipping.byGlobalNorm(clipNorm));
        // files first: a folder that cannot take a checkpoint must not cost an epoch to find out
        if (checkpointDir != null) IoMessages.checkCheckpointFolder(checkpointDir);
        MetricsWriter mw = metrics == null ? null : new MetricsWriter(metrics, resume != null);
        try {
            return train(out, dt, th, cfg, clipping, mw);
        } finally {
            if (mw != null) mw.close();
        }
    }

    /** Up front, before the data is loaded: --resume names a checkpoint file, or a folder that holds one. */
    private void checkResume() {
        if (!Files.exists(resume)) throw new CliException("--resume " + resume + ": no such file or folder");
        if (Files.isDirectory(resume)) {
            if (!Files.exists(resume.resolve(Checkpoint.FILE_NAME))) {
                throw new CliException("--resume " + resume + ": the folder holds no " + Checkpoint.FILE_NAME
                        + " yet (the run stopped before its first checkpoint); start afresh: the same command without --resume");
            }
        } else if (!Files.isRegularFile(resume)) {
            throw new CliException("--resume " + resume + ": not a regular file (a device or pipe); give a checkpoint file or its folder");
        }
    }

    /** TrainConfig names its Java fields in errors; these are the options they come from. */
    private static final String[][] CONFIG_OPTIONS = {{"epochs", "--epochs"}, {"batchSize", "--batch-size"}, {"threads", "--threads"},
            {"chunkSize", "--chunk-size"}, {"patience", "--patience"}, {"checkpointEverySteps", "--checkpoint-every-steps"},
            {"checkpointEveryEpochs", "--checkpoint-every-epochs"}};

    private TrainConfig trainConfig(int th) {
        try {
            return TrainConfig.builder().epochs(epochs).batchSize(batchSize).seed(seed).threads(th).chunkSize(chunkSize)
                    .patience(patience).checkpointDir(checkpointDir).checkpointEverySteps(checkpointEverySteps == null ? 0 : checkpointEverySteps)
                    .checkpointEveryEpochs(checkpointEveryEpochs).build();
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            for (String[] f : CONFIG_OPTIONS) if (m.startsWith(f[0] + " ")) throw new CliException(f[1] + m.substring(f[0].length()));
            throw e;
        }
    }

    private int train(java.io.PrintWriter out, Dtype dt, int th, TrainConfig cfg, Clipping clipping, MetricsWriter mw) throws Exception {
        long t0 = System.nanoTime();
        Dataset.Split split = withOption("--label-column", "labelColumn",
                () -> withOption("--test-fraction", "testFraction", () -> Datasets.load(data, testFraction, seed, labelColumn)));
        Dataset train = split.train(), val = null, test = split.test();
        if (valFraction != 0) {
            Dataset trainAll = train;
            Dataset.Split tv = withOption("--val-fraction", "testFraction", () -> trainAll.split(valFraction, seed + 1));
            train = tv.train();
            val = tv.test();
        }
        String prep = preprocess.trim().toLowerCase(Locale.ROOT);
        if (prep.equals("auto")) prep = Datasets.isImages(data) ? "scale" : "standardize";
        switch (prep) {
            case "standardize": {
                Standardizer st = Standardizer.fit(train); // the training part only: nothing of validation or test leaks in
                train = st.apply(train);
                test = st.apply(test);
                if (val != null) val = st.apply(val);
                break;
            }
            case "scale":
                train = train.scaled(1.0 / 255);
                test = test.scaled(1.0 / 255);
                if (val != null) val = val.scaled(1.0 / 255);
                break;
            case "none": break;
            default: throw new CliException("--preprocess must be auto, standardize, scale or none, got '" + preprocess + "'");
        }
        Dataset tr = train;
        Model m = withOption("--model", "model", () -> Models.parse(model, tr.features(), tr.classes(), l2));
        OptimizerSpec os = opt.spec();
        long batches = (train.size() + (long) batchSize - 1) / Math.max(1, batchSize);
        LearningRateSchedule schedule = opt.schedule(batches * epochs);
        cfg = cfg.toBuilder().schedule(schedule).build(); // checkpointed, and compared on --resume
        Optimizer.Builder ob = Optimizer.builder(os).layout(m.layout()).dtype(dt).schedule(schedule);
        if (clipping != null) ob.clipping(clipping);
        switch (nonFinite.trim().toLowerCase(Locale.ROOT)) {
            case "propagate": ob.nonFinitePolicy(NonFinitePolicy.PROPAGATE); break;
            case "skip": ob.nonFinitePolicy(NonFinitePolicy.SKIP); break;
            case "stop": ob.nonFinitePolicy(NonFinitePolicy.THROW); break;
            default: throw new CliException("--non-finite must be propagate, skip or stop, got '" + nonFinite + "'");
        }
        ob.stateQuantization(opt.stateQuantization());
        Optimizer optimizer;
        try {
            optimizer = ob.build();
        } catch (IllegalArgumentException e) {
            if (opt.stateBits == 32) throw e;
            throw new CliException("--state-bits 8: " + e.getMessage());
        }
        if (sharedThreads != null) SharedTrainRun.checkOptimizer(optimizer); // before anything is printed

        out.printf(Locale.ROOT, "data   %s: %d train%s / %d test rows, %d features, %d classes (%s)%n", data, train.size(),
                val == null ? "" : " / " + val.size() + " validation", test.size(), train.features(), train.classes(), prep);
        out.printf(Locale.ROOT, "model  %s, %,d parameters, %s%n", m.spec(), m.layout().size(), dt.label());
        out.printf(Locale.ROOT, "optim  %s%s%n", describe(os), opt.stateBits == 8 ? ", state " + optimizer.stateQuantization().label() : "");
        out.printf(Locale.ROOT, "run    %d epoch%s, batch %d%s, seed %d, %d thread%s, schedule %s%n", epochs, epochs == 1 ? "" : "s", batchSize,
                batchSize > train.size() ? " (the whole training part: " + train.size() + " rows)" : "", seed, th, th == 1 ? "" : "s", opt.schedule);
        out.flush();

        SparkHook sparkHook = spark == null ? null : SparkHook.open(spark, partitions);
        if (sparkHook != null) {
            out.printf(Locale.ROOT, "spark  %s%n", sparkHook.describe());
            out.flush();
        }
        ConsoleProgress progress = new ConsoleProgress(out, System.err, !noProgress && Fmt.stderrIsTerminal(), epochs);
        List<TrainingListener> ls = new ArrayList<>();
        ls.add(noProgress ? new EpochLinesOnly(progress) : progress);
        if (mw != null) ls.add(mw);
        if (sharedThreads != null) {
            try {
                return SharedTrainRun.run(out, m, optimizer, cfg, sharedThreads, dynamicBatches, resume, train, val, test, new Fanout(ls), t0);
            } finally {
                progress.close();
            }
        }
        try (Trainer t = new Trainer(m, optimizer, cfg)) {
            if (resume != null) {
                try {
                    t.resume(ResumeState.load(out, resume, optimizer)); // converts float32 <-> 8-bit state, saying so
                } catch (IllegalArgumentException e) {
                    throw SharedTrainRun.resumeError(e);
                }
                t.checkTrainingData(train); // other data or preprocessing: refused before "resumed from" is printed
                if (t.stoppedEarly()) {
                    out.printf(Locale.ROOT, "resumed from %s: the run had stopped early after epoch %d (no lower loss for --patience %d epochs); "
                            + "no further epochs%n", resume, t.epochsDone(), patience);
                } else {
                    out.printf(Locale.ROOT, "resumed from %s at epoch %d, step %d%n", resume, t.epochsDone() + 1, t.steps());
                }
            }
            Trainer.Result r;
            try {
                r = sparkHook == null ? t.fit(train, val, test, new Fanout(ls))
                        : t.fit(train.size(), sparkHook.gradients(train, m, cfg, l2), val, test, new Fanout(ls));
            } catch (NonFiniteGradientException e) {
                throw new CliException("training stopped at step " + (t.steps() + 1) + ": " + e.getMessage()
                        + " (try a lower --lr or --clip-norm)");
            }
            if (!r.history().isEmpty() && !Double.isFinite(r.history().get(r.history().size() - 1).trainLoss())) {
                Object eps = os.hyperParameters().get("eps");
                out.println(eps instanceof Number e && e.doubleValue() == 0
                        ? "warning: the training loss is not finite; with --eps 0 a parameter whose mean square is 0 divides 0 by 0: give --eps > 0"
                        : "warning: the training loss is not finite (training diverged); try a lower --lr, --clip-norm, or --non-finite stop");
            }
            out.printf(Locale.ROOT, "test accuracy %.4f  test loss %s  (%s%s, %s, %.1f s)%n", r.test().accuracy(), Fmt.loss(r.test().loss()),
                    Fmt.count(r.epochsDone(), "epoch"), r.stoppedEarly() ? ", stopped early" : "", Fmt.count(r.steps(), "step"), (System.nanoTime() - t0) / 1e9);
        } finally {
            progress.close();
            if (sparkHook != null) sparkHook.close();
        }
        out.flush();
        return 0;
    }

    /**
     * The optimizer in one short line: its kind, then the hyper-parameters that are on (false, 0, a
     * gradient scale of 1, no gradient clip and the style of a knob that is off are left out).
     */
    static String describe(OptimizerSpec os) {
        Map<String, Object> h = os.hyperParameters();
        StringBuilder sb = new StringBuilder(os.kind());
        String sep = ": ";
        for (Map.Entry<String, Object> e : h.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            boolean off = Boolean.FALSE.equals(v) || (v instanceof Number n && n.doubleValue() == 0);
            if (off && !k.equals("eps")) continue; // an eps of 0 is worth seeing
            if (k.equals("gradientScale") && v instanceof Number n && n.doubleValue() == 1) continue;
            if (k.equals("clipGradient") && v instanceof Number n && Double.isInfinite(n.doubleValue())) continue;
            if (k.endsWith("Style") || k.endsWith("Placement")) {
                Object knob = h.get(k.substring(0, k.length() - (k.endsWith("Style") ? "Style" : "Placement").length()));
                if (Boolean.FALSE.equals(knob) || (knob instanceof Number n && n.doubleValue() == 0)) continue;
            }
            sb.append(sep).append(k).append(' ').append(v instanceof Double d ? Fmt.lr(d) : v instanceof Enum<?> en
                    ? en.name().toLowerCase(Locale.ROOT) : String.valueOf(v));
            sep = ", ";
        }
        return sb.toString();
    }

    interface IoSupplier<T> { T get() throws java.io.IOException; }

    /** Runs {@code f}; an IllegalArgumentException about {@code field} is re-worded to name {@code option} instead. */
    static <T> T withOption(String option, String field, IoSupplier<T> f) throws java.io.IOException {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith(field + " ")) throw new CliException(option + m.substring(field.length()));
            throw e;
        }
    }

    /** Passes every event to several listeners in order. */
    private record Fanout(List<TrainingListener> ls) implements TrainingListener {
        @Override public void epochStarted(int e, int b, int f) { for (TrainingListener l : ls) l.epochStarted(e, b, f); }
        @Override public void batchDone(int e, int b, int n, double loss) { for (TrainingListener l : ls) l.batchDone(e, b, n, loss); }
        @Override public void epochDone(org.rmsprop4j.train.EpochMetrics m) { for (TrainingListener l : ls) l.epochDone(m); }
        @Override public void checkpointWritten(Path f, long s) { for (TrainingListener l : ls) l.checkpointWritten(f, s); }
    }

    /** Only the per-epoch lines of a {@link ConsoleProgress}. */
    private record EpochLinesOnly(ConsoleProgress p) implements TrainingListener {
        @Override public void epochDone(org.rmsprop4j.train.EpochMetrics m) { p.epochDone(m); }
    }
}
