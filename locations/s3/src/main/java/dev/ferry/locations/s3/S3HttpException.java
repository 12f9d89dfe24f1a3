package dev.ferry.locations.s3;

/**
 * An S3 request that the store answered with an error.
 *
 * @see S3Http
 */
final class S3HttpException extends RuntimeException {
    private final int status;
    private final String code;

    S3HttpException(int status, String code, String message) {
        super(status + " " + code + (message.isEmpty() ? "" : ": " + message));
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    /** The store's error code, such as {@code NoSuchKey}; the status text when the answer had no body (HEAD). */
    String code() {
        return code;
    }

    /** Answers a store may give under load or for a moment, which the same request may not get again. */
    boolean retryable() {
        return status == 500 || status == 502 || status == 503 || status == 504 || status == 429
                || "RequestTimeout".equals(code) || "SlowDown".equals(code) || "InternalError".equals(code);
    }
}
