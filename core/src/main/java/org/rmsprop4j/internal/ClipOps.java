package org.rmsprop4j.internal;

/** The loops behind the optimizer's {@code Clipping} and the clipping transforms, in place on a flat array. <b>Not API.</b> */
public final class ClipOps {
    private ClipOps() {}

    /** Clamps {@code g[off, off+len)} to {@code [-limit, limit]} in place. */
    public static void clampInPlace(float[] g, int off, int len, double limit) {
        float hi = (float) limit, lo = -hi;
        for (int i = off, end = off + len; i < end; i++) g[i] = Math.min(Math.max(g[i], lo), hi);
    }

    /** The float64 form of {@link #clampInPlace(float[], int, int, double)}. */
    public static void clampInPlace(double[] g, int off, int len, double limit) {
        for (int i = off, end = off + len; i < end; i++) g[i] = Math.min(Math.max(g[i], -limit), limit);
    }

    /** Sum of squares of {@code g[off, off+len)}, in double. */
    public static double sumOfSquares(float[] g, int off, int len) {
        double s = 0;
        for (int i = off, end = off + len; i < end; i++) s += (double) g[i] * g[i];
        return s;
    }

    /** Sum of squares of {@code g[off, off+len)}, accumulated in order. */
    public static double sumOfSquares(double[] g, int off, int len) {
        double s = 0;
        for (int i = off, end = off + len; i < end; i++) s += g[i] * g[i];
        return s;
    }

    /** The factor that brings a norm down to {@code max}: 1 when it is already below, zero or not finite (Optax's rule). */
    public static double exactFactor(double norm, double max) {
        return norm > max && Double.isFinite(norm) ? max / norm : 1.0;
    }

    /** The factor {@code min(1, maxNorm/norm)} (PyTorch adds 1e-6 to the norm; so do we). */
    public static double scaleFor(double norm, double maxNorm) {
        if (!(norm > 0) || Double.isInfinite(norm)) return 1.0;
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    /** Multiplies {@code g[off, off+len)} by {@code factor} (rounded to float once) in place; a factor of 1 does nothing. */
    public static void scaleInPlace(float[] g, int off, int len, double factor) {
        if (factor == 1.0) return;
        float f = (float) factor;
        for (int i = off, end = off + len; i < end; i++) g[i] *= f;
    }

    /** Multiplies {@code g[off, off+len)} by {@code factor} in place; a factor of 1 does nothing. */
    public static void scaleInPlace(double[] g, int off, int len, double factor) {
        if (factor == 1.0) return;
        for (int i = off, end = off + len; i < end; i++) g[i] *= factor;
    }
}
