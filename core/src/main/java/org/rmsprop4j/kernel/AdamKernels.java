package org.rmsprop4j.kernel;

/**
 * Adam / AdamW loops, float64; the float32 class ({@code AdamKernelsF32}) is generated from this file at build time (PyTorch 1.13 order): {@code p ← p·keep} (AdamW: {@code keep = 1 − lr·λ}, else 1);
 * {@code g ← gs·g + l2·p}; {@code m ← b1·m + omb1·g; v ← b2·v + (omb2·g)·g};
 * {@code d = sqrt(v)/bc2sqrt + eps} (AMSGrad: {@code vmax ← max(vmax, v)} and {@code sqrt(vmax)});
 * {@code p ← p − (stepSize·m)/d} with {@code stepSize = lr/(1 − b1^t)}.
 */
public final class AdamKernels {
    private AdamKernels() {}

    /**
     * Adam (or AdamW with {@code keep < 1}) over {@code [off, off+len)}, as the class comment. p, m, v: Modified.
     * g: Not modified. Arrays must not alias.
     *
     * @param keep     AdamW's decay factor {@code 1 − lr·λ}, else 1
     * @param omb1     {@code 1 − b1}
     * @param omb2     {@code 1 − b2}
     * @param bc2sqrt  {@code √(1 − b2^t)}, the second moment's bias correction
     * @param stepSize {@code lr/(1 − b1^t)}
     */
    public static void step(double[] p, double[] g, double[] m, double[] v, int off, int len,
                            double keep, double gs, double l2, double b1, double omb1, double b2, double omb2,
                            double bc2sqrt, double eps, double stepSize) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i] * keep;
            double gi = Math.fma(l2, pi, gs * g[i]);
            double mi = b1 * m[i];
            mi = Math.fma(omb1, gi, mi);
            m[i] = mi;
            double vi = b2 * v[i];
            vi = Math.fma(omb2 * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi) / bc2sqrt + eps;
            p[i] = pi - (stepSize * mi) / d;
        }
    }

    /** AMSGrad: as {@link #step}, dividing by the root of the running maximum {@code vmax} of v (Modified too). */
    public static void amsgrad(double[] p, double[] g, double[] m, double[] v, double[] vmax, int off, int len,
                               double keep, double gs, double l2, double b1, double omb1, double b2, double omb2,
                               double bc2sqrt, double eps, double stepSize) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i] * keep;
            double gi = Math.fma(l2, pi, gs * g[i]);
            double mi = b1 * m[i];
            mi = Math.fma(omb1, gi, mi);
            m[i] = mi;
            double vi = b2 * v[i];
            vi = Math.fma(omb2 * gi, gi, vi);
            v[i] = vi;
            double vm = Math.max(vmax[i], vi);
            vmax[i] = vm;
            double d = Math.sqrt(vm) / bc2sqrt + eps;
            p[i] = pi - (stepSize * mi) / d;
        }
    }
}
