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
}
