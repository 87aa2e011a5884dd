package org.rmsprop4j.kernel;

import org.rmsprop4j.internal.Checks;

/**
 * Reads {@code -Drmsprop4j.vector.bits} ({@link VectorWidth}) without the Vector API, so that the probes of
 * {@link Blockwise8} and {@link ProfileBlocksF32} can refuse a bad value with a plain {@link IllegalArgumentException}
 * instead of an {@link ExceptionInInitializerError} from a vector class, or a silent fall-back to the scalar loops.
 */
final class VectorWidthProperty {
    private VectorWidthProperty() {}

    /** The property's name. */
    static final String NAME = "rmsprop4j.vector.bits";

    /**
     * The requested width: 0 for none ({@code null} or empty), else 256 or 512.
     *
     * @throws IllegalArgumentException for any other value, naming the property, the value and what is accepted
     */
    static int requested(String value) {
        if (value == null || value.isEmpty()) return 0;
        String r = value.trim();
        if (r.equals("512")) return 512;
        if (r.equals("256")) return 256;
        throw Checks.invalid("-D" + NAME, "\"" + value + "\"", "256 or 512");
    }

    /** The error a bad value of the system property gives, or null when it is unset or good. */
    static IllegalArgumentException error() {
        try {
            requested(System.getProperty(NAME));
            return null;
        } catch (IllegalArgumentException e) {
            return e;
        }
    }
}
