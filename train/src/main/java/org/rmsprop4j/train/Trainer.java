package org.rmsprop4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;

/**
 * Trains a {@link Model} with any {@link Optimizer} (any spec, preset, schedule, clipping): epochs of
 * shuffled mini-batches, evaluation, early stopping, checkpoints, resume.
 *
 * <h2>Lifecycle</h2> Construct (parameters are initialised from the seed), optionally
 * {@link #resume(Path)} from a checkpoint, then {@link #fit}; {@link #close()} stops the worker threads.
 * One trainer, one run; not thread-safe.
 *
 * <h2>One step</h2> The batch's rows are cut into chunks of {@link TrainConfig#chunkSize()} rows; each
 * chunk's gradient is the sum over its rows in batch order (float64), the chunks' gradients are then
 * summed in chunk order, divided by the batch's row count, and the model's L2 penalty gradient is
 * added. Chunks may run on several threads; because the cut and the order of the sums do not depend
 * on the thread count, neither do the results. Parameters are stored in the optimizer's dtype: for
 * float32 the optimizer steps a {@code float[]}; a model with a float32 path
 * ({@link Model#hasFloat32Path()}, the MLP) then computes in float32 throughout, as PyTorch does for
 * a float32 model: each chunk's gradient, the sum over chunks (in chunk order) and the division by
 * the row count; only an L2 penalty is added in float64. A model with a fused batch path
 * ({@link Model#hasBatch32()}, the MLP) does this without a gradient buffer per chunk: the chunks'
 * forward and backward passes run first (in parallel), then the gradient is written by parts of the
 * weight rows (in parallel), each element summed over its chunks in chunk order, which gives the same
 * bits ({@code -Drmsprop4j.train.fusedBatch=false} uses the buffers). With more than one thread a fused batch is one
 * region of the trainer's persistent threads ({@link Gang}): the weight copy, the chunks and the gradient parts, each
 * phase starting when the previous one's items are done, then the optimizer step on the calling thread. Other models compute on the parameters'
 * exact widening to double, and the chunks are summed in float64.
 *
 * <h2>Determinism</h2> Every epoch shuffles the identity permutation with a generator whose state at
 * the start of the epoch is saved in each checkpoint. A run resumed from a checkpoint (same model,
 * data, optimizer, seed, batch and chunk size) produces the same bits as a run that was never
 * interrupted.
 */
public final class Trainer implements AutoCloseable {
    private final Model model;
    private final Optimizer optimizer;
    private final TrainConfig config;
    private final boolean f32;
    private final double[] p64, g64;
    private final float[] p32, g32;
    private final Rng rng;
    private final Gang gang;         // the trainer's threads (null for one thread)
    private double[][] chunkGrad = new double[0][];
    private double[] chunkLoss = new double[0];
    private Object[] scratch = new Object[0];
    /**
     * Float32 models compute in float32 ({@link Model#hasFloat32Path()}) by default, locally and through a
     * {@link BatchGradients} that has a float32 form (the spark module's); {@code
     * -Drmsprop4j.train.float32Compute=false} or {@link #float32Compute(boolean)} turns it off.
     */
    static final boolean FLOAT32_COMPUTE = !"false".equals(System.getProperty("rmsprop4j.train.float32Compute"));
    private boolean compute32;       // float32 optimizer, a model with a float32 path, and the switch above
    private float[][] chunkGrad32 = new float[0][];
    private Object prepared32;       // the model's per-step form of p32 (compute32 only)
    private boolean p64Stale;        // compute32 steps update p32 only; p64 is refreshed when read
    private Dataset local;           // the training rows while fit(Dataset, ...) runs (compute32 needs them)
    private float[] g32sum = new float[0]; // a float32 BatchGradients' sum
    /**
     * Float32 steps on local data use the model's fused batch path when it has one ({@link Model#hasBatch32()}):
     * the same bits as the chunk buffers, which {@code -Drmsprop4j.train.fusedBatch=false} brings back (for A/B runs).
     */
    static final boolean FUSED_BATCH = !"false".equals(System.getProperty("rmsprop4j.train.fusedBatch"));
    private boolean fusedBatch = FUSED_BATCH;
    private Object batch32;          // the model's fused batch working memory (compute32 with hasBatch32 only)
    /** Parts of the fused path's gradient: enough for two or three threads to balance, few enough to stay cheap. */
    static final int GRADIENT_PARTS = 16;
    /** Parts of the fused path's weight copy ({@link Model#prepare32Part}). */
    static final int COPY_PARTS = 4;
    // the batch of the fused region in progress, and its work counters (written before the region starts)
    private Dataset fData;
    private int[] fPerm;
    private int fFrom, fTo, fChunks;
    private final AtomicInteger copyDone = new AtomicInteger(), chunksDone = new AtomicInteger();
    /**
     * The optimizer step inside the fused region: each gradient part, once written, is stepped
     * ({@link Optimizer#stepRange}) and its weights copied for the next batch by the thread that wrote it, so the step
     * runs on every thread and the next region needs no copy phase. Needs an optimizer that can split its step
     * ({@link Optimizer#beginSplitStep}), a model that names its parts' ranges and no L2 penalty; the same bits as the
     * step on the calling thread, which {@code -Drmsprop4j.train.splitStep=false} brings back (for A/B runs).
     */
    static final boolean SPLIT_STEP = !"false".equals(System.getProperty("rmsprop4j.train.splitStep"));
    private boolean splitStep = SPLIT_STEP;
    private int[][] partRanges;      // per gradient part: (offset, length) pairs of the elements it writes, or null
    private boolean fSplit, fCopy;   // the region in progress steps by parts / runs the copy phase
    private long preparedAt = -1;    // the step count at which prepared32 was last refreshed by a split region
    /**
     * With the step inside the region on K threads, the first layer's sums in K stages by input ranges
     * ({@link Model#firstLayerStage32}), as a pipeline over blocks of {@link #STAGE_ROWS} batch positions: thread {@code w}
     * runs stage {@code w} of every block (after stage {@code w − 1} of that block), then the rest of the chunks' passes
     * ({@link Model#restPass32}), then first the gradient parts whose first-layer rows are its stage's inputs. So each
     * thread reads and steps the same first-layer weight rows (about 90% of the work) every batch, and they stay
     * in its core's cache instead of moving to the other core for the next forward pass (the first layer's passes read its
     * rows in the flat parameters; the later layers' are copied). Every sum gets the same terms in
     * the same order, so the bits do not change; {@code -Drmsprop4j.train.stagedFirstLayer=false} turns it off (A/B runs).
     */
    static final boolean STAGED = !"false".equals(System.getProperty("rmsprop4j.train.stagedFirstLayer"));
    private boolean staged = STAGED;
    /** Batch positions per block of the staged first layer's pipeline. */
    static final int STAGE_ROWS = 8;
    private boolean fStaged;         // the region in progress runs the staged first layer
    private int fBlocks;             // its blocks of STAGE_ROWS positions
    private AtomicIntegerArray stageDone = new AtomicIntegerArray(0); // per (stage, block): 1 when done
    private final AtomicInteger stagesDone = new AtomicInteger();
    private Object[] stageScratch = new Object[0]; // per thread
    long stagedRegions;              // regions run with the staged first layer, owned rest or not (for tests)
    /**
     * On 2 threads, with the staged first layer, thread 1 owns everything after the first layer, so that fewer cache lines pass
     * between the two cores per batch (each costs a round trip between them, about 60 ns when the host places the two vCPUs
     * near each other and about 330 ns when it places them far apart). Thread 0 computes the first layer's terms of inputs
     * {@code [0, s)} block by block, then lists its chunks' inputs below {@code s} by column ({@link Model#listColumns32}; thread 1
     * makes most of those lists a batch ahead while it waits for thread 0's first blocks: {@link #LISTS_AHEAD}), then
     * computes and steps the first layer's weight rows below {@code s}. Thread 1 adds the terms of inputs
     * {@code [s, d)} of each block as soon as thread 0 has written it, runs the rest of each chunk's pass right after
     * ({@link Model#restPass32(Object, Dataset, int[], int, int, int, Object, Object, int)}: the sums stay in its cache), then
     * computes and steps the first layer's rows from {@code s} on, and computes, steps and copies every later layer and bias. So in a quiet batch the
     * later layers' weights, their transposes, their optimizer state and the chunks' activations stay in thread 1's core, and
     * the column lists made in the batch in their thread's (a thread that runs out of its own items takes what is left, from the last item
     * down, which can be a later layer's part: thread 1 does its first-layer rows before the later layers); what still moves is the first layer's partial sums (thread 0 to 1) and its
     * deltas (1 to 0). {@code s = d·h/16} with {@code h = -Drmsprop4j.train.ownedRestParts} (of the 16 gradient parts):
     * chosen from the training data when the property is not set ({@link #autoOwnedParts}: 15 for MNIST's digits, 11 for
     * dense inputs, the best of the shares measured for each in the tenth pass; the fixed 12 before that was never measured:
     * docs/speed-history.md). The share does not change the bits. Every sum gets the same terms in the same order, and any thread takes
     * any item that is left over (but thread 1 leaves the first stage's blocks to thread 0: {@link #OWNED_STAGES_TO_0}), so the
     * bits are those of one thread. {@code -Drmsprop4j.train.ownedRest=false} gives the
     * staged region of every thread count back (A/B runs); 1 and 3 or more threads always use that one.
     */
    static final boolean OWNED_REST = !"false".equals(System.getProperty("rmsprop4j.train.ownedRest"));
    private boolean ownedRest = OWNED_REST;
    static final String OWNED_REST_PARTS_PROPERTY = "rmsprop4j.train.ownedRestParts";
    /**
     * The property's value when this class initialised, parsed (and refused, naming it) by each trainer: tools/bench/MlpAB.java
     * and MlpAB.java's far mode set a jar's properties only while its classes initialise, so a value read at construction was seen by
     * the first run alone (found 2026-11-28, ninth pass).
     */
    static final String OWNED_REST_PARTS_RAW = System.getProperty(OWNED_REST_PARTS_PROPERTY);
    private int ownedParts = ownedRestParts(OWNED_REST_PARTS_RAW);
    /** Whether {@link #ownedParts} is chosen from the training data ({@link #autoOwnedParts}); false once set by the property or a test. */
    private boolean ownedPartsAuto = OWNED_REST_PARTS_RAW == null;

    /**
     * Thread 0's share of the first layer's inputs, in sixteenths, for training data {@code x} (rows of {@code d} inputs) and a
     * model whose later layers take {@code laterWork} ({@link Model#laterLayersWork32}) per row. Thread 0 takes the inputs
     * {@code [0, s)}, thread 1 the rest and the later layers, so with {@code m0} of a row's {@code M} non-zero inputs below
     * {@code s} (the listed first layer skips the zeros) the two are even when {@code m0 = M − m0 + laterWork}: the
     * share whose {@code m0} is nearest {@code min(M, (M + laterWork) / 2)}, from 1 to 15. MNIST's digits (150 of 784
     * inputs non-zero, none in the last rows of pixels) give 15; dense inputs 11 (measured best: 15 and 10–11). Fitted at
     * batches of 64 and chunks of 16 rows (thread 0 also steps its rows, a cost per batch that this does not count), and
     * counting non-zeros as the listed first layer does (with {@code -Drmsprop4j.train.skipZeros=false} every input counts,
     * which this does not follow).
     */
    static int autoOwnedParts(float[] x, int d, double laterWork) {
        if (!(laterWork >= 0) || laterWork == Double.POSITIVE_INFINITY) return 12; // a model's NaN, negative or infinite work
        long[] count = new long[d];
        int rows = x.length / d;
        for (int r = 0, o = 0; r < rows; r++) for (int j = 0; j < d; j++, o++) count[j] += x[o] != 0f ? 1 : 0;
        long total = 0;
        for (long c : count) total += c;
        if (rows == 0 || total == 0) return 12;
        double m = (double) total / rows, target = Math.min(m, (m + laterWork) / 2);
        int best = 1;
        double bestGap = Double.POSITIVE_INFINITY, below = 0;
        for (int h = 1, j = 0; h < GRADIENT_PARTS; h++) {
            for (int s = (int) ((long) d * h / GRADIENT_PARTS); j < s; j++) below += count[j];
            double gap = Math.abs(below / rows - target);
            if (gap < bestGap) {
                bestGap = gap;
                best = h;
            }
        }
        return best;
    }

    /** Thread 0's share of the first layer's inputs in sixteenths, as the last fit chose it or as set (for tests). */
    int ownedParts() { return ownedParts; }

    /** The value of {@code -Drmsprop4j.train.ownedRestParts} (12 when not set; a trainer then chooses it from the data); refuses anything but a whole number from 1 to 15. */
    static int ownedRestParts(String raw) {
        if (raw == null) return 12;
        int h;
        try {
            h = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            h = -1;
        }
        if (h < 1 || h > GRADIENT_PARTS - 1) {
            throw Checks.invalid("-D" + OWNED_REST_PARTS_PROPERTY, "\"" + raw + "\"", "a whole number from 1 to " + (GRADIENT_PARTS - 1)
                    + " (sixteenths of the first layer's inputs for thread 0)");
        }
        return h;
    }
    private boolean fOwned;          // the region in progress is the owned-rest one
    private int[][] firstRanges, laterRanges; // per gradient part: the element ranges of the first layer / the later layers and biases
    private final AtomicInteger ownedDone = new AtomicInteger(), ownedJoined = new AtomicInteger(), lowSums = new AtomicInteger();
    private AtomicIntegerArray chunkDone = new AtomicIntegerArray(0); // per chunk of the owned-rest region: 1 when its pass is done
    /**
     * With the owned rest, thread 0 sums its first-layer rows' gradient one chunk at a time as thread 1 finishes the chunks
     * ({@link Model#firstLayerGradientChunk32}, running sums in the gradient array, the same bits), instead of waiting for
     * every chunk; {@code -Drmsprop4j.train.ownedRestByChunk=false} waits (A/B runs). Only with the vector products.
     */
    static final boolean OWNED_BY_CHUNK = !"false".equals(System.getProperty("rmsprop4j.train.ownedRestByChunk"));
    private boolean ownedByChunk = OWNED_BY_CHUNK;
    private boolean fPipelined;      // the owned-rest region in progress sums thread 0's first-layer rows by chunks
    /** Whether thread 0 leaves the chunks to thread 1 once it has joined ({@code -Drmsprop4j.train.ownedRestSteal=true}: it takes any chunk not yet taken, for A/B runs). */
    static final boolean OWNED_NO_STEAL = !"true".equals(System.getProperty("rmsprop4j.train.ownedRestSteal"));
    private boolean ownedNoSteal = OWNED_NO_STEAL;
    /**
     * Whether thread 1 leaves every block of the first stage to thread 0 (which, as the caller, is always in the region and
     * takes them in order without waiting), waiting for a block instead of computing it when it gets there first
     * ({@code -Drmsprop4j.train.ownedRestStagesTo0=false}: it takes it, for A/B runs). A block thread 1 computes reads thread
     * 0's first-layer weight rows, which thread 0 then steps: each such line passes between the cores twice.
     */
    static final boolean OWNED_STAGES_TO_0 = !"false".equals(System.getProperty("rmsprop4j.train.ownedRestStagesTo0"));
    private boolean ownedStagesTo0 = OWNED_STAGES_TO_0;
    /**
     * Whether, in the owned-rest region, thread 1 lists the next batch's low columns ({@link Model#listColumnsAhead32}) while it
     * waits for thread 0's first blocks, one chunk at a time until the block is there, so that thread 0 (whose work is the
     * batch's critical path) has fewer lists to make in the next batch ({@code -Drmsprop4j.train.listsAhead=false}: thread 0
     * lists every chunk, for A/B runs). Only for the next batch of the same epoch; the lists are the same whoever makes them,
     * so the bits do not change.
     */
    static final boolean LISTS_AHEAD = !"false".equals(System.getProperty("rmsprop4j.train.listsAhead"));
    private boolean listsAhead = LISTS_AHEAD;
    private int nextFrom = -1, nextTo = -1; // the batch after the one stepping now, in the same epoch (set by fit), or -1
    // the batch whose lists the region in progress makes ahead (aFrom < 0: none), and how far it got
    private Dataset aData;
    private int[] aPerm;
    private int aFrom = -1, aTo, aSplit, aChunks, aheadNext;
    private AtomicIntegerArray aheadDone = new AtomicIntegerArray(0); // per chunk of the batch in aFrom..aTo: 1 when listed ahead
    long listsUsedAhead;             // chunks whose lists were made ahead and used (for tests)
    long ownedRegions;               // regions run with the owned rest (for tests)
    /**
     * One batch of the fused path, on every thread at once: the weight copy by parts, the chunks' forward and
     * backward passes, then the gradient (the mean) by parts of the weight rows; a phase starts when the previous
     * one's items have all finished. Threads take the parts and chunks from shared counters; each is computed the
     * same way whoever takes it, so the bits do not depend on the thread count.
     */
    private final Gang.Task fusedRegion = this::fusedPart;
    /**
     * The fused region's work items (copy parts, chunks, gradient parts) taken so far: 1 when taken. Thread {@code w}
     * takes its own items first ({@code w}, {@code w + threads}, …), so that in a quiet run each thread steps the same
     * parameters, state and weight rows in every batch and they stay in its core's cache; then it takes what is left,
     * from the last item down, so a late or withdrawn thread's items are still done.
     */
    private AtomicIntegerArray taken = new AtomicIntegerArray(0);

    /**
     * Branches whose outcome C2 sees both ways in every region ({@code -Drmsprop4j.train.stableBranches=false}: the earlier
     * loops, for A/B runs). C2 compiles a branch that its profile never saw taken as an uncommon trap; taking it later
     * throws the whole compiled method away (here {@link #fusedPart}, with the claims inlined) and it runs interpreted until
     * C2 compiles it again, about 0.1 s of the other core. The earlier loops had such branches on the rare outcomes: an own
     * item another thread already took, an item left over by a late thread, a stage another thread did not take, a compare-
     * and-set that lost a race. They are taken exactly when a thread is late, so the traps came in the timed rounds, and
     * the recompilation then made the other thread later still. Now (with the default {@link #OWN_ITEMS_FIRST}) every item
     * is taken through {@link #take}, and the own
     * items and what is left are one loop per claim, so each branch sees both outcomes in every region. Same items in the
     * same order, so same bits.
     */
    static final boolean STABLE_BRANCHES = !"false".equals(System.getProperty("rmsprop4j.train.stableBranches"));
    private boolean stableBranches = STABLE_BRANCHES;

    /** Takes item {@code i} if no thread has: true when this call took it (a read first, then one compare-and-exchange; one branch on the merged result). */
    private static boolean take(AtomicIntegerArray t, int i) {
        int v = t.get(i);
        if (v == 0) v = t.compareAndExchange(i, 0, 1);
        return v == 0;
    }

    /** Takes the next untaken item of {@code taken[base .. base + n)} for thread {@code w} (see {@link #taken}); -1 when none is left. */
    private int claim(int base, int n, int w) {
        AtomicIntegerArray t = taken;
        if (stableBranches && OWN_ITEMS_FIRST) { // own items w, w + K, ..., then from the last item down, in one loop
            int k = config.threads(), own = Math.max(0, (n - w + k - 1) / k);
            for (int j = 0, e = own + n; j < e; j++) {
                int p = j < own ? w + j * k : n - 1 - (j - own);
                if (take(t, base + p)) return p;
            }
            return -1;
        }
        if (!OWN_ITEMS_FIRST) { // as one shared counter: the lowest untaken item
            for (int p = 0; p < n; p++) if (t.get(base + p) == 0 && t.compareAndSet(base + p, 0, 1)) return p;
            return -1;
        }
        for (int p = w; p < n; p += config.threads()) if (t.get(base + p) == 0 && t.compareAndSet(base + p, 0, 1)) return p;
        for (int p = n - 1; p >= 0; p--) if (t.get(base + p) == 0 && t.compareAndSet(base + p, 0, 1)) return p;
        return -1;
    }

    /** As {@link #claim}, but thread {@code w}'s own items are the contiguous block {@code [n·w/K, n·(w+1)/K)} (K threads). */
    private int claimBlock(int base, int n, int w) {
        AtomicIntegerArray t = taken;
        int k = config.threads();
        if (stableBranches) { // as claim: the own block, then from the last item down, in one loop
            int lo = n * w / k, own = n * (w + 1) / k - lo;
            for (int j = 0, e = own + n; j < e; j++) {
                int p = j < own ? lo + j : n - 1 - (j - own);
                if (take(t, base + p)) return p;
            }
            return -1;
        }
        for (int p = n * w / k, e = n * (w + 1) / k; p < e; p++) if (t.get(base + p) == 0 && t.compareAndSet(base + p, 0, 1)) return p;
        for (int p = n - 1; p >= 0; p--) if (t.get(base + p) == 0 && t.compareAndSet(base + p, 0, 1)) return p;
        return -1;
    }

    /**
     * Stage {@code s} of the first layer for block {@code q} (taken by this thread): first stage {@code s − 1} of the block,
     * run here if no thread has taken it yet, else waited for. {@code w}: this thread, whose scratch the stage uses (a
     * thread runs one stage at a time: an earlier stage it runs itself ends before its own).
     */
    private void runStage(int s, int q, int w) {
        int b = fBlocks;
        if (s > 0 && stableBranches) stage((s - 1) * b + q, w, true);
        else if (s > 0) {
            int dep = (s - 1) * b + q;
            if (taken.compareAndSet(COPY_PARTS + dep, 0, 1)) runStage(s - 1, q, w);
            else if (gang != null) gang.awaitFlag(stageDone, dep);
        }
        int rows = fTo - fFrom, qa = q * STAGE_ROWS, qb = Math.min(rows, qa + STAGE_ROWS);
        model.firstLayerStage32(prepared32, fData, fPerm, fFrom, fTo, qa, qb, s, config.threads(), batch32, stageScratch[w]);
        stageDone.set(s * b + q, 1);
        stagesDone.incrementAndGet();
    }

    /**
     * Item {@code it = s·b + q} of the staged first layer (stage s, block q of b): runs it here if no thread has taken it;
     * else, when {@code wait}, waits until it is done. Every stage goes through here, so the branch sees both outcomes in
     * every region (see {@link #STABLE_BRANCHES}).
     */
    private void stage(int it, int w, boolean wait) {
        if (take(taken, COPY_PARTS + it)) runStage(it / fBlocks, it % fBlocks, w);
        else if (wait && gang != null) gang.awaitFlag(stageDone, it);
    }

    /** {@code -Drmsprop4j.train.ownItemsFirst=false} makes every thread take the lowest untaken item (for A/B runs). */
    static final boolean OWN_ITEMS_FIRST = !"false".equals(System.getProperty("rmsprop4j.train.ownItemsFirst"));

    private void fusedPart(int w) {
        RegionProfile pr = profile;
        long t0 = pr != null ? pr.enter(w) : 0;
        if (fCopy) {
            for (int k; (k = claim(0, COPY_PARTS, w)) >= 0; ) {
                model.prepare32Part(p32, prepared32, k, COPY_PARTS);
                copyDone.incrementAndGet();
            }
            if (pr != null) t0 = pr.mark(w, RegionProfile.COPY, t0);
            await(copyDone, COPY_PARTS);
            if (pr != null) t0 = pr.mark(w, RegionProfile.COPY_WAIT, t0);
        }
        if (fOwned) {
            ownedPart(w, pr, t0);
            return;
        }
        int rows = fTo - fFrom, base = COPY_PARTS;
        boolean st = fStaged;
        if (st) {
            int k = config.threads(), b = fBlocks;
            if (stableBranches) { // own stage block by block, then what is left from the last item down, in one loop
                for (int j = 0, e = b + k * b; j < e; j++) stage(j < b ? w * b + j : k * b - 1 - (j - b), w, false);
            } else {
                for (int q = 0; q < b; q++) if (taken.compareAndSet(base + w * b + q, 0, 1)) runStage(w, q, w); // own stage, block by block
                for (int it = k * b - 1; it >= 0; it--) if (taken.compareAndSet(base + it, 0, 1)) runStage(it / b, it % b, w); // what is left
            }
            if (pr != null) t0 = pr.mark(w, RegionProfile.FIRST_LAYER, t0);
            await(stagesDone, k * b);
            if (pr != null) t0 = pr.mark(w, RegionProfile.FIRST_LAYER_WAIT, t0);
            base += k * b;
        }
        for (int c; (c = claim(base, fChunks, w)) >= 0; ) {
            chunkLoss[c] = st ? model.restPass32(prepared32, fData, fPerm, fFrom, fTo, c, batch32, scratch[c])
                    : model.chunkPass32(prepared32, fData, fPerm, fFrom, fTo, c, batch32, scratch[c]);
            chunksDone.incrementAndGet();
            if (pr != null) pr.count(w, RegionProfile.N_CHUNKS);
        }
        if (pr != null) t0 = pr.mark(w, RegionProfile.CHUNKS, t0);
        await(chunksDone, fChunks);
        if (pr != null) t0 = pr.mark(w, RegionProfile.CHUNKS_WAIT, t0);
        base += fChunks;
        for (int p; (p = st ? claimBlock(base, GRADIENT_PARTS, w) : claim(base, GRADIENT_PARTS, w)) >= 0; ) {
            model.gradientPart32(batch32, rows, p, GRADIENT_PARTS, rows, g32);
            if (fSplit) { // this part's elements are final: step them, and copy their weights for the next batch
                long s0 = pr != null ? System.nanoTime() : 0;
                int[] r = partRanges[p];
                for (int k = 0; k < r.length; k += 2) optimizer.stepRange(r[k], r[k + 1]);
                long s1 = pr != null ? System.nanoTime() : 0;
                model.prepare32Part(p32, prepared32, p, GRADIENT_PARTS);
                if (pr != null) {
                    long s2 = System.nanoTime();
                    pr.acc[w][RegionProfile.PART_STEP] += s1 - s0;
                    pr.acc[w][RegionProfile.PART_COPY] += s2 - s1;
                }
            }
        }
        if (pr != null) pr.mark(w, RegionProfile.GRADIENT, t0);
    }

    /**
     * The owned-rest region ({@link #OWNED_REST}) after the copy phase. Items, after the copy parts: the {@code b} blocks of
     * the first stage, the {@code C} chunks' low column lists, the {@code C} chunks' second stage and rest pass; then the 16
     * first-layer parts and the 16 later-layer parts. Thread 0's own items: the first stage's blocks, the lists, the
     * first-layer parts below {@code h}; thread 1's: the chunks, the first-layer parts from {@code h} on, the later parts.
     * Each thread takes its own items in order, then what is left from the last item down, in one loop per phase.
     */
    private void ownedPart(int w, RegionProfile pr, long t0) {
        int rows = fTo - fFrom, b = fBlocks, cn = fChunks, base = COPY_PARTS, n1 = b + 2 * cn, parts = GRADIENT_PARTS, h = ownedParts;
        int split = ownedSplit();
        boolean pipe = fPipelined;
        AtomicIntegerArray t = taken;
        if (w == 1) ownedJoined.set(1);
        int own1 = w == 0 ? b + cn : cn, lo1 = w == 0 ? 0 : b + cn;
        for (int j = 0, e = own1 + n1; j < e; j++) {
            int it = j < own1 ? lo1 + j : n1 - 1 - (j - own1);
            // once thread 1 has joined, it takes every chunk left: thread 0 would have to fetch the later layers' weights (and, with
            // the first layer's gradient by chunks, thread 0 takes the chunks it needs below, in order)
            if (w == 0 && j >= own1 && it >= b + cn && (pipe || ownedNoSteal && ownedJoined.get() != 0)) continue;
            if (w != 0 && pipe && it >= b && it < b + cn) continue; // thread 0 reads its lists right after its own loop, before any barrier
            if (!take(t, base + it)) continue;
            if (it < b) ownedStage(it, split, w);
            else if (it < b + cn) {
                model.listColumns32(fData, fPerm, fFrom, fTo, it - b, split, batch32, stageScratch[w]);
                ownedDone.incrementAndGet();
            } else ownedChunk(it - b - cn, split, w, pr);
        }
        if (w == 0 && pipe) { // the first layer's gradient below split, chunk by chunk as thread 1 finishes them
            for (int c = 0; c < cn; c++) {
                if ((ownedJoined.get() == 0 || !ownedNoSteal) && take(t, base + b + cn + c)) ownedChunk(c, split, w, pr);
                else if (gang != null) {
                    long a0 = pr != null ? System.nanoTime() : 0;
                    gang.awaitFlag(chunkDone, c);
                    if (pr != null) pr.acc[w][RegionProfile.CHUNK_WAIT] += System.nanoTime() - a0;
                }
                long g0 = pr != null ? System.nanoTime() : 0;
                model.firstLayerGradientChunk32(batch32, rows, c, 0, h, parts, g32);
                if (pr != null) pr.acc[w][RegionProfile.LOW_GRADIENT] += System.nanoTime() - g0;
            }
            lowSums.set(1);
        }
        if (pr != null) t0 = pr.mark(w, RegionProfile.FIRST_LAYER, t0);
        await(ownedDone, n1);
        if (pr != null) t0 = pr.mark(w, RegionProfile.FIRST_LAYER_WAIT, t0);
        base += n1;
        int n2 = 2 * parts, own2 = w == 0 ? h : n2 - h, lo2 = w == 0 ? 0 : h;
        for (int j = 0, e = own2 + n2; j < e; j++) {
            int it = j < own2 ? lo2 + j : n2 - 1 - (j - own2);
            boolean first = it < parts, summed = pipe && it < h;
            if (summed && w != 0 && lowSums.get() == 0) continue; // thread 0 is still summing these rows: it finishes them itself
            if (!take(t, base + it)) continue;
            int p = first ? it : it - parts, layers = first ? Model.FIRST_LAYER : Model.LATER_LAYERS;
            if (pr != null) pr.count(w, first ? RegionProfile.N_FIRST_PARTS : RegionProfile.N_LATER_PARTS);
            if (summed) model.firstLayerGradientFinish32(batch32, rows, p, parts, rows, g32);
            else model.gradientPart32(batch32, rows, p, parts, rows, g32, layers);
            long s0 = pr != null ? System.nanoTime() : 0;
            int[] r = (first ? firstRanges : laterRanges)[p];
            for (int k = 0; k < r.length; k += 2) optimizer.stepRange(r[k], r[k + 1]);
            long s1 = pr != null ? System.nanoTime() : 0;
            model.prepare32Part(p32, prepared32, p, parts, layers);
            if (pr != null) {
                long s2 = System.nanoTime();
                pr.acc[w][RegionProfile.PART_STEP] += s1 - s0;
                pr.acc[w][RegionProfile.PART_COPY] += s2 - s1;
            }
        }
        if (pr != null) pr.mark(w, RegionProfile.GRADIENT, t0);
    }

    /** Chunk {@code c} of the owned-rest region (taken by this thread): the second stage of its rows, block by block after the first, then the rest of its pass. */
    private void ownedChunk(int c, int split, int w, RegionProfile pr) {
        AtomicIntegerArray t = taken;
        int rows = fTo - fFrom, cs = config.chunkSize(), qa = c * cs, qb = Math.min(rows, qa + cs);
        for (int q = qa / STAGE_ROWS; q * STAGE_ROWS < qb; q++) {
            if ((w == 0 || !ownedStagesTo0) && take(t, COPY_PARTS + q)) ownedStage(q, split, w);
            else if (gang != null) {
                if (w != 0 && aheadNext < aChunks) listAhead(q, w, pr);
                long a0 = pr != null ? System.nanoTime() : 0;
                gang.awaitFlag(stageDone, q);
                if (pr != null) pr.acc[w][RegionProfile.BLOCK_WAIT] += System.nanoTime() - a0;
            }
            model.firstLayerInputs32(prepared32, fData, fPerm, fFrom, fTo, Math.max(qa, q * STAGE_ROWS), Math.min(qb, (q + 1) * STAGE_ROWS),
                    split, model.inputs(), batch32, stageScratch[w]);
        }
        long r0 = pr != null ? System.nanoTime() : 0;
        chunkLoss[c] = model.restPass32(prepared32, fData, fPerm, fFrom, fTo, c, batch32, scratch[c], split);
        if (pr != null) pr.acc[w][RegionProfile.REST_PASS] += System.nanoTime() - r0;
        chunkDone.set(c, 1);
        ownedDone.incrementAndGet();
        if (pr != null) pr.count(w, RegionProfile.N_CHUNKS);
    }

    /** The first input of thread 1's share of the first layer in the owned-rest region: {@code d·h/16}. */
    private int ownedSplit() { return (int) ((long) model.inputs() * ownedParts / GRADIENT_PARTS); }

    /**
     * Before an owned-rest region: the chunks whose lists the last region made ahead for this very batch (same data, order,
     * rows and split) become its lists, and their list items count as done (this sets the region's {@code ownedDone}); then
     * the region is set to list the next batch ahead ({@link #LISTS_AHEAD}).
     */
    private void startListsAhead(Dataset data, int[] perm, int from, int to, int chunks, int cs) {
        int split = ownedSplit(), pre = 0;
        if (aFrom >= 0 && aData == data && aPerm == perm && aFrom == from && aTo == to && aSplit == split) {
            for (int c = 0; c < chunks; c++) {
                if (aheadDone.get(c) == 0) continue;
                model.useListsAhead32(batch32, c, split);
                taken.set(COPY_PARTS + fBlocks + c, 1);
                pre++;
            }
        }
        ownedDone.set(pre);
        listsUsedAhead += pre;
        boolean ahead = listsAhead && nextFrom >= 0 && nextTo > nextFrom && gang != null && model.hasListsAhead32();
        aData = ahead ? data : null; // held only while lists are made ahead for it (fit drops them at its end)
        aPerm = ahead ? perm : null;
        aFrom = ahead ? nextFrom : -1;
        aTo = nextTo;
        aSplit = split;
        aChunks = ahead ? (nextTo - nextFrom + cs - 1) / cs : 0;
        for (int c = 0; c < aChunks; c++) aheadDone.set(c, 0);
        aheadNext = 0;
    }

    /** Thread {@code w} (not 0) lists the next batch's chunks ahead, one at a time, until block {@code q} is there. */
    private void listAhead(int q, int w, RegionProfile pr) {
        long a0 = pr != null ? System.nanoTime() : 0;
        int end = listsAheadForced > 0 ? Math.min(aChunks, listsAheadForced) : aChunks;
        while (aheadNext < end && (listsAheadForced > 0 || stageDone.get(q) == 0)) {
            int c = aheadNext++;
            model.listColumnsAhead32(aData, aPerm, aFrom, aTo, c, aSplit, batch32, stageScratch[w]);
            aheadDone.set(c, 1);
        }
        if (pr != null) pr.acc[w][RegionProfile.LISTS_AHEAD] += System.nanoTime() - a0;
    }

    /** Block {@code q} of the owned-rest region's first stage: the first layer's terms of inputs {@code [0, split)} (taken by this thread). */
    private void ownedStage(int q, int split, int w) {
        int qa = q * STAGE_ROWS, qb = Math.min(fTo - fFrom, qa + STAGE_ROWS);
        model.firstLayerInputs32(prepared32, fData, fPerm, fFrom, fTo, qa, qb, 0, split, batch32, stageScratch[w]);
        stageDone.set(q, 1);
        ownedDone.incrementAndGet();
    }

    /** {@code -Drmsprop4j.train.profile=true}: per-thread time in each phase of the fused region, printed by {@link #close()}. */
    private final RegionProfile profile;

    /** Accumulated nanoseconds per thread and phase of the fused region (a measuring aid; off by default). */
    static final class RegionProfile {
        static final int COPY = 0, COPY_WAIT = 1, CHUNKS = 2, CHUNKS_WAIT = 3, GRADIENT = 4, LATE = 5, JOINED = 6, N_CHUNKS = 7,
                END_WAIT = 8, STEP = 9, REGIONS = 10, PART_STEP = 11, PART_COPY = 12, FIRST_LAYER = 13, FIRST_LAYER_WAIT = 14,
                BLOCK_WAIT = 15, CHUNK_WAIT = 16, LOW_GRADIENT = 17, REST_PASS = 18, N_FIRST_PARTS = 19, N_LATER_PARTS = 20, LISTS_AHEAD = 21, N = 22;
        // BLOCK_WAIT to REST_PASS and LISTS_AHEAD: parts of the owned-rest region's first-layer phase (thread 1 waiting for thread 0's
        // blocks, thread 0 waiting for thread 1's chunks, thread 0's first-layer gradient by chunks, the chunks' rest passes, thread 1
        // listing the next batch ahead)
        static final String[] NAMES = {"copy", "copy-wait", "chunks", "chunks-wait", "gradient", "join-latency", "joined",
                "chunks-taken", "end-wait", "step", "regions", "of-which-part-step", "of-which-part-copy", "first-layer", "first-layer-wait",
                "of-which-block-wait", "of-which-chunk-wait", "of-which-low-gradient", "of-which-rest-pass", "first-parts-taken",
                "later-parts-taken", "of-which-lists-ahead"};
        final long[][] acc;
        volatile long regionStart;
        long lastInside;

        RegionProfile(int threads) { acc = new long[threads][N]; }

        long enter(int w) {
            long now = System.nanoTime();
            acc[w][LATE] += now - regionStart;
            acc[w][JOINED]++;
            return now;
        }

        long mark(int w, int phase, long since) {
            long now = System.nanoTime();
            acc[w][phase] += now - since;
            return now;
        }

        void count(int w, int what) { acc[w][what]++; }

        void print(int threads, boolean split) {
            long regions = Math.max(1, acc[0][REGIONS]);
            StringBuilder b = new StringBuilder("fused region profile, " + threads + " threads, split step " + split + ", " + regions
                    + " regions, microseconds per region (counts per region)\n");
            for (int w = 0; w < threads; w++) {
                b.append("  thread ").append(w).append(':');
                for (int k = 0; k < N; k++) {
                    if (k == REGIONS) continue;
                    boolean count = k == JOINED || k == N_CHUNKS || k == N_FIRST_PARTS || k == N_LATER_PARTS;
                    b.append(String.format(java.util.Locale.ROOT, " %s %.2f", NAMES[k], count ? (double) acc[w][k] / regions : acc[w][k] / 1e3 / regions));
                }
                b.append('\n');
            }
            System.err.print(b);
        }
    }

    /** Waits for the items of a phase to finish (on one thread they have). */
    private void await(AtomicInteger done, int total) {
        if (gang != null) gang.await(done, total);
    }

    private int epoch;
    private int batch;
    private long steps;
    private long rngAtEpochStart;
    private double epochLossSum;
    private long epochRows;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private boolean stopped;
    private int trainRowsSeen = -1;
    private String dataSeen;       // the resumed checkpoint's data fingerprint, or null
    private String dataFingerprint; // of the data being trained on, once fit has seen it

    /**
     * @param model     the model; parameters are initialised with {@code config.seed()}
     * @param optimizer built on {@code model.layout()} (float32 or float64)
     * @param config    epochs, batches, threads, checkpoints
     */
    public Trainer(Model model, Optimizer optimizer, TrainConfig config) {
        this.model = Checks.notNull("model", model);
        this.optimizer = Checks.notNull("optimizer", optimizer);
        this.config = Checks.notNull("config", config);
        profile = Boolean.getBoolean("rmsprop4j.train.profile") ? new RegionProfile(config.threads()) : null;
        if (!optimizer.layout().equals(model.layout())) {
            throw Checks.invalid("optimizer layout", optimizer.layout(), "the model's layout " + model.layout());
        }
        f32 = optimizer.dtype() == Dtype.FLOAT32;
        int n = model.layout().size();
        p64 = new double[n];
        g64 = new double[n];
        p32 = f32 ? new float[n] : null;
        g32 = f32 ? new float[n] : null;
        rng = new Rng(config.seed());
        initialize(model, rng, p64, p32);
        rngAtEpochStart = rng.state();
        compute32 = f32 && model.hasFloat32Path() && FLOAT32_COMPUTE;
        gang = config.threads() > 1 ? new Gang(config.threads(), "rmsprop4j-trainer") : null;
    }

    public Model model() { return model; }

    public Optimizer optimizer() { return optimizer; }

    public TrainConfig config() { return config; }

    /** Optimizer steps taken. */
    public long steps() { return steps; }

    /** Completed epochs. */
    public int epochsDone() { return epoch; }

    /**
     * Whether early stopping has ended this run: in {@link #fit}, or before it was checkpointed (a
     * resumed run then trains no further epochs).
     */
    public boolean stoppedEarly() { return stopped; }

    /**
     * Turns the float32 compute path on or off for this trainer (default: {@link #FLOAT32_COMPUTE}); it
     * applies only with a float32 optimizer and a model that has one ({@link Model#hasFloat32Path()}), and
     * only to {@link #fit(Dataset, Dataset, Dataset, TrainingListener)}. Call it before the first step.
     *
     * @return this trainer
     * @throws IllegalStateException after the first step
     */
    public Trainer float32Compute(boolean on) {
        if (chunkLoss.length > 0) throw new IllegalStateException("float32Compute must be chosen before fit starts");
        compute32 = on && f32 && model.hasFloat32Path();
        return this;
    }

    /** Chooses the staged first layer inside the fused region (when the step is split too) or not; for tests and A/B runs. */
    Trainer stagedFirstLayer(boolean on) {
        staged = on;
        return this;
    }

    /** Chooses the owned-rest region on 2 threads ({@link #OWNED_REST}) or the staged one, and thread 0's share of the first layer in sixteenths; for tests and A/B runs. */
    Trainer ownedRest(boolean on, int parts) {
        return ownedRest(on, parts, OWNED_BY_CHUNK);
    }

    /** Whether thread 1 leaves the first stage's blocks to thread 0 ({@link #OWNED_STAGES_TO_0}); for tests and A/B runs. */
    Trainer ownedStagesTo0(boolean on) {
        ownedStagesTo0 = on;
        return this;
    }

    /**
     * Whether thread 1 lists the next batch's chunks ahead ({@link #LISTS_AHEAD}), and with {@code forced > 0} exactly the first
     * {@code forced} chunks (or all, if fewer) before it waits for its first block, whether or not the block is there, so that a
     * test sees lists made ahead whatever the timing, some chunks listed ahead and others not included; for tests and A/B runs.
     */
    Trainer listsAhead(boolean on, int forced) {
        listsAhead = on;
        listsAheadForced = forced;
        return this;
    }

    private int listsAheadForced;

    /** As {@link #ownedRest(boolean, int)}, choosing too whether thread 0 sums its first-layer rows by chunks ({@link #OWNED_BY_CHUNK}). */
    Trainer ownedRest(boolean on, int parts, boolean byChunk) {
        if (parts < 1 || parts > GRADIENT_PARTS - 1) throw Checks.invalid("parts", parts, "1 to " + (GRADIENT_PARTS - 1) + " (sixteenths of the first layer's inputs for thread 0)");
        ownedRest = on;
        ownedParts = parts;
        ownedPartsAuto = false;
        ownedByChunk = byChunk;
        return this;
    }

    /** Chooses the claim, stage and withdrawal loops of {@link #STABLE_BRANCHES} or the earlier ones; for tests and A/B runs. */
    Trainer stableBranches(boolean on) {
        stableBranches = on;
        if (gang != null) gang.stableBranches = on;
        return this;
    }

    /** Chooses the optimizer step inside the fused region (when possible) or on the calling thread; for tests and A/B runs. */
    Trainer splitStep(boolean on) {
        splitStep = on;
        return this;
    }

    /** Chooses the fused batch path (when the model has one) or the chunk buffers; for tests and A/B runs. Before the first step. */
    Trainer fusedBatch(boolean on) {
        if (chunkLoss.length > 0) throw new IllegalStateException("fusedBatch must be chosen before fit starts");
        fusedBatch = on;
        return this;
    }

    /** A copy of the parameters (float32 values widened exactly when the dtype is float32). */
    public double[] parameters() { return p64().clone(); }

    /** The parameters as float64, refreshed from the float32 ones after compute32 steps. */
    private double[] p64() {
        if (p64Stale) {
            for (int i = 0; i < p32.length; i++) p64[i] = p32[i];
            p64Stale = false;
        }
        return p64;
    }

    /** Loss and accuracy of a model on a data set: mean loss per row, fraction correct. */
    public record Evaluation(double loss, double accuracy, int rows) {}

    /** Outcome of {@link #fit}. */
    public record Result(List<EpochMetrics> history, int epochsDone, long steps, boolean stoppedEarly, Evaluation test) {
        public Result {
            history = List.copyOf(history);
        }
    }

    /**
     * Runs the remaining epochs.
     *
     * @param train      training rows
     * @param validation monitored by early stopping, or {@code null} (then the training loss is monitored)
     * @param test       evaluated after every epoch, or {@code null}
     * @param listener   progress, or {@code null}
     * @throws IOException when a checkpoint cannot be written (the folder is checked before the first epoch)
     */
    public Result fit(Dataset train, Dataset validation, Dataset test, TrainingListener listener) throws IOException {
        Checks.notNull("train", train);
        checkData(train);
        checkTrainingData(train);
        allocateChunks(Math.min(config.batchSize(), train.size())); // by the rows a batch can hold, not by the configured size
        // only when the owned-rest region can run (it scans every input once)
        if (ownedPartsAuto && ownedRest && staged && firstRanges != null && config.threads() == 2) {
            ownedParts = autoOwnedParts(train.x(), model.inputs(), model.laterLayersWork32());
        }
        // the trainer's own threads; step() passes this trainer's p64 and g64, which gradientSum uses directly
        local = train;
        try {
            return fit(train.size(), (params, order, from, to, grad) -> gradientSum(train, order, from, to), validation, test, listener);
        } finally {
            local = null;
            aData = null; // lists made ahead for a batch that will not come
            aPerm = null;
            aFrom = -1;
        }
    }

    /**
     * Computes the summed gradient of a mini-batch for {@link #fit(int, BatchGradients, Dataset, Dataset,
     * TrainingListener)}: the training rows live elsewhere (a cluster, in the {@code spark} module), this
     * trainer keeps the run (order of rows, optimizer steps, evaluation, checkpoints).
     *
     * <p>To give the bits of {@link #fit(Dataset, Dataset, Dataset, TrainingListener)} an implementation
     * must cut rows {@code order[from..to)} into chunks of {@link TrainConfig#chunkSize()} rows, compute each
     * chunk's gradient as {@link Model#accumulate} over its rows in order into a zeroed {@code double[]}, and
     * sum the chunks in chunk order: {@code grad = chunk0; grad += chunk1; ...} (the loss likewise).
     */
    public interface BatchGradients {
        /** An epoch starts (or resumes mid-way) with this row order: its i-th row is training row {@code order[i]}. Not modified. */
        default void epochStarted(int[] order) {}

        /**
         * Overwrites {@code grad} with the summed (not averaged) gradient of rows {@code order[from..to)} at
         * {@code params} and returns their summed loss.
         */
        double sum(double[] params, int[] order, int from, int to, double[] grad);

        /** True if {@link #sum32} is implemented (the float32 path of a model that has one). */
        default boolean float32() { return false; }

        /**
         * The float32 form of {@link #sum}: overwrites {@code grad} with the sum, in chunk order and in
         * float32, of each chunk's {@link Model#accumulate32} (from zero, over its rows in order, with
         * {@link Model#prepare32} of {@code params}) and returns the summed loss (in double).
         */
        default double sum32(float[] params, int[] order, int from, int to, float[] grad) {
            throw new UnsupportedOperationException("this BatchGradients has no float32 form");
        }
    }

    /**
     * Runs the remaining epochs on {@code trainRows} training rows whose gradients {@code gradients}
     * computes; otherwise exactly as {@link #fit(Dataset, Dataset, Dataset, TrainingListener)}.
     */
    public Result fit(int trainRows, BatchGradients gradients, Dataset validation, Dataset test, TrainingListener listener)
            throws IOException {
        Checks.notNull("gradients", gradients);
        Checks.atLeast("trainRows", trainRows, 0);
        if (validation != null) checkData(validation);
        if (test != null) checkData(test);
        if (trainRowsSeen >= 0 && trainRowsSeen != trainRows) {
            throw Checks.invalid("training rows", trainRows, trainRowsSeen + " (as in the checkpoint being resumed)");
        }
        TrainingListener l = listener == null ? new TrainingListener() {} : listener;
        int n = trainRows, bs = config.batchSize();
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
            gradients.epochStarted(perm);
            l.epochStarted(epoch + 1, batches, batch);
            for (; batch < batches; ) {
                int from = batch * bs, to = Math.min(n, from + bs);
                nextFrom = batch + 1 < batches ? to : -1;
                nextTo = Math.min(n, to + bs);
                double loss;
                try {
                    loss = step(gradients, perm, from, to);
                } finally {
                    nextFrom = -1;
                }
                epochLossSum += loss;
                epochRows += to - from;
                batch++;
                l.batchDone(epoch + 1, batch, batches, loss / (to - from));
                if (ckpt != null && config.checkpointEverySteps() > 0 && steps % config.checkpointEverySteps() == 0) {
                    checkpoint(n).save(ckpt);
                    l.checkpointWritten(ckpt, steps);
                }
            }
            double trainLoss = epochLossSum / epochRows;
            Evaluation val = validation == null ? null : evaluate(validation);
            Evaluation te = test == null ? null : evaluate(test);
            double monitored = val != null ? val.loss() : trainLoss;
            if (monitored < bestLoss) {
                bestLoss = monitored;
                badEpochs = 0;
            } else {
                badEpochs++;
            }
            if (config.patience() > 0 && badEpochs >= config.patience()) stopped = true;
            epoch++;
            batch = 0;
            rngAtEpochStart = rng.state();
            epochLossSum = 0;
            epochRows = 0;
            EpochMetrics m = new EpochMetrics(epoch, steps, trainLoss, val == null ? Double.NaN : val.loss(),
                    te == null ? Double.NaN : te.loss(), te == null ? Double.NaN : te.accuracy(),
                    optimizer.scheduledLearningRate(optimizer.groupNames().get(0)), (System.nanoTime() - t0) / 1e9);
            history.add(m);
            l.epochDone(m);
            if (ckpt != null && (epoch % config.checkpointEveryEpochs() == 0 || epoch == config.epochs() || stopped)) {
                checkpoint(n).save(ckpt);
                l.checkpointWritten(ckpt, steps);
            }
        }
        return new Result(history, epoch, steps, stopped, test == null ? null : evaluate(test));
    }

    /**
     * Checks that {@code train} is the training data of the checkpoint this trainer resumed (its row
     * count and fingerprint, see {@link #fingerprint}); {@link #fit} does it too, this lets a caller
     * check before it reports the resume. Without a resumed checkpoint (or one that records no
     * fingerprint) only the row count or nothing is compared.
     *
     * @throws IllegalArgumentException "cannot resume: the training data ... in the checkpoint, ... now; ..."
     */
    public void checkTrainingData(Dataset train) {
        Checks.notNull("train", train);
        if (trainRowsSeen >= 0 && trainRowsSeen != train.size()) {
            throw new IllegalArgumentException("cannot resume: the training part has " + trainRowsSeen + " rows in the checkpoint, " + train.size()
                    + " now; give the same data, split and preprocessing");
        }
        String fp = fingerprint(train);
        if (dataSeen != null && !dataSeen.equals(fp)) {
            throw new IllegalArgumentException("cannot resume: the training data (after preprocessing) is " + dataSeen + " in the checkpoint, " + fp
                    + " now; give the same data, split and preprocessing");
        }
        dataFingerprint = fp;
    }

    /**
     * The model's initial parameters from {@code rng} into {@code p64}; with float32 storage
     * ({@code p32} not null) rounded to float32 in both arrays, so that float64 views agree with the
     * stored floats. Shared with {@link SharedStateTrainer}, which starts from the same parameters.
     */
    static void initialize(Model model, Rng rng, double[] p64, float[] p32) {
        model.initialize(p64, rng);
        if (p32 != null) {
            for (int i = 0; i < p64.length; i++) {
                p32[i] = (float) p64[i];
                p64[i] = p32[i];
            }
        }
    }

    /** Each gradient part's element ranges (see {@link Model#gradientPartRanges}), or null when the model does not name them. */
    private static int[][] partRanges(Model model) { return partRanges(model, Model.ALL_LAYERS); }

    /** As {@link #partRanges(Model)} for the parts of {@code layers} ({@link Model#gradientPartRanges(int, int, int, int[])}). */
    private static int[][] partRanges(Model model, int layers) {
        int[][] r = new int[GRADIENT_PARTS][];
        int[] out = new int[2 * model.layout().params().size()];
        for (int p = 0; p < GRADIENT_PARTS; p++) {
            int n = model.gradientPartRanges(p, GRADIENT_PARTS, layers, out);
            if (n < 0) return null;
            r[p] = Arrays.copyOf(out, 2 * n);
        }
        return r;
    }

    /** Chunk buffers for batches of up to {@code rows} rows (kept when large enough). */
    private void allocateChunks(int rows) {
        int chunks = (rows + config.chunkSize() - 1) / config.chunkSize();
        if (chunkLoss.length >= chunks) return;
        int n = g64.length;
        if (compute32 && fusedBatch && model.hasBatch32()) {
            batch32 = model.newBatch32(chunks * config.chunkSize(), config.chunkSize(), GRADIENT_PARTS);
            partRanges = partRanges(model);
            int blocks = (chunks * config.chunkSize() + STAGE_ROWS - 1) / STAGE_ROWS;
            if (gang != null && model.hasStagedFirstLayer32()) {
                stageScratch = new Object[config.threads()]; // one per thread: a full scratch per block of 8 rows took ~118 KB each
                for (int w = 0; w < stageScratch.length; w++) stageScratch[w] = model.newScratch32();
                stageDone = new AtomicIntegerArray(config.threads() * blocks);
            }
            taken = new AtomicIntegerArray(COPY_PARTS + (stageScratch.length > 0 ? config.threads() * blocks : 0) + 2 * chunks + 2 * GRADIENT_PARTS);
            if (stageScratch.length > 0 && model.hasOwnedRest32()) {
                firstRanges = partRanges(model, Model.FIRST_LAYER);
                laterRanges = partRanges(model, Model.LATER_LAYERS);
                chunkDone = new AtomicIntegerArray(chunks);
                aheadDone = new AtomicIntegerArray(chunks);
                aFrom = -1;
                if (laterRanges == null) firstRanges = null;
            }
        } else if (compute32) {
            chunkGrad32 = new float[chunks][n];
        } else {
            chunkGrad = new double[chunks][n];
        }
        chunkLoss = new double[chunks];
        scratch = new Object[Math.max(chunks, config.threads())];
        for (int i = 0; i < scratch.length; i++) scratch[i] = compute32 ? model.newScratch32() : model.newScratch();
    }

    /**
     * Identifies training data as a checkpoint records it: rows, features, classes and a CRC-32C of
     * every feature value's bits and every label, in row order. Preprocessing changes the values, so
     * it is covered too.
     */
    static String fingerprint(Dataset d) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
        float[] x = d.x();
        for (int i = 0; i < x.length; i++) {
            if (b.remaining() < 4) {
                b.flip();
                crc.update(b);
                b.clear();
            }
            b.putFloat(x[i]);
        }
        for (int v : d.y()) {
            if (b.remaining() < 4) {
                b.flip();
                crc.update(b);
                b.clear();
            }
            b.putInt(v);
        }
        b.flip();
        crc.update(b);
        return String.format(java.util.Locale.ROOT, "%d rows x %d features, %d classes, crc32c %08x", d.size(), d.features(), d.classes(), crc.getValue());
    }

    /** One optimizer step on rows {@code perm[from..to)}; returns the batch's summed loss (data term). */
    private double step(BatchGradients gradients, int[] perm, int from, int to) {
        int rows = to - from;
        if (compute32 && local != null) return step32(local, perm, from, to);
        if (compute32 && gradients.float32()) {
            if (g32sum.length != g32.length) g32sum = new float[g32.length];
            return finish32(g32sum, gradients.sum32(p32, perm, from, to, g32sum), to - from);
        }
        double loss = gradients.sum(p64, perm, from, to, g64);
        for (int i = 0; i < g64.length; i++) g64[i] /= rows;
        model.addPenalty(p64, g64);
        boolean applied;
        if (f32) {
            for (int i = 0; i < g64.length; i++) g32[i] = (float) g64[i];
            applied = optimizer.step(p32, g32);
            if (applied) for (int i = 0; i < p32.length; i++) p64[i] = p32[i];
        } else {
            applied = optimizer.step(p64, g64);
        }
        steps++;
        return loss;
    }

    /**
     * One step in float32 ({@link #compute32}): the chunks' float32 gradients are summed in chunk
     * order into the first, divided by the row count, and stepped; only an L2 penalty goes through float64.
     */
    private double step32(Dataset data, int[] perm, int from, int to) {
        int rows = to - from, cs = config.chunkSize();
        int chunks = (rows + cs - 1) / cs;
        if (batch32 != null) {
            // fused: one region of the trainer's threads per batch (see fusedRegion)
            if (prepared32 == null) prepared32 = model.prepare32(p32, null); // its form; the region refills it
            fData = data;
            fPerm = perm;
            fFrom = from;
            fTo = to;
            fChunks = chunks;
            fSplit = splitStep && gang != null && partRanges != null && model.l2() == 0 && optimizer.beginSplitStep(p32, g32);
            fCopy = !fSplit || preparedAt != steps;
            fStaged = fSplit && staged && stageScratch.length > 0;
            fBlocks = (rows + STAGE_ROWS - 1) / STAGE_ROWS;
            fOwned = fStaged && ownedRest && config.threads() == 2 && firstRanges != null;
            if (fOwned) {
                fStaged = false;
                stagedRegions++; // the owned-rest region stages the first layer too
                ownedRegions++;
                for (int k = 0; k < fBlocks; k++) stageDone.set(k, 0);
                ownedJoined.set(0); // ownedDone: startListsAhead below
                lowSums.set(0);
                fPipelined = ownedByChunk && model.hasFirstLayerChunkGradient32();
                for (int k = 0; k < chunks; k++) chunkDone.set(k, 0);
            }
            if (fStaged) {
                stagedRegions++;
                for (int k = 0, n = config.threads() * fBlocks; k < n; k++) stageDone.set(k, 0);
                stagesDone.set(0);
            }
            AtomicIntegerArray t = taken;
            int items = fOwned ? COPY_PARTS + fBlocks + 2 * chunks + 2 * GRADIENT_PARTS
                    : COPY_PARTS + (fStaged ? config.threads() * fBlocks : 0) + chunks + GRADIENT_PARTS;
            for (int k = 0; k < items; k++) t.set(k, 0);
            if (fOwned) startListsAhead(data, perm, from, to, chunks, cs);
            copyDone.set(0);
            chunksDone.set(0);
            RegionProfile pr = profile;
            long t0 = 0;
            if (pr != null) {
                t0 = System.nanoTime();
                pr.regionStart = t0;
                pr.acc[0][RegionProfile.REGIONS]++;
            }
            try {
                if (gang == null) fusedRegion.run(0);
                else gang.run(fusedRegion);
            } finally {
                fData = null;
                fPerm = null;
            }
            if (pr != null) {
                long now = System.nanoTime(), inside = 0;
                for (int k = 0; k <= RegionProfile.GRADIENT; k++) inside += pr.acc[0][k];
                inside += pr.acc[0][RegionProfile.FIRST_LAYER] + pr.acc[0][RegionProfile.FIRST_LAYER_WAIT];
                pr.acc[0][RegionProfile.END_WAIT] += now - t0 - (inside - pr.lastInside);
                pr.lastInside = inside;
                t0 = now;
            }
            double loss = chunkLoss[0];
            for (int c = 1; c < chunks; c++) loss += chunkLoss[c];
            double r;
            if (fSplit) {
                optimizer.endSplitStep();
                p64Stale = true;
                steps++;
                preparedAt = steps;
                r = loss;
            } else {
                r = finish32(g32, loss, rows);
            }
            if (pr != null) pr.mark(0, RegionProfile.STEP, t0);
            return r;
        }
        prepared32 = model.prepare32(p32, prepared32);
        Object prep = prepared32;
        runChunks(chunks, c -> {
            float[] g = chunkGrad32[c];
            Arrays.fill(g, 0f);
            int a = from + c * cs, b = Math.min(to, a + cs);
            chunkLoss[c] = model.accumulate32(prep, data, perm, a, b, g, scratch[c]);
        });
        float[] g0 = chunkGrad32[0];
        double loss = chunkLoss[0];
        for (int c = 1; c < chunks; c++) {
            float[] g = chunkGrad32[c];
            for (int i = 0; i < g0.length; i++) g0[i] += g[i];
            loss += chunkLoss[c];
        }
        return finish32(g0, loss, rows);
    }

    /** The rest of a float32 step: the mean gradient (unless g0 is g32, which holds it already), an L2 penalty in float64, the optimizer step. */
    private double finish32(float[] g0, double loss, int rows) {
        float n = rows;
        if (g0 != g32) for (int i = 0; i < g0.length; i++) g32[i] = g0[i] / n; // else the model divided already
        if (model.l2() != 0) {
            double[] p = p64();
            for (int i = 0; i < g32.length; i++) g64[i] = g32[i];
            model.addPenalty(p, g64);
            for (int i = 0; i < g32.length; i++) g32[i] = (float) g64[i];
        }
        if (optimizer.step(p32, g32)) p64Stale = true;
        steps++;
        return loss;
    }

    /** g64 = Σ over chunks (in order) of Σ over rows (in order) of ∇loss(row); returns the summed loss. */
    private double gradientSum(Dataset data, int[] perm, int from, int to) {
        int cs = config.chunkSize();
        int chunks = (to - from + cs - 1) / cs;
        runChunks(chunks, c -> {
            double[] g = chunkGrad[c];
            Arrays.fill(g, 0.0);
            int a = from + c * cs, b = Math.min(to, a + cs);
            chunkLoss[c] = model.accumulate(p64, data, perm, a, b, g, scratch[c]);
        });
        System.arraycopy(chunkGrad[0], 0, g64, 0, g64.length);
        double loss = chunkLoss[0];
        for (int c = 1; c < chunks; c++) {
            double[] g = chunkGrad[c];
            for (int i = 0; i < g64.length; i++) g64[i] += g[i];
            loss += chunkLoss[c];
        }
        return loss;
    }

    /** Mean loss and accuracy on {@code data} at the current parameters (chunked like training; thread count does not matter). */
    public Evaluation evaluate(Dataset data) {
        checkData(data);
        int n = data.size();
        if (n == 0) return new Evaluation(Double.NaN, Double.NaN, 0);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        int cs = 256;
        int chunks = (n + cs - 1) / cs;
        double[][] out = new double[chunks][];
        Object[] sc = new Object[Math.min(chunks, Math.max(1, config.threads()))];
        for (int i = 0; i < sc.length; i++) sc[i] = model.newScratch();
        AtomicInteger next = new AtomicInteger();
        double[] p = p64();
        runWorkers(sc.length, w -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                int a = c * cs, b = Math.min(n, a + cs);
                out[c] = model.evaluate(p, data, rows, a, b, sc[w]);
            }
        });
        double loss = 0, correct = 0;
        for (double[] o : out) {
            loss += o[0];
            correct += o[1];
        }
        return new Evaluation(loss / n, correct / n, n);
    }

    private interface IntTask { void run(int i); }

    private void runChunks(int chunks, IntTask task) {
        if (gang == null || chunks == 1) {
            for (int c = 0; c < chunks; c++) task.run(c);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        runWorkers(Math.min(config.threads(), chunks), w -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) task.run(c);
        });
    }

    /**
     * Runs {@code worker.run(w)} for {@code w < workers} on the trainer's threads, except the parts of a thread that did
     * not start before the caller finished (see {@link Gang}): so every part must take its work from a shared counter.
     * Every started part has finished when it returns (also after a failure, rethrown).
     */
    private void runWorkers(int workers, IntTask worker) {
        if (gang == null || workers == 1) {
            for (int w = 0; w < workers; w++) worker.run(w);
            return;
        }
        gang.run(w -> {
            for (int i = w; i < workers; i += gang.size()) worker.run(i);
        });
    }

    /** The state of this run as a checkpoint (what {@link #fit} writes). */
    public Checkpoint checkpoint(int trainRows) {
        return new Checkpoint(model.spec(), optimizer.dtype(), config.seed(), config.batchSize(), config.chunkSize(), trainRows,
                epoch, batch, steps, rngAtEpochStart, epochLossSum, epochRows, bestLoss, badEpochs, settings(), p64(), optimizer.stateDict());
    }

    /** What must match on resume besides the optimizer's hyper-parameters (which its state holds). */
    private Map<String, String> settings() { return settings(config, optimizer, dataFingerprint); }

    /** {@link #settings()} of a run; shared with {@link SharedStateTrainer}. {@code data}: the fingerprint, or null. */
    static Map<String, String> settings(TrainConfig config, Optimizer optimizer, String data) {
        Map<String, String> s = new LinkedHashMap<>();
        if (config.schedule() != null) s.put("schedule", config.schedule());
        s.put("clipping", String.valueOf(optimizer.clipping()));
        if (data != null) s.put("data", data);
        return s;
    }

    /**
     * Refuses a checkpoint made with other optimizer settings: every group's hyper-parameters (as
     * saved in its optimizer state), the schedule and the clipping. Settings the checkpoint does not
     * record (older files) or this trainer does not know (no schedule in its config) are not compared.
     */
    private static void checkSameSettings(Checkpoint c, Optimizer optimizer, TrainConfig config, Map<String, String> settingsNow) {
        StateDict sd = c.optimizerState();
        if (!sd.kind().equals(optimizer.spec().kind())) throw cannotResume("the optimizer", sd.kind(), optimizer.spec().kind());
        List<String> groups = optimizer.groupNames();
        for (StateDict.GroupState g : sd.groups()) {
            if (!groups.contains(g.name())) continue; // the optimizer's loadStateDict names the mismatch
            String where = groups.size() == 1 ? "" : " of group '" + g.name() + "'";
            Map<String, Object> now = optimizer.groupSpec(g.name()).hyperParameters();
            for (Map.Entry<String, String> e : g.hyperParameters().entrySet()) {
                if (!now.containsKey(e.getKey())) continue;
                String is = String.valueOf(now.get(e.getKey()));
                if (!is.equals(e.getValue())) throw cannotResume(e.getKey() + where, e.getValue(), is);
            }
        }
        if (c.epoch() >= config.epochs() && !(config.patience() > 0 && c.badEpochs() >= config.patience() && c.batch() == 0)) {
            throw new IllegalArgumentException("cannot resume: the checkpoint has finished " + c.epoch() + " epoch" + (c.epoch() == 1 ? "" : "s")
                    + " and this run asks for " + config.epochs() + " in total, so there is nothing left to train; ask for more than " + c.epoch());
        }
        for (Map.Entry<String, String> e : c.settings().entrySet()) {
            if (e.getKey().equals("data")) continue; // compared by fit, which sees the data
            String is = settingsNow.get(e.getKey());
            if (is != null && !is.equals(e.getValue())) throw cannotResume(e.getKey(), e.getValue(), is);
        }
    }

    private static IllegalArgumentException cannotResume(String what, String saved, String now) {
        return new IllegalArgumentException("cannot resume: " + what + " is " + saved + " in the checkpoint, " + now
                + " now; repeat the options the run was started with");
    }

    /**
     * Continues from a checkpoint file (or a folder holding one). Everything is checked first: model
     * spec, parameter count, dtype, seed, batch and chunk size, the optimizer family and every group's
     * hyper-parameters, the schedule (when {@link TrainConfig#schedule()} is given) and the clipping
     * must match this trainer, otherwise the run would silently mix two configurations; the training
     * data's row count is checked by {@link #fit}.
     *
     * @throws IOException              for a missing or damaged file
     * @throws IllegalArgumentException naming the first mismatch; nothing is changed then
     */
    public void resume(Path file) throws IOException {
        resume(Checkpoint.load(file, Checkpoint.maxBytes(p64.length)));
    }

    /**
     * As {@link #resume(Path)}, from a checkpoint already loaded, for example one whose optimizer state was
     * converted ({@link Checkpoint#withOptimizerState}, {@link StateDict#quantize}, {@link StateDict#dequantize()}).
     *
     * @throws IllegalArgumentException naming the first mismatch; nothing is changed then
     */
    public void resume(Checkpoint c) {
        Checks.notNull("checkpoint", c);
        checkResumable(c, model, optimizer, config, settings());
        optimizer.loadStateDict(c.optimizerState()); // validates fully before changing anything
        double[] p = c.params();
        System.arraycopy(p, 0, p64, 0, p.length);
        p64Stale = false;
        if (f32) for (int i = 0; i < p.length; i++) p32[i] = (float) p[i];
        preparedAt = -1;
        epoch = c.epoch();
        batch = c.batch();
        steps = c.steps();
        rngAtEpochStart = c.rngState();
        epochLossSum = c.epochLossSum();
        epochRows = c.epochRows();
        bestLoss = c.bestLoss();
        badEpochs = c.badEpochs();
        trainRowsSeen = c.trainRows();
        dataSeen = c.settings().get("data");
        // early stopping ended the checkpointed run at the end of an epoch: a resumed run stays stopped
        stopped = config.patience() > 0 && badEpochs >= config.patience() && batch == 0;
    }

    /**
     * {@link #resume}'s checks of a loaded checkpoint against a run (model, parameter count, dtype, seed,
     * batch and chunk size, optimizer settings, epochs left); shared with {@link SharedStateTrainer}.
     *
     * @param now the run's {@link #settings(TrainConfig, Optimizer, String)}
     * @throws IllegalArgumentException "cannot resume: ..." naming the first mismatch
     */
    static void checkResumable(Checkpoint c, Model model, Optimizer optimizer, TrainConfig config, Map<String, String> now) {
        int n = model.layout().size();
        if (!c.modelSpec().equals(model.spec())) throw cannotResume("the model", "'" + c.modelSpec() + "'", "'" + model.spec() + "'");
        if (c.dtype() != optimizer.dtype()) throw cannotResume("the dtype", c.dtype().label(), optimizer.dtype().label());
        if (c.params().length != n) throw cannotResume("the parameter count", String.valueOf(c.params().length), String.valueOf(n));
        if (c.seed() != config.seed()) throw cannotResume("the seed", String.valueOf(c.seed()), String.valueOf(config.seed()));
        if (c.batchSize() != config.batchSize()) throw cannotResume("the batch size", String.valueOf(c.batchSize()), String.valueOf(config.batchSize()));
        if (c.chunkSize() != config.chunkSize()) throw cannotResume("the chunk size", String.valueOf(c.chunkSize()), String.valueOf(config.chunkSize()));
        checkSameSettings(c, optimizer, config, now);
    }

    private void checkData(Dataset d) {
        if (d.features() != model.inputs()) throw Checks.invalid("features of " + d.name(), d.features(), model.inputs() + " (the model's inputs)");
        if (d.classes() > model.classes()) throw Checks.invalid("classes of " + d.name(), d.classes(), "<= " + model.classes() + " (the model's outputs)");
    }

    /** Stops the worker threads. */
    @Override public void close() {
        if (profile != null) profile.print(config.threads(), splitStep);
        if (gang != null) gang.close();
    }
}
