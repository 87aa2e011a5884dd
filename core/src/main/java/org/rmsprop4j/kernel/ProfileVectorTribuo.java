package org.rmsprop4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Tribuo's {@code RMSProp} in float64 ({@link ProfileLoops#tribuo}; Tribuo is a float64 library) on the
 * incubating Vector API, 4 lanes of 256 bits. The multiplier's fold is a lane mask, so a group of
 * lanes where some fold and some do not needs no scalar detour. Scalar C2 code for this loop was slow
 * (6 ns per element here: two divisions and a root in a body too large to vectorise).
 *
 * <p>Float32 has no loop here: it would need 4-float vectors (128 bits) beside the 8-float ones of
 * {@link ProfileVectorF32}, and two float species in one JVM pollute the Vector API's shared type
 * profiles: measured, {@code pytorch_2_13}'s loop then boxed its vectors (8 MB per step of 1e6). An
 * 8-float form needs a 256-bit float-to-double conversion of the upper half, which JDK 17 does not
 * intrinsify (24 B allocated per element). Float32 runs {@link ProfileLoopsF32#tribuo}.
 *
 * <p>This class links only when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link ProfileBlocksF32#vectorEnabled()} says whether it is used. The last {@code len mod 4}
 * elements run the scalar loop.
 */
public final class ProfileVectorTribuo {
    private ProfileVectorTribuo() {}

    /** Lanes per vector: 8 at 512 bits, 4 at 256 ({@link VectorWidth}, the library's one vector width). */
    private static final int L = VectorWidth.BITS / 64;
    private static final VectorSpecies<Double> DS = VectorWidth.BITS == 512 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;

    /** As {@link ProfileLoops#tribuo}, bit for bit. */
    public static void tribuo(double[] g, double[] p, double[] out, double[] v, double[] el, double[] mu, int off, int len,
                              double inv, double keep, double eps, double lr) {
        int end = off + len, vend = off + len - len % L;
        double lr1 = 1.0 * lr;
        int i = off;
        for (; i < vend; i += L) {
            DoubleVector ng = DoubleVector.fromArray(DS, g, i).neg();
            DoubleVector mult = DoubleVector.fromArray(DS, mu, i).mul(keep);
            DoubleVector e = DoubleVector.fromArray(DS, el, i);
            var fold = mult.abs().compare(VectorOperators.LT, 1e-6);
            e = e.blend(e.mul(mult), fold);
            // the 1.0 vector is made in the loop: made before it, it was kept as a heap object in calls too short for the loop
            // (NoAllocationTest's Tribuo case, 3 values, 96 B per step pair at 512 bits in 2 of 3 full core runs)
            mult = mult.blend(DoubleVector.broadcast(DS, 1.0), fold);
            DoubleVector x = e.mul(mult).add(ng.mul(inv).mul(ng)).div(mult);
            DoubleVector vi = x.mul(mult);
            x.intoArray(el, i);
            mult.intoArray(mu, i);
            vi.intoArray(v, i);
            DoubleVector scale = DoubleVector.broadcast(DS, lr1).div(vi.sqrt().add(eps));
            DoubleVector.fromArray(DS, p, i).add(ng.mul(scale)).intoArray(out, i);
        }
        if (i < end) ProfileLoops.tribuoScalar(g, p, out, v, el, mu, i, end - i, inv, keep, eps, lr);
    }
}
