package org.rmsprop4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import jdk.incubator.vector.DoubleVector;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rmsprop4j.transform.CpuMath;

/**
 * {@link ProfileVectorF64}'s lane-wise MKL {@code vdSqrt} against {@link CpuMath#mklSqrt(double)} bit
 * for bit: random bit patterns over every exponent, the edges of MKL's fast domain ({@code 2^-1022},
 * {@code 2^1022}), both exponent parities, zeros, subnormals, negatives, infinities and NaN mixed
 * into the same vector (4 or 8 lanes) as ordinary values.
 */
class MklSqrtVectorTest {

    @Test
    void everyLaneIsTheScalarRoutinesBits() {
        Assumptions.assumeTrue(ProfileBlocksF32.vectorEnabled(), "no Vector API or no 256-bit vectors");
        double[] est = new double[8192];
        ProfileVectorF64.estimateTable(est);
        int lanes = ProfileVectorF64.LANES;   // the library's one vector width: 4 lanes at 256 bits, 8 at 512
        var species = lanes == 8 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
        long[] idx = new long[lanes];
        double[] tmp = new double[lanes], x = new double[lanes], y = new double[lanes];
        SplittableRandom r = new SplittableRandom(15);
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 0x1p1022,
                Math.nextDown(0x1p1022), Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN, -1.0, 1.0, 2.0, 4.0, Math.nextDown(4.0)};
        int fast = 0, differsFromIeee = 0;
        for (int round = 0; round < 400_000; round++) {
            for (int j = 0; j < lanes; j++) {
                int kind = r.nextInt(round % 2 == 0 ? 100 : 4);  // every other group is all ordinary, so the vector path runs
                if (kind == 0) x[j] = edges[r.nextInt(edges.length)];
                else if (kind == 1) x[j] = Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE);   // any exponent
                else x[j] = Math.scalb(1 + r.nextDouble() * 3, r.nextInt(-60, 60));
            }
            ProfileVectorF64.mklSqrt(DoubleVector.fromArray(species, x, 0), est, idx, tmp).intoArray(y, 0);
            for (int j = 0; j < lanes; j++) {
                double want = CpuMath.mklSqrt(x[j]);
                if (Double.doubleToRawLongBits(y[j]) != Double.doubleToRawLongBits(want)) {
                    throw new AssertionError("mklSqrt(" + x[j] + " = 0x" + Long.toHexString(Double.doubleToRawLongBits(x[j])) + ") lane " + j
                            + ": " + y[j] + ", the scalar routine " + want);
                }
                if (want != Math.sqrt(x[j])) differsFromIeee++;
            }
            fast++;
        }
        assertThat(fast).isEqualTo(400_000);
        assertThat(differsFromIeee).as("MKL's root is not IEEE's on some inputs, so the check sees the difference").isGreaterThan(1000);
    }
}
