package org.rmsprop4j.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The block maximum and the coding of {@link Blockwise8} on the incubating Vector API ({@code jdk.incubator.vector}), at the
 * library's one vector width ({@link VectorWidth}: 16 lanes of 512 bits on AVX-512, 8 of 256 on AVX2). They give exactly the
 * bits of the scalar loops: the same map, the same thresholds, the same tie rule, the same
 * multiply-or-divide choice for the scale; only the order of the maximum's comparisons differs, and a
 * maximum does not depend on it.
 *
 * <p>This class links only when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link Blockwise8#vectorAvailable()} says whether it does, and callers fall back to the scalar loops
 * otherwise. Table lookups are gathers: the index vectors go through the caller's {@code int[]}
 * scratch, because a JDK 17 gather reads its indexes from an array. Dequantize has no vector form
 * here: its 256-entry lookup ran faster as scalar loads (0.29 ns per value) than as gathers (0.44),
 * and the whole step 5–15% faster with the scalar form (CPU time, interleaved, 1e7 elements).
 *
 * <p>Coding reads one int per value from a packed table indexed by the bucket (the top 16 bits of the
 * normalised value, as {@link Blockwise8#code}): the bucket's code in the high half and, in the low
 * half, the low 16 bits of the one threshold that can lie in the bucket (its high 16 bits are the
 * bucket's). Within a bucket, comparing floats is comparing their low 16 bits (reversed for negative
 * values, which the table stores flipped), so {@code code = high + (low(x) > low(thr))} is
 * {@link Blockwise8#code} exactly with one gather instead of two dependent lookups. Gathers are what
 * these loops cost: measured here (AMD EPYC, AVX-512, JDK 17), one 8-lane gather takes about as long
 * as 8 scalar loads.
 */
public final class Blockwise8Vector {
    private Blockwise8Vector() {}

    /** Lanes per vector: 16 at 512 bits, 8 at 256 ({@link VectorWidth}). */
    public static final int LANES = VectorWidth.BITS / 32;

    /** One vector of zeros, read as the exactly typed receiver of {@link #absMaxBits}'s last step. */
    private static final int[] ZEROS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    /** The width the loops need, in bits; the JVM must prefer at least this. */
    static final int BITS = 256;

    /** The JVM's preferred vector width in bits (touches the incubator module: a LinkageError without it). */
    static int preferredBits() {
        return Math.min(FloatVector.SPECIES_PREFERRED.vectorBitSize(), VectorWidth.BITS);
    }

    /** As {@link Blockwise8#absMaxBits}. */
    public static int absMaxBits(float[] src, int off, int len) {
        var fs = VectorWidth.BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
        var is = VectorWidth.BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        IntVector m0 = IntVector.zero(is), m1 = IntVector.zero(is);
        int i = off, end = off + len;
        // No method is called on m0 or m1, only on fresh vectors: when C2 parses the loop, a loop-carried vector's type is
        // just IntVector, so a call on it (m0.max) reaches the lane-count class only through the type profile of the
        // JDK's IntVector.max, shared by the whole JVM. In some JVMs that profile did not decide, the call stayed
        // virtual, and the loop's vectors were boxed (about 315 KB per Adam step of 12,003 values).
        for (; i + 2 * LANES <= end; i += 2 * LANES) {
            m0 = FloatVector.fromArray(fs, src, i).reinterpretAsInts().and(0x7fffffff).max(m0);
            m1 = FloatVector.fromArray(fs, src, i + LANES).reinterpretAsInts().and(0x7fffffff).max(m1);
        }
        // the same after the loop: the receiver is loaded from an array (a type C2 knows exactly; IntVector.zero's is not);
        // the values are >= 0, so a max with 0 changes none
        int m = IntVector.fromArray(is, ZEROS, 0).max(m0).max(m1).reduceLanes(VectorOperators.MAX);
        for (; i < end; i++) m = Math.max(m, Float.floatToRawIntBits(src[i]) & 0x7fffffff);
        return m;
    }

    /**
     * As {@link Blockwise8#quantize}, with the packed bucket table {@code pack} (65,536 entries, see the
     * class comment). {@code idx} (at least {@code len} ints): scratch, Modified.
     */
    public static void quantize(float[] src, int srcOff, int len, float scale, int[] pack, int[] idx, byte[] codes, int codeOff) {
        codeBlock(src, srcOff, len, false, scale, pack, idx, codes, codeOff);
    }

    /**
     * The block's maximum ({@link #absMaxBits}) and the coding with it as the scale ({@link #quantize}) in one
     * call; returns the maximum's bits. This is the library's entry (8-bit state, dynamic map).
     */
    public static int quantize(float[] src, int srcOff, int len, int[] pack, int[] idx, byte[] codes, int codeOff) {
        return codeBlock(src, srcOff, len, true, 0f, pack, idx, codes, codeOff);
    }

    /**
     * Both loops, and the one method that holds vectors: with {@code ownMax} the scale is the block's maximum,
     * else {@code scale}; returns the scale's bits.
     *
     * <p>Kept longer than C2's {@code FreqInlineSize} (325 bytes of bytecode, checked by {@code Blockwise8VectorTest}), so
     * C2 compiles it on its own, small, and never inside a hot caller. The optimizer's block loop
     * ({@code QuantizedState.runBlocks}) is large enough to reach C2's node-count inlining cutoff; while the maximum's loop
     * was inlined there, some of its compilations failed one Vector API intrinsic (reinterpret, lanewise {@code and},
     * broadcast: which one varied), and in both failing JVMs of 24 logged the compilation in use was such a one. The
     * other cause of that boxing, a call on a loop-carried vector, is described in {@link #absMaxBits}.
     */
    private static int codeBlock(float[] src, int srcOff, int len, boolean ownMax, float scale, int[] pack, int[] idx, byte[] codes, int codeOff) {
        int scaleBits = ownMax ? absMaxBits(src, srcOff, len) : Float.floatToRawIntBits(scale);
        float sc = Float.intBitsToFloat(scaleBits);
        var fs = VectorWidth.BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
        var is = VectorWidth.BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var bs = VectorWidth.BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        float inv = sc > 0f ? 1f / sc : 0f;
        boolean divide = inv == Float.POSITIVE_INFINITY;     // a subnormal scale: divide instead, as the scalar loop
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(fs, src, srcOff + i);
            IntVector bits = (divide ? v.div(sc) : v.mul(inv)).reinterpretAsInts();
            bits.lanewise(VectorOperators.LSHR, Blockwise8.SHIFT).intoArray(idx, i);
            IntVector e = IntVector.fromArray(is, pack, 0, idx, i);
            IntVector low = bits.and(0xffff).lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0xffff));
            IntVector c = e.lanewise(VectorOperators.LSHR, 16).add(1, low.compare(VectorOperators.GT, e.and(0xffff)));
            ((ByteVector) c.convertShape(VectorOperators.I2B, bs, 0)).intoArray(codes, codeOff + i);
        }
        for (int i = n; i < len; i++) codes[codeOff + i] = code(divide ? src[srcOff + i] / sc : src[srcOff + i] * inv, pack);
        return scaleBits;
    }

    /** The code of a normalised value {@code x} from the packed table (equal to {@link Blockwise8#code}). */
    public static byte code(float x, int[] pack) {
        int bits = Float.floatToRawIntBits(x);
        int e = pack[bits >>> Blockwise8.SHIFT];
        int low = (bits & 0xffff) ^ ((bits >> 31) & 0xffff);
        return (byte) ((e >>> 16) + (low > (e & 0xffff) ? 1 : 0));
    }
}
