package org.rmsprop4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Tribuo's {@code RMSProp} ({@link ProfileLoops#tribuo}, {@link ProfileLoopsF32#tribuo}) on the
 * incubating Vector API, 4 lanes of float64 (256 bits). The multiplier's fold is a lane mask, so a
 * group of lanes where some fold and some do not needs no scalar detour. In float32 the lanes are 4
 * floats (128 bits) widened to 4 doubles for the three operations the profile forms in double
 * ({@code mu·keep}, {@code inv·(−g)}, {@code eps + √v}) and narrowed once, as the scalar loop's
 * casts do; the rest are float32 lane operations, which round like Java's float operators. Scalar
 * C2 code for this loop is slow (12 ns per float32 element here, 6 per float64 one): the
 * float/double conversions, two divisions and a root left it unvectorised.
 *
 * <p>This class links only when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link ProfileBlocksF32#vectorEnabled()} says whether it is used. The last {@code len mod 4}
 * elements run the scalar loop.
 */
public final class ProfileVectorTribuo {
    private ProfileVectorTribuo() {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final int L = 4;

    private static DoubleVector wide(FloatVector x) {
        return (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0);
    }

    private static FloatVector narrow(DoubleVector x) {
        return (FloatVector) x.convertShape(VectorOperators.D2F, F, 0);
    }

    /** As {@link ProfileLoops#tribuo}, bit for bit. */
    public static void tribuo(double[] g, double[] p, double[] out, double[] v, double[] el, double[] mu, int off, int len,
                              double inv, double keep, double eps, double lr) {
        int end = off + len, vend = off + len - len % L;
        double lr1 = 1.0 * lr;
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        int i = off;
        for (; i < vend; i += L) {
            DoubleVector ng = DoubleVector.fromArray(D, g, i).neg();
            DoubleVector mult = DoubleVector.fromArray(D, mu, i).mul(keep);
            DoubleVector e = DoubleVector.fromArray(D, el, i);
            VectorMask<Double> fold = mult.abs().compare(VectorOperators.LT, 1e-6);
            e = e.blend(e.mul(mult), fold);
            mult = mult.blend(one, fold);
            DoubleVector x = e.mul(mult).add(ng.mul(inv).mul(ng)).div(mult);
            DoubleVector vi = x.mul(mult);
            x.intoArray(el, i);
            mult.intoArray(mu, i);
            vi.intoArray(v, i);
            DoubleVector scale = DoubleVector.broadcast(D, lr1).div(vi.sqrt().add(eps));
            DoubleVector.fromArray(D, p, i).add(ng.mul(scale)).intoArray(out, i);
        }
        if (i < end) ProfileLoops.tribuoScalar(g, p, out, v, el, mu, i, end - i, inv, keep, eps, lr);
    }

    /** As {@link ProfileLoopsF32#tribuo}, bit for bit. */
    public static void tribuo(float[] g, float[] p, float[] out, float[] v, float[] el, float[] mu, int off, int len,
                              double inv, double keep, double eps, float lr) {
        int end = off + len, vend = off + len - len % L;
        FloatVector one = FloatVector.broadcast(F, 1f), lrv = FloatVector.broadcast(F, lr);
        int i = off;
        for (; i < vend; i += L) {
            FloatVector ng = FloatVector.fromArray(F, g, i).neg();
            FloatVector mult = narrow(wide(FloatVector.fromArray(F, mu, i)).mul(keep));
            FloatVector e = FloatVector.fromArray(F, el, i);
            VectorMask<Float> fold = mult.abs().compare(VectorOperators.LT, ProfileLoopsF32.TRIBUO_FOLD_F32);
            e = e.blend(e.mul(mult), fold);
            mult = mult.blend(one, fold);
            FloatVector x = e.mul(mult).add(narrow(wide(ng).mul(inv)).mul(ng)).div(mult);
            FloatVector vi = x.mul(mult);
            x.intoArray(el, i);
            mult.intoArray(mu, i);
            vi.intoArray(v, i);
            FloatVector den = narrow(wide(vi.sqrt()).add(eps));
            FloatVector.fromArray(F, p, i).add(ng.mul(lrv.div(den))).intoArray(out, i);
        }
        if (i < end) ProfileLoopsF32.tribuoScalar(g, p, out, v, el, mu, i, end - i, inv, keep, eps, lr);
    }
}
