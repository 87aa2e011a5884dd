package org.rmsprop4j.transform;

/** Sums of squares (in double) and rescaling shared by the norm clips. */
final class Norms {
    private Norms() {}

    static double sumOfSquares(float[] a, int off, int len) {
        double s = 0;
        for (int i = off, end = off + len; i < end; i++) s += (double) a[i] * a[i];
        return s;
    }

    static double sumOfSquares(double[] a, int off, int len) {
        double s = 0;
        for (int i = off, end = off + len; i < end; i++) s += a[i] * a[i];
        return s;
    }

    /** The factor that brings a norm down to {@code max}: 1 when it is already below, zero or not finite. */
    static double factor(double norm, double max) {
        return norm > max && Double.isFinite(norm) ? max / norm : 1.0;
    }

    static void scale(float[] a, int off, int len, double f) {
        if (f == 1.0) return;
        float ff = (float) f;
        for (int i = off, end = off + len; i < end; i++) a[i] = a[i] * ff;
    }

    static void scale(double[] a, int off, int len, double f) {
        if (f == 1.0) return;
        for (int i = off, end = off + len; i < end; i++) a[i] = a[i] * f;
    }
}
