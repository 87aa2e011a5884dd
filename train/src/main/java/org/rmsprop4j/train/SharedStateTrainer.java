package org.rmsprop4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.SharedState;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;

/**
 * Asynchronous training with shared parameters and shared optimizer state: {@code K} worker threads
 * each compute the gradient of their own mini-batches and apply it, without locks, to the one
 * parameter array and the one optimizer state (mean square, momentum) through a
 * {@link SharedState} — Hogwild! (Recht et al. 2011) with A3C's shared RMSprop (Mnih et al. 2016).
 * <b>Racy by design</b>: results depend on how the threads interleave and are not reproducible bit
 * for bit; {@link Trainer} (synchronous, the same bits whatever its thread count) stays the default.
 *
 * <h2>What is deterministic and what is not</h2>
 * Initialisation and every epoch's shuffle are {@link Trainer}'s (same seed, same permutation). Batch
 * {@code b} of an epoch (rows {@code b·batchSize ..}) goes to worker {@code b mod K}, which works
 * through its batches in order, so each worker's batches are fixed by the seed; only the
 * interleaving of the workers' steps is not. For each batch a worker copies the shared parameters
 * into its own buffer (a racy read: other workers may be writing), computes the batch's gradient
 * from that copy exactly as {@link Trainer} does (fixed chunks of {@link TrainConfig#chunkSize()}
 * rows summed in order, float32 for a float32 model with a float32 path), and applies it with
 * {@link SharedState.Worker#step}. What the races can lose is described there: an element's update
 * overwritten by another worker's read-modify-write of the same element; never a step count (every
 * applied batch is counted exactly). With one worker nothing races and the run is bit for bit that of
 * {@link Trainer} with one thread (tested).
 *
 * <h2>Epochs</h2> The workers are joined at the end of every epoch, so evaluation, the metrics and
 * {@link #optimizer()}'s {@link Optimizer#stateDict()} see exact, settled values then. Listener calls:
 * {@code epochStarted} and {@code epochDone} on the calling thread; {@code batchDone} from the worker
 * threads, one at a time (serialized), with the number of batches done so far in the epoch.
 * {@link TrainConfig#threads()} is not used (the worker count is). If a worker fails, the others stop,
 * and parameters and optimizer state are put back as they were at the start of that epoch before the
 * failure is rethrown.
 *
 * <h2>Checkpoints and resume</h2> With {@link TrainConfig#checkpointDir()} set, a checkpoint is written
 * at epoch ends (every {@link TrainConfig#checkpointEveryEpochs()} epochs, after the last one and when
 * early stopping ends the run), after the workers are joined and the shared session is closed, so it
 * holds exact values: the parameters, the optimizer state with its step counts, the epoch, the random
 * generator's state and the early-stopping state. It is {@link Trainer}'s {@link Checkpoint} (same
 * format, written atomically: a reader sees the old file or the whole new one), so either trainer
 * resumes the other's checkpoints. Checkpoints inside an epoch ({@link TrainConfig#checkpointEverySteps()})
 * are refused: while workers run, no exact state exists. {@link #resume(Path)} continues from a
 * checkpoint written at an epoch end with the same checks as {@link Trainer#resume(Path)}; the run
 * after it is racy as any other (with one worker it is bit for bit the uninterrupted run).
 *
 * <h2>Lifecycle</h2> Construct, optionally {@link #resume(Path)}, {@link #fit}, {@link #close()} (stops
 * the threads). Not thread-safe.
 */
public final class SharedStateTrainer implements AutoCloseable {
    /** Largest worker count accepted. */
    public static final int MAX_WORKERS = 256;

    private final Model model;
    private final Optimizer optimizer;
    private final TrainConfig config;
    private final int workers;
    private final boolean f32, compute32;
    private final float[] p32;
    private final double[] p64;
    private final Rng rng;
    private final ExecutorService pool;
    private final WorkerBuffers[] buffers;
    private final long[] workerSteps;
    private long rngAtEpochStart;
    private int epoch;
    private long steps;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private boolean stopped;
    private boolean dynamicBatches;
    private int trainRowsSeen = -1;  // the resumed checkpoint's training rows, or -1
    private String dataSeen;         // the resumed checkpoint's data fingerprint, or null
    private String dataFingerprint;  // of the data being trained on, once fit has seen it

    /**
     * @param model     the model; parameters are initialised with {@code config.seed()}, as {@link Trainer} does
     * @param optimizer built on {@code model.layout()}; its groups must be RMSprop, SGD or Adam with a fused kernel
     * @param config    epochs, batch and chunk size, seed, patience, checkpoints at epoch ends; {@code threads} is not used,
     *                  {@code checkpointEverySteps} must be 0
     * @param workers   worker threads, 1..{@value #MAX_WORKERS}
     */
    public SharedStateTrainer(Model model, Optimizer optimizer, TrainConfig config, int workers) {
        this.model = Checks.notNull("model", model);
        this.optimizer = Checks.notNull("optimizer", optimizer);
        this.config = Checks.notNull("config", config);
        if (workers < 1 || workers > MAX_WORKERS) throw Checks.invalid("workers", workers, "in 1.." + MAX_WORKERS);
        if (!optimizer.layout().equals(model.layout())) {
            throw Checks.invalid("optimizer layout", optimizer.layout(), "the model's layout " + model.layout());
        }
        if (config.checkpointEverySteps() != 0) {
            throw Checks.invalid("checkpointEverySteps", config.checkpointEverySteps(), "0: shared-state training checkpoints at epoch ends "
                    + "only (while workers run, no exact state exists); use checkpointEveryEpochs");
        }
        optimizer.shared().close(); // refuses an unsupported optimizer now, not after the data is loaded
        this.workers = workers;
        f32 = optimizer.dtype() == Dtype.FLOAT32;
        int n = model.layout().size();
        p64 = new double[n];
        p32 = f32 ? new float[n] : null;
        rng = new Rng(config.seed());
        Trainer.initialize(model, rng, p64, p32);
        rngAtEpochStart = rng.state();
        compute32 = f32 && model.hasFloat32Path() && Trainer.FLOAT32_COMPUTE;
        buffers = new WorkerBuffers[workers];
        for (int w = 0; w < workers; w++) buffers[w] = new WorkerBuffers(n);
        workerSteps = new long[workers];
        pool = workers > 1 ? Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "rmsprop4j-shared-worker");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** One worker's own memory: its copy of the parameters, gradient buffers, model scratch. */
    private final class WorkerBuffers {
        final float[] local32, g32, chunk32, sum32;
        final double[] local64, g64, chunk64;
        final Object scratch;
        final Object batch;              // the model's fused batch memory (Model#hasBatch32), else null
        Object prepared;
        double lossSum;
        long rows;

        WorkerBuffers(int n) {
            local32 = f32 ? new float[n] : null;
            g32 = f32 ? new float[n] : null;
            boolean fused = compute32 && Trainer.FUSED_BATCH && model.hasBatch32();
            batch = fused ? model.newBatch32((config.batchSize() + config.chunkSize() - 1) / config.chunkSize() * config.chunkSize(), config.chunkSize(), 1) : null;
            chunk32 = compute32 && !fused ? new float[n] : null;
            sum32 = compute32 && !fused ? new float[n] : null;
            local64 = new double[n];
            g64 = new double[n];
            chunk64 = compute32 ? null : new double[n];
            scratch = compute32 ? model.newScratch32() : model.newScratch();
        }
    }

    /**
     * Deals batches on demand instead of round-robin: each worker takes the next batch nobody has taken
     * (an atomic counter), so a worker the operating system deschedules does not hold up the end of the
     * epoch; which worker computes which batch is then racy too (the batches and their order of taking are
     * still the seeded ones). Off by default. Call it before {@link #fit}.
     *
     * @return this trainer
     */
    public SharedStateTrainer dynamicBatches(boolean on) {
        dynamicBatches = on;
        return this;
    }

    public Model model() { return model; }

    public Optimizer optimizer() { return optimizer; }

    public TrainConfig config() { return config; }

    /** Number of worker threads. */
    public int workers() { return workers; }

    /**
     * Optimizer steps applied by all workers (exact: counted by the shared state's atomic counter); after
     * {@link #resume}, counted on from the checkpoint's step count.
     */
    public long steps() { return steps; }

    /** Steps each worker applied so far, by worker; they sum to {@link #steps()}. */
    public long[] workerSteps() { return workerSteps.clone(); }

    /** Completed epochs. */
    public int epochsDone() { return epoch; }

    /** A copy of the parameters (float32 values widened exactly when the dtype is float32). */
    public double[] parameters() {
        if (f32) for (int i = 0; i < p32.length; i++) p64[i] = p32[i];
        return p64.clone();
    }

    /**
     * Runs the remaining epochs; as {@link Trainer#fit(Dataset, Dataset, Dataset, TrainingListener)}, with
     * the differences in the class comment.
     *
     * @throws IOException when a checkpoint cannot be written (the folder is checked before the first epoch);
     *                     the epoch before it stays trained
     */
    public Trainer.Result fit(Dataset train, Dataset validation, Dataset test, TrainingListener listener) throws IOException {
        Checks.notNull("train", train);
        checkData(train);
        checkTrainingData(train);
        if (validation != null) checkData(validation);
        if (test != null) checkData(test);
        TrainingListener l = listener == null ? new TrainingListener() {} : listener;
        int n = train.size(), bs = config.batchSize();
        int batches = (n + bs - 1) / bs;
        int[] perm = new int[n];
        List<EpochMetrics> history = new ArrayList<>();
        Path ckpt = config.checkpointDir() == null ? null : config.checkpointDir().resolve(Checkpoint.FILE_NAME);
        if (ckpt != null) IoMessages.checkCheckpointFolder(config.checkpointDir()); // fail now, not after an epoch
        while (epoch < config.epochs() && !stopped) {
            long t0 = System.nanoTime();
            rng.setState(rngAtEpochStart);
            for (int i = 0; i < n; i++) perm[i] = i;
            rng.shuffle(perm);
            l.epochStarted(epoch + 1, batches, 0);
            runEpoch(train, perm, batches, l);
            double lossSum = 0;
            long rows = 0;
            for (WorkerBuffers b : buffers) {
                lossSum += b.lossSum;
                rows += b.rows;
            }
            double trainLoss = lossSum / rows;
            Trainer.Evaluation val = validation == null ? null : evaluate(validation);
            Trainer.Evaluation te = test == null ? null : evaluate(test);
            double monitored = val != null ? val.loss() : trainLoss;
            if (monitored < bestLoss) {
                bestLoss = monitored;
                badEpochs = 0;
            } else {
                badEpochs++;
            }
            if (config.patience() > 0 && badEpochs >= config.patience()) stopped = true;
            epoch++;
            rngAtEpochStart = rng.state();
            EpochMetrics m = new EpochMetrics(epoch, steps, trainLoss, val == null ? Double.NaN : val.loss(),
                    te == null ? Double.NaN : te.loss(), te == null ? Double.NaN : te.accuracy(),
                    optimizer.scheduledLearningRate(optimizer.groupNames().get(0)), (System.nanoTime() - t0) / 1e9);
            history.add(m);
            l.epochDone(m);
            if (ckpt != null && (epoch % config.checkpointEveryEpochs() == 0 || epoch == config.epochs() || stopped)) {
                checkpoint(n).save(ckpt); // the session is closed: parameters and state are exact
                l.checkpointWritten(ckpt, steps);
            }
        }
        return new Trainer.Result(history, epoch, steps, stopped, test == null ? null : evaluate(test));
    }

    /** One epoch on all workers; joins them, closes the session, and on failure restores parameters and state. */
    private void runEpoch(Dataset data, int[] perm, int batches, TrainingListener l) {
        float[] saved32 = f32 ? p32.clone() : null;
        double[] saved64 = f32 ? null : p64.clone();
        StateDict savedState;
        try {
            savedState = optimizer.stateDict();
        } catch (IllegalStateException e) {
            savedState = null; // a schedule without a description cannot be saved: the state is then not restored on failure
        }
        Object listenerLock = new Object();
        int[] done = {0};
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        SharedState shared = optimizer.shared();
        SharedState.Worker[] ws = new SharedState.Worker[workers];
        for (int w = 0; w < workers; w++) {
            ws[w] = shared.worker();
            buffers[w].lossSum = 0;
            buffers[w].rows = 0;
        }
        Throwable failure = null;
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 1; w < workers; w++) {
                int id = w;
                fs.add(pool.submit(() -> work(id, ws[id], data, perm, batches, l, listenerLock, done, failed, next)));
            }
            try {
                work(0, ws[0], data, perm, batches, l, listenerLock, done, failed, next);
            } catch (RuntimeException | Error e) {
                failure = e;
                failed.set(true);
            }
            boolean interrupted = false;
            for (Future<?> f : fs) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // keep waiting: the workers write the shared arrays
                    } catch (ExecutionException e) {
                        if (failure == null) failure = e.getCause();
                        else if (failure != e.getCause()) failure.addSuppressed(e.getCause());
                        break;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted while the shared-state workers ran");
            }
        } finally {
            shared.close(); // every worker has ended: the counts are exact
        }
        if (failure != null) {
            if (savedState != null) optimizer.loadStateDict(savedState);
            if (f32) System.arraycopy(saved32, 0, p32, 0, p32.length);
            else System.arraycopy(saved64, 0, p64, 0, p64.length);
            if (failure instanceof RuntimeException re) throw re;
            if (failure instanceof Error er) throw er;
            throw new IllegalStateException(failure);
        }
        for (int w = 0; w < workers; w++) workerSteps[w] += ws[w].steps();
        steps += shared.appliedSteps();
    }

    /** Worker {@code id}'s part of an epoch: batches id, id+K, id+2K, ... in order (or, with dynamic batches, the next untaken one). */
    private void work(int id, SharedState.Worker sw, Dataset data, int[] perm, int batches, TrainingListener l, Object lock,
                      int[] done, AtomicBoolean failed, java.util.concurrent.atomic.AtomicInteger next) {
        WorkerBuffers b = buffers[id];
        int bs = config.batchSize(), n = data.size();
        try {
            for (int batch = dynamicBatches ? next.getAndIncrement() : id; batch < batches;
                 batch = dynamicBatches ? next.getAndIncrement() : batch + workers) {
                if (failed.get()) return;
                int from = batch * bs, to = Math.min(n, from + bs);
                double loss = compute32 ? gradient32(b, data, perm, from, to) : gradient64(b, data, perm, from, to);
                if (f32) sw.step(p32, b.g32);
                else sw.step(p64, b.g64);
                b.lossSum += loss;
                b.rows += to - from;
                synchronized (lock) {
                    l.batchDone(epoch + 1, ++done[0], batches, loss / (to - from));
                }
            }
        } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
        }
    }

    /** Trainer's float32 step on this worker's copy of the parameters: chunk gradients summed in chunk order, then the mean. */
    private double gradient32(WorkerBuffers b, Dataset data, int[] perm, int from, int to) {
        System.arraycopy(p32, 0, b.local32, 0, p32.length); // racy read of the shared parameters
        b.prepared = model.prepare32(b.local32, b.prepared);
        int rows = to - from, cs = config.chunkSize();
        int chunks = (rows + cs - 1) / cs;
        double loss = 0;
        if (b.batch != null) {
            // Trainer's fused batch path on one thread: chunk passes in order, then the mean straight into g32
            for (int c = 0; c < chunks; c++) {
                double cl = model.chunkPass32(b.prepared, data, perm, from, to, c, b.batch, b.scratch);
                loss = c == 0 ? cl : loss + cl;
            }
            model.gradientPart32(b.batch, rows, 0, 1, rows, b.g32);
            addPenalty32(b);
            return loss;
        }
        for (int c = 0; c < chunks; c++) {
            float[] g = c == 0 ? b.sum32 : b.chunk32;
            Arrays.fill(g, 0f);
            int a = from + c * cs, e = Math.min(to, a + cs);
            double cl = model.accumulate32(b.prepared, data, perm, a, e, g, b.scratch);
            loss = c == 0 ? cl : loss + cl;
            if (c > 0) for (int i = 0; i < g.length; i++) b.sum32[i] += g[i];
        }
        float nr = rows;
        for (int i = 0; i < b.g32.length; i++) b.g32[i] = b.sum32[i] / nr;
        addPenalty32(b);
        return loss;
    }

    /** An L2 penalty on the float32 mean gradient, through float64 as Trainer adds it. */
    private void addPenalty32(WorkerBuffers b) {
        if (model.l2() != 0) {
            for (int i = 0; i < b.g32.length; i++) {
                b.local64[i] = b.local32[i];
                b.g64[i] = b.g32[i];
            }
            model.addPenalty(b.local64, b.g64);
            for (int i = 0; i < b.g32.length; i++) b.g32[i] = (float) b.g64[i];
        }
    }

    /** Trainer's float64 gradient on this worker's copy (widened from float32 storage, then narrowed back for the step). */
    private double gradient64(WorkerBuffers b, Dataset data, int[] perm, int from, int to) {
        if (f32) for (int i = 0; i < p32.length; i++) b.local64[i] = p32[i];
        else System.arraycopy(p64, 0, b.local64, 0, p64.length);
        int rows = to - from, cs = config.chunkSize();
        int chunks = (rows + cs - 1) / cs;
        double loss = 0;
        for (int c = 0; c < chunks; c++) {
            double[] g = c == 0 ? b.g64 : b.chunk64;
            Arrays.fill(g, 0.0);
            int a = from + c * cs, e = Math.min(to, a + cs);
            double cl = model.accumulate(b.local64, data, perm, a, e, g, b.scratch);
            loss = c == 0 ? cl : loss + cl;
            if (c > 0) for (int i = 0; i < g.length; i++) b.g64[i] += g[i];
        }
        for (int i = 0; i < b.g64.length; i++) b.g64[i] /= rows;
        model.addPenalty(b.local64, b.g64);
        if (f32) for (int i = 0; i < b.g64.length; i++) b.g32[i] = (float) b.g64[i];
        return loss;
    }

    /**
     * The state of this run at the end of its last completed epoch, as {@link Trainer#checkpoint(int)} gives it
     * (what {@link #fit} writes). Its step field counts the batches of the epochs done, as a synchronous run's
     * does; the optimizer state inside holds the steps applied (fewer if a non-finite policy skipped some).
     *
     * @param trainRows rows of the training data
     * @throws IllegalStateException if the optimizer's schedule cannot be saved (see {@link Optimizer#stateDict()})
     */
    public Checkpoint checkpoint(int trainRows) {
        Checks.atLeast("trainRows", trainRows, 1);
        long batches = (trainRows + (long) config.batchSize() - 1) / config.batchSize();
        return new Checkpoint(model.spec(), optimizer.dtype(), config.seed(), config.batchSize(), config.chunkSize(), trainRows,
                epoch, 0, epoch * batches, rngAtEpochStart, 0, 0, bestLoss, badEpochs,
                Trainer.settings(config, optimizer, dataFingerprint), parameters(), optimizer.stateDict());
    }

    /**
     * Continues from a checkpoint file (or a folder holding one) written at an epoch end, by this class or by
     * {@link Trainer}: parameters, optimizer state and step counts, epoch, shuffling and early-stopping state.
     * Everything is checked first, as {@link Trainer#resume(Path)} checks it; the training data's rows and
     * fingerprint are checked by {@link #fit}. Call it before {@link #fit}.
     *
     * @throws IOException              for a missing or damaged file
     * @throws IllegalArgumentException naming the first mismatch, or for a checkpoint written inside an epoch
     *                                  (a synchronous run's {@code checkpointEverySteps}); nothing is changed then
     */
    public void resume(Path file) throws IOException {
        Checks.notNull("file", file);
        resume(Checkpoint.load(file, Checkpoint.maxBytes(model.layout().size())));
    }

    /** As {@link #resume(Path)}, from a checkpoint already loaded. */
    public void resume(Checkpoint c) {
        Checks.notNull("checkpoint", c);
        Trainer.checkResumable(c, model, optimizer, config, Trainer.settings(config, optimizer, null));
        if (c.batch() != 0) {
            throw new IllegalArgumentException("cannot resume: the checkpoint was written inside epoch " + (c.epoch() + 1) + ", after batch "
                    + c.batch() + "; shared-state training resumes only from an epoch end: finish that epoch with synchronous training "
                    + "(Trainer; train without --shared-threads), or use a checkpoint written at an epoch end");
        }
        optimizer.loadStateDict(c.optimizerState()); // validates fully before changing anything
        double[] p = c.params();
        if (f32) for (int i = 0; i < p.length; i++) p32[i] = (float) p[i];
        else System.arraycopy(p, 0, p64, 0, p.length);
        epoch = c.epoch();
        steps = c.steps();
        rngAtEpochStart = c.rngState();
        bestLoss = c.bestLoss();
        badEpochs = c.badEpochs();
        trainRowsSeen = c.trainRows();
        dataSeen = c.settings().get("data");
        stopped = config.patience() > 0 && badEpochs >= config.patience(); // early stopping had ended the run: it stays stopped
    }

    /** Whether early stopping has ended this run: in {@link #fit}, or before the resumed checkpoint was written. */
    public boolean stoppedEarly() { return stopped; }

    /**
     * Checks that {@code train} is the training data of the checkpoint this trainer resumed (rows and fingerprint),
     * as {@link Trainer#checkTrainingData} does; {@link #fit} does it too.
     *
     * @throws IllegalArgumentException "cannot resume: the training ... in the checkpoint, ... now; ..."
     */
    public void checkTrainingData(Dataset train) {
        Checks.notNull("train", train);
        if (trainRowsSeen >= 0 && trainRowsSeen != train.size()) {
            throw new IllegalArgumentException("cannot resume: the training part has " + trainRowsSeen + " rows in the checkpoint, " + train.size()
                    + " now; give the same data, split and preprocessing");
        }
        String fp = Trainer.fingerprint(train);
        if (dataSeen != null && !dataSeen.equals(fp)) {
            throw new IllegalArgumentException("cannot resume: the training data (after preprocessing) is " + dataSeen + " in the checkpoint, " + fp
                    + " now; give the same data, split and preprocessing");
        }
        dataFingerprint = fp;
    }

    /** Mean loss and accuracy on {@code data} at the current parameters, summed as {@link Trainer#evaluate} sums them. */
    public Trainer.Evaluation evaluate(Dataset data) {
        checkData(data);
        int n = data.size();
        if (n == 0) return new Trainer.Evaluation(Double.NaN, Double.NaN, 0);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        double[] p = parameters();
        Object scratch = model.newScratch();
        double loss = 0, correct = 0;
        for (int a = 0; a < n; a += 256) {
            double[] o = model.evaluate(p, data, rows, a, Math.min(n, a + 256), scratch);
            loss += o[0];
            correct += o[1];
        }
        return new Trainer.Evaluation(loss / n, correct / n, n);
    }

    private void checkData(Dataset d) {
        if (d.features() != model.inputs()) throw Checks.invalid("features of " + d.name(), d.features(), model.inputs() + " (the model's inputs)");
        if (d.classes() > model.classes()) throw Checks.invalid("classes of " + d.name(), d.classes(), "<= " + model.classes() + " (the model's outputs)");
    }

    /** Stops the worker threads. */
    @Override public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
