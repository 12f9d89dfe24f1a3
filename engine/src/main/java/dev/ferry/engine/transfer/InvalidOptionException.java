package dev.ferry.engine.transfer;

/** An option name, value or combination that is refused; {@link #field()} names the option. */
public class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidOptionException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
