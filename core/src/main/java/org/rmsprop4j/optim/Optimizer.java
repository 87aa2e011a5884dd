package org.rmsprop4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.internal.ClipOps;
import org.rmsprop4j.parallel.ChunkPool;
import org.rmsprop4j.transform.Chain;

/**
 * An optimizer over one flat parameter array: a {@link ParamLayout} of named tensors, split into
 * parameter groups that each have their own configuration and learning-rate schedule, plus the
 * state those configurations keep.
 *
 * <h2>Lifecycle</h2>
 * Build once with {@link #builder(OptimizerSpec)}; then, for every batch, compute gradients into a
 * flat array laid out like the parameters and call {@link #step(float[], float[])} (or the
 * {@code double[]} form for float64). State is allocated at build time and every step runs one fused
 * loop per contiguous run of each group's parameters, without allocating.
 *
 * <h2>Contract of a step</h2>
 * {@code params}: Modified. {@code grads}: Not modified, except that configured {@link Clipping}
 * rescales it in place (as PyTorch's {@code clip_grad_*_} do). Under {@link NonFinitePolicy#SKIP} and
 * {@link NonFinitePolicy#THROW} a gradient holding NaN or an infinity leaves parameters, state,
 * gradients and step counts exactly as they were. Not thread-safe: one thread steps at a time
 * (for lock-free stepping by several threads at once, racy by design, see {@link #shared()}).
 *
 * <h2>Groups</h2>
 * Parameters not named by any {@link Builder#group group} form the group {@code "default"} with
 * the builder's spec and schedule. Groups may run different specs (different chains).
 *
 * <h2>Chains and fused kernels</h2>
 * Every spec is a {@link Chain} of transforms ({@link OptimizerSpec#chain()}). A chain whose shape
 * a fused kernel covers (every library family and preset) runs as that one pass per run; any other
 * chain runs member by member, allocation-free and split across threads the same way
 * ({@link Builder#fused(boolean)} turns fusion off, for tests and comparisons). State buffers are
 * named {@code transform/param/slot} either way, so the two paths share state files.
 */
public final class Optimizer {

    /** Largest {@link Builder#threads(int)} accepted. */
    public static final int MAX_THREADS = 256;

    /** Name of the group of parameters not assigned to an explicit group. */
    public static final String DEFAULT_GROUP = "default";

    /**
     * Default {@link Builder#parallelThreshold(int)}: runs shorter than this many elements are not
     * split across threads. Measured on a 2-core AMD EPYC VM (README, "Speed").
     */
    public static final int DEFAULT_PARALLEL_THRESHOLD = 1 << 15;

    private final OptimizerSpec spec;
    private final ParamLayout layout;
    private final Dtype dtype;
    private final NonFinitePolicy nonFinitePolicy;
    private final Clipping clipping;
    private final boolean fused;
    private final StateQuantization stateQuantization;
    private final List<Group> groups;
    /** The same groups as an array: the step iterates it by index so that it allocates nothing. */
    private final Group[] groupArray;
    /** The layout's tensors as an array, for the same reason. */
    private final ParamLayout.Param[] paramArray;
    private final List<String> slots;
    private final float[][] f32;
    private final double[][] f64;
    /** The update buffer of groups that run unfused (null when every group is fused). */
    private final float[] uf;
    private final double[] ud;
    private final CopyOnWriteArrayList<StepListener> listeners = new CopyOnWriteArrayList<>();
    private final int threads;
    private final int parallelThreshold;
    /** True when a step needs neither the non-finite scan nor clipping (the defaults): the step skips both. */
    private final boolean plainStep;
    /**
     * The only group when the whole step is one fused loop over one run on the calling thread (one
     * group, one contiguous run, no non-finite scan, no clipping, no thread split), else null: the step
     * then goes straight to that loop. This is the seed article's 2-scalar problem, where the fixed
     * cost of the general path (groups, runs, thread decision) was most of the step.
     */
    private final Group sole;
    /** {@link #sole}'s rule, run and state, read from final fields of this object (fewer loads per step). */
    private final StepRule soleRule;
    private final int soleOff, soleLen;
    private final RunTask runTask = new RunTask();
    private long steps;
    /**
     * The open {@link SharedState} session, or null. Not volatile, so that the step's check costs a plain
     * load: threads that synchronize with the one that opened the session (started or joined by it) see it.
     */
    private SharedState sharedSession;

    /** One run of one fused group, reused every step so that a parallel step allocates nothing. */
    private static final class RunTask implements ChunkPool.RangeTask {
        Group g;
        float[] pf, gf;
        double[] pd, gd;
        double lr;
        long t;

        @Override public void run(int off, int len) {
            if (pf != null) g.rule.apply(pf, gf, g.sf, off, len, lr, t);
            else g.rule.apply(pd, gd, g.sd, off, len, lr, t);
        }
    }

    private static final class Group {
        final String name;
        final OptimizerSpec spec;
        final Chain chain;
        /** The fused kernel's rule, or null when the chain runs member by member. */
        final StepRule rule;
        final ChainRunner runner;
        /** The schedule in force: the explicit one, else the spec's implied one, else constant. */
        final LearningRateSchedule schedule;
        /** True when {@link #schedule} is the constant one: the step then reads {@link #baseLr} without a call. */
        final boolean constantSchedule;
        /** The schedule the builder was given for this group (null: none), for {@link #copy()}. */
        final LearningRateSchedule explicitSchedule;
        final List<ParamLayout.Param> params;
        final GroupContext ctx;
        /** Slot ids of this group's chain ({@code transform/slot}), in chain order. */
        final List<String> slots;
        float[][] sf;
        double[][] sd;
        /** The group's 8-bit state when {@link Builder#stateQuantization} asks for it (then {@code sf} is null). */
        QuantizedState q;
        double baseLr;
        long step;

        Group(String name, OptimizerSpec spec, LearningRateSchedule explicit, List<ParamLayout.Param> params, boolean fused) {
            this.name = name;
            this.spec = spec;
            this.chain = Checks.notNull("chain of the spec of group '" + name + "'", spec.chain());
            OptimizerSpec lowered = fused ? Lowering.lower(chain) : null;
            this.rule = lowered != null ? StepRule.of(lowered) : fused ? ProfileRule.of(chain, params) : null;
            this.runner = rule == null ? new ChainRunner(chain) : null;
            this.explicitSchedule = explicit;
            Schedule implied = spec.impliedSchedule();
            if (implied != null && explicit != null && !Schedules.isConstant(explicit)) {
                throw Checks.invalid("schedule of group '" + name + "'", describe(explicit),
                        "constant, since its spec already decays the learning rate (" + implied.describe()
                                + "); set the spec's decay to 0 or use only the schedule, so that the two do not stack");
            }
            this.schedule = implied != null ? implied : explicit != null ? explicit : Schedules.constant();
            this.constantSchedule = Schedules.isConstant(schedule);
            this.params = List.copyOf(params);
            this.slots = chain.slots();
            this.baseLr = spec.learningRate();
            List<ParamLayout.Param> sorted = new ArrayList<>(params);
            sorted.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
            List<int[]> runs = new ArrayList<>();
            for (ParamLayout.Param p : sorted) {
                if (p.length() == 0) continue;
                int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last != null && last[0] + last[1] == p.offset()) last[1] += p.length();
                else runs.add(new int[] {p.offset(), p.length()});
            }
            this.ctx = new GroupContext(params.stream().mapToInt(ParamLayout.Param::offset).toArray(),
                    params.stream().mapToInt(ParamLayout.Param::length).toArray(),
                    runs.stream().mapToInt(r -> r[0]).toArray(), runs.stream().mapToInt(r -> r[1]).toArray());
        }

        double scheduledLr() { return constantSchedule ? baseLr : schedule.learningRate(baseLr, step); }

        /** The slot id for {@code slot}: itself when it is one, else the one slot whose last part it is. */
        String resolve(String slot) {
            if (slots.contains(slot)) return slot;
            String found = null;
            for (String s : slots) {
                if (s.endsWith("/" + slot)) {
                    if (found != null) throw Checks.invalid("slot", "'" + slot + "'", "one of " + slots + " (it is ambiguous)");
                    found = s;
                }
            }
            if (found == null) throw Checks.invalid("slot", "'" + slot + "'", "one of " + slots + " for group '" + name + "'");
            return found;
        }
    }

    private static String describe(LearningRateSchedule s) {
        String d = s.describe();
        return d != null ? d : String.valueOf(s);
    }

    /** The state-dict key of slot id {@code transform/slot} for parameter {@code param}: {@code transform/param/slot}. */
    public static String stateKey(String slotId, String param) {
        int slash = slotId.lastIndexOf('/');
        return slash < 0 ? param + "/" + slotId : slotId.substring(0, slash) + "/" + param + slotId.substring(slash);
    }

    private Optimizer(Builder b) {
        this.spec = b.spec;
        this.layout = b.layout;
        this.dtype = b.dtype;
        this.nonFinitePolicy = b.nonFinitePolicy;
        this.clipping = b.clipping;
        this.fused = b.fused;
        this.stateQuantization = b.stateQuantization;
        this.threads = b.threads;
        this.parallelThreshold = b.parallelThreshold;
        this.plainStep = nonFinitePolicy == NonFinitePolicy.PROPAGATE && clipping instanceof Clipping.None;
        List<Group> gs = new ArrayList<>();
        Set<String> assigned = new LinkedHashSet<>();
        Map<String, String> owner = new HashMap<>();
        for (GroupDef d : b.groups) {
            List<ParamLayout.Param> ps = new ArrayList<>();
            for (String n : d.params) {
                ParamLayout.Param p = layout.param(n);
                String prev = owner.put(n, d.name);
                if (prev != null) {
                    throw Checks.invalid("groups", "parameter '" + n + "' in groups '" + prev + "' and '" + d.name + "'",
                            "each parameter in at most one group");
                }
                ps.add(p);
                assigned.add(n);
            }
            gs.add(new Group(d.name, d.spec, d.schedule == null ? b.schedule : d.schedule, ps, fused));
        }
        List<ParamLayout.Param> rest = new ArrayList<>();
        for (ParamLayout.Param p : layout.params()) if (!assigned.contains(p.name())) rest.add(p);
        if (!rest.isEmpty() || gs.isEmpty()) gs.add(0, new Group(DEFAULT_GROUP, spec, b.schedule, rest, fused));
        this.groups = Collections.unmodifiableList(gs);
        this.groupArray = gs.toArray(new Group[0]);
        this.paramArray = layout.params().toArray(new ParamLayout.Param[0]);
        Group only = groupArray.length == 1 ? groupArray[0] : null;
        this.sole = only != null && plainStep && only.rule != null && !stateQuantization.quantized() && only.ctx.runOff.length == 1
                && (threads == 1 || only.ctx.runLen[0] < parallelThreshold) ? only : null;
        this.soleRule = sole == null ? null : sole.rule;
        this.soleOff = sole == null ? 0 : sole.ctx.runOff[0];
        this.soleLen = sole == null ? 0 : sole.ctx.runLen[0];
        this.splitGroup = only != null && plainStep && only.rule != null && !stateQuantization.quantized() && only.ctx.runOff.length == 1
                ? only : null;

        Set<String> allSlots = new LinkedHashSet<>();
        boolean anyUnfused = false;
        for (Group g : groups) {
            allSlots.addAll(g.slots);
            anyUnfused |= g.rule == null;
        }
        this.slots = List.copyOf(allSlots);
        int n = layout.size();
        boolean q8 = stateQuantization.quantized();
        if (q8) {
            if (dtype != Dtype.FLOAT32) {
                throw Checks.invalid("stateQuantization", stateQuantization.label(), "none() for a " + dtype.label()
                        + " optimizer (8-bit state is supported for float32 parameters only)");
            }
            for (Group g : groups) {
                if (g.rule == null) {
                    throw Checks.invalid("stateQuantization", stateQuantization.label() + " for group '" + g.name + "', whose chain "
                            + g.chain + " runs member by member", "used only with groups that run a fused kernel: every family and preset "
                            + "(RMSprop, SGD, Adam, AdamW, AdaGrad, Adadelta) with fused(true); custom transforms need none()");
                }
                String why = g.rule.notQuantizable();
                if (why != null) {
                    throw Checks.invalid("stateQuantization", stateQuantization.label() + " for group '" + g.name + "'",
                            "none() for " + why + "; supported: RMSprop without centering (any other knob), SGD, Adam, AdamW, AdaGrad, Adadelta");
                }
            }
        }
        this.f32 = dtype == Dtype.FLOAT32 && !q8 ? new float[slots.size()][n] : null;
        this.f64 = dtype == Dtype.FLOAT64 ? new double[slots.size()][n] : null;
        this.uf = anyUnfused && dtype == Dtype.FLOAT32 ? new float[n] : null;
        this.ud = anyUnfused && dtype == Dtype.FLOAT64 ? new double[n] : null;
        for (Group g : groups) {
            if (q8 && !g.slots.isEmpty()) {
                g.q = new QuantizedState(g.rule, g.chain, g.slots, g.params, stateQuantization.blockSize(), stateQuantization.unbiasedRounding(), stateQuantization.float8());
            } else if (dtype == Dtype.FLOAT32) {
                g.sf = new float[g.slots.size()][];
                for (int i = 0; i < g.slots.size(); i++) g.sf[i] = f32[slots.indexOf(g.slots.get(i))];
            } else {
                g.sd = new double[g.slots.size()][];
                for (int i = 0; i < g.slots.size(); i++) g.sd[i] = f64[slots.indexOf(g.slots.get(i))];
            }
        }
        resetState();
    }

    /** Starts a builder for an optimizer whose default group uses {@code spec}. */
    public static Builder builder(OptimizerSpec spec) { return new Builder(spec); }

    /** An optimizer over a single float32 tensor named {@code "param"} of {@code size} elements. */
    public static Optimizer of(OptimizerSpec spec, int size) {
        return builder(spec).layout(ParamLayout.single("param", size)).build();
    }

    /** A new optimizer with the same configuration and fresh state (Tribuo's {@code copy()}). */
    public Optimizer copy() {
        Builder b = new Builder(spec).layout(layout).dtype(dtype).nonFinitePolicy(nonFinitePolicy).clipping(clipping)
                .threads(threads).parallelThreshold(parallelThreshold).fused(fused).stateQuantization(stateQuantization);
        for (Group g : groups) {
            if (g.name.equals(DEFAULT_GROUP)) {
                if (g.explicitSchedule != null) b.schedule(g.explicitSchedule);
            } else {
                b.group(g.name, g.params.stream().map(ParamLayout.Param::name).toList(), g.spec, g.explicitSchedule);
            }
        }
        return b.build();
    }

    /** Zeroes every step count and refills state with its initial values; learning rates return to the specs'. */
    public void resetState() {
        checkNotShared("resetState");
        for (Group g : groups) {
            g.step = 0;
            g.baseLr = g.spec.learningRate();
            if (g.q != null) {
                g.q.reset();
                continue;
            }
            for (int s = 0; s < g.slots.size(); s++) {
                double init = g.chain.initialValue(g.slots.get(s));
                for (ParamLayout.Param p : g.params) {
                    if (dtype == Dtype.FLOAT32) Arrays.fill(g.sf[s], p.offset(), p.offset() + p.length(), (float) init);
                    else Arrays.fill(g.sd[s], p.offset(), p.offset() + p.length(), init);
                }
            }
        }
        steps = 0;
    }

    public OptimizerSpec spec() { return spec; }

    public ParamLayout layout() { return layout; }

    public Dtype dtype() { return dtype; }

    public NonFinitePolicy nonFinitePolicy() { return nonFinitePolicy; }

    public Clipping clipping() { return clipping; }

    /** How the state is stored: {@link StateQuantization#none()} or block-wise 8-bit. */
    public StateQuantization stateQuantization() { return stateQuantization; }

    /**
     * Bytes held by the state arrays: {@code 4·n} (float32) or {@code 8·n} (float64) per slot, or the
     * 8-bit codes and block scales. Scratch and lookup tables (a few KB) are not counted.
     */
    public long stateBytes() {
        long b = 0;
        for (Group g : groups) {
            if (g.q != null) b += g.q.bytes();
        }
        if (f32 != null) for (float[] a : f32) b += 4L * a.length;
        if (f64 != null) for (double[] a : f64) b += 8L * a.length;
        return b;
    }

    /** Number of threads a large step is split across (see {@link Builder#threads(int)}). */
    public int threads() { return threads; }

    /** Smallest contiguous run, in elements, that is split across threads (see {@link Builder#parallelThreshold(int)}). */
    public int parallelThreshold() { return parallelThreshold; }

    /** Number of applied steps (skipped steps do not count). */
    public long steps() { return steps; }

    /** Group names, the default group first when it exists. */
    public List<String> groupNames() { return groups.stream().map(g -> g.name).toList(); }

    /** The configuration of a group. */
    public OptimizerSpec groupSpec(String group) { return group(group).spec; }

    /** The schedule a group runs (its own, its spec's implied decay, or constant). */
    public LearningRateSchedule groupSchedule(String group) { return group(group).schedule; }

    /** True if the group runs as one fused kernel; false if its chain runs member by member. */
    public boolean isFused(String group) { return group(group).rule != null; }

    /** Parameter names of a group. */
    public List<String> groupParams(String group) { return group(group).params.stream().map(ParamLayout.Param::name).toList(); }

    /** The state slot ids ({@code transform/slot}) of a group, in chain order. */
    public List<String> slots(String group) { return group(group).slots; }

    /** The base learning rate of a group (before its schedule). */
    public double learningRate(String group) { return group(group).baseLr; }

    /** The learning rate the next step of a group will use (its schedule applied). */
    public double scheduledLearningRate(String group) { return group(group).scheduledLr(); }

    /** Sets the base learning rate of every group, as assigning {@code param_groups[i]['lr']} in PyTorch. */
    public void setLearningRate(double lr) {
        checkNotShared("setLearningRate");
        Checks.nonNegative("learningRate", lr);
        for (Group g : groups) g.baseLr = lr;
    }

    /** Sets the base learning rate of one group. */
    public void setLearningRate(String group, double lr) {
        checkNotShared("setLearningRate");
        Checks.nonNegative("learningRate", lr);
        group(group).baseLr = lr;
    }

    /**
     * A copy of the state buffer {@code slot} of parameter {@code param}, widened to double (exact).
     * {@code slot} is a slot id ({@code rms/square_avg}) or, when only one slot of the parameter's
     * group has that name, the bare name ({@code square_avg}).
     */
    public double[] state(String param, String slot) {
        ParamLayout.Param p = layout.param(param);
        Group g = groupOf(p.name());
        int s = g.slots.indexOf(g.resolve(slot));
        if (g.q != null) return g.q.values(s, p);
        double[] out = new double[p.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype == Dtype.FLOAT32 ? g.sf[s][p.offset() + i] : g.sd[s][p.offset() + i];
        }
        return out;
    }

    /** Registers a listener called after every applied step. */
    public StepListener.Registration onStep(StepListener listener) {
        Checks.notNull("listener", listener);
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Throws as {@link #checkArrays} unless this is a float32 optimizer and both arrays are distinct and of the layout's size. */
    private void checkFloat32(float[] params, float[] grads) {
        int n = layout.size();
        if (dtype != Dtype.FLOAT32 || params == null || grads == null || params == grads || params.length != n || grads.length != n) {
            checkArrays(Dtype.FLOAT32, params, grads, params == null ? -1 : params.length, grads == null ? -1 : grads.length,
                    params == grads);
        }
    }

    /**
     * One step of every group on float32 parameters.
     *
     * @return true if the step was applied, false if it was skipped under {@link NonFinitePolicy#SKIP}
     */
    public boolean step(float[] params, float[] grads) {
        if (sharedSession != null) checkNotShared("step");
        checkFloat32(params, grads);
        return doStep(params, grads, null, null);
    }

    /** One step of every group on float64 parameters; see {@link #step(float[], float[])}. */
    public boolean step(double[] params, double[] grads) {
        if (sharedSession != null) checkNotShared("step");
        int n = layout.size();
        if (dtype != Dtype.FLOAT64 || params == null || grads == null || params == grads || params.length != n || grads.length != n) {
            checkArrays(Dtype.FLOAT64, params, grads, params == null ? -1 : params.length, grads == null ? -1 : grads.length,
                    params == grads);
        }
        return doStep(null, null, params, grads);
    }

    /** The step for either dtype: exactly one of the pairs (pf, gf) and (pd, gd) is non-null. */
    private boolean doStep(float[] pf, float[] gf, double[] pd, double[] gd) {
        if (sole != null) {
            soleStep(pf, gf, pd, gd);
            return true;
        }
        if (!plainStep && !prepare(gf, gd)) return false;
        for (Group g : groupArray) {
            double lr = g.scheduledLr();
            long t = g.step + 1;
            if (g.q != null) {
                g.q.step(pf, gf, lr, t, threads, parallelThreshold);
                continue;
            }
            if (g.rule == null) {
                g.ctx.step = t;
                g.ctx.lr = lr;
                g.runner.step(pf, gf, uf, g.sf, pd, gd, ud, g.sd, g.ctx, threads, parallelThreshold);
                continue;
            }
            int[] runOff = g.ctx.runOff, runLen = g.ctx.runLen;
            for (int r = 0; r < runOff.length; r++) {
                if (threads > 1 && runLen[r] >= parallelThreshold) {
                    runParallel(g, pf, gf, pd, gd, runOff[r], runLen[r], lr, t);
                } else if (pf != null) {
                    g.rule.apply(pf, gf, g.sf, runOff[r], runLen[r], lr, t);
                } else {
                    g.rule.apply(pd, gd, g.sd, runOff[r], runLen[r], lr, t);
                }
            }
        }
        finishStep();
        return true;
    }

    /** The one group a step can be split over element ranges ({@link #beginSplitStep}), or null. */
    private final Group splitGroup;
    // the split step in progress (set by beginSplitStep on the calling thread, read by stepRange on any thread)
    private float[] splitParams, splitGrads;
    private double splitLr;
    private long splitT;

    /**
     * Starts a step of float32 parameters that the caller applies by element ranges ({@link #stepRange}), possibly
     * from several threads at once, and then counts ({@link #endSplitStep}). The ranges must cover every element once
     * (disjoint ranges on different threads do not race: each element's state is its own); afterwards parameters,
     * state and step counts hold exactly the bits {@link #step(float[], float[])} would give. Possible only for one
     * fused group whose parameters lie in one run, no 8-bit state, no clipping and the {@link NonFinitePolicy#PROPAGATE}
     * policy: returns false otherwise (then nothing is started; call {@link #step(float[], float[])}). The learning
     * rate is taken here, on the calling thread. Threads that run {@link #stepRange} must see this call (for
     * example by being handed their work after it).
     *
     * @throws IllegalArgumentException for arrays {@link #step(float[], float[])} refuses
     */
    public boolean beginSplitStep(float[] params, float[] grads) {
        if (sharedSession != null) checkNotShared("beginSplitStep");
        checkFloat32(params, grads);
        Group g = splitGroup;
        if (g == null) return false;
        splitParams = params;
        splitGrads = grads;
        splitLr = g.scheduledLr();
        splitT = g.step + 1;
        return true;
    }

    /**
     * Applies the split step begun by {@link #beginSplitStep} to elements {@code [off, off + len)} of the layout (those
     * outside the group's parameters are left alone, as a full step leaves them). Safe on several threads at once for
     * disjoint ranges; each range at most once per step.
     */
    public void stepRange(int off, int len) {
        float[] pf = splitParams;
        if (pf == null) throw new IllegalStateException("stepRange outside a split step (call beginSplitStep first)");
        if (off < 0 || len < 0 || off > layout.size() - len) {
            throw Checks.invalid("range", "[" + off + ", " + ((long) off + len) + ")", "a range within 0 to " + layout.size());
        }
        Group g = splitGroup;
        int a = Math.max(off, g.ctx.runOff[0]), b = Math.min(off + len, g.ctx.runOff[0] + g.ctx.runLen[0]);
        if (a < b) g.rule.apply(pf, splitGrads, g.sf, a, b - a, splitLr, splitT);
    }

    /** Counts the split step begun by {@link #beginSplitStep} once every range has been applied (listeners are told). */
    public void endSplitStep() {
        if (splitParams == null) throw new IllegalStateException("endSplitStep without beginSplitStep");
        splitParams = null;
        splitGrads = null;
        finishStep();
    }

    /** True when a step goes straight to one fused loop (see {@link #sole}); for tests. */
    boolean singleLoop() { return sole != null; }

    /** {@link #doStep} when {@link #sole} is set: the one fused loop, then the step counts. */
    private void soleStep(float[] pf, float[] gf, double[] pd, double[] gd) {
        Group g = sole;
        double lr = g.scheduledLr();
        long t = g.step + 1;
        if (pf != null) soleRule.apply(pf, gf, g.sf, soleOff, soleLen, lr, t);
        else soleRule.apply(pd, gd, g.sd, soleOff, soleLen, lr, t);
        if (!listeners.isEmpty()) {
            notifyListeners();
            return;
        }
        g.step = t;
        steps++;
    }

    /**
     * The non-finite scan and the clipping, before any group runs (skipped when the policy is
     * PROPAGATE and there is no clipping). False when the step is to be skipped.
     */
    private boolean prepare(float[] gf, double[] gd) {
        return scanAndClip(nonFinitePolicy, clipping, paramArray, gf, gd);
    }

    /**
     * The non-finite policy's scan, then the clipping, over one gradient (float32 {@code gf} or float64
     * {@code gd}) of the given layout; false when the step is to be skipped. Shared by {@link #step} and
     * the workers of a {@link SharedState}, each on its own gradient.
     */
    static boolean scanAndClip(NonFinitePolicy policy, Clipping clipping, ParamLayout.Param[] params, float[] gf, double[] gd) {
        if (policy != NonFinitePolicy.PROPAGATE) {
            for (ParamLayout.Param p : params) {
                for (int i = p.offset(), end = p.offset() + p.length(); i < end; i++) {
                    double x = gf != null ? gf[i] : gd[i];
                    if (!Double.isFinite(x)) {
                        if (policy == NonFinitePolicy.SKIP) return false;
                        throw new NonFiniteGradientException(p.name(), i - p.offset(), x);
                    }
                }
            }
        }
        if (clipping instanceof Clipping.ByValue v) {
            if (gf != null) ClipOps.clampInPlace(gf, 0, gf.length, v.limit());
            else ClipOps.clampInPlace(gd, 0, gd.length, v.limit());
        } else if (clipping instanceof Clipping.ByNorm n) {
            for (ParamLayout.Param p : params) {
                double ss = gf != null ? ClipOps.sumOfSquares(gf, p.offset(), p.length()) : ClipOps.sumOfSquares(gd, p.offset(), p.length());
                double f = ClipOps.scaleFor(Math.sqrt(ss), n.maxNorm());
                if (gf != null) ClipOps.scaleInPlace(gf, p.offset(), p.length(), f);
                else ClipOps.scaleInPlace(gd, p.offset(), p.length(), f);
            }
        } else if (clipping instanceof Clipping.ByGlobalNorm n) {
            double ss = gf != null ? ClipOps.sumOfSquares(gf, 0, gf.length) : ClipOps.sumOfSquares(gd, 0, gd.length);
            double f = ClipOps.scaleFor(Math.sqrt(ss), n.maxNorm());
            if (gf != null) ClipOps.scaleInPlace(gf, 0, gf.length, f);
            else ClipOps.scaleInPlace(gd, 0, gd.length, f);
        }
        return true;
    }

    /** One run of a fused group split across the pool's threads (kept out of the step's own body, which stays small). */
    private void runParallel(Group g, float[] pf, float[] gf, double[] pd, double[] gd, int off, int len, double lr, long t) {
        RunTask rt = runTask;
        rt.g = g; rt.pf = pf; rt.gf = gf; rt.pd = pd; rt.gd = gd; rt.lr = lr; rt.t = t;
        try {
            ChunkPool.shared().run(rt, off, len, threads);
        } finally {
            rt.g = null; rt.pf = null; rt.gf = null; rt.pd = null; rt.gd = null;
        }
    }

    private void finishStep() {
        if (!listeners.isEmpty()) {
            notifyListeners();
            return;
        }
        for (Group g : groupArray) g.step++;
        steps++;
    }

    private void notifyListeners() {
        Map<String, Double> lrs = listeners.isEmpty() ? null : new LinkedHashMap<>();
        for (Group g : groupArray) {
            if (lrs != null) lrs.put(g.name, g.scheduledLr());
            g.step++;
        }
        steps++;
        if (lrs != null) {
            StepListener.StepEvent e = new StepListener.StepEvent(steps, Collections.unmodifiableMap(lrs));
            for (StepListener l : listeners) l.onStep(e);
        }
    }

    private void checkArrays(Dtype want, Object params, Object grads, int pl, int gl, boolean same) {
        if (dtype != want) {
            throw Checks.invalid("params", want.label() + " arrays", dtype.label() + " arrays (this optimizer was built with dtype "
                    + dtype.label() + ")");
        }
        if (params == null) throw new IllegalArgumentException("params must not be null");
        if (grads == null) throw new IllegalArgumentException("grads must not be null");
        if (same) throw Checks.invalid("grads", "the params array itself", "a separate array (params and grads must not alias)");
        if (pl != layout.size()) throw Checks.invalid("params.length", pl, "the layout size " + layout.size());
        if (gl != layout.size()) throw Checks.invalid("grads.length", gl, "the layout size " + layout.size() + " (same as params)");
    }

    /** The groups whose 8-bit state steps through a fused float8 Adam or RMSprop-momentum pass (for tests). */
    int fusedFloat8Groups() {
        int n = 0;
        for (Group g : groups) if (g.q != null && g.q.fusedPass()) n++;
        return n;
    }

    /**
     * A deep snapshot of the state, keyed by group and by {@code transform/param/slot}, with each
     * group's step, base learning rate and schedule.
     *
     * @throws IllegalStateException when a group's schedule cannot be saved (a lambda: use a
     *                               {@link Schedule}, or implement {@link Schedule.Custom})
     */
    public StateDict stateDict() {
        checkNotShared("stateDict");
        List<StateDict.GroupState> gs = new ArrayList<>();
        Map<String, double[]> buffers = new LinkedHashMap<>();
        Map<String, StateDict.Quantized> quantized = new LinkedHashMap<>();
        for (Group g : groups) {
            String schedule = g.schedule.describe();
            if (schedule == null) {
                throw new IllegalStateException("the schedule of group '" + g.name + "' (" + g.schedule + ") cannot be saved: "
                        + "it has no description, so a resume could not check it; use a Schedule from Schedules or implement "
                        + "Schedule.Custom with a name and its parameters");
            }
            Map<String, String> hyper = new LinkedHashMap<>();
            g.spec.hyperParameters().forEach((k, v) -> hyper.put(k, String.valueOf(v)));
            gs.add(new StateDict.GroupState(g.name, g.step, g.baseLr, hyper, schedule));
            for (ParamLayout.Param p : g.params) {
                for (int s = 0; s < g.slots.size(); s++) {
                    String key = stateKey(g.slots.get(s), p.name());
                    if (g.q != null) quantized.put(key, g.q.export(s, p));
                    else buffers.put(key, state(p.name(), g.slots.get(s)));
                }
            }
        }
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (ParamLayout.Param p : layout.params()) lengths.put(p.name(), p.length());
        int version = quantized.isEmpty() ? StateDict.FLOAT_FORMAT_VERSION : StateDict.FORMAT_VERSION;
        return new StateDict(version, spec.kind(), dtype, gs, lengths, buffers, quantized);
    }

    /**
     * Restores state saved by {@link #stateDict()}: buffers, step counts and base learning rates.
     * Everything is checked before anything is changed: family, dtype, group names, schedules (by
     * their descriptions, when the state records them), parameter names and lengths, the exact set
     * of buffers this optimizer keeps and their values. Format 1 states (keys {@code param/slot})
     * are read by matching each slot name to the one slot of that name in the parameter's group.
     * Hyper-parameters are not taken from the snapshot; the configuration stays the one this
     * optimizer was built with.
     *
     * @throws IllegalArgumentException naming the first mismatch; the optimizer is then unchanged
     */
    public void loadStateDict(StateDict sd) {
        checkNotShared("loadStateDict");
        Checks.notNull("stateDict", sd);
        if (sd.formatVersion() > StateDict.FORMAT_VERSION || sd.formatVersion() < 1) {
            throw Checks.invalid("state formatVersion", sd.formatVersion(), "1.." + StateDict.FORMAT_VERSION);
        }
        if (!sd.kind().equals(spec.kind())) throw Checks.invalid("state kind", "'" + sd.kind() + "'", "'" + spec.kind() + "' (this optimizer's family)");
        if (sd.dtype() != dtype) throw Checks.invalid("state dtype", sd.dtype().label(), dtype.label());
        boolean q8 = stateQuantization.quantized();
        if (q8 && !sd.buffers().isEmpty() && sd.quantized().isEmpty()) {
            throw Checks.invalid("state", "float32 buffers " + sd.bufferKeys(), "8-bit buffers (this optimizer keeps "
                    + stateQuantization.label() + " state; a float32 state loads only into an optimizer built with StateQuantization.none())");
        }
        if (!q8 && !sd.quantized().isEmpty()) {
            throw Checks.invalid("state", "8-bit buffers " + sd.quantized().keySet(), "float buffers (this optimizer keeps "
                    + dtype.label() + " state; convert explicitly with StateDict.dequantize(), which gives the exact values the 8-bit run used)");
        }
        List<String> want = groupNames();
        List<String> got = sd.groups().stream().map(StateDict.GroupState::name).toList();
        if (!new LinkedHashSet<>(want).equals(new LinkedHashSet<>(got))) throw Checks.invalid("state groups", got, "the groups " + want);
        for (StateDict.GroupState gsd : sd.groups()) {
            Group g = group(gsd.name());
            String mine = g.schedule.describe();
            if (gsd.schedule() != null && mine != null && !gsd.schedule().equals(mine)) {
                throw Checks.invalid("schedule of group '" + g.name + "' in state", "'" + gsd.schedule() + "'",
                        "'" + mine + "' (this optimizer's schedule)");
            }
        }
        for (ParamLayout.Param p : layout.params()) {
            Integer len = sd.paramLengths().get(p.name());
            if (len == null) throw Checks.invalid("state", "no parameter '" + p.name() + "'", "a state holding every parameter of the layout " + layout.names());
            if (len != p.length()) throw Checks.invalid("length of parameter '" + p.name() + "' in state", len, String.valueOf(p.length()));
        }
        for (String n : sd.paramLengths().keySet()) {
            if (!layout.contains(n)) throw Checks.invalid("state", "parameter '" + n + "'", "only parameters of the layout " + layout.names());
        }
        boolean v1 = sd.formatVersion() == 1;
        Map<String, double[]> found = new LinkedHashMap<>();
        Map<String, StateDict.Quantized> foundQ = new LinkedHashMap<>();
        Set<String> expected = new LinkedHashSet<>();
        for (Group g : groups) {
            for (ParamLayout.Param p : g.params) {
                for (String slot : g.slots) {
                    if (g.q != null) {
                        String k = stateKey(slot, p.name());
                        expected.add(k);
                        StateDict.Quantized qb = sd.quantized().get(k);
                        if (qb == null) throw Checks.invalid("state", "no 8-bit buffer '" + k + "'", "an 8-bit buffer for every slot " + g.slots + " of group '" + g.name + "'");
                        int s = g.q.slotIndex(slot);
                        g.q.check(s, p, k, qb);
                        float[] a = qb.absmaxView();
                        for (int i = 0; i < a.length; i++) {
                            if (!Float.isFinite(a[i])) throw Checks.invalid("block scale " + i + " of state buffer '" + k + "'", a[i], "a finite float32 >= 0");
                        }
                        foundQ.put(k, qb);
                        continue;
                    }
                    String k = v1 ? p.name() + slot.substring(slot.lastIndexOf('/')) : stateKey(slot, p.name());
                    if (v1 && g.slots.stream().filter(x -> x.endsWith(slot.substring(slot.lastIndexOf('/')))).count() > 1) {
                        throw Checks.invalid("state", "format 1 (keys param/slot)", "format " + StateDict.FORMAT_VERSION
                                + " for group '" + g.name + "', whose chain has two slots named '" + slot.substring(slot.lastIndexOf('/') + 1) + "'");
                    }
                    expected.add(k);
                    double[] b = sd.bufferView(k);
                    if (b == null) throw Checks.invalid("state", "no buffer '" + k + "'", "a buffer for every slot " + g.slots + " of group '" + g.name + "'");
                    if (b.length != p.length()) throw Checks.invalid("length of state buffer '" + k + "'", b.length, String.valueOf(p.length()));
                    checkValues(k, g.chain.nonNegative(slot), b);
                    found.put(stateKey(slot, p.name()), b);
                }
            }
        }
        for (String k : sd.allBufferKeys()) {
            if (!expected.contains(k)) throw Checks.invalid("state", "buffer '" + k + "'", "only the buffers this optimizer keeps " + expected);
        }
        // all checked: apply
        long maxStep = 0;
        for (StateDict.GroupState gsd : sd.groups()) {
            Group g = group(gsd.name());
            g.step = gsd.step();
            g.baseLr = gsd.learningRate();
            maxStep = Math.max(maxStep, g.step);
            for (ParamLayout.Param p : g.params) {
                for (int s = 0; s < g.slots.size(); s++) {
                    if (g.q != null) {
                        g.q.load(s, p, foundQ.get(stateKey(g.slots.get(s), p.name())));
                        continue;
                    }
                    double[] b = found.get(stateKey(g.slots.get(s), p.name()));
                    for (int i = 0; i < b.length; i++) {
                        if (dtype == Dtype.FLOAT32) g.sf[s][p.offset() + i] = (float) b[i];
                        else g.sd[s][p.offset() + i] = b[i];
                    }
                }
            }
            if (g.q != null) g.q.guardLoaded();     // Adam's first-moment guard, for state saved without it
        }
        steps = maxStep;
    }

    /** Refuses values a real state cannot hold: non-finite, out of float range, or a negative square. */
    private void checkValues(String key, boolean square, double[] b) {
        for (int i = 0; i < b.length; i++) {
            double x = b[i];
            boolean finite = dtype == Dtype.FLOAT32 ? Float.isFinite((float) x) : Double.isFinite(x);
            if (!finite || (square && x < 0)) {
                throw Checks.invalid("state buffer '" + key + "' at index " + i, x,
                        square ? "a finite " + dtype.label() + " value >= 0" : "a finite " + dtype.label() + " value");
            }
        }
    }

    /**
     * Opens lock-free stepping by several threads at once (Hogwild!, A3C's shared RMSprop): racy by
     * design, see {@link SharedState}. Until it is closed this optimizer refuses {@link #step},
     * {@link #stateDict()}, {@link #loadStateDict}, {@link #resetState()} and {@link #setLearningRate}.
     *
     * @throws IllegalArgumentException when a group's family is not RMSprop, SGD or Adam, or its chain is not fused
     * @throws IllegalStateException    when a session is already open
     */
    public synchronized SharedState shared() {
        checkNotShared("shared");
        if (stateQuantization.quantized()) {
            throw new IllegalArgumentException("shared-state stepping is not supported with " + stateQuantization.label()
                    + " optimizer state (workers would requantize whole blocks under each other); build the optimizer with float state");
        }
        SharedState.Group[] gs = new SharedState.Group[groupArray.length];
        for (int i = 0; i < gs.length; i++) {
            Group g = groupArray[i];
            SharedState.checkSupported(g.name, g.spec, g.rule == null ? null : Lowering.lower(g.chain));
            gs[i] = new SharedState.Group(g.name, g.rule, g.sf, g.sd, g.ctx.runOff, g.ctx.runLen, g.schedule, g.baseLr, g.step);
        }
        SharedState s = new SharedState(this, gs);
        sharedSession = s;
        return s;
    }

    /** {@link SharedState#close()}: every group's step count grows by the steps the workers applied. */
    synchronized void sharedClosed(SharedState s, long applied) {
        if (sharedSession != s) return;
        for (Group g : groupArray) g.step += applied;
        steps += applied;
        sharedSession = null;
    }

    private void checkNotShared(String what) {
        if (sharedSession != null) {
            throw new IllegalStateException(what + " is refused while a SharedState of this optimizer is open (its workers may be "
                    + "changing parameters and state); join the worker threads and close it first");
        }
    }

    private Group group(String name) {
        for (Group g : groups) if (g.name.equals(name)) return g;
        throw Checks.invalid("group", "'" + name + "'", "one of " + groupNames());
    }

    private Group groupOf(String param) {
        for (Group g : groups) for (ParamLayout.Param p : g.params) if (p.name().equals(param)) return g;
        throw new IllegalStateException("parameter " + param + " has no group");
    }

    @Override public String toString() {
        return "Optimizer[" + spec.kind() + ", " + dtype.label() + ", " + layout.size() + " elements, groups=" + groupNames() + "]";
    }

    private record GroupDef(String name, List<String> params, OptimizerSpec spec, LearningRateSchedule schedule) {}

    /** Collects the layout, groups and policies; {@link #build()} validates. */
    public static final class Builder {
        private final OptimizerSpec spec;
        private ParamLayout layout;
        private Dtype dtype = Dtype.FLOAT32;
        private LearningRateSchedule schedule;
        private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.PROPAGATE;
        private Clipping clipping = Clipping.none();
        private int threads = 1;
        private int parallelThreshold = DEFAULT_PARALLEL_THRESHOLD;
        private boolean fused = true;
        private StateQuantization stateQuantization = StateQuantization.none();
        private final List<GroupDef> groups = new ArrayList<>();

        private Builder(OptimizerSpec spec) { this.spec = Checks.notNull("spec", spec); }

        public Builder layout(ParamLayout layout) { this.layout = layout; return this; }

        /** Shorthand for a layout of one tensor named {@code "param"}. */
        public Builder size(int size) {
            Checks.atLeast("size", size, 0);
            this.layout = ParamLayout.single("param", size);
            return this;
        }

        public Builder dtype(Dtype dtype) { this.dtype = dtype; return this; }

        /**
         * Schedule of the default group, and of explicit groups that name none. Default: the spec's
         * {@linkplain OptimizerSpec#impliedSchedule() implied} one, else constant. A non-constant
         * schedule on top of a spec that implies one (RMSprop's {@code lrDecay}) is refused.
         */
        public Builder schedule(LearningRateSchedule schedule) { this.schedule = Checks.notNull("schedule", schedule); return this; }

        public Builder nonFinitePolicy(NonFinitePolicy policy) { this.nonFinitePolicy = policy; return this; }

        public Builder clipping(Clipping clipping) { this.clipping = clipping; return this; }

        /**
         * Splits every contiguous run of at least {@link #parallelThreshold(int)} elements across
         * {@code threads} threads: a persistent, process-wide set of daemon threads and the calling
         * thread, which take blocks of the run in turn until none is left. Default 1: no threads are started. Results are
         * bit-identical for every value, since each element is computed by the same loop.
         */
        public Builder threads(int threads) { this.threads = threads; return this; }

        /**
         * Smallest run, in elements, that {@link #threads(int)} splits; shorter runs stay on the
         * calling thread, where a wake-up of the workers would cost more than it saves. Default
         * {@value Optimizer#DEFAULT_PARALLEL_THRESHOLD} (measured, see README, "Speed").
         */
        public Builder parallelThreshold(int elements) { this.parallelThreshold = elements; return this; }

        /**
         * Whether chains a fused kernel covers run as that kernel (default true). False runs every
         * chain member by member: slower, and different in the last bits (see {@code ChainParityTest}).
         */
        public Builder fused(boolean fused) { this.fused = fused; return this; }

        /**
         * How the state is stored (default {@link StateQuantization#none()}: the dtype's own arrays).
         * {@link StateQuantization#blockwise8(int)} keeps every slot block-wise in 8 bits; {@link #build()}
         * refuses it for float64 and for groups whose chain no fused kernel covers.
         */
        public Builder stateQuantization(StateQuantization q) { this.stateQuantization = Checks.notNull("stateQuantization", q); return this; }

        /** A group of named parameters with its own configuration. */
        public Builder group(String name, List<String> params, OptimizerSpec groupSpec) {
            return group(name, params, groupSpec, null);
        }

        /** A group with its own configuration and schedule ({@code null}: the builder's schedule). */
        public Builder group(String name, List<String> params, OptimizerSpec groupSpec, LearningRateSchedule groupSchedule) {
            groups.add(new GroupDef(name, params == null ? null : List.copyOf(params), groupSpec, groupSchedule));
            return this;
        }

        public Optimizer build() {
            Checks.notNull("layout", layout);
            Checks.notNull("dtype", dtype);
            Checks.notNull("nonFinitePolicy", nonFinitePolicy);
            Checks.notNull("clipping", clipping);
            Checks.atLeast("threads", threads, 1);
            if (threads > MAX_THREADS) throw Checks.invalid("threads", threads, "in 1.." + MAX_THREADS);
            Checks.atLeast("parallelThreshold", parallelThreshold, 1);
            Set<String> names = new LinkedHashSet<>();
            for (GroupDef d : groups) {
                if (d.name == null || d.name.isEmpty() || d.name.equals(DEFAULT_GROUP)) {
                    throw Checks.invalid("group name", d.name == null ? null : "'" + d.name + "'", "a non-empty name other than '" + DEFAULT_GROUP + "'");
                }
                if (!names.add(d.name)) throw Checks.invalid("group name", "'" + d.name + "'", "unique (it is used twice)");
                Checks.notNull("params of group '" + d.name + "'", d.params);
                Checks.notNull("spec of group '" + d.name + "'", d.spec);
            }
            return new Optimizer(this);
        }
    }
}
