package dev.ferry.cli;

/** A failure the CLI reports as one readable line and a non-zero exit. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }
}
