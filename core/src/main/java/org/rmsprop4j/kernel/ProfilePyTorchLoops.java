package org.rmsprop4j.kernel;

import org.rmsprop4j.transform.CpuMath;

/**
 * PyTorch's SGD, AdaGrad, Adadelta and Adam/AdamW in the arithmetic of a PyTorch version or code
 * path that the fused kernels do not follow ({@code transform.PyTorchProfile}: 2.13's MKL
 * {@code sqrt} and {@code lerp_}, 2.13's {@code fused=True} contraction, 1.13's foreach AdaGrad step
 * size), as plain loops in the element type: each operation of the profile, in its order, rounded
 * where PyTorch rounds it. Reads the gradient from {@code g} and the parameter from {@code p}, writes
 * the new parameter to {@code out} (which may be {@code g} or {@code p}) and updates the state in place.
 * {@code bodyEnd}: where the tensor's vector body ends (fused SGD and Adam contract differently in the
 * scalar tail after it; ignored otherwise). {@code mkl}: the root is MKL's ({@link CpuMath#mklSqrt(float)}),
 * else IEEE.
 */
public final class ProfilePyTorchLoops {
    private ProfilePyTorchLoops() {}

    private static float sqrt(boolean mkl, float x) { return mkl ? CpuMath.mklSqrt(x) : (float) Math.sqrt(x); }

    private static double sqrt(boolean mkl, double x) { return mkl ? CpuMath.mklSqrt(x) : Math.sqrt(x); }

    /** Fused SGD (2.13 {@code fused=True}); {@code first}: step 1, when the buffer starts as the gradient. */
    public static void sgd(float[] g, float[] p, float[] out, float[] buf, int off, int len, int bodyEnd,
                           float wd, boolean l2, boolean mom, boolean first, float m, float cd, boolean nesterov, float nlr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(pi, wd, gi);
            if (mom) {
                float b;
                if (first) b = gi;
                else {
                    float b0 = buf[i];
                    b = i < bodyEnd ? Math.fma(gi, cd, b0 * m) : Math.fma(b0, m, gi * cd);
                }
                buf[i] = b;
                gi = nesterov ? Math.fma(b, m, gi) : b;
            }
            out[i] = Math.fma(gi, nlr, pi);
        }
    }

    /** As {@link #sgd(float[], float[], float[], float[], int, int, int, float, boolean, boolean, boolean, float, float, boolean, float)}, float64. */
    public static void sgd(double[] g, double[] p, double[] out, double[] buf, int off, int len, int bodyEnd,
                           double wd, boolean l2, boolean mom, boolean first, double m, double cd, boolean nesterov, double nlr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(pi, wd, gi);
            if (mom) {
                double b;
                if (first) b = gi;
                else {
                    double b0 = buf[i];
                    b = i < bodyEnd ? Math.fma(gi, cd, b0 * m) : Math.fma(b0, m, gi * cd);
                }
                buf[i] = b;
                gi = nesterov ? Math.fma(b, m, gi) : b;
            }
            out[i] = Math.fma(gi, nlr, pi);
        }
    }

    /** AdaGrad: {@code step} is the signed step size; {@code foreach13} multiplies {@code g·step}, else {@code step·g}. */
    public static void adagrad(float[] g, float[] p, float[] out, float[] sum, int off, int len,
                               float wd, boolean l2, float eps, float step, boolean foreach13, boolean mkl) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(wd, pi, gi);
            float s = Math.fma(gi, gi, sum[i]);
            sum[i] = s;
            float std = sqrt(mkl, s) + eps;
            float num = foreach13 ? gi * step : step * gi;
            out[i] = pi + num / std;
        }
    }

    /** As {@link #adagrad(float[], float[], float[], float[], int, int, float, boolean, float, float, boolean, boolean)}, float64. */
    public static void adagrad(double[] g, double[] p, double[] out, double[] sum, int off, int len,
                               double wd, boolean l2, double eps, double step, boolean foreach13, boolean mkl) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(wd, pi, gi);
            double s = Math.fma(gi, gi, sum[i]);
            sum[i] = s;
            double std = sqrt(mkl, s) + eps;
            double num = foreach13 ? gi * step : step * gi;
            out[i] = pi + num / std;
        }
    }

    /** Adadelta (2.13, MKL's root). */
    public static void adadelta(float[] g, float[] p, float[] out, float[] sqAvg, float[] accDelta, int off, int len,
                                float wd, boolean l2, float rho, float om, float eps, float nlr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(wd, pi, gi);
            float sq = Math.fma(om * gi, gi, rho * sqAvg[i]);
            sqAvg[i] = sq;
            float std = CpuMath.mklSqrt(sq + eps);
            float acc = accDelta[i];
            float delta = CpuMath.mklSqrt(acc + eps);
            delta = (delta / std) * gi;
            accDelta[i] = Math.fma(om * delta, delta, rho * acc);
            out[i] = Math.fma(nlr, delta, pi);
        }
    }

    /** As {@link #adadelta(float[], float[], float[], float[], float[], int, int, float, boolean, float, float, float, float)}, float64. */
    public static void adadelta(double[] g, double[] p, double[] out, double[] sqAvg, double[] accDelta, int off, int len,
                                double wd, boolean l2, double rho, double om, double eps, double nlr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(wd, pi, gi);
            double sq = Math.fma(om * gi, gi, rho * sqAvg[i]);
            sqAvg[i] = sq;
            double std = CpuMath.mklSqrt(sq + eps);
            double acc = accDelta[i];
            double delta = CpuMath.mklSqrt(acc + eps);
            delta = (delta / std) * gi;
            accDelta[i] = Math.fma(om * delta, delta, rho * acc);
            out[i] = Math.fma(nlr, delta, pi);
        }
    }

    /**
     * Adam/AdamW: 2.13 for-loop and foreach ({@code fu} false: {@code lerp_}, MKL's root) or {@code fused=True}
     * ({@code fu} true: IEEE root, contraction by position). {@code max}: AMSGrad's slot, or null.
     */
    public static void adam(float[] g, float[] p, float[] out, float[] m1, float[] v2, float[] max, int off, int len, int bodyEnd,
                            boolean fu, float wd, boolean l2, boolean dec, float shrink, float w, float omw, boolean lowW, float cb2, float b2,
                            float bc2, float eps, float ss, float nss) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (dec) pi = pi * shrink;
            else if (l2) gi = fu ? Math.fma(pi, wd, gi) : Math.fma(wd, pi, gi);
            float m = m1[i];
            m = lowW ? Math.fma(w, gi - m, m) : Math.fma(-omw, gi - m, gi);
            m1[i] = m;
            float v0 = v2[i], v;
            if (!fu || i < bodyEnd) v = Math.fma(cb2 * gi, gi, fu ? v0 * b2 : b2 * v0);
            else v = Math.fma(v0, b2, (cb2 * gi) * gi);
            v2[i] = v;
            if (max != null) {
                v = Math.max(max[i], v);
                max[i] = v;
            }
            float denom = sqrt(!fu, v) / bc2 + eps;
            out[i] = fu ? pi - (ss * m) / denom : pi + (nss * m) / denom;
        }
    }

    /** As {@link #adam(float[], float[], float[], float[], float[], float[], int, int, int, boolean, float, boolean, boolean, float, float, float, boolean, float, float, float, float, float, float)}, float64. */
    public static void adam(double[] g, double[] p, double[] out, double[] m1, double[] v2, double[] max, int off, int len, int bodyEnd,
                            boolean fu, double wd, boolean l2, boolean dec, double shrink, double w, double omw, boolean lowW, double cb2, double b2,
                            double bc2, double eps, double ss, double nss) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (dec) pi = pi * shrink;
            else if (l2) gi = fu ? Math.fma(pi, wd, gi) : Math.fma(wd, pi, gi);
            double m = m1[i];
            m = lowW ? Math.fma(w, gi - m, m) : Math.fma(-omw, gi - m, gi);
            m1[i] = m;
            double v0 = v2[i], v;
            if (!fu || i < bodyEnd) v = Math.fma(cb2 * gi, gi, fu ? v0 * b2 : b2 * v0);
            else v = Math.fma(v0, b2, (cb2 * gi) * gi);
            v2[i] = v;
            if (max != null) {
                v = Math.max(max[i], v);
                max[i] = v;
            }
            double denom = sqrt(!fu, v) / bc2 + eps;
            out[i] = fu ? pi - (ss * m) / denom : pi + (nss * m) / denom;
        }
    }
}
