package org.rmsprop4j.testkit;

import org.rmsprop4j.optim.Dtype;

/**
 * When a replayed value counts as equal to the reference: within {@code maxUlp} units in the last
 * place of the case's dtype, or within {@code atol} absolutely (for values near 0, where ULPs
 * shrink without bound). See the README's "Conformance" section for why these bounds.
 */
public record Tolerance(long maxUlpFloat32, long maxUlpFloat64, double atolFloat32, double atolFloat64) {

    /**
     * The bound for a reference computed with a different operation order (no fused multiply-add,
     * {@code 1−ρ} formed in float32, {@code (η/d)·g} instead of {@code (η·g)/d}): 1024 ULP, or an
     * absolute 1e-6 (float32) / 1e-13 (float64) for values near zero. Such differences are a few ULP
     * per step and compound along a 40-step trajectory to at most a few hundred ULP; a real difference
     * of semantics (where ε goes, ν₀, where the learning rate enters momentum) shows up as relative
     * errors of 1e-3 and more, far outside this bound (see {@code FlavorMutationTest}).
     */
    public static Tolerance standard() { return new Tolerance(1024, 1024, 1e-6, 1e-13); }

    /** Bit for bit: what we hold against the recorded PyTorch runs. */
    public static Tolerance exact() { return new Tolerance(0, 0, 0, 0); }

    public long maxUlp(Dtype d) { return d == Dtype.FLOAT32 ? maxUlpFloat32 : maxUlpFloat64; }

    public double atol(Dtype d) { return d == Dtype.FLOAT32 ? atolFloat32 : atolFloat64; }

    /** Whether {@code ours} passes against {@code ref}. */
    public boolean accepts(Dtype d, double ours, double ref) {
        long ulp = d == Dtype.FLOAT32 ? Ulp.float32((float) ours, (float) ref) : Ulp.float64(ours, ref);
        return ulp <= maxUlp(d) || Math.abs(ours - ref) <= atol(d);
    }
}
