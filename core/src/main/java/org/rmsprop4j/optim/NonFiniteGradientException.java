package org.rmsprop4j.optim;

/** Thrown by a step under {@link NonFinitePolicy#THROW}; nothing was modified. */
public final class NonFiniteGradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    /** Name of the first parameter whose gradient is not finite (serialized). */
    private final String parameter;
    /** Index of the first non-finite element within that parameter (serialized). */
    private final int index;

    /**
     * The exception for the first non-finite gradient element met.
     *
     * @param parameter name of the first parameter whose gradient is not finite
     * @param index     index of its first non-finite element, {@code >= 0}
     * @param value     that element (NaN or an infinity), quoted in the message
     */
    public NonFiniteGradientException(String parameter, int index, double value) {
        super("gradient of parameter '" + parameter + "' is not finite at index " + index + " (" + value
                + "); parameters and optimizer state were left unchanged");
        this.parameter = parameter;
        this.index = index;
    }

    /** Name of the first parameter whose gradient is not finite. */
    public String parameter() { return parameter; }

    /** Index within that parameter. */
    public int index() { return index; }
}
