package dev.ferry.locations;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a location declares about itself: its capabilities and the step of the times it keeps.
 * Known without touching storage, so a location opened on an agent can be described to the
 * control plane that drives it.
 */
public record LocationTraits(Set<Capability> capabilities, Duration timeGranularity) {
    public LocationTraits {
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(timeGranularity, "timeGranularity");
    }

    /** What an open location says of itself. */
    public static LocationTraits of(Location location) {
        return new LocationTraits(location.capabilities(), location.timeGranularity());
    }
}
