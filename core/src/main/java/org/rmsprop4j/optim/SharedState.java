package org.rmsprop4j.optim;

import java.util.concurrent.atomic.AtomicLong;

import org.rmsprop4j.internal.Checks;

/**
 * Lock-free stepping of one {@link Optimizer}'s parameters and state by several threads at once:
 * Hogwild! (Recht et al. 2011) with the optimizer's state shared as well, which is A3C's "shared
 * RMSProp" (Mnih et al. 2016, who found a mean square shared by all asynchronous workers more robust
 * than one per worker). <b>Racy by design</b>; use {@link Optimizer#step} for the synchronous,
 * bit-exact mode, which stays the default.
 *
 * <h2>Lifecycle</h2>
 * <pre>{@code
 * try (SharedState shared = optimizer.shared()) {       // the optimizer refuses step/stateDict/load/reset meanwhile
 *     // per thread: its own Worker and its own gradient buffer
 *     SharedState.Worker w = shared.worker();
 *     ... w.step(sharedParams, myGrads) ...            // every thread passes the same params array
 *     // join every worker thread, then close
 * }                                                      // close(): the step counts become exact again
 * }</pre>
 * Every worker runs the optimizer's fused kernel (the same loop {@link Optimizer#step} runs) over the
 * whole parameter array on its own thread ({@link Optimizer#threads()} is not used), without locks and
 * without allocating. Supported: the RMSprop family (every variant and preset the kernel fuses), SGD
 * (with or without momentum) and Adam/AdamW; other families and chains that run transform by
 * transform (custom chains, and presets with a framework's arithmetic profile such as
 * {@code RmsPropPreset.KERAS}, {@code OPTAX}, {@code TRIBUO}) are refused when the session opens. Clipping and the non-finite policy apply to each
 * worker's own gradient (SKIP then skips that worker's step, THROW throws in that worker's thread;
 * either way the step is not counted). Step listeners are not called by workers.
 *
 * <h2>What the races allow</h2>
 * <ul>
 * <li><b>Lost element updates.</b> An element's update is a read-modify-write of the parameter and of
 * each state slot (mean square, grad average, momentum, Adam's moments). When two workers update the
 * same element at the same time, one may overwrite the other's write: that worker's contribution to
 * that element (parameter or slot) is lost. Each element is a plain 4- or 8-byte store, so a value is
 * never torn; a worker may combine a slot value another worker wrote with its own gradient.</li>
 * <li><b>Exact step count.</b> Steps are numbered by one atomic counter: every applied step takes a
 * distinct number, and after {@link #close()} the optimizer's {@link Optimizer#steps()} (and every
 * group's step) has grown by exactly the number of steps the workers applied
 * ({@link #appliedSteps()}, the sum of the workers' {@link Worker#steps()}).</li>
 * <li><b>Schedule and bias correction.</b> A worker's step with number {@code t} (the group's step at
 * opening plus the counter) uses the schedule's learning rate for step {@code t} and, for Adam and for
 * RMSprop with {@code biasCorrection}, the correction {@code 1 - β^t}: what a synchronous step {@code t}
 * would use, although some steps numbered below {@code t} may not have finished yet.</li>
 * <li><b>Stale reads.</b> Parameters are read while other workers write them: a worker's gradient is
 * computed at a mixture of older and newer parameter values.</li>
 * </ul>
 * With one worker nothing races: the steps are bit for bit those of {@link Optimizer#step} on the same
 * gradients.
 *
 * <h2>State while workers run</h2>
 * While a session is open the optimizer refuses {@link Optimizer#step}, {@link Optimizer#stateDict()},
 * {@link Optimizer#loadStateDict}, {@link Optimizer#resetState()} and {@link Optimizer#setLearningRate},
 * because a snapshot taken then could mix values from before and after any step. Call {@link #close()}
 * after every worker thread has ended (joined: that orders their writes before the close); the state,
 * a {@link StateDict} and a checkpoint are then exact, and the optimizer steps synchronously again.
 * A worker used after close throws {@link IllegalStateException}.
 */
public final class SharedState implements AutoCloseable {

    /** One group as the optimizer holds it, captured when the session opens (package-private, built by Optimizer). */
    static final class Group {
        final String name;
        final StepRule rule;
        final float[][] sf;
        final double[][] sd;
        final int[] runOff, runLen;
        final LearningRateSchedule schedule;
        final double baseLr;
        final long step0;

        Group(String name, StepRule rule, float[][] sf, double[][] sd, int[] runOff, int[] runLen, LearningRateSchedule schedule,
              double baseLr, long step0) {
            this.name = name;
            this.rule = rule;
            this.sf = sf;
            this.sd = sd;
            this.runOff = runOff;
            this.runLen = runLen;
            this.schedule = schedule;
            this.baseLr = baseLr;
            this.step0 = step0;
        }
    }

    private final Optimizer optimizer;
    private final Group[] groups;
    private final ParamLayout.Param[] params;
    private final Dtype dtype;
    private final int size;
    private final NonFinitePolicy policy;
    private final Clipping clipping;
    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong workers = new AtomicLong();
    private volatile boolean closed;

    SharedState(Optimizer optimizer, Group[] groups) {
        this.optimizer = optimizer;
        this.groups = groups;
        this.params = optimizer.layout().params().toArray(new ParamLayout.Param[0]);
        this.dtype = optimizer.dtype();
        this.size = optimizer.layout().size();
        this.policy = optimizer.nonFinitePolicy();
        this.clipping = optimizer.clipping();
    }

    /**
     * Refuses a group whose chain no fused kernel covers, or whose family is not one shared stepping
     * supports; {@code lowered} is the configuration the fused kernel runs (null: none).
     */
    static void checkSupported(String group, OptimizerSpec spec, OptimizerSpec lowered) {
        if (lowered == null) {
            throw Checks.invalid("spec of group '" + group + "'", "'" + spec.kind() + "' (a chain the PyTorch-order fused kernels do not cover: a custom chain, fused(false), or a framework's arithmetic profile)",
                    "a chain a fused kernel covers (RMSprop, SGD or Adam in PyTorch 1.13's arithmetic) for shared-state stepping");
        }
        if (!(lowered instanceof RmsPropConfig || lowered instanceof SgdConfig || lowered instanceof AdamConfig)) {
            throw Checks.invalid("spec of group '" + group + "'", "'" + spec.kind() + "'",
                    "RMSprop, SGD or Adam for shared-state stepping (other families are not supported)");
        }
    }

    /** A new worker: one per thread (a worker may move between threads, but must not be used by two at once). */
    public Worker worker() {
        checkOpen();
        return new Worker((int) workers.getAndIncrement());
    }

    /** Steps the workers have started so far; once every worker thread has ended, exactly the steps they applied. */
    public long appliedSteps() { return counter.get(); }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() { return closed; }

    /**
     * Ends the session: the optimizer's step counts grow by {@link #appliedSteps()} and it steps
     * synchronously again. Call it after every worker thread has ended. Idempotent.
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        optimizer.sharedClosed(this, counter.get());
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("this SharedState is closed; open a new one with Optimizer.shared()");
    }

    /**
     * One thread's handle: its step count and the step itself. Not thread-safe: one thread at a time.
     */
    public final class Worker {
        private final int id;
        private long steps;

        private Worker(int id) { this.id = id; }

        /** 0-based number of this worker, in the order {@link SharedState#worker()} made them. */
        public int id() { return id; }

        /** Steps this worker applied (skipped steps are not counted). */
        public long steps() { return steps; }

        /**
         * One lock-free step of every group on the shared float32 parameters with this worker's gradient.
         *
         * @param params the shared parameters (the same array for every worker): Modified, racily
         * @param grads  this worker's gradient, not shared: Not modified, except by configured clipping
         * @return false if the step was skipped under {@link NonFinitePolicy#SKIP}
         */
        public boolean step(float[] params, float[] grads) {
            check(Dtype.FLOAT32, params, grads, params == null ? -1 : params.length, grads == null ? -1 : grads.length);
            return doStep(params, grads, null, null);
        }

        /** The float64 form of {@link #step(float[], float[])}. */
        public boolean step(double[] params, double[] grads) {
            check(Dtype.FLOAT64, params, grads, params == null ? -1 : params.length, grads == null ? -1 : grads.length);
            return doStep(null, null, params, grads);
        }

        private void check(Dtype want, Object p, Object g, int pl, int gl) {
            checkOpen();
            if (dtype != want) {
                throw Checks.invalid("params", want.label() + " arrays", dtype.label() + " arrays (the optimizer was built with dtype "
                        + dtype.label() + ")");
            }
            if (p == null) throw new IllegalArgumentException("params must not be null");
            if (g == null) throw new IllegalArgumentException("grads must not be null");
            if (p == g) throw Checks.invalid("grads", "the params array itself", "a separate array (params and grads must not alias)");
            if (pl != size) throw Checks.invalid("params.length", pl, "the layout size " + size);
            if (gl != size) throw Checks.invalid("grads.length", gl, "the layout size " + size + " (same as params)");
        }

        private boolean doStep(float[] pf, float[] gf, double[] pd, double[] gd) {
            if (!Optimizer.scanAndClip(policy, clipping, params, gf, gd)) return false;
            long k = counter.incrementAndGet();
            for (Group g : groups) {
                long t = g.step0 + k;
                double lr = g.schedule.learningRate(g.baseLr, t - 1);
                int[] runOff = g.runOff, runLen = g.runLen;
                for (int r = 0; r < runOff.length; r++) {
                    if (pf != null) g.rule.apply(pf, gf, g.sf, runOff[r], runLen[r], lr, t);
                    else g.rule.apply(pd, gd, g.sd, runOff[r], runLen[r], lr, t);
                }
            }
            steps++;
            return true;
        }
    }
}
