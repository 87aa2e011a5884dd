package org.rmsprop4j.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of {@link Float8} on the incubating Vector API, 8 lanes of 256 bits: the same integer
 * arithmetic lane by lane (shifts by a per-lane count for the subnormal part of the map, a blend between
 * the two parts), so they give exactly the scalar loops' bits, with no table and no gather. Tails
 * shorter than 8 run the scalar code. Links only with {@code --add-modules jdk.incubator.vector}; callers
 * check {@link Blockwise8#vectorAvailable()} first.
 */
public final class Float8Vector {
    private Float8Vector() {}

    /** Vector width in bits: 256 (the default) or 512 ({@code -Drmsprop4j.float8.bits=512}, when the JVM prefers 512-bit vectors). */
    static final int BITS = "512".equals(System.getProperty("rmsprop4j.float8.bits")) && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 512 : 256;
    private static final VectorSpecies<Float> FS = BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> IS = BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> BS = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    private static final int LANES = BITS / 32;
    private static final int[] IOTA = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    /** As {@link Float8#dequantize}. dst: Modified. */
    public static void dequantize(byte[] codes, int codeOff, float scale, boolean signed, float[] dst, int dstOff, int len) {
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            IntVector c = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            IntVector bits = signed
                    ? c.lanewise(VectorOperators.LSHL, 24).and(0x80000000).or(c.and(0x7f).lanewise(VectorOperators.LSHL, Float8.S_SHIFT))
                    : c.and(0xff).lanewise(VectorOperators.LSHL, Float8.U_SHIFT);
            bits.reinterpretAsFloats().mul(Float8.UP).mul(scale).intoArray(dst, dstOff + i);
        }
        Float8.dequantize(codes, codeOff + n, scale, signed, dst, dstOff + n, len - n);
    }

    /** As {@link Float8#rmspropPlain}. p, v: Modified; g, codes: Not modified. */
    public static int rmspropPlain(float[] p, float[] g, int off, byte[] codes, int codeOff, float scale, float[] v, int vOff, int len,
                                   float decay, float omd, float epsIn, float epsOut, float lr) {
        IntVector m0 = IntVector.zero(IS);
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            IntVector c = (IntVector) ByteVector.fromArray(BS, codes, codeOff + i).convertShape(VectorOperators.B2I, IS, 0);
            FloatVector vi = c.and(0xff).lanewise(VectorOperators.LSHL, Float8.U_SHIFT).reinterpretAsFloats().mul(Float8.UP).mul(scale).mul(decay);
            FloatVector gi = FloatVector.fromArray(FS, g, off + i);
            vi = gi.mul(omd).fma(gi, vi);
            vi.intoArray(v, vOff + i);
            FloatVector d = vi.add(epsIn).sqrt().add(epsOut);
            FloatVector.fromArray(FS, p, off + i).sub(gi.mul(lr).div(d)).intoArray(p, off + i);
            m0 = m0.max(vi.reinterpretAsInts().and(0x7fffffff));
        }
        int m = m0.reduceLanes(VectorOperators.MAX);
        return Math.max(m, Float8.rmspropPlain(p, g, off + n, codes, codeOff + n, scale, v, n, len - n, decay, omd, epsIn, epsOut, lr));
    }

    // The coding is written out in each loop, with no helper method: a helper that C2 declines to inline
    // (its inlining budget is spent quickly on the Vector API's own methods) turns every vector into a heap
    // object, measured 20-50x slower. Each branch stores its own result, so no vector flows through a merge.

    /** As {@link Float8#quantize}. codes: Modified; src: Not modified. */
    public static void quantize(float[] src, int srcOff, int len, float scale, boolean signed, byte[] codes, int codeOff) {
        float inv = Float8.inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        int k = signed ? Float8.S_SHIFT : Float8.U_SHIFT, max = signed ? Float8.SIGNED_MAX : Float8.UNSIGNED_MAX, sub = signed ? 133 : 132;
        int half = (1 << (k - 1)) - 1;
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector bits = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts();
            // magnitude bits (unsigned map: negatives and -0 to +0) and the sign byte
            IntVector b = signed ? bits.and(0x7fffffff) : bits.max(0);
            IntVector sign = signed ? bits.lanewise(VectorOperators.LSHR, 24).and(0x80) : IntVector.zero(IS);
            VectorMask<Integer> isNormal = b.compare(VectorOperators.GE, Float8.NORMAL_MIN);
            IntVector normal = b.sub(Float8.BIAS - half).lanewise(VectorOperators.LSHR, k).min(max);
            if (isNormal.allTrue()) {                // the common case: no value under 2^-14 of the block's scale
                ((ByteVector) normal.or(sign).convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, codeOff + i);
            } else {
                IntVector s = IntVector.broadcast(IS, sub).sub(b.lanewise(VectorOperators.LSHR, 23)).min(31);  // > 31 codes to 0 anyway
                IntVector m = b.and(0x7fffff).or(0x800000);
                IntVector tiny = m.add(IntVector.broadcast(IS, 1).lanewise(VectorOperators.LSHL, s.sub(1)).sub(1)).lanewise(VectorOperators.LSHR, s);
                ((ByteVector) tiny.blend(normal, isNormal).or(sign).convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, codeOff + i);
            }
        }
        Float8.quantize(src, srcOff + n, len - n, scale, signed, codes, codeOff + n);
    }

    /** As {@link Float8#quantizeUnbiased}. codes: Modified; src: Not modified. */
    public static void quantizeUnbiased(float[] src, int srcOff, int len, float scale, int seed, byte[] codes, int codeOff) {
        float inv = Float8.inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        IntVector iota = IntVector.fromArray(IS, IOTA, 0);
        int k = Float8.U_SHIFT;
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector b = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts().max(0);
            IntVector h = iota.add(codeOff + i).lanewise(VectorOperators.XOR, seed).mul(0x9E3779B9);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            IntVector r = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).lanewise(VectorOperators.LSHR, 32 - k);
            // straight-line (no branch on the subnormal range): a branch here pushed the method past C2's node budget
            IntVector normal = b.sub(Float8.BIAS).add(r).lanewise(VectorOperators.LSHR, k).min(Float8.UNSIGNED_MAX);
            IntVector s = IntVector.broadcast(IS, 132).sub(b.lanewise(VectorOperators.LSHR, 23));
            VectorMask<Integer> tooSmall = s.compare(VectorOperators.GT, 31);
            s = s.min(31);
            IntVector m = b.and(0x7fffff).or(0x800000);
            IntVector tiny = m.add(r.lanewise(VectorOperators.LSHL, s.sub(k))).lanewise(VectorOperators.LSHR, s).blend(0, tooSmall);
            ((ByteVector) tiny.blend(normal, b.compare(VectorOperators.GE, Float8.NORMAL_MIN)).convertShape(VectorOperators.I2B, BS, 0))
                    .intoArray(codes, codeOff + i);
        }
        Float8.quantizeUnbiased(src, srcOff + n, len - n, scale, seed, codes, codeOff + n);
    }
}
