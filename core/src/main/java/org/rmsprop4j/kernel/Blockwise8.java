package org.rmsprop4j.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Loops of block-wise 8-bit state (Dettmers et al. 2022, "8-bit Optimizers via Block-wise
 * Quantization"): a block of {@code len} float32 values is stored as {@code len} one-byte codes into
 * a sorted 256-entry map of values in {@code [-1, 1]} plus one float32 scale (the block's absolute
 * maximum). The map and its lookup tables are built by {@code org.rmsprop4j.optim.QuantMap}; these
 * loops only read them. This file is not a float64 source: no float32 twin is generated from it.
 *
 * <h2>Quantization, exactly</h2> A value {@code v} of a block with scale {@code a > 0} is normalised
 * to {@code x = v·(1/a)} (or {@code v/a} when {@code 1/a} would overflow) and coded as
 * {@code c(x) = #{k : thr[k] < x}}, where {@code thr[k]} is the float32 midpoint of map entries
 * {@code k} and {@code k+1} ({@code thr[255] = +∞}): the nearest entry, a tie going to the lower one.
 * Instead of a binary search over {@code thr}, the code of the bucket {@code x} falls in (its top 16
 * bits: the sign, the exponent and 7 mantissa bits) is read from {@code tab} (65,536 bytes) and corrected
 * by one comparison; {@code QuantMap} checks at construction that no bucket holds more than one
 * threshold, which makes this equal to the binary search for every float. A block of scale 0 is all
 * zeros and codes to the map's exact 0.
 */
public final class Blockwise8 {
    private Blockwise8() {}

    /** Bits of {@code x} kept by the bucket index: the sign, 8 exponent and 7 mantissa bits (65,536 buckets). */
    public static final int SHIFT = 16;

    /**
     * Whether {@link Blockwise8Vector} runs here: the JVM was started with {@code --add-modules
     * jdk.incubator.vector} and prefers vectors of at least 256 bits (AVX2 or wider). Probed once.
     */
    public static boolean vectorAvailable() {
        if (VectorProbe.BAD_WIDTH != null) throw VectorProbe.BAD_WIDTH;
        return VectorProbe.AVAILABLE;
    }

    /** The width of the vector loops, in bits ({@link VectorWidth}); call only where {@link #vectorAvailable()}. */
    public static int vectorBits() { return VectorWidth.BITS; }

    private static final class VectorProbe {
        /** A bad {@code -Drmsprop4j.vector.bits}, read before any vector class is touched; thrown by the check above. */
        static final IllegalArgumentException BAD_WIDTH = VectorWidthProperty.error();
        static final boolean AVAILABLE = BAD_WIDTH == null && probe();

        private static boolean probe() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
            try {
                return Blockwise8Vector.preferredBits() >= Blockwise8Vector.BITS;
            } catch (LinkageError e) {       // the module is there but this class loader cannot read it
                return false;
            }
        }
    }

    /** {@code dst[dstOff + i] = map[codes[codeOff + i]]·scale} for {@code i < len}. dst: Modified. */
    public static void dequantize(byte[] codes, int codeOff, float scale, float[] map, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) dst[dstOff + i] = map[codes[codeOff + i] & 0xff] * scale;
    }

    /**
     * The bit pattern of the largest {@code |src[off + i]|}, {@code i < len} (a NaN pattern if any is
     * NaN; the caller turns it into the float). Compares the magnitudes' bit patterns as ints (their order is the floats' order, and every NaN lies above infinity): an int
     * max is one cheap instruction, where {@code Math.max} on floats costs several and chains them
     * (measured: the float form took a third of the whole 8-bit step).
     */
    public static int absMaxBits(float[] src, int off, int len) {
        int m0 = 0, m1 = 0, m2 = 0, m3 = 0;
        int i = off, end = off + len;
        for (; i + 3 < end; i += 4) {
            m0 = Math.max(m0, Float.floatToRawIntBits(src[i]) & 0x7fffffff);
            m1 = Math.max(m1, Float.floatToRawIntBits(src[i + 1]) & 0x7fffffff);
            m2 = Math.max(m2, Float.floatToRawIntBits(src[i + 2]) & 0x7fffffff);
            m3 = Math.max(m3, Float.floatToRawIntBits(src[i + 3]) & 0x7fffffff);
        }
        for (; i < end; i++) m0 = Math.max(m0, Float.floatToRawIntBits(src[i]) & 0x7fffffff);
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /**
     * Codes {@code src[srcOff .. srcOff+len)} with the block scale {@code scale} (the float of its {@link #absMaxBits})
     * into {@code codes[codeOff ..]}. codes: Modified; src: Not modified.
     */
    public static void quantize(float[] src, int srcOff, int len, float scale, byte[] tab, float[] thr, byte[] codes, int codeOff) {
        float inv = scale > 0f ? 1f / scale : 0f;
        if (inv == Float.POSITIVE_INFINITY) {       // a subnormal scale: divide instead, so that 0 stays 0
            for (int i = 0; i < len; i++) codes[codeOff + i] = code(src[srcOff + i] / scale, tab, thr);
            return;
        }
        for (int i = 0; i < len; i++) codes[codeOff + i] = code(src[srcOff + i] * inv, tab, thr);
    }

    /** The code of a normalised value {@code x} (see the class comment). */
    public static byte code(float x, byte[] tab, float[] thr) {
        int c = tab[Float.floatToRawIntBits(x) >>> SHIFT] & 0xff;
        c += x > thr[c] ? 1 : 0;
        return (byte) c;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Where the codes {@code v[i]} and {@code w[i]} both hold their map's zero ({@code vZero}, {@code wZero}), sets
     * {@code m[i]} to {@code mZero}, for {@code i} in {@code [off, off + len)}: Adam's first moment is stored as 0 wherever
     * its second moment (and AMSGrad's maximum; pass {@code v} twice without one) is stored as 0 ({@code QuantizedState}
     * says why). m: Modified; v, w: Not modified.
     *
     * <p>Eight codes at a time in a {@code long}, with no Vector API: a {@code ByteVector} loop (byte masks and a blend) boxed
     * at 256 bits, and with it at 512 bits the allocation checks of 8-bit loops failed in 3 of 5 fresh-clone core test runs
     * (0 of 4 without it; likely because a new vector species changes how C2 compiles the JDK's shared vector methods, not
     * proven). An int-lane version boxed at 512 bits too. Cost, 2^20 codes in blocks of 256: 0.15 ns per value with no
     * code guarded, 0.36 with 30% guarded at random, against 0.03 for the vector loop.
     *
     * <p>{@code t = (v ^ vz) | (w ^ wz)} is 0 in a byte exactly where both codes are their map's zero; then
     * {@code y = ~(((t & 0x7f..) + 0x7f..) | t | 0x7f..)} has 0x80 in those bytes and 0 elsewhere (each byte's sum is at
     * most 0xfe, so no carry crosses a byte), {@code sel = y | (y - (y >>> 7))} is 0xff there, and
     * {@code m ^ ((m ^ mz) & sel)} puts {@code mZero} in exactly those bytes. Eight codes none of which is guarded (the
     * usual case) cost no store: sixteen at a time share one test.
     */
    public static void zeroWhereBothZero(byte[] m, byte mZero, byte[] v, byte vZero, byte[] w, byte wZero, int off, int len) {
        final long ones = 0x0101010101010101L, low7 = 0x7f7f7f7f7f7f7f7fL;
        long mz = (mZero & 0xffL) * ones, vz = (vZero & 0xffL) * ones, wz = (wZero & 0xffL) * ones;
        int i = off, end = off + len;
        for (; i + 16 <= end; i += 16) {         // two longs, one test: most blocks guard nothing
            long t0 = ((long) LONGS.get(v, i) ^ vz) | ((long) LONGS.get(w, i) ^ wz);
            long t1 = ((long) LONGS.get(v, i + 8) ^ vz) | ((long) LONGS.get(w, i + 8) ^ wz);
            long y0 = ~(((t0 & low7) + low7) | t0 | low7), y1 = ~(((t1 & low7) + low7) | t1 | low7);
            if ((y0 | y1) == 0) continue;
            long s0 = y0 | (y0 - (y0 >>> 7)), s1 = y1 | (y1 - (y1 >>> 7));
            long m0 = (long) LONGS.get(m, i), m1 = (long) LONGS.get(m, i + 8);
            LONGS.set(m, i, m0 ^ ((m0 ^ mz) & s0));
            LONGS.set(m, i + 8, m1 ^ ((m1 ^ mz) & s1));
        }
        for (; i < end; i++) {
            if (v[i] == vZero && w[i] == wZero) m[i] = mZero;
        }
    }
}
