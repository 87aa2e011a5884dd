package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;

/**
 * How an {@link Optimizer} stores its per-parameter state: as float32/float64 arrays ({@link #none()},
 * the default) or block-wise in 8 bits ({@link #blockwise8(int)}).
 *
 * <h2>8-bit block-wise state</h2> After Dettmers et al. 2022, "8-bit Optimizers via Block-wise
 * Quantization" (bitsandbytes). Every state slot of every parameter is cut into blocks of
 * {@code blockSize} values, counted from the parameter's first element; a block is stored as one byte
 * per value, a code into a 256-entry "dynamic tree" map of values in {@code [-1, 1]} (signed for
 * momentum and first moments, unsigned for mean squares and second moments), plus its absolute
 * maximum as one float32. A step runs, per block: dequantize every slot, the family's ordinary fused
 * float32 step on that block, requantize every slot with the block's new absolute maximum (nearest
 * map entry; with {@link #withUnbiasedRounding()}, or for every optimizer with
 * {@code -Drmsprop4j.blockwise8.unbiased=true}, mean squares and second moments take one of the two entries
 * around the value, drawn without bias: see {@code QuantizedState.roundUnbiased}). Parameters and gradients stay float32; the update itself uses the unquantized new state,
 * as bitsandbytes does.
 *
 * <p>Memory: {@code 1 + 4/blockSize} bytes per parameter per slot (1.0156 at 256, 1.002 at 2,048), in
 * the heap and in a {@link StateDict}. Threads split a step on block boundaries, so results are
 * bit-identical for every thread count.
 *
 * <h2>What is supported</h2> float32 optimizers ({@link Dtype#FLOAT32}) whose every group runs a fused
 * kernel: every family and preset (RMSprop with all its knobs, SGD with momentum, Adam, AdamW, AMSGrad,
 * AdaGrad, Adadelta). {@link Optimizer.Builder#build()} refuses float64 (whose point is precision) and
 * unfused chains (a custom transform, or {@code fused(false)}) with a message; nothing ever silently
 * runs in float32 instead.
 *
 * <h2>Conventions</h2> As bitsandbytes with {@code block_wise=True}, except: the maps are computed in
 * double and rounded once (bitsandbytes builds them in float32, so the last bits of some entries
 * differ); ties between two entries go to the lower one; blocks never span two parameters; Adam's (and AdamW's,
 * AMSGrad's) first moment is stored as 0 wherever its second moment (and AMSGrad's maximum) is stored as 0, so that a
 * weight whose second moment fell under its block's smallest entry does not step by {@code lr·m̂/eps} on its next zero
 * gradient (without this, Adam diverged on the MNIST MLP on the float8 map, and lost 3.35 points on one seed of three on the
 * dynamic map; README, "8-bit optimizer state";
 * {@code -Drmsprop4j.blockwise8.adamGuard=false} turns it off). bitsandbytes
 * by default keeps tensors under 4,096 elements in 32 bits ({@code min_8bit_size}); here every tensor of
 * the optimizer is 8-bit (a small tensor costs one 4-byte scale per block).
 *
 * <h2>Rounding</h2> Nearest rounding (the default, as bitsandbytes) loses every decay of a mean square
 * smaller than half the gap between two map entries, so a mean square that only decays stays put and
 * training takes smaller steps than with float32 state (README, "8-bit optimizer state": training loss
 * 5.0% above float32's with blocks of 2,048, 2.7% with 256). Unbiased rounding stores the upper or the
 * lower neighbour with probability by distance, drawn from a hash of the step, the slot and the position
 * (the same bits on every thread count and after a resume), which removes that bias; it applies to the
 * slots on the unsigned map (mean squares, second moments) and, on the dynamic map, costs a second pass
 * over each block (the step is 2.6–3× slower); on the float8 maps it is part of the coding loop. The codes mean the same either way, so state saved with one rounding
 * loads into an optimizer with the other.
 *
 * <h2>Maps: dynamic or float8</h2> The default map is bitsandbytes' dynamic map ({@link #MAP_DYNAMIC}).
 * {@link #withFloat8Map()} ({@link #MAP_FP8}) codes instead on float8 minifloats with subnormals, as
 * bitsandbytes' {@code create_fp8_map} does: E4M4 for mean squares and second moments (codes 0..240,
 * 240 = 1, smallest non-zero 2^-18 of the block maximum), sign and E4M3 for momentum and first moments
 * (smallest non-zero 2^-17). A float8 code is the top bits of a float32, so decoding and coding are
 * shifts, adds and exact multiplications by powers of two: no 256-entry lookup and no bucket table.
 * Measured at 1e8 values against a float32 step placed and paged alike in the same JVM (README, "Issue 15, measured in
 * one window (2026-11-28, 02:52–03:15 UTC, sixth pass)"), with the vector loops at the JVM's preferred width (512 bits
 * on AVX-512): 0.66–0.81× the float32 step's speed on one thread and 0.79–1.26× on two (faster in two JVMs of three),
 * against 0.19–0.39× on the dynamic map. So choose 8 bits for memory; on two or more threads it is about as fast. (Since
 * the twelfth pass, plain RMSprop with blocks of 256 on the vector loops is faster on one thread too, 1.10–1.19×: README,
 * "Issue 15, 8-bit state measured in one window (2026-11-28, 15:23–15:39 UTC, twelfth pass)".) Ties go to the smaller
 * magnitude. With unbiased rounding the draw is fused into the coding (one hash per value, no second
 * pass). Against the dynamic map it keeps
 * fewer small magnitudes (the dynamic map reaches 3.25e-7 of the maximum) and has an even
 * relative step of 1/16 (1/8 signed) per octave. Buffers record their map; a buffer saved with one
 * map is refused by an optimizer using the other.
 *
 * @param bits             32 (not quantized: the optimizer's dtype) or 8
 * @param blockSize        values per block: 0 when not quantized, else a power of two in 64..65,536
 * @param unbiasedRounding with 8 bits: round mean squares and second moments without bias instead of to the
 *                         nearest map entry; false when not quantized
 * @param map              {@link #MAP_DYNAMIC} (the default, and the only value when not quantized) or {@link #MAP_FP8}
 */
public record StateQuantization(int bits, int blockSize, boolean unbiasedRounding, String map) {

    /** The dynamic-tree maps of bitsandbytes (the default). */
    public static final String MAP_DYNAMIC = "dynamic";
    /** The float8 maps (E4M4 unsigned, E4M3 signed; see "Maps" above). */
    public static final String MAP_FP8 = "fp8";

    /** Default block size of {@link #blockwise8()}: 2,048, the block of Dettmers et al. 2022 and of bitsandbytes when it was published (blocks of 256 measure closer to float32 state here: README, "8-bit optimizer state"). */
    public static final int DEFAULT_BLOCK_SIZE = 2048;
    /** Smallest accepted block size. */
    public static final int MIN_BLOCK_SIZE = 64;
    /** Largest accepted block size. */
    public static final int MAX_BLOCK_SIZE = 1 << 16;

    private static final StateQuantization NONE = new StateQuantization(32, 0, false, MAP_DYNAMIC);

    /**
     * With nearest rounding.
     *
     * @param bits      32 (not quantized: the optimizer's dtype) or 8
     * @param blockSize values per block: 0 when not quantized, else a power of two in 64..65,536
     * @throws IllegalArgumentException as {@link #StateQuantization(int, int, boolean)}
     */
    public StateQuantization(int bits, int blockSize) { this(bits, blockSize, false); }

    /**
     * On the dynamic map.
     *
     * @param bits             32 (not quantized: the optimizer's dtype) or 8
     * @param blockSize        values per block: 0 when not quantized, else a power of two in 64..65,536
     * @param unbiasedRounding with 8 bits: unbiased rounding of mean squares; false when not quantized
     * @throws IllegalArgumentException as {@link #StateQuantization(int, int, boolean, String)}
     */
    public StateQuantization(int bits, int blockSize, boolean unbiasedRounding) { this(bits, blockSize, unbiasedRounding, MAP_DYNAMIC); }

    /**
     * Validates the four.
     *
     * @param bits             32 (not quantized: the optimizer's dtype) or 8
     * @param blockSize        values per block: 0 when not quantized, else a power of two in 64..65,536
     * @param unbiasedRounding with 8 bits: unbiased rounding of mean squares; false when not quantized
     * @param map              {@value #MAP_DYNAMIC} or, with 8 bits, {@value #MAP_FP8}
     * @throws IllegalArgumentException if {@code bits} is neither 32 nor 8, if {@code blockSize} is not 0 with 32 bits,
     *         or not a power of two in {@value #MIN_BLOCK_SIZE}..{@value #MAX_BLOCK_SIZE} with 8 bits, if
     *         {@code unbiasedRounding} is true with 32 bits, or if {@code map} is neither name (or {@value #MAP_FP8} with 32 bits)
     */
    public StateQuantization {
        if (!MAP_DYNAMIC.equals(map) && !MAP_FP8.equals(map)) {
            throw Checks.invalid("map", map == null ? "null" : "'" + map + "'", "'" + MAP_DYNAMIC + "' (bitsandbytes' dynamic map) or '" + MAP_FP8 + "' (float8 maps)");
        }
        if (bits == 32) {
            if (MAP_FP8.equals(map)) throw Checks.invalid("map", "'" + map + "'", "'" + MAP_DYNAMIC + "' when bits is 32 (only 8-bit state has a map)");
            if (blockSize != 0) throw Checks.invalid("blockSize", blockSize, "0 when bits is 32 (state not quantized)");
            if (unbiasedRounding) throw Checks.invalid("unbiasedRounding", true, "false when bits is 32 (only 8-bit state is rounded)");
        } else if (bits == 8) {
            if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
                throw Checks.invalid("blockSize", blockSize, "a power of two in " + MIN_BLOCK_SIZE + ".." + MAX_BLOCK_SIZE + " (bitsandbytes uses 2048)");
            }
        } else {
            throw Checks.invalid("bits", bits, "32 (state in the optimizer's dtype) or 8 (block-wise 8-bit state)");
        }
    }

    /** State in the optimizer's own dtype (the default). */
    public static StateQuantization none() { return NONE; }

    /** Block-wise 8-bit state with blocks of {@code blockSize} values (a power of two in 64..65,536). */
    public static StateQuantization blockwise8(int blockSize) { return new StateQuantization(8, blockSize); }

    /** Block-wise 8-bit state with blocks of {@value #DEFAULT_BLOCK_SIZE} values. */
    public static StateQuantization blockwise8() { return blockwise8(DEFAULT_BLOCK_SIZE); }

    /**
     * This 8-bit state with unbiased rounding of mean squares and second moments (see "Rounding" above).
     *
     * @return the same bits and block size, rounded without bias
     * @throws IllegalArgumentException if this state is not quantized
     */
    public StateQuantization withUnbiasedRounding() {
        if (!quantized()) throw Checks.invalid("state", label(), "8-bit state: unbiased rounding applies to quantized state only");
        return new StateQuantization(bits, blockSize, true, map);
    }

    /**
     * This 8-bit state on the float8 maps (see "Maps" above) instead of the dynamic ones.
     *
     * @return the same bits, block size and rounding, on the float8 maps
     * @throws IllegalArgumentException if this state is not quantized
     */
    public StateQuantization withFloat8Map() {
        if (!quantized()) throw Checks.invalid("state", label(), "8-bit state: a map applies to quantized state only");
        return new StateQuantization(bits, blockSize, unbiasedRounding, MAP_FP8);
    }

    /** True on the float8 maps. */
    public boolean float8() { return MAP_FP8.equals(map); }

    /** True for 8-bit state. */
    public boolean quantized() { return bits == 8; }

    /** {@code "fp32"} when not quantized, else {@code "8bit-<blockSize>"} (dynamic map) or {@code "fp8-<blockSize>"}, then {@code "-unbiased"} if so: the bench's {@code state} column. */
    public String label() { return quantized() ? (float8() ? "fp8-" : "8bit-") + blockSize + (unbiasedRounding ? "-unbiased" : "") : "fp32"; }

    /**
     * Parses {@code "32"}, {@code "none"}, {@code "fp32"}, {@code "8"} or {@code "8bit"} (block
     * {@value #DEFAULT_BLOCK_SIZE}), and {@code "8bit-256"} / {@code "8:256"}; a suffix {@code "-unbiased"}
     * ({@code "8bit-256-unbiased"}) selects {@link #withUnbiasedRounding()}. {@code "fp8"}, {@code "fp8-256"} and
     * {@code "fp8:256"} (optionally with {@code -unbiased}) are the same on the float8 maps ({@link #withFloat8Map()}).
     *
     * @param s the text
     * @return the state quantization it names
     * @throws IllegalArgumentException naming {@code s} and the accepted forms
     */
    public static StateQuantization parse(String s) {
        Checks.notNull("state", s);
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("-unbiased") && t.length() > "-unbiased".length()) {
            StateQuantization q;
            try {
                q = parse(t.substring(0, t.length() - "-unbiased".length()));
            } catch (IllegalArgumentException e) {
                q = null;
            }
            if (q != null && q.quantized() && !q.unbiasedRounding()) return q.withUnbiasedRounding();
        }
        if (t.equals("32") || t.equals("none") || t.equals("fp32") || t.equals("32bit")) return none();
        if (t.equals("8") || t.equals("8bit")) return blockwise8();
        if (t.equals("fp8")) return blockwise8().withFloat8Map();
        for (String prefix : new String[] {"fp8-", "fp8:"}) {
            if (t.startsWith(prefix)) {
                try {
                    return blockwise8(Integer.parseInt(t.substring(prefix.length()))).withFloat8Map();
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        for (String prefix : new String[] {"8bit-", "8:", "8bit:"}) {
            if (t.startsWith(prefix)) {
                try {
                    return blockwise8(Integer.parseInt(t.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw Checks.invalid("state", "'" + s + "'", "one of 32, fp32, 8, 8bit, 8bit-<blockSize>, fp8, fp8-<blockSize> (float8 maps), each 8-bit form optionally with -unbiased");
    }
}
