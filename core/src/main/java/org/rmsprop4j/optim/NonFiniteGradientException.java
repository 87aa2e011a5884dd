package org.rmsprop4j.optim;

/** Thrown by a step under {@link NonFinitePolicy#THROW}; nothing was modified. */
public final class NonFiniteGradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final String parameter;
    private final int index;

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
