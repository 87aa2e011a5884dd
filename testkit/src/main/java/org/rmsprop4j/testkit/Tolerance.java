package org.rmsprop4j.testkit;

import org.rmsprop4j.optim.Dtype;

/**
 * When a replayed value counts as equal to the reference: within {@code maxUlp} units in the last
 * place of the case's dtype, or within {@code atol} absolutely (for values near 0, where ULPs
 * shrink without bound). See the README's "Conformance" section for why these bounds.
 */
public record Tolerance(long maxUlpFloat32, long maxUlpFloat64, double atolFloat32, double atolFloat64) {

    /** The bounds the project holds for every recorded case. */
    public static Tolerance standard() { return new Tolerance(8, 64, 1e-7, 1e-14); }

    /** Bit-for-bit. */
    public static Tolerance exact() { return new Tolerance(0, 0, 0, 0); }

    public long maxUlp(Dtype d) { return d == Dtype.FLOAT32 ? maxUlpFloat32 : maxUlpFloat64; }

    public double atol(Dtype d) { return d == Dtype.FLOAT32 ? atolFloat32 : atolFloat64; }

    /** Whether {@code ours} passes against {@code ref}. */
    public boolean accepts(Dtype d, double ours, double ref) {
        long ulp = d == Dtype.FLOAT32 ? Ulp.float32((float) ours, (float) ref) : Ulp.float64(ours, ref);
        return ulp <= maxUlp(d) || Math.abs(ours - ref) <= atol(d);
    }
}
