package dev.ferry.locations;

/** The content offered for a put held more or fewer bytes than announced. */
public class SizeMismatchException extends LocationException {
    private static final long serialVersionUID = 1L;

    public SizeMismatchException(String key, long expected, long actual) {
        super("SIZE_MISMATCH", "expected " + expected + " bytes for " + key + " but got " + (actual < 0 ? "more" : actual));
    }
}
