package org.rmsprop4j.kernel;

/**
 * Block-wise 8-bit state on float8 maps: the code of a value is a minifloat, the top bits of a float32,
 * so decoding and coding are integer shifts and adds plus multiplications by powers of two, with no table.
 * The maps are built as {@code org.rmsprop4j.optim.QuantMap.FP8_UNSIGNED} / {@code FP8_SIGNED}; these
 * are their loops. This file is not a float64 source: no float32 twin is generated from it.
 *
 * <h2>The two maps</h2>
 * <ul>
 *   <li>Unsigned (mean squares, second moments): E4M4 with subnormals, codes {@code 0..240}.
 *       Code {@code c = e·16 + m} stands for {@code 2^(e-15)·(1 + m/16)} when {@code e ≥ 1} and
 *       {@code m·2^-18} when {@code e = 0}: 0 is 0, 16 is {@code 2^-14}, 240 is exactly 1 (the
 *       block maximum stays exact). That is {@code intBitsToFloat(c << 19)·2^112}, an exact product (the loops compute
 *       the same values without float32 subnormals: {@link #U_EXP}).
 *       Codes 241..255 are not used.</li>
 *   <li>Signed (momentum, first moments): sign and E4M3 with subnormals, {@code c = sign·128 + e·8 + m},
 *       magnitude {@code 2^(e-15)·(1 + m/8)}, or {@code m·2^-17} when {@code e = 0}; magnitudes
 *       {@code 0..120} (120 is 1). That is {@code intBitsToFloat((c & 0x80) << 24 | (c & 0x7f) << 20)·2^112} (the loops:
 *       {@link #S_EXP}).
 *       Codes 121..127 and 249..255 are not used; 128 is −0.</li>
 * </ul>
 *
 * <h2>Coding, exactly</h2> A value {@code v} of a block with scale {@code a} is normalised as
 * {@link Blockwise8#quantize} does ({@code x = v·(1/a)}, or {@code v/a} when {@code 1/a} overflows). Its
 * magnitude's bits {@code b} are then rounded: at or above {@code 2^-14} (where the minifloat has the
 * float32's exponent minus 112 and is linear in the bits, across octaves too) the code is
 * {@code min((b - (112 << 23) + R) >>> k, max)} with {@code k} = 19 (unsigned) or 20 (signed); below,
 * the minifloat's grid is uniform and the code is the integer mantissa {@code M} of {@code x} (with its
 * implicit bit) shifted right by {@code s = 132 - E} (unsigned) or {@code 133 - E} (signed), {@code E}
 * the biased float32 exponent, after adding {@code R_s}. Nearest rounding takes
 * {@code R = 2^(k-1) - 1} and {@code R_s = 2^(s-1) - 1}: the nearest entry, a tie going to the smaller
 * magnitude (for the unsigned map: to the lower entry, as the dynamic map). Unbiased rounding takes a
 * uniform {@code k}-bit draw {@code r} as {@code R} and {@code r << (s - k)} as {@code R_s}, so a value
 * between two entries gets the upper one with probability exactly its distance from the lower one over
 * the gap (to {@code 2^-k} of the gap); magnitudes under {@code 2^-26} of the block's scale code to 0.
 * The nearest coding computes the part below {@code 2^-14} another way, with the same codes: it rounds
 * {@code x + 2^-14} by the normal rule ({@code belowNormal}), which needs no per-value shift count.
 * No float operation rounds after the normalisation, so there is no double rounding; the tests compare
 * this with a binary search over the decoded values on every non-negative float. Negative values on the
 * unsigned map (only ever −0 for a mean square) code to 0; NaN codes to the top entry (its block's scale
 * is NaN, so the whole block reads NaN, as on the dynamic map).
 */
public final class Float8 {
    private Float8() {}

    /** Largest code of the unsigned (E4M4) map: exactly 1. */
    public static final int UNSIGNED_MAX = 240;
    /** Largest magnitude code of the signed (E4M3) map: exactly 1; negative codes add 128. */
    public static final int SIGNED_MAX = 120;
    /** Mantissa shift of the unsigned map: the code's bits sit at float32 bits 19..26. */
    public static final int U_SHIFT = 19;
    /** Mantissa shift of the signed map: the magnitude's bits sit at float32 bits 20..26. */
    public static final int S_SHIFT = 20;
    /** Float32 bits of {@code 2^-14}, the smallest normal minifloat of both maps. */
    static final int NORMAL_MIN = 113 << 23;
    /** The exponent offset between float32 and the minifloats, in float32 bits. */
    static final int BIAS = 112 << 23;
    /**
     * The exponent offset in code units, OR-ed into a code (unsigned map) or its magnitude (signed map) before the
     * shift, so that the bits are never a float32 subnormal: {@code F = bits((c | U_EXP) << U_SHIFT)} is the code's
     * value for codes from 16 up (from 8 up on the signed map), and {@code 2^-15 + value/2} for the minifloat subnormals
     * below, so {@code value = min(F, 2F - 2^-14)} for every code: exact for the subnormals, and not below {@code F}
     * above them (the vector loops take that minimum, as ints, both being ≥ +0). Decoding {@code bits(c << U_SHIFT)·2^112}
     * instead gives the same values, but an operand that is a float32 subnormal (codes 1..15) made the whole RMSprop loop
     * up to 2.4x slower on the AMD EPYC this was measured on (README, "8-bit optimizer state").
     */
    static final int U_EXP = 112 << 4, S_EXP = 112 << 3;

    /** The unsigned map's value of code {@code c} (0..255; codes above 240 decode to more than 1: callers refuse them on load). */
    public static float decodeUnsigned(int c) { return exact(Float.intBitsToFloat(((c & 0xff) | U_EXP) << U_SHIFT)); }

    /** The signed map's value of code {@code c} (0..255). */
    public static float decodeSigned(int c) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(exact(Float.intBitsToFloat(((c & 0x7f) | S_EXP) << S_SHIFT))) | (c & 0x80) << 24);
    }

    /** {@code min(f, 2f - 2^-14)} for {@code f ≥ 2^-15} ({@link #U_EXP}), compared as ints without a branch. */
    private static float exact(float f) {
        return Float.intBitsToFloat(Math.min(Float.floatToRawIntBits(f), Float.floatToRawIntBits(2 * f - MIN8)));
    }

    /** {@code dst[dstOff + i] = value(codes[codeOff + i])·scale}, {@code i < len}. dst: Modified. */
    public static void dequantize(byte[] codes, int codeOff, float scale, boolean signed, float[] dst, int dstOff, int len) {
        if (signed) {
            for (int i = 0; i < len; i++) dst[dstOff + i] = decodeSigned(codes[codeOff + i]) * scale;
        } else {
            for (int i = 0; i < len; i++) dst[dstOff + i] = decodeUnsigned(codes[codeOff + i]) * scale;
        }
    }

    /**
     * Nearest coding of a magnitude's bits {@code b} (≥ 0) with mantissa shift {@code k} and top code {@code max}.
     * {@code sub}: 132 (unsigned) or 133 (signed).
     */
    static int nearest(int b, int k, int max) {
        if (b < NORMAL_MIN) b = belowNormal(b);
        return Math.min((b - BIAS + (1 << (k - 1)) - 1) >>> k, max);
    }

    /** {@code 2^-14} as a float: the smallest normal minifloat of both maps. */
    static final float MIN8 = 0x1p-14f;

    /**
     * For the bits {@code b} of a magnitude {@code x < 2^-14}: bits that the normal rule
     * {@code (b' - BIAS + R) >>> k} codes to {@code x}'s nearest code (ties to the smaller). Below {@code 2^-14} both maps'
     * grid is the grid of the first normal binade ({@code 2^-18} unsigned, {@code 2^-17} signed), so {@code s = x + 2^-14}
     * (one float add, in {@code [2^-14, 2^-13]}) codes, by the normal rule, to {@code x}'s code plus 16 (unsigned) or 8
     * (signed) codes, which is {@code 2^23} in the bits either way: {@code b' = bits(s) - 2^23}. The add rounds to even;
     * it can move {@code x + 2^-14} across no midpoint of the grid (midpoints are floats there), only onto one from
     * above, which the rule would round down: then {@code x > s - 2^-14} (both sides exact: Sterbenz) and {@code b' + 1}
     * rounds up, and an added 1 changes the code of no other bits.
     */
    static int belowNormal(int b) {
        float x = Float.intBitsToFloat(b);
        float s = x + MIN8;
        // + 1 when x > s - 2^-14, compared as ints (both >= +0) without a branch
        return Float.floatToRawIntBits(s) - (1 << 23) - ((Float.floatToRawIntBits(s - MIN8) - b) >> 31);
    }

    /** Unbiased coding of a magnitude's bits {@code b} (≥ 0) with the draw {@code r} ({@code k} bits). */
    static int unbiased(int b, int r, int k, int max, int sub) {
        if (b >= NORMAL_MIN) return Math.min((b - BIAS + r) >>> k, max);
        int s = sub - (b >>> 23);
        if (s > 31) return 0;
        int m = (b & 0x7fffff) | 0x800000;
        return (m + (r << (s - k))) >>> s;
    }

    /** The unsigned map's nearest code of a normalised value {@code x}. */
    public static int codeUnsigned(float x) { return nearest(Math.max(Float.floatToRawIntBits(x), 0), U_SHIFT, UNSIGNED_MAX); }

    /** The unsigned map's code of {@code x} rounded without bias with the 19-bit draw {@code r}. */
    public static int codeUnsigned(float x, int r) { return unbiased(Math.max(Float.floatToRawIntBits(x), 0), r, U_SHIFT, UNSIGNED_MAX, 132); }

    /** The signed map's nearest code of a normalised value {@code x}. */
    public static int codeSigned(float x) {
        int bits = Float.floatToRawIntBits(x);
        return (bits >>> 24 & 0x80) | nearest(bits & 0x7fffffff, S_SHIFT, SIGNED_MAX);
    }

    /** {@code 1/scale}, or 0 for a scale that is 0 (or NaN); infinite when {@code scale} is subnormal (the caller then divides). */
    static float inverse(float scale) { return scale > 0f ? 1f / scale : 0f; }

    /**
     * Nearest coding of {@code src[srcOff .. srcOff+len)} with the block scale {@code scale} into
     * {@code codes[codeOff ..]}. codes: Modified; src: Not modified.
     */
    public static void quantize(float[] src, int srcOff, int len, float scale, boolean signed, byte[] codes, int codeOff) {
        float inv = inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            float x = divide ? src[srcOff + i] / scale : src[srcOff + i] * inv;
            codes[codeOff + i] = (byte) (signed ? codeSigned(x) : codeUnsigned(x));
        }
    }

    /**
     * Unbiased coding on the unsigned map: value {@code i} draws {@link #draw}{@code (seed, codeOff + i)}.
     * codes: Modified; src: Not modified.
     */
    public static void quantizeUnbiased(float[] src, int srcOff, int len, float scale, int seed, byte[] codes, int codeOff) {
        float inv = inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            float x = divide ? src[srcOff + i] / scale : src[srcOff + i] * inv;
            codes[codeOff + i] = (byte) codeUnsigned(x, draw(seed, codeOff + i));
        }
    }

    /** A uniform 19-bit draw from a seed and a position: the top 19 bits of {@link #hash}. */
    public static int draw(int seed, int position) { return hash(seed, position) >>> (32 - U_SHIFT); }

    /**
     * The 32-bit integer hash behind every unbiased rounding (murmur3's finaliser of {@code (position ^ seed)·φ}); the
     * dynamic map's rounding uses its top 24 bits, the float8 maps' their top 19.
     */
    public static int hash(int seed, int position) {
        int h = (position ^ seed) * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /**
     * Plain RMSprop on one block whose mean square is on the unsigned float8 map, fused with the decoding:
     * per value, {@code ν = decay·(value(code)·scale)}, {@code ν = fma(omd·g, g, ν)}, {@code p -= (lr·g)/(sqrt(ν + epsIn) + epsOut)}
     * (the arithmetic of {@code RmspropKernels.leanPlain}, so the bits of decoding then running that loop),
     * {@code v[vOff + i] = ν}. Reads {@code p}, {@code g} at {@code off}, codes at {@code codeOff}. p, v: Modified.
     *
     * @return {@link Blockwise8#absMaxBits} of the new {@code v}
     */
    public static int rmspropPlain(float[] p, float[] g, int off, byte[] codes, int codeOff, float scale, float[] v, int vOff, int len,
                                   float decay, float omd, float epsIn, float epsOut, float lr) {
        int m = 0;
        for (int i = 0; i < len; i++) {
            float gi = g[off + i];
            float vi = decay * (decodeUnsigned(codes[codeOff + i]) * scale);
            vi = Math.fma(omd * gi, gi, vi);
            v[vOff + i] = vi;
            float d = (float) Math.sqrt(vi + epsIn) + epsOut;
            p[off + i] = p[off + i] - (lr * gi) / d;
            m = Math.max(m, Float.floatToRawIntBits(vi) & 0x7fffffff);
        }
        return m;
    }

    /**
     * Adam (AdamW with {@code keep < 1}) on one block whose first moment is on the signed float8 map and second moment
     * on the unsigned one, fused with the decoding: per value, {@code m = b1·(value(mCode)·mScale)},
     * {@code v = b2·(value(vCode)·vScale)}, then exactly the float32 arithmetic of {@code AdamKernelsF32.step} (the same
     * operations in the same order, so the bits of decoding then running that loop): {@code p ← p·keep},
     * {@code g ← fma(l2, p, gs·g)}, {@code m ← fma(omb1, g, m)}, {@code v ← fma(omb2·g, g, v)},
     * {@code p ← p − (stepSize·m)/(sqrt(v)/bc2sqrt + eps)}. Reads {@code p}, {@code g} at {@code off}, both slots' codes at
     * {@code codeOff}; writes the new moments to {@code m[mOff + i]}, {@code v[vOff + i]}. p, m, v: Modified; g, codes: Not
     * modified.
     *
     * @return the new moments' {@link Blockwise8#absMaxBits}: the first moment's in the high 32 bits, the second's in the low
     */
    public static long adam(float[] p, float[] g, int off, byte[] mCodes, byte[] vCodes, int codeOff, float mScale, float vScale,
                            float[] m, int mOff, float[] v, int vOff, int len, float keep, float gs, float l2, float b1, float omb1,
                            float b2, float omb2, float bc2sqrt, float eps, float stepSize) {
        int mm = 0, mv = 0;
        for (int i = 0; i < len; i++) {
            float pi = p[off + i] * keep;
            float gi = Math.fma(l2, pi, gs * g[off + i]);
            float mi = b1 * (decodeSigned(mCodes[codeOff + i]) * mScale);
            mi = Math.fma(omb1, gi, mi);
            m[mOff + i] = mi;
            float vi = b2 * (decodeUnsigned(vCodes[codeOff + i]) * vScale);
            vi = Math.fma(omb2 * gi, gi, vi);
            v[vOff + i] = vi;
            float d = (float) Math.sqrt(vi) / bc2sqrt + eps;
            p[off + i] = pi - (stepSize * mi) / d;
            mm = Math.max(mm, Float.floatToRawIntBits(mi) & 0x7fffffff);
            mv = Math.max(mv, Float.floatToRawIntBits(vi) & 0x7fffffff);
        }
        return (long) mm << 32 | mv;
    }

    /**
     * RMSprop with momentum (the lean loop: no centering, bias correction or extra coefficient) on one block whose mean
     * square is on the unsigned float8 map and momentum buffer on the signed one, fused with the decoding: per value,
     * {@code ν = decay·(value(vCode)·vScale)}, {@code ν = fma(omd·g, g, ν)}, {@code u = (s·g)/(sqrt(ν + epsIn) + epsOut)},
     * {@code b = mom·(value(bCode)·bScale) + u}, {@code p = fma(-t, b, p)} (the arithmetic of
     * {@code RmspropKernelsF32.leanMomentum}, so the bits of decoding then running that loop). Writes the new mean squares to
     * {@code v[vOff + i]} and buffers to {@code b[bOff + i]}. p, v, b: Modified; g, codes: Not modified.
     *
     * @return the new mean squares' {@link Blockwise8#absMaxBits} in the high 32 bits, the buffers' in the low
     */
    public static long rmspropMomentum(float[] p, float[] g, int off, byte[] vCodes, byte[] bCodes, int codeOff, float vScale, float bScale,
                                       float[] v, int vOff, float[] b, int bOff, int len, float decay, float omd, float epsIn, float epsOut,
                                       float mom, float s, float t) {
        int mv = 0, mb = 0;
        for (int i = 0; i < len; i++) {
            float gi = g[off + i];
            float vi = decay * (decodeUnsigned(vCodes[codeOff + i]) * vScale);
            vi = Math.fma(omd * gi, gi, vi);
            v[vOff + i] = vi;
            float d = (float) Math.sqrt(vi + epsIn) + epsOut;
            float u = (s * gi) / d;
            float bi = mom * (decodeSigned(bCodes[codeOff + i]) * bScale);
            bi = bi + u;
            b[bOff + i] = bi;
            p[off + i] = Math.fma(-t, bi, p[off + i]);
            mv = Math.max(mv, Float.floatToRawIntBits(vi) & 0x7fffffff);
            mb = Math.max(mb, Float.floatToRawIntBits(bi) & 0x7fffffff);
        }
        return (long) mv << 32 | mb;
    }
}
