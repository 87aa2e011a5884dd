package org.rmsprop4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.rmsprop4j.transform.CpuMath;

/**
 * The float64 profiles built on MKL's {@code vdSqrt} ({@link CpuMath#mklSqrt(double)}: PyTorch 2.13
 * and timm on 2.13) on the incubating Vector API, 4 lanes of 256 bits, their plain forms in one pass.
 * The float32 estimate MKL starts from is 4 scalar lookups in a table of 8,192 doubles (the estimate
 * for an argument in [1, 4), {@link #estimateTable}), scaled by {@code 2^−k} on the exponent bits;
 * the split of {@code x}, the degree-4 series and the final sum are lane-wise operations in the scalar
 * routine's order, without FMA, so the bits are the same (tested against the reference). A 4-lane
 * group with an argument outside MKL's fast domain (zero, subnormal, negative, {@code >= 2^1022},
 * non-finite) computes its roots with the scalar routine. The last {@code len mod 4} elements run
 * the scalar loop of {@link ProfileLoops}.
 *
 * <p>This class links only when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link ProfileBlocksF32#vectorEnabled()} says whether it is used.
 */
public final class ProfileVectorF64 {
    private ProfileVectorF64() {}

    /** Lanes per vector: 8 at 512 bits, 4 at 256 ({@link VectorWidth}, the library's one vector width). */
    public static final int LANES = VectorWidth.BITS / 64;
    private static final VectorSpecies<Double> DS = VectorWidth.BITS == 512 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    private static final int L = LANES;

    private static final double A = Double.longBitsToDouble(0x3FD1800032338CBBL);
    private static final double B = Double.longBitsToDouble(0x3FD40000B13001D9L);
    private static final double C = Double.longBitsToDouble(0x3FD80000000000F6L);
    private static final double D = Double.longBitsToDouble(0x3FDFFFFFFFFFFE71L);

    /**
     * Fills {@code est} (8,192 doubles): for index {@code k} (parity of the exponent · 4096 + top 12
     * mantissa bits), the {@code rsqrtps} estimate of an argument in [1, 4) with that index, in (0.5, 1].
     */
    public static void estimateTable(double[] est) {
        for (int k = 0; k < 8192; k++) {
            float x = Float.intBitsToFloat(((127 + (k >> 12)) << 23) | ((k & 0xFFF) << 11));
            est[k] = CpuMath.rsqrtps(x);
        }
    }

    // Small methods, so that C2 inlines each one: a vector passed to or returned from a call it did not inline is boxed
    // (one mklSqrt of 330 bytecodes allocated 32 bytes per element).

    /** True if some lane lies outside MKL's fast domain {@code [2^-1022, 2^1022)} (or is negative or NaN). */
    private static boolean outside(LongVector b) {
        return b.compare(VectorOperators.LT, 0x0010000000000000L).or(b.compare(VectorOperators.GE, 0x7FD0000000000000L)).anyTrue();
    }

    /** The 4 roots by the scalar routine. */
    private static DoubleVector scalar(DoubleVector x, double[] tmp) {
        x.intoArray(tmp, 0);
        for (int j = 0; j < L; j++) tmp[j] = CpuMath.mklSqrt(tmp[j]);
        return DoubleVector.fromArray(DS, tmp, 0);
    }

    /**
     * {@code rsqrtps} as MKL's float64 kernel forms it, for 4 positive normal doubles: the table's estimate times
     * {@code 2^−k} (exact: it stays normal). The 4 lookups are scalar, through {@code idx} (4 longs) and {@code tmp}: a
     * Vector API gather of doubles uses a 128-bit int vector for its indexes, and a second int species beside
     * {@link ProfileVectorF32}'s 256-bit one pollutes the API's shared type profiles (measured: the float32 loops then
     * boxed their vectors, 22–30 B per element, in a JVM that had run this one).
     */
    private static DoubleVector estimate(LongVector b, double[] est, long[] idx, double[] tmp) {
        LongVector e = b.lanewise(VectorOperators.LSHR, 52);                       // the sign is 0 here
        LongVector odd = e.and(1L).lanewise(VectorOperators.XOR, 1L);                // (e − 1023) & 1
        odd.lanewise(VectorOperators.LSHL, 12).or(b.lanewise(VectorOperators.LSHR, 40).and(0xFFFL)).intoArray(idx, 0);
        for (int j = 0; j < L; j++) tmp[j] = est[(int) idx[j]];
        LongVector k = e.sub(1023L).sub(odd).lanewise(VectorOperators.ASHR, 1);
        return DoubleVector.fromArray(DS, tmp, 0).reinterpretAsLongs().sub(k.lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
    }

    /** {@link CpuMath#mklSqrt(double)} lane-wise; {@code idx} (4 longs) and {@code tmp} (4 doubles) are the caller's scratch. */
    static DoubleVector mklSqrt(DoubleVector x, double[] est, long[] idx, double[] tmp) {
        LongVector b = x.reinterpretAsLongs();
        if (outside(b)) return scalar(x, tmp);
        DoubleVector y0 = estimate(b, est, idx, tmp);
        return series(x, b, y0);
    }

    /** MKL's refinement: the split of {@code x}, the degree-4 series in the estimate's error, the final sum, in the scalar routine's order. */
    private static DoubleVector series(DoubleVector x, LongVector b, DoubleVector y0) {
        DoubleVector t = y0.mul(y0);
        DoubleVector xh = b.and(0xFFFFFFFFF8000000L).reinterpretAsDoubles();
        DoubleVector xl = x.sub(xh);
        DoubleVector ee = DoubleVector.broadcast(DS, 1.0).sub(t.mul(xh)).sub(t.mul(xl));
        DoubleVector p = ee.mul(A).add(B).mul(ee).add(C).mul(ee).add(D).mul(ee);
        return xh.mul(y0).add(xl.mul(y0).add(p.mul(y0).mul(x)));
    }

    /** As {@link ProfileLoops#pytorch213} without centering, momentum or weight decay: {@code v = fma((1−α)g, g, αv); θ += (−lr·g)/(mklSqrt(v) + ε)}. */
    public static void pytorch213(double[] est, long[] idx, double[] tmp, double[] g, double[] p, double[] out, double[] v, int off, int len,
                                  double rho, double omr, double eps, double nlr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            DoubleVector gi = DoubleVector.fromArray(DS, g, i);
            DoubleVector vi = gi.mul(omr).fma(gi, DoubleVector.fromArray(DS, v, i).mul(rho));
            vi.intoArray(v, i);
            DoubleVector d = mklSqrt(vi, est, idx, tmp).add(eps);
            DoubleVector.fromArray(DS, p, i).add(gi.mul(nlr).div(d)).intoArray(out, i);
        }
        ProfileLoops.pytorch213(g, p, out, v, null, null, n, off + len - n, rho, omr, eps, 0, 0, false, nlr, 0, 0, false, false, false);
    }

    /** As {@link ProfileLoops#timmTf}, plain: {@code sq = fma(1−ρ, g² − sq, sq); θ += (−lr·g)/mklSqrt(sq + ε)}. */
    public static void timmTf(double[] est, long[] idx, double[] tmp, double[] g, double[] p, double[] out, double[] v, int off, int len,
                              double omr, double eps, double nlr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            DoubleVector gi = DoubleVector.fromArray(DS, g, i);
            DoubleVector sq = DoubleVector.fromArray(DS, v, i);
            sq = gi.mul(gi).sub(sq).fma(DoubleVector.broadcast(DS, omr), sq);
            sq.intoArray(v, i);
            DoubleVector avg = mklSqrt(sq.add(eps), est, idx, tmp);
            DoubleVector.fromArray(DS, p, i).add(gi.mul(nlr).div(avg)).intoArray(out, i);
        }
        ProfileLoops.timmTf(g, p, out, v, null, null, n, off + len - n, omr, eps, 0, 0, false, false, 1, 0, nlr, false, false, false);
    }
}
