package org.rmsprop4j.kernel;

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
 * Instead of a binary search over {@code thr}, the code of the bucket {@code x} falls in (the sign,
 * and the top 8 exponent and 7 mantissa bits of {@code |x|}) is read from {@code tab} and corrected by
 * one comparison; {@code QuantMap} checks at construction that no bucket holds more than one
 * threshold, which makes this equal to the binary search for every float. A block of scale 0 is all
 * zeros and codes to the map's exact 0.
 */
public final class Blockwise8 {
    private Blockwise8() {}

    /** Bits of {@code |x|} kept by the bucket index: 8 exponent and 7 mantissa bits. */
    public static final int SHIFT = 16;
    /** Bucket of every {@code |x| < 2^-24·(1 + 2^-7)} (all below the smallest threshold): {@code 2^-24}'s bits {@code >> SHIFT}. */
    public static final int BASE = 103 << 7;
    /** Bucket of {@code |x| >= 1} (and of NaN): {@code 1.0f}'s bits {@code >> SHIFT}. */
    public static final int TOP = 127 << 7;
    /** Offset of the negative buckets in {@code tab}. */
    public static final int NEG = 1 << 12;

    /** {@code dst[dstOff + i] = map[codes[codeOff + i]]·scale} for {@code i < len}. dst: Modified. */
    public static void dequantize(byte[] codes, int codeOff, float scale, float[] map, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) dst[dstOff + i] = map[codes[codeOff + i] & 0xff] * scale;
    }

    /** The largest {@code |src[off + i]|}, {@code i < len}; NaN if any is NaN. */
    public static float absMax(float[] src, int off, int len) {
        float m = 0f;
        for (int i = off, end = off + len; i < end; i++) m = Math.max(m, Math.abs(src[i]));
        return m;
    }

    /**
     * Codes {@code src[srcOff .. srcOff+len)} with the block scale {@code scale} (its {@link #absMax})
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
        int bits = Float.floatToRawIntBits(x);
        int b = Math.min(Math.max((bits & 0x7fffffff) >> SHIFT, BASE), TOP) - BASE;
        int c = tab[((bits >>> 31) << 12) | b] & 0xff;
        c += x > thr[c] ? 1 : 0;
        return (byte) c;
    }
}
