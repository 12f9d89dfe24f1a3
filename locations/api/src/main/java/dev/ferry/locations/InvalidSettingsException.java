package dev.ferry.locations;

/** A location setting that is missing or out of range; {@link #field()} names it. */
public class InvalidSettingsException extends LocationException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidSettingsException(String field, String message) {
        super("INVALID_SETTINGS", field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
