package org.rmsprop4j.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The loops of {@link Float8} on the incubating Vector API, 16 lanes of 512 bits or 8 of 256 ({@link VectorWidth}): the same integer
 * arithmetic lane by lane (below {@code 2^-14}: the float add of {@code Float8.belowNormal} for the nearest coding, shifts by
 * a per-lane count for the unbiased one), so they give exactly the scalar loops' bits, with
 * no table and no gather. Every loop decodes with {@code Float8.U_EXP}/{@code S_EXP}, {@code min(F, 2F - 2^-14)}, then one
 * product by the block's scale (the code's exact value times the scale, rounded once), so that no decoded value is a
 * float32 subnormal. Tails
 * shorter than a vector run the scalar code. Links only with {@code --add-modules jdk.incubator.vector}; callers
 * check {@link Blockwise8#vectorAvailable()} first.
 */
public final class Float8Vector {
    private Float8Vector() {}

    /**
     * Vector width in bits: {@link VectorWidth#BITS}, the one width of every Vector API loop in the library (512 where
     * the JVM prefers 512-bit vectors, as on AVX-512; {@code -Drmsprop4j.vector.bits=256} for 256). Same bits either way.
     */
    static final int BITS = VectorWidth.BITS;

    private static final int LANES = BITS / 32;
    private static final int[] ZEROS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] IOTA = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    /** As {@link Float8#dequantize}. dst: Modified. */
    public static void dequantize(byte[] codes, int codeOff, float scale, boolean signed, float[] dst, int dstOff, int len) {
        if (signed) dequantizeSigned(codes, codeOff, scale, dst, dstOff, len);
        else dequantizeUnsigned(codes, codeOff, scale, dst, dstOff, len);
    }

    // Every loop below is written out two or four times per iteration, which also makes each method longer than C2
    // inlines (325 bytecodes): each is compiled on its own. Inlined into a caller that also inlines the step's kernel,
    // C2 ran out of its node budget halfway through the Vector API's methods and kept every vector as a heap object
    // (measured: 0.4 MB allocated per Adam step of 12,000 values, 20-50x slower). No helper takes or returns a vector,
    // and no vector is chosen by a condition, for the same reason.

    private static void dequantizeUnsigned(byte[] codes, int codeOff, float scale, float[] dst, int dstOff, int len) {
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        int n = len - len % (4 * LANES);
        for (int i = 0; i < n; i += 4 * LANES) {
            IntVector c0 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            IntVector c1 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i + LANES).convertShape(VectorOperators.B2I, IS, 0);
            IntVector c2 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i + 2 * LANES).convertShape(VectorOperators.B2I, IS, 0);
            IntVector c3 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i + 3 * LANES).convertShape(VectorOperators.B2I, IS, 0);
            FloatVector f0 = c0.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
            f0.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f0.reinterpretAsInts()).reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i);
            FloatVector f1 = c1.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
            f1.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f1.reinterpretAsInts()).reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i + LANES);
            FloatVector f2 = c2.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
            f2.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f2.reinterpretAsInts()).reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i + 2 * LANES);
            FloatVector f3 = c3.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
            f3.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f3.reinterpretAsInts()).reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i + 3 * LANES);
        }
        for (int i = n; i < len; i++) dst[dstOff + i] = Float8.decodeUnsigned(codes[codeOff + i]) * scale;
    }

    private static void dequantizeSigned(byte[] codes, int codeOff, float scale, float[] dst, int dstOff, int len) {
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        int n = len - len % (4 * LANES);
        for (int i = 0; i < n; i += 4 * LANES) {
            IntVector c0 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            IntVector c1 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i + LANES).convertShape(VectorOperators.B2I, IS, 0);
            IntVector c2 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i + 2 * LANES).convertShape(VectorOperators.B2I, IS, 0);
            IntVector c3 = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i + 3 * LANES).convertShape(VectorOperators.B2I, IS, 0);
            FloatVector f0 = c0.and(0x7f).or(Float8.S_EXP).lanewise(VectorOperators.LSHL, Float8.S_SHIFT).reinterpretAsFloats();
            f0.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f0.reinterpretAsInts()).or(c0.lanewise(VectorOperators.LSHL, 24).and(0x80000000))
                    .reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i);
            FloatVector f1 = c1.and(0x7f).or(Float8.S_EXP).lanewise(VectorOperators.LSHL, Float8.S_SHIFT).reinterpretAsFloats();
            f1.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f1.reinterpretAsInts()).or(c1.lanewise(VectorOperators.LSHL, 24).and(0x80000000))
                    .reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i + LANES);
            FloatVector f2 = c2.and(0x7f).or(Float8.S_EXP).lanewise(VectorOperators.LSHL, Float8.S_SHIFT).reinterpretAsFloats();
            f2.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f2.reinterpretAsInts()).or(c2.lanewise(VectorOperators.LSHL, 24).and(0x80000000))
                    .reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i + 2 * LANES);
            FloatVector f3 = c3.and(0x7f).or(Float8.S_EXP).lanewise(VectorOperators.LSHL, Float8.S_SHIFT).reinterpretAsFloats();
            f3.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f3.reinterpretAsInts()).or(c3.lanewise(VectorOperators.LSHL, 24).and(0x80000000))
                    .reinterpretAsFloats().mul(scale).intoArray(dst, dstOff + i + 3 * LANES);
        }
        for (int i = n; i < len; i++) dst[dstOff + i] = Float8.decodeSigned(codes[codeOff + i]) * scale;
    }

    /** As {@link Float8#rmspropPlain}. p, v: Modified; g, codes: Not modified. */
    public static int rmspropPlain(float[] p, float[] g, int off, byte[] codes, int codeOff, float scale, float[] v, int vOff, int len,
                                   float decay, float omd, float epsIn, float epsOut, float lr) {
        var FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;  // locals: the kernel tier names no boxed type
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        IntVector m0 = IntVector.zero(IS);
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            IntVector c = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            FloatVector f = c.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
            FloatVector vi = f.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f.reinterpretAsInts()).reinterpretAsFloats().mul(scale).mul(decay);
            FloatVector gi = FloatVector.fromArray(FS, g, off + i);
            vi = gi.mul(omd).fma(gi, vi);
            vi.intoArray(v, vOff + i);
            FloatVector d = vi.add(epsIn).sqrt().add(epsOut);
            FloatVector.fromArray(FS, p, off + i).sub(gi.mul(lr).div(d)).intoArray(p, off + i);
            m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);      // no call on the loop-carried m0
        }
        int m = IntVector.fromArray(IS, ZEROS, 0).max(m0).reduceLanes(VectorOperators.MAX);
        return Math.max(m, Float8.rmspropPlain(p, g, off + n, codes, codeOff + n, scale, v, vOff + n, len - n, decay, omd, epsIn, epsOut, lr));
    }

    /**
     * {@link #rmspropPlain} on {@code count} consecutive blocks of {@code bs} values each (a multiple of the lanes: block sizes
     * are powers of two from 64; a caller's precondition, not checked), each
     * block fused with the nearest coding of the block before it (software pipelining): the step's divisions and square
     * roots occupy the floating-point divider while the coding's integer work runs beside them instead of after them.
     * Block {@code j} reads {@code p}, {@code g} at {@code off + j·bs}, its codes at {@code codeOff + j·bs} with the
     * scale {@code scales[k + j]}, which it replaces by its new scale ({@link Float8#rmspropPlain}'s return value, as a
     * float); its new mean squares go to {@code v0} (even {@code j}) or {@code v1} (odd {@code j}), and are coded in
     * the next block's loop. Block 0 codes {@code prev[0..bs)} (the mean squares of the block before the strip) with
     * scale {@code prevScale} into {@code codes[prevCodeOff ..]}; the last block's mean squares are left in
     * {@code v0} or {@code v1} for the caller to code. Every coding gives the bits of {@link #quantize}. Running
     * several blocks per call saves the per-block call, reductions and bookkeeping (blocks of 256 are 16 vectors).
     * p, codes, scales, v0, v1: Modified; g, prev: Not modified; {@code prev} may be {@code v1}, not {@code v0}.
     */
    public static void rmspropPlainStrip(float[] p, float[] g, int off, byte[] codes, int codeOff, float[] scales, int k, int count, int bs,
                                         float[] v0, float[] v1, float decay, float omd, float epsIn, float epsOut, float lr,
                                         float[] prev, float prevScale, int prevCodeOff) {
        var FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;  // locals: the kernel tier names no boxed type
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        int k8 = Float8.U_SHIFT;
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = off + j * bs, c = codeOff + j * bs;
            float scale = scales[k + j];
            float inv = Float8.inverse(prevScale);
            boolean divide = inv == Float.POSITIVE_INFINITY;   // subnormal scale: coded again below, dividing
            float mulInv = divide ? 0f : inv;
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, c + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector f = cv.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
                FloatVector vi = f.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(f.reinterpretAsInts()).reinterpretAsFloats().mul(scale).mul(decay);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(omd).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.add(epsIn).sqrt().add(epsOut);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(lr).div(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);      // no call on the loop-carried m0
                IntVector b = FloatVector.fromArray(FS, prev, i).mul(mulInv).reinterpretAsInts().max(0);
                FloatVector s = b.reinterpretAsFloats().add(Float8.MIN8);                   // below 2^-14: Float8.belowNormal
                IntVector t = s.sub(Float8.MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
                IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                        .max(b);
                ((ByteVector) bb.sub(Float8.BIAS - ((1 << (k8 - 1)) - 1)).lanewise(VectorOperators.LSHR, k8).min(Float8.UNSIGNED_MAX)
                        .convertShape(VectorOperators.I2B, BS, 0))
                        .intoArray(codes, prevCodeOff + i);
            }
            if (divide) Float8Vector.quantize(prev, 0, bs, prevScale, false, codes, prevCodeOff);
            float a = Float.intBitsToFloat(IntVector.fromArray(IS, ZEROS, 0).max(m0).reduceLanes(VectorOperators.MAX));
            scales[k + j] = a;
            prev = v;
            prevScale = a;
            prevCodeOff = c;
        }
    }

    /**
     * As {@link Float8#adam}, on one block: both moments decoded, Adam's update, both new moments stored and both maxima
     * kept in one pass (the caller codes the moments with {@link #quantize}, so the codes are those of the decode, step,
     * code path).
     */
    public static long adam(float[] p, float[] g, int off, byte[] mCodes, byte[] vCodes, int codeOff, float mScale, float vScale,
                            float[] m, int mOff, float[] v, int vOff, int len, float keep, float gs, float l2, float b1, float omb1,
                            float b2, float omb2, float bc2sqrt, float eps, float stepSize) {
        var FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;  // locals: the kernel tier names no boxed type
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        // FMA with scalar operands (lanewise), not vectors broadcast before the loop: a strip of blocks written with those
        // broadcasts kept its vectors on the heap in every JVM (92 KB per Adam step of 8,191 values)
        IntVector mm0 = IntVector.zero(IS), mv0 = IntVector.zero(IS);
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            IntVector cm = (IntVector) ByteVector.fromArray(BS, mCodes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            IntVector cv = (IntVector) ByteVector.fromArray(BS, vCodes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            FloatVector pi = FloatVector.fromArray(FS, p, off + i).mul(keep);
            FloatVector gi = pi.lanewise(VectorOperators.FMA, l2, FloatVector.fromArray(FS, g, off + i).mul(gs));
            FloatVector fm = cm.and(0x7f).or(Float8.S_EXP).lanewise(VectorOperators.LSHL, Float8.S_SHIFT).reinterpretAsFloats();
            FloatVector mi = fm.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(fm.reinterpretAsInts())
                    .or(cm.lanewise(VectorOperators.LSHL, 24).and(0x80000000)).reinterpretAsFloats().mul(mScale).mul(b1);
            mi = gi.lanewise(VectorOperators.FMA, omb1, mi);
            mi.intoArray(m, mOff + i);
            FloatVector fv = cv.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
            FloatVector vi = fv.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(fv.reinterpretAsInts()).reinterpretAsFloats().mul(vScale).mul(b2);
            vi = gi.mul(omb2).fma(gi, vi);
            vi.intoArray(v, vOff + i);
            FloatVector d = vi.sqrt().div(bc2sqrt).add(eps);
            pi.sub(mi.mul(stepSize).div(d)).intoArray(p, off + i);
            mm0 = mi.reinterpretAsInts().and(0x7fffffff).max(mm0);      // no call on the loop-carried maxima
            mv0 = vi.reinterpretAsInts().and(0x7fffffff).max(mv0);
        }
        int mm = IntVector.fromArray(IS, ZEROS, 0).max(mm0).reduceLanes(VectorOperators.MAX);
        int mv = IntVector.fromArray(IS, ZEROS, 0).max(mv0).reduceLanes(VectorOperators.MAX);
        long tail = Float8.adam(p, g, off + n, mCodes, vCodes, codeOff + n, mScale, vScale, m, mOff + n, v, vOff + n, len - n,
                keep, gs, l2, b1, omb1, b2, omb2, bc2sqrt, eps, stepSize);
        return (long) Math.max(mm, (int) (tail >>> 32)) << 32 | Math.max(mv, (int) tail);
    }

    /**
     * As {@link Float8#rmspropMomentum}, on one block, in one pass (the caller codes both slots with {@link #quantize}).
     */
    public static long rmspropMomentum(float[] p, float[] g, int off, byte[] vCodes, byte[] bCodes, int codeOff, float vScale, float bScale,
                                       float[] v, int vOff, float[] b, int bOff, int len, float decay, float omd, float epsIn, float epsOut,
                                       float mom, float s, float t) {
        var FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;  // locals: the kernel tier names no boxed type
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        float nt = -t;
        IntVector mv0 = IntVector.zero(IS), mb0 = IntVector.zero(IS);
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            IntVector cv = (IntVector) ByteVector.fromArray(BS, vCodes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            IntVector cb = (IntVector) ByteVector.fromArray(BS, bCodes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            FloatVector gi = FloatVector.fromArray(FS, g, off + i);
            FloatVector fv = cv.and(0xff).or(Float8.U_EXP).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats();
            FloatVector vi = fv.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(fv.reinterpretAsInts()).reinterpretAsFloats().mul(vScale).mul(decay);
            vi = gi.mul(omd).fma(gi, vi);
            vi.intoArray(v, vOff + i);
            FloatVector d = vi.add(epsIn).sqrt().add(epsOut);
            FloatVector u = gi.mul(s).div(d);
            FloatVector fb = cb.and(0x7f).or(Float8.S_EXP).lanewise(VectorOperators.LSHL, Float8.S_SHIFT).reinterpretAsFloats();
            FloatVector bi = fb.lanewise(VectorOperators.FMA, 2f, -Float8.MIN8).reinterpretAsInts().min(fb.reinterpretAsInts())
                    .or(cb.lanewise(VectorOperators.LSHL, 24).and(0x80000000)).reinterpretAsFloats().mul(bScale).mul(mom).add(u);
            bi.intoArray(b, bOff + i);
            bi.lanewise(VectorOperators.FMA, nt, FloatVector.fromArray(FS, p, off + i)).intoArray(p, off + i);
            mv0 = vi.reinterpretAsInts().and(0x7fffffff).max(mv0);      // no call on the loop-carried maxima
            mb0 = bi.reinterpretAsInts().and(0x7fffffff).max(mb0);
        }
        int mv = IntVector.fromArray(IS, ZEROS, 0).max(mv0).reduceLanes(VectorOperators.MAX);
        int mb = IntVector.fromArray(IS, ZEROS, 0).max(mb0).reduceLanes(VectorOperators.MAX);
        long tail = Float8.rmspropMomentum(p, g, off + n, vCodes, bCodes, codeOff + n, vScale, bScale, v, vOff + n, b, bOff + n, len - n,
                decay, omd, epsIn, epsOut, mom, s, t);
        return (long) Math.max(mv, (int) (tail >>> 32)) << 32 | Math.max(mb, (int) tail);
    }


    // The coding is written out in each loop, with no helper method taking or returning vectors: a helper that C2
    // declines to inline (its budget goes quickly on the Vector API's own methods) turns every vector into a heap
    // object, measured 20-50x slower.

    /** As {@link Float8#quantize}. codes: Modified; src: Not modified. */
    public static void quantize(float[] src, int srcOff, int len, float scale, boolean signed, byte[] codes, int codeOff) {
        float inv = Float8.inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        int n = len - len % LANES;
        if (signed) quantizeSigned(src, srcOff, n, scale, inv, divide, codes, codeOff);
        else quantizeUnsigned(src, srcOff, n, scale, inv, divide, codes, codeOff);
        Float8.quantize(src, srcOff + n, len - n, scale, signed, codes, codeOff + n);
    }

    // The two parts are joined by a maximum, not a blend on b >= 2^-14 (one operation fewer): below 2^-14 the add's
    // candidate bits(s) - 2^23 (+ 1) lie in [2^-15, 2^-14]'s bits, above b's; from 2^-14 up they are the bits of
    // (b + 2^-14)/2 rounded, at most b's (monotone rounding), and the + 1 comes only where they are below b's (at b's
    // first ulp above 2^-14 they are b's minus 1), NaN included. Float8StateTest.vectorCodingEqualsTheScalarCodingForEveryFloat.

    // straight-line loops, one per map: a branch that skipped the subnormal part when no lane needed it was faster (0.12
    // against 0.16 ns per value), and one loop for both maps was shorter, but either made C2 keep every vector as a heap
    // object in some callers (see above)

    private static void quantizeUnsigned(float[] src, int srcOff, int n, float scale, float inv, boolean divide, byte[] codes, int codeOff) {
        var FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;  // locals: the kernel tier names no boxed type
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        int k = Float8.U_SHIFT;
        int n2 = n - n % (2 * LANES);
        for (int i = 0; i < n2; i += 2 * LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector b = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts().max(0);   // negatives and -0 code as +0
            FloatVector s = b.reinterpretAsFloats().add(Float8.MIN8);                   // below 2^-14: Float8.belowNormal
            IntVector t = s.sub(Float8.MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
            IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                    .max(b);
            ((ByteVector) bb.sub(Float8.BIAS - ((1 << (k - 1)) - 1)).lanewise(VectorOperators.LSHR, k).min(Float8.UNSIGNED_MAX)
                    .convertShape(VectorOperators.I2B, BS, 0))
                    .intoArray(codes, codeOff + i);
            FloatVector v1 = FloatVector.fromArray(FS, src, srcOff + i + LANES);
            IntVector b1 = (divide ? v1.div(scale) : v1.mul(inv)).reinterpretAsInts().max(0);   // negatives and -0 code as +0
            FloatVector s1 = b1.reinterpretAsFloats().add(Float8.MIN8);                   // below 2^-14: Float8.belowNormal
            IntVector t1 = s1.sub(Float8.MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
            IntVector bb1 = s1.reinterpretAsInts().sub(1 << 23).add(1, b1.compare(VectorOperators.GT, t1))
                    .max(b1);
            ((ByteVector) bb1.sub(Float8.BIAS - ((1 << (k - 1)) - 1)).lanewise(VectorOperators.LSHR, k).min(Float8.UNSIGNED_MAX)
                    .convertShape(VectorOperators.I2B, BS, 0))
                    .intoArray(codes, codeOff + i + LANES);
        }
        for (int i = n2; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector b = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts().max(0);   // negatives and -0 code as +0
            FloatVector s = b.reinterpretAsFloats().add(Float8.MIN8);                   // below 2^-14: Float8.belowNormal
            IntVector t = s.sub(Float8.MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
            IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                    .max(b);
            ((ByteVector) bb.sub(Float8.BIAS - ((1 << (k - 1)) - 1)).lanewise(VectorOperators.LSHR, k).min(Float8.UNSIGNED_MAX)
                    .convertShape(VectorOperators.I2B, BS, 0))
                    .intoArray(codes, codeOff + i);
        }
    }

    private static void quantizeSigned(float[] src, int srcOff, int n, float scale, float inv, boolean divide, byte[] codes, int codeOff) {
        var FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;  // locals: the kernel tier names no boxed type
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        int k = Float8.S_SHIFT;
        int n2 = n - n % (2 * LANES);
        for (int i = 0; i < n2; i += 2 * LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector bits = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts();
            IntVector b = bits.and(0x7fffffff);
            FloatVector s = b.reinterpretAsFloats().add(Float8.MIN8);                   // below 2^-14: Float8.belowNormal
            IntVector t = s.sub(Float8.MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
            IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                    .max(b);
            ((ByteVector) bb.sub(Float8.BIAS - ((1 << (k - 1)) - 1)).lanewise(VectorOperators.LSHR, k).min(Float8.SIGNED_MAX)
                    .or(bits.lanewise(VectorOperators.LSHR, 24).and(0x80))
                    .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, codeOff + i);
            FloatVector v1 = FloatVector.fromArray(FS, src, srcOff + i + LANES);
            IntVector bits1 = (divide ? v1.div(scale) : v1.mul(inv)).reinterpretAsInts();
            IntVector b1 = bits1.and(0x7fffffff);
            FloatVector s1 = b1.reinterpretAsFloats().add(Float8.MIN8);                   // below 2^-14: Float8.belowNormal
            IntVector t1 = s1.sub(Float8.MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
            IntVector bb1 = s1.reinterpretAsInts().sub(1 << 23).add(1, b1.compare(VectorOperators.GT, t1))
                    .max(b1);
            ((ByteVector) bb1.sub(Float8.BIAS - ((1 << (k - 1)) - 1)).lanewise(VectorOperators.LSHR, k).min(Float8.SIGNED_MAX)
                    .or(bits1.lanewise(VectorOperators.LSHR, 24).and(0x80))
                    .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, codeOff + i + LANES);
        }
        for (int i = n2; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector bits = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts();
            IntVector b = bits.and(0x7fffffff);
            FloatVector s = b.reinterpretAsFloats().add(Float8.MIN8);                   // below 2^-14: Float8.belowNormal
            IntVector t = s.sub(Float8.MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
            IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                    .max(b);
            ((ByteVector) bb.sub(Float8.BIAS - ((1 << (k - 1)) - 1)).lanewise(VectorOperators.LSHR, k).min(Float8.SIGNED_MAX)
                    .or(bits.lanewise(VectorOperators.LSHR, 24).and(0x80))
                    .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, codeOff + i);
        }
    }

    /** As {@link Float8#quantizeUnbiased}. codes: Modified; src: Not modified. */
    public static void quantizeUnbiased(float[] src, int srcOff, int len, float scale, int seed, byte[] codes, int codeOff) {
        var FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;  // locals: the kernel tier names no boxed type
        var IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        var BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        float inv = Float8.inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        IntVector iota = IntVector.fromArray(IS, IOTA, 0);
        int k = Float8.U_SHIFT;
        int n = len - len % LANES;
        int n2 = n - n % (2 * LANES);
        for (int i = 0; i < n2; i += 2 * LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector b = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts().max(0);
            IntVector h = iota.add(codeOff + i).lanewise(VectorOperators.XOR, seed).mul(0x9E3779B9);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            IntVector r = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).lanewise(VectorOperators.LSHR, 32 - k);
            // straight-line (no branch on the subnormal range): a branch here pushed the method past C2's node budget
            IntVector normal = b.sub(Float8.BIAS).add(r).lanewise(VectorOperators.LSHR, k).min(Float8.UNSIGNED_MAX);
            IntVector s = IntVector.broadcast(IS, 132).sub(b.lanewise(VectorOperators.LSHR, 23));
            var tooSmall = s.compare(VectorOperators.GT, 31);
            s = s.min(31);
            IntVector m = b.and(0x7fffff).or(0x800000);
            IntVector tiny = m.add(r.lanewise(VectorOperators.LSHL, s.sub(k))).lanewise(VectorOperators.LSHR, s).blend(0, tooSmall);
            ((ByteVector) tiny.blend(normal, b.compare(VectorOperators.GE, Float8.NORMAL_MIN)).convertShape(VectorOperators.I2B, BS, 0))
                    .intoArray(codes, codeOff + i);
            FloatVector v1 = FloatVector.fromArray(FS, src, srcOff + i + LANES);
            IntVector b1 = (divide ? v1.div(scale) : v1.mul(inv)).reinterpretAsInts().max(0);
            IntVector h1 = iota.add(codeOff + i + LANES).lanewise(VectorOperators.XOR, seed).mul(0x9E3779B9);
            h1 = h1.lanewise(VectorOperators.XOR, h1.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            h1 = h1.lanewise(VectorOperators.XOR, h1.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            IntVector r1 = h1.lanewise(VectorOperators.XOR, h1.lanewise(VectorOperators.LSHR, 16)).lanewise(VectorOperators.LSHR, 32 - k);
            // straight-line (no branch on the subnormal range): a branch here pushed the method past C2's1 node budget
            IntVector normal1 = b1.sub(Float8.BIAS).add(r1).lanewise(VectorOperators.LSHR, k).min(Float8.UNSIGNED_MAX);
            IntVector s1 = IntVector.broadcast(IS, 132).sub(b1.lanewise(VectorOperators.LSHR, 23));
            var tooSmall1 = s1.compare(VectorOperators.GT, 31);
            s1 = s1.min(31);
            IntVector m1 = b1.and(0x7fffff).or(0x800000);
            IntVector tiny1 = m1.add(r1.lanewise(VectorOperators.LSHL, s1.sub(k))).lanewise(VectorOperators.LSHR, s1).blend(0, tooSmall1);
            ((ByteVector) tiny1.blend(normal1, b1.compare(VectorOperators.GE, Float8.NORMAL_MIN)).convertShape(VectorOperators.I2B, BS, 0))
                    .intoArray(codes, codeOff + i + LANES);
        }
        for (int i = n2; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector b = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts().max(0);
            IntVector h = iota.add(codeOff + i).lanewise(VectorOperators.XOR, seed).mul(0x9E3779B9);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            IntVector r = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).lanewise(VectorOperators.LSHR, 32 - k);
            // straight-line (no branch on the subnormal range): a branch here pushed the method past C2's node budget
            IntVector normal = b.sub(Float8.BIAS).add(r).lanewise(VectorOperators.LSHR, k).min(Float8.UNSIGNED_MAX);
            IntVector s = IntVector.broadcast(IS, 132).sub(b.lanewise(VectorOperators.LSHR, 23));
            var tooSmall = s.compare(VectorOperators.GT, 31);
            s = s.min(31);
            IntVector m = b.and(0x7fffff).or(0x800000);
            IntVector tiny = m.add(r.lanewise(VectorOperators.LSHL, s.sub(k))).lanewise(VectorOperators.LSHR, s).blend(0, tooSmall);
            ((ByteVector) tiny.blend(normal, b.compare(VectorOperators.GE, Float8.NORMAL_MIN)).convertShape(VectorOperators.I2B, BS, 0))
                    .intoArray(codes, codeOff + i);
        }
        Float8.quantizeUnbiased(src, srcOff + n, len - n, scale, seed, codes, codeOff + n);
    }
}
