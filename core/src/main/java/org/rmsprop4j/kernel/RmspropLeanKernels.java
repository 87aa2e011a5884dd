package org.rmsprop4j.kernel;

/**
 * RMSprop loops for the common case: no weight decay, no gradient scaling, sign flip or clipping,
 * no bias correction. Same symbols and the same operation order as {@link RmspropKernels}, minus
 * the neutral operations ({@code fma(0, p, 1·g)}, clamp to ±∞, {@code p − (p·0)·lr},
 * {@code v/1}). The caller picks these loops outside the loop when those coefficients are neutral.
 *
 * <p>Results equal the generic loops' bit for bit for finite, non-zero parameters and gradients.
 * They can differ only in the sign of a zero (the generic loop's {@code p − (p·0)·lr} turns
 * {@code −0} into {@code +0}) and for non-finite parameters (generic: {@code ∞·0 = NaN}); in both
 * cases these loops do what PyTorch does, which performs none of those neutral operations.
 */
public final class RmspropLeanKernels {
    private RmspropLeanKernels() {}

    public static void plain(float[] p, float[] g, float[] v, int off, int len,
                             float decay, float omd, float epsIn, float epsOut, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float d = (float) Math.sqrt(vi + epsIn) + epsOut;
            p[i] = p[i] - (lr * gi) / d;
        }
    }

    public static void plain(double[] p, double[] g, double[] v, int off, int len,
                             double decay, double omd, double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi + epsIn) + epsOut;
            p[i] = p[i] - (lr * gi) / d;
        }
    }

    /**
     * Centered RMSprop with (non-Nesterov) momentum, common case: the generic loop's
     * {@code nz·u + mn·b} with {@code nz = 0, mn = 1} is just {@code b}. Besides saving the neutral operations, the
     * smaller body lets C2 vectorise it: the generic loop exceeds C2's default unrolling budget
     * ({@code LoopUnrollLimit}) and runs scalar, 13x slower at 1e6 elements (README, "Speed").
     */
    public static void centeredMomentum(float[] p, float[] g, float[] v, float[] a, float[] b, int off, int len,
                                        float decay, float omd, float epsIn, float epsOut,
                                        float m, float s, float t) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            float var = Math.max(Math.fma(-ai, ai, vi), 0f);
            float d = (float) Math.sqrt(var + epsIn) + epsOut;
            float u = (s * gi) / d;
            float bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, bi, p[i]);
        }
    }

    public static void centeredMomentum(double[] p, double[] g, double[] v, double[] a, double[] b, int off, int len,
                                        double decay, double omd, double epsIn, double epsOut,
                                        double m, double s, double t) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double var = Math.max(Math.fma(-ai, ai, vi), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, bi, p[i]);
        }
    }

    public static void centered(float[] p, float[] g, float[] v, float[] a, int off, int len,
                                float decay, float omd, float epsIn, float epsOut, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            float var = Math.max(Math.fma(-ai, ai, vi), 0f);
            float d = (float) Math.sqrt(var + epsIn) + epsOut;
            p[i] = p[i] - (lr * gi) / d;
        }
    }

    /** Momentum without Nesterov: the generic loop's {@code nz·u + mn·b} with {@code nz = 0, mn = 1} is {@code b}. */
    public static void momentum(float[] p, float[] g, float[] v, float[] b, int off, int len,
                                float decay, float omd, float epsIn, float epsOut, float m, float s, float t) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float d = (float) Math.sqrt(vi + epsIn) + epsOut;
            float u = (s * gi) / d;
            float bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, bi, p[i]);
        }
    }

    public static void centered(double[] p, double[] g, double[] v, double[] a, int off, int len,
                                double decay, double omd, double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double var = Math.max(Math.fma(-ai, ai, vi), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            p[i] = p[i] - (lr * gi) / d;
        }
    }

    /** Momentum without Nesterov: the generic loop's {@code nz·u + mn·b} with {@code nz = 0, mn = 1} is {@code b}. */
    public static void momentum(double[] p, double[] g, double[] v, double[] b, int off, int len,
                                double decay, double omd, double epsIn, double epsOut, double m, double s, double t) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, bi, p[i]);
        }
    }
}
