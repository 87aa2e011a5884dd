package org.rmsprop4j.testkit;

/** A case file that cannot be read or does not follow the format; the message says where and why. */
public final class CaseFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public CaseFormatException(String message) { super(message); }

    public CaseFormatException(String message, Throwable cause) { super(message, cause); }
}
