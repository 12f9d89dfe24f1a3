package dev.ferry.locations;

/** A key that could reach outside the root or that no store could hold. */
public class InvalidKeyException extends LocationException {
    private static final long serialVersionUID = 1L;

    public InvalidKeyException(String key, String problem) {
        super("INVALID_PATH", problem + ": " + printable(key));
    }

    private static String printable(String key) {
        return key == null ? "(none)" : "'" + key.replace("\0", "\\0") + "'";
    }
}
