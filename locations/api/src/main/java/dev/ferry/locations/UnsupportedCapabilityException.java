package dev.ferry.locations;

/** A call that needs a capability the location does not declare. */
public class UnsupportedCapabilityException extends LocationException {
    private static final long serialVersionUID = 1L;
    private final Capability capability;

    public UnsupportedCapabilityException(String kind, Capability capability) {
        super("UNSUPPORTED", kind + " locations do not support " + capability);
        this.capability = capability;
    }

    public Capability capability() {
        return capability;
    }
}
