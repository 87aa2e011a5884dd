package org.rmsprop4j.kernel;

/**
 * Float64; the float32 class ({@code AdadeltaKernelsF32}) is generated from this file at build time. Adadelta loop (PyTorch 1.13 order): {@code v ← rho·v + (omr·g)·g; δ = sqrt(a + eps)/sqrt(v + eps)·g;
 * a ← rho·a + (omr·δ)·δ; p ← p − lr·δ}.
 */
public final class AdadeltaKernels {
    private AdadeltaKernels() {}

    /**
     * Adadelta over {@code [off, off+len)}, as the class comment. p, v, acc: Modified. g: Not modified. Must not alias.
     *
     * @param gs  gradient scale (−1 for maximize)
     * @param l2  coupled weight decay λ, {@code >= 0}
     * @param rho ρ, the decay of both running means
     * @param omr {@code 1 − rho}
     * @param eps ε, inside both roots
     * @param lr  learning rate
     */
    public static void step(double[] p, double[] g, double[] v, double[] acc, int off, int len,
                            double gs, double l2, double rho, double omr, double eps, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.fma(l2, pi, gs * g[i]);
            double vi = rho * v[i];
            vi = Math.fma(omr * gi, gi, vi);
            v[i] = vi;
            double std = Math.sqrt(vi + eps);
            double delta = Math.sqrt(acc[i] + eps) / std * gi;
            double ai = rho * acc[i];
            ai = Math.fma(omr * delta, delta, ai);
            acc[i] = ai;
            p[i] = Math.fma(-lr, delta, pi);
        }
    }
}
