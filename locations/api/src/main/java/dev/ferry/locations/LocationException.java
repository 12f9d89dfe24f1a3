package dev.ferry.locations;

/**
 * A failure talking to storage, with a stable {@link #code()} that reports and API responses show.
 */
public class LocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public LocationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public LocationException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable error code such as {@code NOT_FOUND}, {@code ACCESS_DENIED}, {@code IO_ERROR}. */
    public String code() {
        return code;
    }
}
