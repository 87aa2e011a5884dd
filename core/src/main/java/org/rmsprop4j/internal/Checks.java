package org.rmsprop4j.internal;

/**
 * Argument checks with one message format: {@code "<name> must be <accepted>, got <value>"}.
 * Every refusal names the argument, the value and what is accepted.
 */
public final class Checks {
    private Checks() {}

    /** A finite number {@code >= 0}. */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0.0) || Double.isInfinite(value)) {
            throw invalid(name, value, "a finite number >= 0");
        }
        return value;
    }

    /** A finite number {@code > 0}. */
    public static double positive(String name, double value) {
        if (!(value > 0.0) || Double.isInfinite(value)) {
            throw invalid(name, value, "a finite number > 0");
        }
        return value;
    }

    /** A number in {@code [lo, hi)}. */
    public static double inHalfOpen(String name, double value, double lo, double hi) {
        if (!(value >= lo && value < hi)) {
            throw invalid(name, value, "in [" + lo + ", " + hi + ")");
        }
        return value;
    }

    /** A number in {@code [lo, hi]}. */
    public static double inClosed(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw invalid(name, value, "in [" + lo + ", " + hi + "]");
        }
        return value;
    }

    /** A whole number {@code >= min}. */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /**
     * Returns {@code value}, refusing null.
     *
     * @throws IllegalArgumentException "NAME must not be null"
     */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * The house error, to throw: "NAME must be ACCEPTED, got VALUE".
     *
     * @param name     the argument, as the caller knows it
     * @param value    the refused value, quoted as given
     * @param accepted what is accepted, such as {@code "in 1..256"}
     */
    public static IllegalArgumentException invalid(String name, Object value, String accepted) {
        return new IllegalArgumentException(name + " must be " + accepted + ", got " + value);
    }
}
