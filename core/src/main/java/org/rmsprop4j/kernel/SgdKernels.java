package org.rmsprop4j.kernel;

/**
 * SGD loops, float64; the float32 class ({@code SgdKernelsF32}) is generated from this file at build time (PyTorch 1.13 {@code torch.optim.SGD} order). {@code g ← gs·g + l2·p}. Without momentum
 * {@code p ← p − lr·g}. With momentum {@code b ← keep·b + c·g} ({@code keep = m, c = 1 − dampening};
 * on the very first step {@code keep = 0, c = 1}, which copies {@code g} as PyTorch does), then
 * {@code p ← p − lr·(nz·g + mn·b)} with {@code nz = 1, mn = m} for Nesterov and {@code nz = 0, mn = 1}
 * otherwise.
 */
public final class SgdKernels {
    private SgdKernels() {}

    /**
     * SGD without momentum over {@code [off, off+len)}: {@code g ← gs·g + l2·p; p ← p − lr·g}.
     * p: Modified. g: Not modified. Arrays must not alias.
     *
     * @param gs gradient scale (−1 for maximize)
     * @param l2 coupled weight decay λ, {@code >= 0}
     * @param lr learning rate of this step
     */
    public static void plain(double[] p, double[] g, int off, int len, double gs, double l2, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.fma(l2, pi, gs * g[i]);
            p[i] = Math.fma(-lr, gi, pi);
        }
    }

    /**
     * SGD with momentum over {@code [off, off+len)}, as the class comment: the buffer {@code b ← keep·b + c·g}, then
     * {@code p ← p − lr·(nz·g + mn·b)}. p, b: Modified. g: Not modified. Arrays must not alias.
     *
     * @param keep the buffer's factor: β, or 0 on the first step (copies g)
     * @param c    the gradient's factor: {@code 1 − dampening}, or 1 on the first step
     * @param nz   1 for Nesterov, else 0
     * @param mn   β for Nesterov, else 1
     */
    public static void momentum(double[] p, double[] g, double[] b, int off, int len, double gs, double l2,
                                double keep, double c, double nz, double mn, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.fma(l2, pi, gs * g[i]);
            double bi = keep * b[i];
            bi = Math.fma(c, gi, bi);
            b[i] = bi;
            p[i] = Math.fma(-lr, Math.fma(mn, bi, nz * gi), pi);
        }
    }
}
