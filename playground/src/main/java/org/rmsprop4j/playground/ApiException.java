package org.rmsprop4j.playground;

/** A request the API refuses: an HTTP status (4xx) and a message that names the problem. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) { return new ApiException(400, message); }
}
