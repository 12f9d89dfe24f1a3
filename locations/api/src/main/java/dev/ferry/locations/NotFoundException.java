package dev.ferry.locations;

/** The key names nothing. */
public class NotFoundException extends LocationException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String key) {
        super("NOT_FOUND", "no such entry: " + key);
    }
}
