package org.rmsprop4j.kernel;

/**
 * Adadelta loop (PyTorch 1.13 order): {@code v ← rho·v + (omr·g)·g; δ = sqrt(a + eps)/sqrt(v + eps)·g;
 * a ← rho·a + (omr·δ)·δ; p ← p − lr·δ}.
 */
public final class AdadeltaKernels {
    private AdadeltaKernels() {}

    public static void step(float[] p, float[] g, float[] v, float[] acc, int off, int len,
                            float gs, float l2, float rho, float omr, float eps, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float pi = p[i];
            float gi = Math.fma(l2, pi, gs * g[i]);
            float vi = rho * v[i];
            vi = Math.fma(omr * gi, gi, vi);
            v[i] = vi;
            float std = (float) Math.sqrt(vi + eps);
            float delta = (float) Math.sqrt(acc[i] + eps) / std * gi;
            float ai = rho * acc[i];
            ai = Math.fma(omr * delta, delta, ai);
            acc[i] = ai;
            p[i] = Math.fma(-lr, delta, pi);
        }
    }

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
