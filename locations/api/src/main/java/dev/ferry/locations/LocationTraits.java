package dev.ferry.locations;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a location declares about itself: its capabilities, the step of the times it keeps, and
 * the mode bits it keeps.
 * Known without touching storage, so a location opened on an agent can be described to the
 * control plane that drives it.
 */
public record LocationTraits(Set<Capability> capabilities, Duration timeGranularity, int modeBits) {
    public LocationTraits {
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(timeGranularity, "timeGranularity");
    }

    /** Every mode bit kept. */
    public LocationTraits(Set<Capability> capabilities, Duration timeGranularity) {
        this(capabilities, timeGranularity, 07777);
    }

    /** What an open location says of itself. */
    public static LocationTraits of(Location location) {
        return new LocationTraits(location.capabilities(), location.timeGranularity(), location.modeBits());
    }
}
