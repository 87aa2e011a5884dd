package org.rmsprop4j.kernel;

/**
 * Float64; the float32 class ({@code AdagradKernelsF32}) is generated from this file at build time. AdaGrad loop (PyTorch 1.13 order): {@code g ← gs·g + l2·p; s ← s + g·g; p ← p − (clr·g)/(sqrt(s) + eps)},
 * where the caller computes {@code clr = lr / (1 + (t − 1)·lrDecay)}.
 */
public final class AdagradKernels {
    private AdagradKernels() {}

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
