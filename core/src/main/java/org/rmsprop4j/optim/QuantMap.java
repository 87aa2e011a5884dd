package org.rmsprop4j.optim;

import java.util.Arrays;

import org.rmsprop4j.kernel.Blockwise8;
import org.rmsprop4j.kernel.Float8;

/**
 * The two "dynamic tree" 8-bit quantization maps of Dettmers et al. 2022 (bitsandbytes'
 * {@code create_dynamic_map}): 256 sorted float32 values in {@code [-1, 1]}, each a power of ten
 * times a linear fraction, so that small magnitudes keep their relative precision.
 *
 * <ul>
 *   <li>{@link #SIGNED} (momentum, first moments): for decade {@code i = 0..6}, the {@code 2^i}
 *       midpoints {@code f_j} of {@code 2^i} equal intervals of {@code [0.1, 1]}, times
 *       {@code 10^(i-6)}, with both signs (254 values), plus 0 and 1.</li>
 *   <li>{@link #UNSIGNED} (mean squares, second moments: never negative): the same with
 *       {@code 2^(i+1)} midpoints per decade and no sign (254 values), plus 0 and 1.</li>
 * </ul>
 * Values are computed in double and rounded once to float32 (bitsandbytes computes the fractions in
 * float32, so its maps differ from these in the last bits; the structure is the same). The
 * smallest non-zero magnitude is {@code 3.25e-7} (unsigned) and {@code 5.5e-7} (signed) of the block's
 * scale; anything smaller codes to 0.
 *
 * <p>{@link #thr} holds the 255 midpoints between neighbours (then {@code +∞}) and {@link #tab} the
 * bucket table {@link Blockwise8#code} reads; the constructor checks that every bucket holds at most
 * one midpoint, so the table lookup equals a binary search ({@link #codeBySearch}) for every float.
 */
final class QuantMap {

    /** Map for state that may be negative (momentum, Adam's first moment). */
    static final QuantMap SIGNED = new QuantMap(true);
    /** Map for state that is never negative (mean squares, second moments). */
    static final QuantMap UNSIGNED = new QuantMap(false);
    /** Float8 map (sign and E4M3, {@link Float8}) for state that may be negative. */
    static final QuantMap FP8_SIGNED = new QuantMap(true, true);
    /** Float8 map (E4M4, {@link Float8}) for state that is never negative. */
    static final QuantMap FP8_UNSIGNED = new QuantMap(false, true);

    /** The map's name as saved with quantized buffers ({@link StateDict.Quantized#map()}). */
    final String name;
    final boolean signed;
    /** A float8 map ({@link Float8}: arithmetic coding, {@link #values} indexed by code, not sorted; no {@link #thr}, {@link #tab}). */
    final boolean fp8;
    /** The 256 values: ascending for a dynamic map; for a float8 map the value of each code (codes it does not use: NaN). */
    final float[] values = new float[256];
    /** {@code thr[k]}: midpoint of {@code values[k]} and {@code values[k+1]}; {@code thr[255] = +∞} (dynamic maps; null for float8). */
    final float[] thr;
    /** Bucket table: the code of the smallest value of each bucket (dynamic maps; null for float8). */
    final byte[] tab;
    /** Index of the exact 0 in {@link #values}. */
    final int zero;

    /** A float8 map. */
    private QuantMap(boolean signed, boolean fp8) {
        this.signed = signed;
        this.fp8 = fp8;
        this.name = signed ? StateDict.Quantized.MAP_FP8_SIGNED : StateDict.Quantized.MAP_FP8_UNSIGNED;
        this.thr = null;
        this.tab = null;
        this.zero = 0;
        for (int c = 0; c < 256; c++) values[c] = valid(c) ? (signed ? Float8.decodeSigned(c) : Float8.decodeUnsigned(c)) : Float.NaN;
    }

    /** Whether {@code code} (0..255) is one of this map's codes: every code of a dynamic map; 0..240 (unsigned) or 0..120 and 128..248 (signed) of a float8 map. */
    boolean valid(int code) {
        if (!fp8) return true;
        return signed ? (code & 0x7f) <= Float8.SIGNED_MAX : code <= Float8.UNSIGNED_MAX;
    }

    /** The codes this map uses, for messages. */
    String validCodes() { return !fp8 ? "0..255" : signed ? "0.." + Float8.SIGNED_MAX + " and 128.." + (128 + Float8.SIGNED_MAX) : "0.." + Float8.UNSIGNED_MAX; }

    private QuantMap(boolean signed) {
        this.signed = signed;
        this.fp8 = false;
        this.thr = new float[256];
        this.tab = new byte[1 << (32 - Blockwise8.SHIFT)];
        this.name = signed ? StateDict.Quantized.MAP_SIGNED : StateDict.Quantized.MAP_UNSIGNED;
        double[] v = new double[256];
        int n = 0;
        for (int i = 0; i < 7; i++) {
            int items = signed ? 1 << i : 1 << (i + 1);
            double scale = Math.pow(10, i - 6);
            for (int j = 0; j < items; j++) {
                double f = 0.1 + 0.9 * (j + 0.5) / items;
                v[n++] = scale * f;
                if (signed) v[n++] = -scale * f;
            }
        }
        v[n++] = 0;
        v[n++] = 1;
        if (n != 256) throw new IllegalStateException("dynamic map has " + n + " values, not 256");
        Arrays.sort(v);
        for (int k = 0; k < 256; k++) values[k] = (float) v[k];
        for (int k = 0; k < 255; k++) {
            if (!(values[k] < values[k + 1])) throw new IllegalStateException("dynamic map is not strictly increasing at " + k);
            thr[k] = (float) ((v[k] + v[k + 1]) / 2);
        }
        thr[255] = Float.POSITIVE_INFINITY;
        int z = -1;
        for (int k = 0; k < 256; k++) if (values[k] == 0f) z = k;
        this.zero = z;
        for (int u = 0; u < tab.length; u++) {
            int low = (u & 0x7fff) << Blockwise8.SHIFT, high = low | ((1 << Blockwise8.SHIFT) - 1);
            boolean negative = u >>> 15 != 0;
            if (low >= 0x7f800000) {                       // infinities and NaNs: the ends of the map
                tab[u] = (byte) (negative ? 0 : 255);
                continue;
            }
            float lo = Float.intBitsToFloat(low), hi = Float.intBitsToFloat(high);
            if (negative) fill(u, -hi, -lo);
            else fill(u, lo, hi);
        }
    }

    private volatile int[] packTab;

    /**
     * The bucket table packed for the vector coding ({@link org.rmsprop4j.kernel.Blockwise8Vector#quantize}),
     * built on first use (256 KB): per bucket {@code u}, {@code code << 16 | key}, where {@code code} is
     * {@code tab[u]} and {@code key} the low 16 bits of the one threshold {@code thr[code]} that can lie in
     * the bucket (its top 16 bits are {@code u} itself), flipped ({@code ^ 0xffff}) in negative buckets where
     * a larger float has smaller bits; {@code 0xffff} ("never above") when the threshold lies above the
     * bucket, and in the buckets of infinities and NaNs. So one lookup replaces the two of {@link Blockwise8#code}.
     */
    int[] packTab() {
        int[] t = packTab;
        if (t == null) {
            t = new int[tab.length];
            for (int u = 0; u < t.length; u++) {
                int c = tab[u] & 0xff;
                int tb = Float.floatToRawIntBits(thr[c]);
                int key = 0xffff;
                if ((u & 0x7fff) < 0x7f80 && tb >>> Blockwise8.SHIFT == u) key = (tb & 0xffff) ^ (u >>> 15 != 0 ? 0xffff : 0);
                t[u] = c << 16 | key;
            }
            packTab = t;
        }
        return t;
    }

    private void fill(int index, float min, float max) {
        int cMin = codeBySearch(min), cMax = codeBySearch(max);
        if (cMax - cMin > 1) {
            throw new IllegalStateException("bucket " + index + " [" + min + ", " + max + "] of map " + name + " holds " + (cMax - cMin) + " thresholds");
        }
        tab[index] = (byte) cMin;
    }

    /** The reference coding: the number of midpoints below {@code x}, by binary search. */
    int codeBySearch(float x) {
        int lo = 0, hi = 255;          // answer in [lo, hi]: thr[0..lo) < x, thr[hi..255) >= x
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (thr[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The fast coding ({@link Blockwise8#code}, or {@link Float8}'s nearest coding). */
    int code(float x) {
        if (fp8) return signed ? Float8.codeSigned(x) : Float8.codeUnsigned(x);
        return Blockwise8.code(x, tab, thr) & 0xff;
    }

    /** Codes a block with scale {@code scale} to nearest, as the optimizer's scalar loop does. */
    void quantize(float[] src, int off, int len, float scale, byte[] codes, int codeOff) {
        if (fp8) Float8.quantize(src, off, len, scale, signed, codes, codeOff);
        else Blockwise8.quantize(src, off, len, scale, tab, thr, codes, codeOff);
    }

    /** The map of this kind ({@code fp8} or dynamic) and sign. */
    static QuantMap of(boolean fp8, boolean signed) {
        return fp8 ? (signed ? FP8_SIGNED : FP8_UNSIGNED) : (signed ? SIGNED : UNSIGNED);
    }

    static QuantMap named(String name) {
        for (QuantMap m : new QuantMap[] {SIGNED, UNSIGNED, FP8_SIGNED, FP8_UNSIGNED}) if (m.name.equals(name)) return m;
        return null;
    }
}
