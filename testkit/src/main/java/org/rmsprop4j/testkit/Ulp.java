package org.rmsprop4j.testkit;

/** Distances between floating-point numbers in units in the last place. */
public final class Ulp {
    private Ulp() {}

    /**
     * Number of representable float32 values between {@code a} and {@code b} (0 when equal, both NaN,
     * or +0/−0); {@link Long#MAX_VALUE} when exactly one is NaN or the infinities differ.
     */
    public static long float32(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        if (a == b) return 0;
        if (Float.isInfinite(a) || Float.isInfinite(b)) return Long.MAX_VALUE;
        return Math.abs(ordered(Float.floatToRawIntBits(a)) - ordered(Float.floatToRawIntBits(b)));
    }

    /** As {@link #float32} for float64. */
    public static long float64(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
        if (a == b) return 0;
        if (Double.isInfinite(a) || Double.isInfinite(b)) return Long.MAX_VALUE;
        long x = orderedLong(Double.doubleToRawLongBits(a)), y = orderedLong(Double.doubleToRawLongBits(b));
        long d = x - y;
        return ((x ^ y) & (x ^ d)) < 0 ? Long.MAX_VALUE - 1 : Math.abs(d);
    }

    private static long ordered(int bits) { return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits; }

    private static long orderedLong(long bits) { return bits < 0 ? Long.MIN_VALUE - bits : bits; }

    /** |a−b| / |b|, 0 when equal (incl. both NaN), infinity when b is 0 and a is not or when one is NaN. */
    public static double relative(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Double.POSITIVE_INFINITY;
        if (a == b) return 0;
        return Math.abs(a - b) / Math.abs(b);
    }
}
