package org.rmsprop4j.testkit;

import java.util.Locale;

import org.rmsprop4j.optim.Dtype;

/**
 * When a replayed value counts as equal to the reference: within {@code maxUlp} units in the last
 * place of the case's dtype, <em>or</em> within the absolute floor {@code atol} (for values near 0,
 * where ULPs shrink without bound). Two separate bounds: {@link #ulp(long)} has no floor (atol 0),
 * {@link #absolute(double)} no ULP slack; {@link CaseResult} tells which one accepted each case. See the
 * README's "Conformance" section for why these bounds.
 */
public record Tolerance(long maxUlpFloat32, long maxUlpFloat64, double atolFloat32, double atolFloat64) {

    public Tolerance {
        if (maxUlpFloat32 < 0 || maxUlpFloat64 < 0) throw new IllegalArgumentException("maxUlp must be >= 0, got " + Math.min(maxUlpFloat32, maxUlpFloat64));
        if (!(atolFloat32 >= 0) || !(atolFloat64 >= 0) || Double.isInfinite(atolFloat32) || Double.isInfinite(atolFloat64)) {
            throw new IllegalArgumentException("atol must be a finite number >= 0, got " + atolFloat32 + " / " + atolFloat64);
        }
    }

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

    /** A pure ULP bound: at most {@code maxUlp} units in the last place, no absolute floor. */
    public static Tolerance ulp(long maxUlp) { return new Tolerance(maxUlp, maxUlp, 0, 0); }

    /** A pure absolute bound: {@code |ours − reference| <= atol}, for float32 and float64 alike. */
    public static Tolerance absolute(double atol) { return new Tolerance(0, 0, atol, atol); }

    /** This bound with the absolute floor {@code atol} for both dtypes (0 = none). */
    public Tolerance withFloor(double atol) { return new Tolerance(maxUlpFloat32, maxUlpFloat64, atol, atol); }

    public long maxUlp(Dtype d) { return d == Dtype.FLOAT32 ? maxUlpFloat32 : maxUlpFloat64; }

    public double atol(Dtype d) { return d == Dtype.FLOAT32 ? atolFloat32 : atolFloat64; }

    /** Whether {@code ours} passes against {@code ref}. */
    public boolean accepts(Dtype d, double ours, double ref) { return withinUlp(d, ours, ref) || withinFloor(d, ours, ref); }

    /** Whether {@code ours} is within the ULP bound of {@code ref}. */
    public boolean withinUlp(Dtype d, double ours, double ref) {
        long ulp = d == Dtype.FLOAT32 ? Ulp.float32((float) ours, (float) ref) : Ulp.float64(ours, ref);
        return ulp <= maxUlp(d);
    }

    /** Whether {@code ours} is within the absolute floor of {@code ref} (never, when the floor is 0 and they differ). */
    public boolean withinFloor(Dtype d, double ours, double ref) { return atol(d) > 0 && Math.abs(ours - ref) <= atol(d); }

    /** Whether this bound accepts only identical bits. */
    public boolean isExact() { return maxUlpFloat32 == 0 && maxUlpFloat64 == 0 && atolFloat32 == 0 && atolFloat64 == 0; }

    /** One line for people: {@code "bit for bit"}, {@code "within 1024 ulp or |ours - reference| <= 1e-06 (float32) / 1e-13 (float64)"}. */
    public String describe() {
        if (isExact()) return "bit for bit (0 ulp, no absolute floor)";
        String u = maxUlpFloat32 == maxUlpFloat64 ? maxUlpFloat32 + " ulp" : maxUlpFloat32 + " ulp (float32) / " + maxUlpFloat64 + " ulp (float64)";
        String a = atolFloat32 == atolFloat64 ? num(atolFloat32) : num(atolFloat32) + " (float32) / " + num(atolFloat64) + " (float64)";
        if (atolFloat32 == 0 && atolFloat64 == 0) return "within " + u + ", no absolute floor";
        if (maxUlpFloat32 == 0 && maxUlpFloat64 == 0) return "|ours - reference| <= " + a + " (no ulp slack)";
        return "within " + u + ", or |ours - reference| <= " + a + " (the absolute floor)";
    }

    static String num(double v) { return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+e", "e"); }
}
