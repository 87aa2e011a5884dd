package org.rmsprop4j.optim;

/** The loops behind {@link Clipping}, in place on a gradient array (not API). */
final class ClipOps {
    private ClipOps() {}

    /** Clamps {@code g[off, off+len)} to {@code [-limit, limit]} in place. */
    static void clampInPlace(float[] g, int off, int len, double limit) {
        float hi = (float) limit, lo = -hi;
        for (int i = off, end = off + len; i < end; i++) g[i] = Math.min(Math.max(g[i], lo), hi);
    }

    static void clampInPlace(double[] g, int off, int len, double limit) {
        for (int i = off, end = off + len; i < end; i++) g[i] = Math.min(Math.max(g[i], -limit), limit);
    }

    /** Sum of squares of {@code g[off, off+len)}, in double. */
    static double sumOfSquares(float[] g, int off, int len) {
        double s = 0;
        for (int i = off, end = off + len; i < end; i++) s += (double) g[i] * g[i];
        return s;
    }

    static double sumOfSquares(double[] g, int off, int len) {
        double s = 0;
        for (int i = off, end = off + len; i < end; i++) s += g[i] * g[i];
        return s;
    }

    /** The factor {@code min(1, maxNorm/norm)} (PyTorch adds 1e-6 to the norm; so do we). */
    static double scaleFor(double norm, double maxNorm) {
        if (!(norm > 0) || Double.isInfinite(norm)) return 1.0;
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    static void scaleInPlace(float[] g, int off, int len, double factor) {
        if (factor == 1.0) return;
        float f = (float) factor;
        for (int i = off, end = off + len; i < end; i++) g[i] *= f;
    }

    static void scaleInPlace(double[] g, int off, int len, double factor) {
        if (factor == 1.0) return;
        for (int i = off, end = off + len; i < end; i++) g[i] *= factor;
    }
}
