package org.rmsprop4j.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.rmsprop4j.internal.Checks;

/**
 * A deep, immutable snapshot of an optimizer's state, keyed by name, never by position: groups by
 * group name and buffers by {@code "<transform>/<param>/<slot>"} (for example
 * {@code "rms/w/square_avg"}; format 1 used {@code "<param>/<slot>"}, which
 * {@link Optimizer#loadStateDict} still reads). float32 buffers are held as doubles, which represent
 * every float exactly. Arrays are copied on the way in and on the way out: nothing outside can
 * change a snapshot.
 *
 * @param formatVersion  version of this structure and of its file form ({@link StateIO})
 * @param kind           optimizer family ({@link OptimizerSpec#kind()})
 * @param dtype          element type of the buffers
 * @param groups         per group: steps taken, base learning rate, schedule, hyper-parameters (for information)
 * @param paramLengths   element count of every parameter, in layout order
 * @param buffers        every state buffer by key
 * @param quantized      every block-wise 8-bit buffer by key (format 3; empty for float state, see
 *                       {@link StateQuantization}); a key is never in both maps
 */
public record StateDict(int formatVersion, String kind, Dtype dtype, List<GroupState> groups,
                        Map<String, Integer> paramLengths, Map<String, double[]> buffers, Map<String, Quantized> quantized) {

    /**
     * The newest format this release writes and reads: 3 (8-bit quantized buffers). An optimizer with
     * float state still writes format 2 (transform-qualified buffer keys, schedules), so its files stay
     * readable by the releases before; format 1 is still read.
     */
    public static final int FORMAT_VERSION = 3;

    /** The format of states without quantized buffers. */
    public static final int FLOAT_FORMAT_VERSION = 2;

    /**
     * One block-wise 8-bit buffer (see {@link StateQuantization}): {@code length} one-byte codes into the
     * map named {@code map}, and one float32 scale (absolute maximum) per block of {@code blockSize}
     * values, the last block possibly shorter. Value {@code i} is {@code map[codes[i] & 0xff] · absmax[i / blockSize]}.
     * Arrays are copied in and out; equality is by content.
     */
    public static final class Quantized {
        /** Name of the signed dynamic map (momentum, first moments). */
        public static final String MAP_SIGNED = "dynamic-signed-8";
        /** Name of the unsigned dynamic map (mean squares, second moments). */
        public static final String MAP_UNSIGNED = "dynamic-unsigned-8";
        /** Name of the signed float8 map (sign and E4M3 with subnormals, 1 = code 120; {@link StateQuantization#withFloat8Map()}). */
        public static final String MAP_FP8_SIGNED = "fp8-e4m3-signed";
        /** Name of the unsigned float8 map (E4M4 with subnormals, 1 = code 240; {@link StateQuantization#withFloat8Map()}). */
        public static final String MAP_FP8_UNSIGNED = "fp8-e4m4-unsigned";

        private final String map;
        private final int blockSize;
        private final byte[] codes;
        private final float[] absmax;

        /**
         * @throws IllegalArgumentException for an unknown map, a bad block size, or an {@code absmax}
         *                                  whose length is not the block count or that holds a negative
         *                                  scale (non-finite scales are kept, so that a diverged run can
         *                                  still be saved; {@link Optimizer#loadStateDict} refuses them)
         */
        public Quantized(String map, int blockSize, byte[] codes, float[] absmax) {
            QuantMap m = QuantMap.named(map);
            if (m == null) {
                throw Checks.invalid("map", "'" + map + "'", "'" + MAP_SIGNED + "', '" + MAP_UNSIGNED + "', '" + MAP_FP8_SIGNED + "' or '" + MAP_FP8_UNSIGNED + "'");
            }
            new StateQuantization(8, blockSize);
            Checks.notNull("codes", codes);
            Checks.notNull("absmax", absmax);
            for (int i = 0; i < codes.length; i++) {
                if (!m.valid(codes[i] & 0xff)) {
                    throw Checks.invalid("code " + i, codes[i] & 0xff, m.validCodes() + " (the codes of map '" + map + "')");
                }
            }
            int blocks = blocks(codes.length, blockSize);
            if (absmax.length != blocks) {
                throw Checks.invalid("absmax.length", absmax.length, blocks + " (one per block of " + blockSize + " of " + codes.length + " codes)");
            }
            for (int b = 0; b < absmax.length; b++) {
                if (absmax[b] < 0f) {
                    throw Checks.invalid("absmax[" + b + "]", absmax[b], "a float32 >= 0 (a block's absolute maximum)");
                }
            }
            this.map = map;
            this.blockSize = blockSize;
            this.codes = codes.clone();
            this.absmax = absmax.clone();
        }

        /** Number of blocks of {@code blockSize} covering {@code length} values. */
        public static int blocks(int length, int blockSize) { return (int) (((long) length + blockSize - 1) / blockSize); }

        /** The map's name: {@link #MAP_SIGNED}, {@link #MAP_UNSIGNED}, {@link #MAP_FP8_SIGNED} or {@link #MAP_FP8_UNSIGNED}. */
        public String map() { return map; }

        /** Values per block (a power of two in 64..65,536); the last block may be shorter. */
        public int blockSize() { return blockSize; }

        /** Number of values. */
        public int length() { return codes.length; }

        /** A copy of the codes. */
        public byte[] codes() { return codes.clone(); }

        /** A copy of the per-block scales. */
        public float[] absmax() { return absmax.clone(); }

        byte[] codesView() { return codes; }

        float[] absmaxView() { return absmax; }

        /** The values this buffer stands for, widened to double (exact float32 products). */
        public double[] dequantize() {
            float[] values = QuantMap.named(map).values;
            double[] out = new double[codes.length];
            for (int i = 0; i < out.length; i++) out[i] = values[codes[i] & 0xff] * absmax[i / blockSize];
            return out;
        }

        /** Bytes this buffer occupies in a state file and in the heap's arrays: codes plus scales. */
        public long bytes() { return codes.length + 4L * absmax.length; }

        @Override public boolean equals(Object o) {
            if (!(o instanceof Quantized q)) return false;
            return map.equals(q.map) && blockSize == q.blockSize && Arrays.equals(codes, q.codes)
                    && Arrays.equals(absmax, q.absmax);
        }

        @Override public int hashCode() { return Objects.hash(map, blockSize, Arrays.hashCode(codes), Arrays.hashCode(absmax)); }

        @Override public String toString() { return "Quantized[" + map + ", block " + blockSize + ", " + codes.length + " values]"; }
    }

    /** A state without quantized buffers. */
    public StateDict(int formatVersion, String kind, Dtype dtype, List<GroupState> groups,
                     Map<String, Integer> paramLengths, Map<String, double[]> buffers) {
        this(formatVersion, kind, dtype, groups, paramLengths, buffers, Map.of());
    }

    /**
     * The saved state of one parameter group.
     *
     * @param schedule the schedule's {@link LearningRateSchedule#describe() description}, or {@code null} in format 1
     */
    public record GroupState(String name, long step, double learningRate, Map<String, String> hyperParameters, String schedule) {
        /**
         * Validates the group and copies its hyper-parameters.
         *
         * @param schedule the schedule's {@link LearningRateSchedule#describe() description}, or {@code null} in format 1
         * @throws IllegalArgumentException for a null name or hyper-parameters, a negative step, or a negative or
         *         non-finite learning rate
         */
        public GroupState {
            Checks.notNull("name", name);
            if (step < 0) throw Checks.invalid("step of group '" + name + "'", step, ">= 0");
            Checks.nonNegative("learning rate of group '" + name + "'", learningRate);
            hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull("hyperParameters", hyperParameters)));
        }

        /** A format-1 group (no schedule recorded). */
        public GroupState(String name, long step, double learningRate, Map<String, String> hyperParameters) {
            this(name, step, learningRate, hyperParameters, null);
        }
    }

    /**
     * Validates the snapshot and copies every array and map.
     *
     * @param formatVersion  version of this structure and of its file form ({@link StateIO})
     * @param kind           optimizer family ({@link OptimizerSpec#kind()})
     * @param dtype          element type of the buffers
     * @param groups         per group: steps taken, base learning rate, schedule, hyper-parameters (for information)
     * @param paramLengths   element count of every parameter, in layout order
     * @param buffers        every state buffer by key
     * @param quantized      every block-wise 8-bit buffer by key (format 3; empty for float state, see {@link
     *                       StateQuantization}); a key is never in both maps
     * @throws IllegalArgumentException naming the problem: {@code formatVersion < 1}, a null part, a negative parameter
     *         length, a key in both buffer maps, quantized buffers in a format before 3 or with a dtype other than float32
     */
    public StateDict {
        if (formatVersion < 1) throw Checks.invalid("formatVersion", formatVersion, ">= 1");
        Checks.notNull("kind", kind);
        Checks.notNull("dtype", dtype);
        groups = List.copyOf(Checks.notNull("groups", groups));
        Map<String, Integer> lengths = new LinkedHashMap<>();
        Checks.notNull("paramLengths", paramLengths).forEach((k, v) -> {
            if (k == null || v == null || v < 0) throw Checks.invalid("paramLengths", k + "=" + v, "names with lengths >= 0");
            lengths.put(k, v);
        });
        paramLengths = Collections.unmodifiableMap(lengths);
        Map<String, double[]> copy = new LinkedHashMap<>();
        Checks.notNull("buffers", buffers).forEach((k, v) -> {
            if (k == null || v == null) throw Checks.invalid("buffers", k + "=" + (v == null ? null : "[...]"), "non-null keys and arrays");
            copy.put(k, v.clone());
        });
        buffers = Collections.unmodifiableMap(copy);
        Map<String, Quantized> q = new LinkedHashMap<>();
        Checks.notNull("quantized", quantized).forEach((k, v) -> {
            if (k == null || v == null) throw Checks.invalid("quantized", k + "=" + v, "non-null keys and buffers");
            if (copy.containsKey(k)) throw Checks.invalid("quantized", "key '" + k + "'", "a key that is not also a float buffer");
            q.put(k, v);
        });
        if (!q.isEmpty() && formatVersion < 3) {
            throw Checks.invalid("formatVersion", formatVersion, ">= 3 for a state with quantized buffers " + q.keySet());
        }
        if (!q.isEmpty() && dtype != Dtype.FLOAT32) {
            throw Checks.invalid("dtype", dtype.label(), "float32 for a state with quantized buffers (8-bit state is float32 only)");
        }
        quantized = Collections.unmodifiableMap(q);
    }

    /**
     * The same state with every quantized buffer replaced by its float values ({@link Quantized#dequantize()}),
     * in format 2: what an optimizer with float32 state loads. The explicit conversion from 8-bit to
     * float state; the values are exactly those the 8-bit optimizer was using.
     */
    public StateDict dequantize() {
        if (quantized.isEmpty()) return this;
        Map<String, double[]> all = new LinkedHashMap<>(buffers);
        quantized.forEach((k, v) -> all.put(k, v.dequantize()));
        return new StateDict(Math.min(formatVersion, FLOAT_FORMAT_VERSION), kind, dtype, groups, paramLengths, all);
    }

    /**
     * The explicit conversion from float32 to block-wise 8-bit state, the reverse of {@link #dequantize()}:
     * every buffer of {@code like} that is 8-bit is coded from this state's float buffer of the same key,
     * with {@code like}'s map and block size, exactly as the 8-bit optimizer stores a block after a step
     * (scale = the block's largest magnitude, each value coded to the nearest map entry; the optimizer's
     * scalar loops; Adam's first moment stored as 0 where its second moment is, see {@code QuantizedState.ADAM_GUARD_PROPERTY},
     * as the property reads when this is called; a block's scale stays its largest value before that, so such a block's
     * scale can lie above every value it stores). So an 8-bit optimizer that loads the result holds what it would have stored for this
     * float state. Take {@code like} from the optimizer that will load the result:
     * <pre>{@code
     * Optimizer opt8 = Optimizer.builder(spec).layout(layout).stateQuantization(StateQuantization.blockwise8(256)).build();
     * opt8.loadStateDict(float32State.quantize(opt8.stateDict()));
     * }</pre>
     * Groups (steps, learning rates, schedules) are kept. Converting is lossy: 8 bits per value plus one
     * scale per block, so {@code quantize(like).dequantize()} is close to, not equal to, this state. The
     * other way round, {@code s8.dequantize().quantize(s8)} gives back {@code s8}'s codes and scales in every
     * block whose largest value is its scale (every unsigned block); a signed block led by a negative value
     * dequantizes to less than its scale (the signed map's lowest entry is above −1, as bitsandbytes'), so
     * it is coded again with that smaller scale.
     *
     * @param like a state with 8-bit buffers (an 8-bit optimizer's {@link Optimizer#stateDict()}): it gives
     *             the keys, maps and block size; its values are not used
     * @return this state with those buffers in 8 bits, in format {@value #FORMAT_VERSION}
     * @throws IllegalArgumentException naming the problem: this state is not float32 (8-bit state is float32
     *                                  only), already holds 8-bit buffers, or is of another family; {@code like}
     *                                  holds no 8-bit buffers; a buffer of either has no counterpart of the
     *                                  same length in the other (such as centered RMSprop's {@code grad_avg},
     *                                  which 8-bit optimizers refuse); a value is NaN or infinite, or negative
     *                                  in a slot whose map is unsigned (a mean square)
     */
    public StateDict quantize(StateDict like) {
        Checks.notNull("like", like);
        if (dtype != Dtype.FLOAT32) {
            throw Checks.invalid("state dtype", dtype.label(), "float32 (8-bit state is float32 only; build the float32 run's state to convert)");
        }
        if (!quantized.isEmpty()) throw Checks.invalid("state", "8-bit buffers " + quantized.keySet(), "float32 buffers (it is 8-bit already)");
        if (like.quantized.isEmpty()) {
            throw Checks.invalid("like", "a state without 8-bit buffers", "an 8-bit optimizer's stateDict() (StateQuantization.blockwise8)");
        }
        if (!like.kind.equals(kind)) throw Checks.invalid("like kind", "'" + like.kind + "'", "'" + kind + "' (this state's family)");
        for (String k : buffers.keySet()) {
            if (!like.quantized.containsKey(k) && !like.buffers.containsKey(k)) {
                throw Checks.invalid("state", "buffer '" + k + "'", "only the buffers of the 8-bit state " + like.allBufferKeys()
                        + " (8-bit optimizers refuse centered RMSprop, whose grad_avg this is if the key ends so)");
            }
        }
        Map<String, double[]> floats = new LinkedHashMap<>();
        Map<String, Quantized> q = new LinkedHashMap<>();
        for (String k : like.buffers.keySet()) {
            double[] b = buffers.get(k);
            if (b == null) throw Checks.invalid("state", "no buffer '" + k + "'", "a buffer for every key of the 8-bit state " + like.allBufferKeys());
            floats.put(k, b);
        }
        for (Map.Entry<String, Quantized> e : like.quantized.entrySet()) {
            String k = e.getKey();
            Quantized shape = e.getValue();
            double[] b = buffers.get(k);
            if (b == null) throw Checks.invalid("state", "no buffer '" + k + "'", "a buffer for every key of the 8-bit state " + like.allBufferKeys());
            if (b.length != shape.length()) throw Checks.invalid("length of state buffer '" + k + "'", b.length, String.valueOf(shape.length()));
            q.put(k, code(k, b, QuantMap.named(shape.map()), shape.blockSize()));
        }
        guardAdam(q);
        return new StateDict(FORMAT_VERSION, kind, dtype, groups, paramLengths, floats, q);
    }

    /**
     * Adam's first-moment guard, as {@link QuantizedState} applies it after a step ({@code QuantizedState.ADAM_GUARD_PROPERTY}):
     * each freshly coded {@code exp_avg} is stored as 0 wherever its {@code exp_avg_sq} (and {@code max_exp_avg_sq}, if any)
     * is. q's codes: Modified.
     */
    private static void guardAdam(Map<String, Quantized> q) {
        if (!QuantizedState.adamGuardOn()) return;
        for (Map.Entry<String, Quantized> e : q.entrySet()) {
            String base = QuantizedState.adamPrefix(e.getKey());
            if (base == null) continue;
            Quantized m = e.getValue(), v = q.get(base + AdamConfig.EXP_AVG_SQ);
            if (v == null) continue;
            Quantized w = q.getOrDefault(base + AdamConfig.MAX_EXP_AVG_SQ, v);
            org.rmsprop4j.kernel.Blockwise8.zeroWhereBothZero(m.codesView(), (byte) QuantMap.named(m.map()).zero, v.codesView(),
                    (byte) QuantMap.named(v.map()).zero, w.codesView(), (byte) QuantMap.named(w.map()).zero, 0, m.length());
        }
    }

    /** One buffer coded block by block as {@link QuantizedState} stores it after a step. */
    private static Quantized code(String key, double[] b, QuantMap map, int blockSize) {
        float[] v = new float[b.length];
        boolean unsigned = !map.signed;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) b[i]; // exact: a float32 state's values are floats
            if (!Float.isFinite(v[i]) || (unsigned && v[i] < 0f)) {
                throw Checks.invalid("value " + i + " of state buffer '" + key + "'", b[i], unsigned
                        ? "a finite float32 >= 0 (this slot's map, " + map.name + ", is for mean squares)" : "a finite float32");
            }
        }
        int blocks = Quantized.blocks(v.length, blockSize);
        byte[] codes = new byte[v.length];
        float[] absmax = new float[blocks];
        for (int k = 0; k < blocks; k++) {
            int off = k * blockSize, len = Math.min(blockSize, v.length - off);
            float a = Float.intBitsToFloat(org.rmsprop4j.kernel.Blockwise8.absMaxBits(v, off, len));
            absmax[k] = a;
            map.quantize(v, off, len, a, codes, off);
        }
        return new Quantized(map.name, blockSize, codes, absmax);
    }

    /** Every buffer key, float and quantized, in order (float ones first). */
    public java.util.Set<String> allBufferKeys() {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(buffers.keySet());
        keys.addAll(quantized.keySet());
        return Collections.unmodifiableSet(keys);
    }

    /** Every buffer, copied (the snapshot's own arrays never leave it). */
    @Override public Map<String, double[]> buffers() {
        Map<String, double[]> out = new LinkedHashMap<>();
        buffers.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableMap(out);
    }

    /** The buffer keys, in order. */
    public java.util.Set<String> bufferKeys() { return buffers.keySet(); }

    /** A copy of the buffer stored under {@code key}, or {@code null}. */
    public double[] buffer(String key) {
        double[] b = buffers.get(key);
        return b == null ? null : b.clone();
    }

    /** The buffer itself, for this package's readers that only read it. */
    double[] bufferView(String key) { return buffers.get(key); }

    /** Content equality (arrays compared by value, bit for bit). */
    @Override public boolean equals(Object o) {
        if (!(o instanceof StateDict s)) return false;
        if (formatVersion != s.formatVersion || !kind.equals(s.kind) || dtype != s.dtype || !groups.equals(s.groups)
                || !paramLengths.equals(s.paramLengths) || !buffers.keySet().equals(s.buffers.keySet())
                || !quantized.equals(s.quantized)) {
            return false;
        }
        for (var e : buffers.entrySet()) {
            double[] a = e.getValue(), b = s.buffers.get(e.getKey());
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) {
                if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) return false;
            }
        }
        return true;
    }

    @Override public int hashCode() {
        int h = Objects.hash(formatVersion, kind, dtype, groups, paramLengths, quantized);
        for (var e : buffers.entrySet()) h = h * 31 + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
        return h;
    }

    @Override public String toString() {
        return "StateDict[v" + formatVersion + ", " + kind + ", " + dtype.label() + ", groups=" + groups
                + ", buffers=" + buffers.keySet() + (quantized.isEmpty() ? "" : ", quantized=" + quantized.keySet()) + "]";
    }
}
