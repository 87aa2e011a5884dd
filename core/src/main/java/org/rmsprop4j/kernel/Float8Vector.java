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

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> BS = ByteVector.SPECIES_64;
    private static final int LANES = 8;
    private static final int[] IOTA = {0, 1, 2, 3, 4, 5, 6, 7};

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

    /** Lane-wise {@link Float8#nearest} / {@link Float8#unbiased}: {@code r == null} rounds to nearest. */
    private static IntVector code(IntVector b, IntVector r, int k, int max, int sub) {
        IntVector normal = b.sub(Float8.BIAS).add(r == null ? IntVector.broadcast(IS, (1 << (k - 1)) - 1) : r)
                .lanewise(VectorOperators.LSHR, k).min(max);
        IntVector e = b.lanewise(VectorOperators.LSHR, 23);
        IntVector s = IntVector.broadcast(IS, sub).sub(e);
        VectorMask<Integer> tooSmall = s.compare(VectorOperators.GT, 31);
        s = s.min(31);
        IntVector m = b.and(0x7fffff).or(0x800000);
        IntVector add = r == null
                ? IntVector.broadcast(IS, 1).lanewise(VectorOperators.LSHL, s.sub(1)).sub(1)
                : r.lanewise(VectorOperators.LSHL, s.sub(k));
        IntVector subnormal = m.add(add).lanewise(VectorOperators.LSHR, s).blend(0, tooSmall);
        return subnormal.blend(normal, b.compare(VectorOperators.GE, Float8.NORMAL_MIN));
    }

    /** As {@link Float8#quantize}. codes: Modified; src: Not modified. */
    public static void quantize(float[] src, int srcOff, int len, float scale, boolean signed, byte[] codes, int codeOff) {
        float inv = Float8.inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector bits = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts();
            IntVector c;
            if (signed) {
                c = code(bits.and(0x7fffffff), null, Float8.S_SHIFT, Float8.SIGNED_MAX, 133)
                        .or(bits.lanewise(VectorOperators.LSHR, 24).and(0x80));
            } else {
                c = code(bits.max(0), null, Float8.U_SHIFT, Float8.UNSIGNED_MAX, 132);
            }
            ((ByteVector) c.convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, codeOff + i);
        }
        Float8.quantize(src, srcOff + n, len - n, scale, signed, codes, codeOff + n);
    }

    /** As {@link Float8#quantizeUnbiased}. codes: Modified; src: Not modified. */
    public static void quantizeUnbiased(float[] src, int srcOff, int len, float scale, int seed, byte[] codes, int codeOff) {
        float inv = Float8.inverse(scale);
        boolean divide = inv == Float.POSITIVE_INFINITY;
        IntVector iota = IntVector.fromArray(IS, IOTA, 0);
        int n = len - len % LANES;
        for (int i = 0; i < n; i += LANES) {
            FloatVector v = FloatVector.fromArray(FS, src, srcOff + i);
            IntVector bits = (divide ? v.div(scale) : v.mul(inv)).reinterpretAsInts();
            IntVector h = iota.add(codeOff + i).lanewise(VectorOperators.XOR, seed).mul(0x9E3779B9);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
            IntVector c = code(bits.max(0), h.lanewise(VectorOperators.LSHR, 32 - Float8.U_SHIFT), Float8.U_SHIFT, Float8.UNSIGNED_MAX, 132);
            ((ByteVector) c.convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, codeOff + i);
        }
        Float8.quantizeUnbiased(src, srcOff + n, len - n, scale, seed, codes, codeOff + n);
    }
}
