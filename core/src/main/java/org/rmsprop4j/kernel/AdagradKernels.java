package org.rmsprop4j.kernel;

/**
 * Float64; the float32 class ({@code AdagradKernelsF32}) is generated from this file at build time. AdaGrad loop (PyTorch 1.13 order): {@code g ← gs·g + l2·p; s ← s + g·g; p ← p − (clr·g)/(sqrt(s) + eps)},
 * where the caller computes {@code clr = lr / (1 + (t − 1)·lrDecay)}.
 */
public final class AdagradKernels {
    private AdagradKernels() {}

    /**
     * AdaGrad over {@code [off, off+len)}, as the class comment. p, sum: Modified. g: Not modified. Must not alias.
     *
     * @param gs  gradient scale (−1 for maximize)
     * @param l2  coupled weight decay λ, {@code >= 0}
     * @param eps ε, added to the root of the sum
     * @param clr this step's learning rate after inverse-time decay
     */
    public static void step(double[] p, double[] g, double[] sum, int off, int len, double gs, double l2, double eps, double clr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.fma(l2, pi, gs * g[i]);
            double si = Math.fma(gi, gi, sum[i]);
            sum[i] = si;
            p[i] = pi - (clr * gi) / (Math.sqrt(si) + eps);
        }
    }
}
