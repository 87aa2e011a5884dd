package org.rmsprop4j.cli;

/** A user error with a message fit to print as it is. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) { super(message); }
}
