package org.rmsprop4j.train.data;

import java.io.IOException;

/**
 * A data file that cannot be read as the format it claims: the message names the file, the place
 * (line for text, byte offset for binary) and the problem, e.g.
 * {@code "iris.csv line 7: expected 5 fields (4 features and the label), got 4"}.
 */
public final class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String location;

    /** @param source file or resource name; @param location {@code "line 7"}, {@code "offset 16"} or empty */
    public MalformedDataException(String source, String location, String problem) {
        super(source + (location.isEmpty() ? "" : " " + location) + ": " + problem);
        this.source = source;
        this.location = location;
    }

    /** The file or resource name. */
    public String source() { return source; }

    /** Where in it, e.g. {@code "line 7"} or {@code "offset 16"}; empty when the whole file is at fault. */
    public String location() { return location; }
}
