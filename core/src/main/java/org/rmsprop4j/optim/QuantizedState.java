package org.rmsprop4j.optim;

import java.util.List;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.kernel.Blockwise8;
import org.rmsprop4j.kernel.Blockwise8Vector;
import org.rmsprop4j.kernel.Float8;
import org.rmsprop4j.kernel.Float8Vector;
import org.rmsprop4j.parallel.ChunkPool;
import org.rmsprop4j.transform.Chain;

/**
 * The block-wise 8-bit state of one fused group (see {@link StateQuantization}) and its step. Every
 * slot of every parameter is cut into blocks of {@code blockSize} from the parameter's first element;
 * slot {@code s} keeps one code per element of the group ({@code codes[s]}, parameters back to back in
 * group order) and one scale per block ({@code absmax[s]}).
 *
 * <p>A step runs block by block: copy the block's parameters and gradients to a per-thread scratch,
 * dequantize every slot into the scratch, run the group's ordinary fused float32 {@link StepRule} on
 * it, copy the parameters back and requantize every slot with its new absolute maximum. On the float8 maps with the
 * vector loops, plain RMSprop, RMSprop with momentum (lean form) and Adam/AdamW (not AMSGrad) do the decoding, the
 * step and the maxima in one pass per block instead ({@link Float8Vector}), with the same bits. Threads take
 * whole blocks ({@link ChunkPool} over block indices), so every block is computed by the same code
 * whatever the thread count: results are bit-identical for 1, 2, 3… threads. The scratch is
 * allocated once per thread and optimizer group, on that thread's first step; steps after that
 * allocate nothing.
 */
final class QuantizedState {
    private final StepRule rule;
    private final Chain chain;
    private final List<String> slots;
    final int blockSize;
    private final int nSlots;
    private final QuantMap[] maps;
    final byte[][] codes;
    final float[][] absmax;
    /** Per parameter of the group: layout offset, length, first block, first code. */
    private final int[] pOff, pLen, pBlock0, pCode0;
    private final List<ParamLayout.Param> params;
    final int elements, blocks;
    private final ThreadLocal<Scratch> scratch;
    private final Task task = new Task();

    /**
     * System property that turns the vector loops off ({@code -Drmsprop4j.blockwise8.vector=false}); read
     * when an optimizer is built. Both paths give the same bits.
     */
    static final String VECTOR_PROPERTY = "rmsprop4j.blockwise8.vector";

    /** Whether optimizers built now run the {@code jdk.incubator.vector} loops ({@link Blockwise8#vectorAvailable()}, unless turned off). */
    static boolean vectorDefault() {
        return Blockwise8.vectorAvailable() && !"false".equals(System.getProperty(VECTOR_PROPERTY));
    }

    /**
     * System property that turns the unbiased rounding of mean squares on for every 8-bit optimizer built from now
     * ({@code -Drmsprop4j.blockwise8.unbiased=true}); {@link StateQuantization#withUnbiasedRounding()} asks for it per optimizer. Off by default: as a separate pass after the coding it made the 8-bit step
     * 2.3–2.9× slower (README, "8-bit optimizer state"), until it is fused into the coding loop.
     */
    static final String UNBIASED_PROPERTY = "rmsprop4j.blockwise8.unbiased";

    /** Whether this group re-rounds its non-negative slots without bias ({@link #roundUnbiased}): asked for, or the property. */
    final boolean unbiased;

    /** This group codes on the float8 maps ({@link Float8}, {@link Float8Vector}). */
    final boolean fp8;
    /** Plain RMSprop on float8 maps: {@link StepRule#leanPlainF32()}, run fused with the decoding; else null. */
    private final float[] plainF32;

    /**
     * System property that turns the fused float8 Adam and RMSprop-momentum passes off ({@code -Drmsprop4j.float8.fusedAdam=false}:
     * decode, step, code as separate loops); read when an optimizer is built. Both give the same bits.
     */
    static final String FUSED_ADAM_PROPERTY = "rmsprop4j.float8.fusedAdam";

    /** Adam/AdamW without AMSGrad on float8 maps with the vector loops: one pass per block ({@link Float8Vector#adam}). */
    private final boolean fusedAdam;
    /** RMSprop with momentum, lean, on float8 maps with the vector loops: one pass per block ({@link Float8Vector#rmspropMomentum}). */
    private final boolean fusedMomentum;

    /** True when this group steps its float8 blocks through a fused Adam or RMSprop-momentum pass (for tests). */
    boolean fusedPass() { return fusedAdam || fusedMomentum; }

    /**
     * System property that turns Adam's first-moment guard off ({@code -Drmsprop4j.blockwise8.adamGuard=false}); read when an
     * optimizer is built. With the guard (the default), wherever Adam's second moment (and, with AMSGrad, its maximum) is stored
     * as 0, the first moment is stored as 0 too.
     *
     * <p>Why: a second moment under half the smallest map entry of its block ({@code 2^-19} of the block maximum on the float8
     * map, {@code 1.6e-7} on the dynamic one) is stored as 0, while the first moment, about its square root, is kept. If the
     * weight's next gradient is 0 (an input pixel that is 0 in the whole batch), the step is {@code lr·m̂/eps}, thousands of times a
     * normal step at eps 1e-8: measured, a step of 4.2 (dynamic map) or 4.7 (float8) against float32 state's 0.00067 after one gradient of
     * 1e-4 of the block's largest ({@code AdamGuardTest}), and NaN in the first epoch of the MNIST MLP on the float8 map. Stored as 0, the first moment restarts from the next gradient, so the step is
     * at most {@code lr·(1-β1)/sqrt(1-β2)·}(bias corrections), as in float32 Adam's first steps. The step itself is unchanged: it
     * still runs on the decoded state, and the guard only changes what is stored after it. Loading state applies it too
     * ({@link #guardLoaded}), so a file saved without it steps as one saved with it.
     */
    static final String ADAM_GUARD_PROPERTY = "rmsprop4j.blockwise8.adamGuard";

    /** Adam's first-moment slot when the guard is on, else -1; its second-moment slot and AMSGrad's maximum (or the second moment again). */
    private final int guardM, guardV, guardW;

    /** This group runs {@link Blockwise8Vector} (else the scalar {@link Blockwise8} loops). */
    final boolean vector;
    private final int[][] packTabs;

    private static final class Scratch {
        final float[] p, g;
        final float[][] s;
        final int[] idx;
        /** The fused rule's float32 coefficients of the current step ({@link StepRule#adamF32}, {@link StepRule#leanMomentumF32}). */
        final float[] adam = new float[10];

        /**
         * Floats past the block in every scratch array, so that two scratch blocks are not a multiple of 4 KiB apart for
         * any block size, in whichever order the collector leaves them: the float8 strip stores one scratch block while it
         * loads another at the same index, and at blocks of 2,048 (8 KiB and a header apart) the strip alone ran at 1e8 on
         * one thread at 1.10 ns per value back to back against 0.79 with 2 KiB between them
         * ({@code tools/bench/Float8Breakdown.java}); with this gap of 1 KiB the fp8-2048 step ran 1.08–1.09× faster
         * ({@code Float8AB}, docs/speed-history.md, seventh-pass window). Same bits: no loop reads past the block.
         */
        static final int GAP = 256;

        Scratch(int blockSize, int slots) {
            p = new float[blockSize + GAP];
            g = new float[blockSize + GAP];
            s = new float[slots][blockSize + GAP];
            idx = new int[blockSize];
        }
    }

    private final class Task implements ChunkPool.RangeTask {
        float[] pf, gf;
        double lr;
        long t;

        @Override public void run(int off, int len) { runBlocks(pf, gf, off, len, lr, t); }
    }

    QuantizedState(StepRule rule, Chain chain, List<String> slots, List<ParamLayout.Param> params, int blockSize, boolean unbiasedRounding) {
        this(rule, chain, slots, params, blockSize, unbiasedRounding, false);
    }

    /** {@code fp8}: on the float8 maps ({@link Float8}) instead of the dynamic ones. */
    QuantizedState(StepRule rule, Chain chain, List<String> slots, List<ParamLayout.Param> params, int blockSize, boolean unbiasedRounding, boolean fp8) {
        this.fp8 = fp8;
        this.plainF32 = fp8 && slots.size() == 1 ? rule.leanPlainF32() : null;
        this.unbiased = unbiasedRounding || "true".equals(System.getProperty(UNBIASED_PROPERTY));
        this.rule = rule;
        this.chain = chain;
        this.slots = slots;
        this.params = params;
        this.blockSize = blockSize;
        this.nSlots = slots.size();
        this.maps = new QuantMap[nSlots];
        for (int s = 0; s < nSlots; s++) maps[s] = QuantMap.of(fp8, !chain.nonNegative(slots.get(s)));
        int n = params.size();
        pOff = new int[n];
        pLen = new int[n];
        pBlock0 = new int[n];
        pCode0 = new int[n];
        long e = 0, b = 0;
        for (int i = 0; i < n; i++) {
            ParamLayout.Param p = params.get(i);
            pOff[i] = p.offset();
            pLen[i] = p.length();
            pBlock0[i] = (int) b;
            pCode0[i] = (int) e;
            e += p.length();
            b += StateDict.Quantized.blocks(p.length(), blockSize);
        }
        this.elements = (int) e;
        this.blocks = (int) b;
        this.codes = new byte[nSlots][elements];
        this.absmax = new float[nSlots][blocks];
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(blockSize, nSlots));
        this.vector = vectorDefault();
        this.packTabs = new int[nSlots][];
        if (vector && !fp8) for (int s = 0; s < nSlots; s++) packTabs[s] = maps[s].packTab();
        int[] adam = adamGuardOn() ? adamSlots(slots) : null;
        this.guardM = adam == null ? -1 : adam[0];
        this.guardV = adam == null ? -1 : adam[1];
        this.guardW = adam == null ? -1 : adam[2];
        this.fusedAdam = fp8 && vector && nSlots == 2 && maps[0].signed && !maps[1].signed
                && rule.adamF32(0.0, 1, new float[10]) && !"false".equals(System.getProperty(FUSED_ADAM_PROPERTY));
        this.fusedMomentum = fp8 && vector && nSlots == 2 && !maps[0].signed && maps[1].signed
                && rule.leanMomentumF32(0.0, new float[7]) && !"false".equals(System.getProperty(FUSED_ADAM_PROPERTY));
    }

    /** Every slot back to its initial value: 0 is code {@code zero} with scale 0; {@code x ≠ 0} is the map's ±1 with scale |x|. */
    void reset() {
        for (int s = 0; s < nSlots; s++) {
            double init = chain.initialValue(slots.get(s));
            float a = Math.abs((float) init);
            byte c = (byte) (a == 0f ? maps[s].zero : maps[s].code(Math.signum((float) init)));
            java.util.Arrays.fill(codes[s], c);
            java.util.Arrays.fill(absmax[s], a);
        }
    }

    /** One step of the group: {@code pf} Modified, {@code gf} Not modified. */
    void step(float[] pf, float[] gf, double lr, long t, int threads, int parallelThreshold) {
        if (threads > 1 && elements >= parallelThreshold && blocks > 1) {
            Task k = task;
            k.pf = pf; k.gf = gf; k.lr = lr; k.t = t;
            try {
                ChunkPool.shared().run(k, 0, blocks, threads);
            } finally {
                k.pf = null; k.gf = null;
            }
        } else {
            runBlocks(pf, gf, 0, blocks, lr, t);
        }
    }

    /** Blocks {@code [k0, k0+count)} of the group. */
    private void runBlocks(float[] pf, float[] gf, int k0, int count, double lr, long t) {
        if (count <= 0) return;
        Scratch sc = scratch.get();
        float[] sp = sc.p, sg = sc.g;
        float[][] ss = sc.s;
        int q = 0;
        while (q + 1 < pBlock0.length && pBlock0[q + 1] <= k0) q++;
        float[] prevV = null;           // float8 plain RMSprop, vector, nearest: the block whose codes are still to write
        int prevLen = 0, prevC = 0;
        float prevA = 0f;
        float[] ad = sc.adam;
        if (fusedAdam) rule.adamF32(lr, t, ad);
        if (fusedMomentum) rule.leanMomentumF32(lr, ad);
        for (int k = k0, end = k0 + count; k < end; k++) {
            while (k - pBlock0[q] >= StateDict.Quantized.blocks(pLen[q], blockSize)) q++;
            int within = (k - pBlock0[q]) * blockSize;
            int e = pOff[q] + within, c = pCode0[q] + within;
            int len = Math.min(blockSize, pLen[q] - within);
            if (plainF32 != null) {                  // plain RMSprop on float8: one fused pass, no copies
                float[] v = prevV == ss[0] ? sg : ss[0];     // two scratch blocks, alternating: this block's and the previous one's
                float[] pl = plainF32;
                float a;
                if (prevV != null && prevLen == len && len == blockSize) {
                    // nearest, vector: each block's step and the previous block's coding in one loop (with the unbiased
                    // coding's hash in the same loop, C2 ran out of node budget and boxed every vector: 4.1 ns per value),
                    // over every full block left in this parameter and this call (one call, not one per block)
                    int strip = Math.min(pLen[q] / blockSize - (k - pBlock0[q]), end - k);
                    Float8Vector.rmspropPlainStrip(pf, gf, e, codes[0], c, absmax[0], k, strip, len, v, prevV,
                            pl[0], pl[1], pl[2], pl[3], (float) lr, prevV, prevA, prevC);
                    int last = k + strip - 1;
                    prevV = (strip & 1) == 1 ? v : prevV;
                    prevA = absmax[0][last];
                    prevC = c + (strip - 1) * blockSize;
                    k = last;
                    continue;
                } else {
                    if (prevV != null) code(prevV, prevLen, prevA, false, prevC, t, 0);
                    a = Float.intBitsToFloat(vector
                            ? Float8Vector.rmspropPlain(pf, gf, e, codes[0], c, absmax[0][k], v, 0, len, pl[0], pl[1], pl[2], pl[3], (float) lr)
                            : Float8.rmspropPlain(pf, gf, e, codes[0], c, absmax[0][k], v, 0, len, pl[0], pl[1], pl[2], pl[3], (float) lr));
                }
                absmax[0][k] = a;
                if (vector && !unbiased) {              // coded in the next block's loop (or after the last block)
                    prevV = v;
                    prevLen = len;
                    prevA = a;
                    prevC = c;
                } else {
                    code(v, len, a, false, c, t, 0);
                }
                continue;
            }
            if (fusedAdam || fusedMomentum) {
                // Adam or RMSprop with momentum on float8, vector: decode both slots, step and both maxima in one pass
                long mx = fusedAdam
                        ? Float8Vector.adam(pf, gf, e, codes[0], codes[1], c, absmax[0][k], absmax[1][k], ss[0], 0, ss[1], 0, len,
                                ad[0], ad[1], ad[2], ad[3], ad[4], ad[5], ad[6], ad[7], ad[8], ad[9])
                        : Float8Vector.rmspropMomentum(pf, gf, e, codes[0], codes[1], c, absmax[0][k], absmax[1][k], ss[0], 0, ss[1], 0, len,
                                ad[0], ad[1], ad[2], ad[3], ad[4], ad[5], ad[6]);
                for (int s = 0; s < 2; s++) {          // then code both, as stepFloat8 does
                    float a = Float.intBitsToFloat(s == 0 ? (int) (mx >>> 32) : (int) mx);
                    absmax[s][k] = a;
                    code(ss[s], len, a, maps[s].signed, c, t, s);
                }
                guard(c, len);
                continue;
            }
            System.arraycopy(pf, e, sp, 0, len);
            System.arraycopy(gf, e, sg, 0, len);
            if (fp8) {
                stepFloat8(sp, sg, ss, pf, e, c, k, len, lr, t);
                continue;
            }
            if (vector) {
                int[] idx = sc.idx;
                // dequantize stays scalar: its 256-entry lookup is faster as scalar loads than as gathers (README, Speed)
                for (int s = 0; s < nSlots; s++) Blockwise8.dequantize(codes[s], c, absmax[s][k], maps[s].values, ss[s], 0, len);
                rule.apply(sp, sg, ss, 0, len, lr, t);
                System.arraycopy(sp, 0, pf, e, len);
                for (int s = 0; s < nSlots; s++) {
                    // the maximum and the coding in one call, compiled on its own (Blockwise8Vector.codeBlock says why)
                    float a = Float.intBitsToFloat(Blockwise8Vector.quantize(ss[s], 0, len, packTabs[s], idx, codes[s], c));
                    absmax[s][k] = a;
                    if (unbiased && !maps[s].signed) roundUnbiased(ss[s], len, a, maps[s].values, codes[s], c, t, s);
                }
                guard(c, len);
                continue;
            }
            for (int s = 0; s < nSlots; s++) Blockwise8.dequantize(codes[s], c, absmax[s][k], maps[s].values, ss[s], 0, len);
            rule.apply(sp, sg, ss, 0, len, lr, t);
            System.arraycopy(sp, 0, pf, e, len);
            for (int s = 0; s < nSlots; s++) {
                float a = Float.intBitsToFloat(Blockwise8.absMaxBits(ss[s], 0, len));
                absmax[s][k] = a;
                Blockwise8.quantize(ss[s], 0, len, a, maps[s].tab, maps[s].thr, codes[s], c);
                if (unbiased && !maps[s].signed) roundUnbiased(ss[s], len, a, maps[s].values, codes[s], c, t, s);
            }
            guard(c, len);
        }
        if (prevV != null) code(prevV, prevLen, prevA, false, prevC, t, 0);
    }

    /**
     * One block on the float8 maps: decode every slot (shifts and two exact-or-once-rounded products per
     * value, no lookup), the step, then the block maximum and the coding, with the unbiased draw fused into
     * the coding of the unsigned slots (the same {@link Float8#draw} on both paths, so the same bits).
     */
    private void stepFloat8(float[] sp, float[] sg, float[][] ss, float[] pf, int e, int c, int k, int len, double lr, long t) {
        if (vector) {
            for (int s = 0; s < nSlots; s++) Float8Vector.dequantize(codes[s], c, absmax[s][k], maps[s].signed, ss[s], 0, len);
        } else {
            for (int s = 0; s < nSlots; s++) Float8.dequantize(codes[s], c, absmax[s][k], maps[s].signed, ss[s], 0, len);
        }
        rule.apply(sp, sg, ss, 0, len, lr, t);
        System.arraycopy(sp, 0, pf, e, len);
        for (int s = 0; s < nSlots; s++) {
            float a = Float.intBitsToFloat(vector ? Blockwise8Vector.absMaxBits(ss[s], 0, len) : Blockwise8.absMaxBits(ss[s], 0, len));
            absmax[s][k] = a;
            code(ss[s], len, a, maps[s].signed, c, t, s);
        }
        guard(c, len);
    }

    /**
     * Adam's slots for the guard: {@code {m, v, w}}, the indexes of a slot {@code P + "exp_avg"} and of {@code P + "exp_avg_sq"}
     * and {@code P + "max_exp_avg_sq"} with the same prefix {@code P} (a chain qualifies slots by member: {@code adam/exp_avg}),
     * {@code w = v} without AMSGrad; null when the group has no such pair. A fused group has one Adam at most; with several,
     * the first pair is guarded.
     */
    private static int[] adamSlots(List<String> slots) {
        for (int i = 0; i < slots.size(); i++) {
            String prefix = adamPrefix(slots.get(i));
            if (prefix == null) continue;
            int v = slots.indexOf(prefix + AdamConfig.EXP_AVG_SQ), w = slots.indexOf(prefix + AdamConfig.MAX_EXP_AVG_SQ);
            if (v >= 0) return new int[] {i, v, w >= 0 ? w : v};
        }
        return null;
    }

    /**
     * For a slot name or state key of Adam's first moment ({@code exp_avg}, or {@code P/exp_avg} qualified by member or
     * parameter), the prefix its second moment's name shares ({@code ""} or {@code "P/"}); else null.
     */
    static String adamPrefix(String name) {
        String first = AdamConfig.EXP_AVG;
        if (!name.equals(first) && !name.endsWith("/" + first)) return null;
        return name.substring(0, name.length() - first.length());
    }

    /** Whether the guard is on ({@link #ADAM_GUARD_PROPERTY} not {@code false}), read now. */
    static boolean adamGuardOn() { return !"false".equals(System.getProperty(ADAM_GUARD_PROPERTY)); }

    /** The guard on every value, after state is loaded: state saved without it (older files, or the property off) is guarded too. */
    void guardLoaded() { guard(0, elements); }

    /** Adam's first-moment guard ({@link #ADAM_GUARD_PROPERTY}) on the {@code len} codes at {@code c}, after every slot is coded. */
    private void guard(int c, int len) {
        if (guardM < 0) return;
        byte mz = (byte) maps[guardM].zero, vz = (byte) maps[guardV].zero, wz = (byte) maps[guardW].zero;
        Blockwise8.zeroWhereBothZero(codes[guardM], mz, codes[guardV], vz, codes[guardW], wz, c, len);
    }

    /** Codes {@code src[0..len)} of slot {@code s} with scale {@code a} into its codes at {@code c} (float8 maps). */
    private void code(float[] src, int len, float a, boolean signed, int c, long t, int s) {
        if (vector) {
            if (unbiased && !signed) Float8Vector.quantizeUnbiased(src, 0, len, a, seed(t, s), codes[s], c);
            else Float8Vector.quantize(src, 0, len, a, signed, codes[s], c);
        } else {
            if (unbiased && !signed) Float8.quantizeUnbiased(src, 0, len, a, seed(t, s), codes[s], c);
            else Float8.quantize(src, 0, len, a, signed, codes[s], c);
        }
    }

    /** The seed of the unbiased draws of step {@code t}, slot {@code slot} (as {@link #roundUnbiased}). */
    private static int seed(long t, int slot) { return (int) mix(t * 0x9E3779B97F4A7C15L + slot); }

    /**
     * Re-rounds the nearest codes of a non-negative slot (a mean square or second moment) without bias:
     * a value {@code x} (normalised as the coding does) between map entries {@code lo < x < hi} gets
     * {@code hi} with probability {@code (x - lo)/(hi - lo)}, else {@code lo}, so the stored value is
     * {@code x} on average. Why: nearest rounding loses every change smaller than half the gap to the
     * next entry, and the gaps are wide (0.7% of the block maximum in the top decade, a whole decade
     * at the bottom). A mean square that only decays (by {@code 1 - ρ} = 1% a step for RMSprop) then
     * never decays, while gradient bursts, being large, are kept: ν ratchets upwards and the steps
     * shrink. On MNIST-10k (784-128-64-10, blocks of 2,048) nearest rounding left the first layer's
     * stored ν 1.7× the float32 recursion on the same gradients after 1,000 steps (geometric mean) and the
     * training loss 5% higher than float32 state's, on 23 of 24 seeds (README, "8-bit optimizer state").
     *
     * <p>The draws are a hash of the step {@code t}, the slot and the value's position in the group, so
     * the codes do not depend on the thread count, and a run resumed from saved state draws the same
     * numbers. Zero stays zero, the block maximum stays exact (it sits on the map's 1), and a
     * non-finite block keeps its nearest codes.
     */
    private static void roundUnbiased(float[] src, int len, float scale, float[] map, byte[] codes, int c0, long t, int slot) {
        if (!(scale > 0f) || scale == Float.POSITIVE_INFINITY) return;
        float inv = 1f / scale;
        boolean divide = inv == Float.POSITIVE_INFINITY;        // as Blockwise8.quantize: a subnormal scale divides
        int seed = (int) mix(t * 0x9E3779B97F4A7C15L + slot);
        // branch-free: the draws are random, so any branch on them would mispredict half the time
        for (int i = 0; i < len; i++) {
            float x = divide ? src[i] / scale : src[i] * inv;
            int c = codes[c0 + i] & 0xff;
            int lo = Math.max(c - (x < map[c] ? 1 : 0), 0), hi = Math.min(lo + 1, 255);
            float base = map[lo];
            // zero, an exact entry and NaN compare false (the nearest code stays); at the top entry hi == lo
            codes[c0 + i] = (byte) (uniform(seed, c0 + i) * (map[hi] - base) < x - base ? hi : lo);
        }
    }

    /** A uniform float in [0, 1) from a seed and a position ({@link Float8#hash}; 24 bits used). */
    private static float uniform(int seed, int position) {
        return (Float8.hash(seed, position) >>> 8) * 0x1p-24f;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int index(ParamLayout.Param p) {
        for (int i = 0; i < params.size(); i++) if (params.get(i).name().equals(p.name())) return i;
        throw new IllegalStateException("parameter " + p.name() + " is not in this group");
    }

    /** The values slot {@code s} of parameter {@code p} stands for, widened to double. */
    double[] values(int s, ParamLayout.Param p) { return export(s, p).dequantize(); }

    /** Slot {@code s} of parameter {@code p} as a state buffer. */
    StateDict.Quantized export(int s, ParamLayout.Param p) {
        int i = index(p);
        int nb = StateDict.Quantized.blocks(pLen[i], blockSize);
        return new StateDict.Quantized(maps[s].name, blockSize,
                java.util.Arrays.copyOfRange(codes[s], pCode0[i], pCode0[i] + pLen[i]),
                java.util.Arrays.copyOfRange(absmax[s], pBlock0[i], pBlock0[i] + nb));
    }

    /** Checks that {@code q} fits slot {@code s} of parameter {@code p}; throws naming {@code key} otherwise. */
    void check(int s, ParamLayout.Param p, String key, StateDict.Quantized q) {
        if (!q.map().equals(maps[s].name)) {
            throw Checks.invalid("map of state buffer '" + key + "'", "'" + q.map() + "'", "'" + maps[s].name + "' (this slot's map)");
        }
        if (q.blockSize() != blockSize) {
            throw Checks.invalid("block size of state buffer '" + key + "'", q.blockSize(), blockSize + " (this optimizer's StateQuantization)");
        }
        if (q.length() != p.length()) throw Checks.invalid("length of state buffer '" + key + "'", q.length(), String.valueOf(p.length()));
    }

    /** Copies a checked buffer into slot {@code s} of parameter {@code p}. */
    void load(int s, ParamLayout.Param p, StateDict.Quantized q) {
        int i = index(p);
        System.arraycopy(q.codesView(), 0, codes[s], pCode0[i], pLen[i]);
        float[] a = q.absmaxView();
        System.arraycopy(a, 0, absmax[s], pBlock0[i], a.length);
    }

    int slotIndex(String slot) { return slots.indexOf(slot); }

    /** Bytes held by the state arrays (codes and scales), for the memory tests. */
    long bytes() {
        long b = 0;
        for (int s = 0; s < nSlots; s++) b += codes[s].length + 4L * absmax[s].length;
        return b;
    }
}
