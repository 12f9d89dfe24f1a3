package dev.ferry.engine.wire;

import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.locations.UnsupportedCapabilityException;
import dev.ferry.protocol.data.Error;

/** Errors as they cross the wire: a stable code and a message, typed again on arrival. */
public final class WireErrors {
    private WireErrors() {
    }

    public static Error toWire(Throwable t) {
        if (t instanceof LocationException le) {
            return Error.newBuilder().setCode(le.code()).setMessage(String.valueOf(le.getMessage())).build();
        }
        if (t.getCause() instanceof LocationException le) {
            return toWire(le);
        }
        return Error.newBuilder().setCode(t instanceof java.io.IOException ? "IO_ERROR" : "INTERNAL")
                .setMessage(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()).build();
    }

    /** The exception the remote side raised, as close to its type as its code allows. */
    public static LocationException fromWire(Error error, String key) {
        String message = error.getMessage();
        return switch (error.getCode()) {
            case "NOT_FOUND" -> new NotFoundException(key);
            case "INVALID_PATH" -> new InvalidKeyException(key, message);
            case "SIZE_MISMATCH" -> new SizeMismatchException(key, -1, -1) {
                private static final long serialVersionUID = 1L;

                @Override
                public String getMessage() {
                    return message;
                }
            };
            case "UNSUPPORTED" -> new RemoteUnsupportedException(message);
            default -> new LocationException(error.getCode(), message);
        };
    }

    /** An unsupported-capability refusal from the remote side. */
    static final class RemoteUnsupportedException extends UnsupportedCapabilityException {
        private static final long serialVersionUID = 1L;
        private final String message;

        RemoteUnsupportedException(String message) {
            super("remote", dev.ferry.locations.Capability.SET_METADATA);
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
