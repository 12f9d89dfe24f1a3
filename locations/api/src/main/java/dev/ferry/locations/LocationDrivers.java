package dev.ferry.locations;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The drivers installed on this class path, by kind. */
public final class LocationDrivers {
    private final Map<String, LocationDriver<?>> byKind = new TreeMap<>();

    private LocationDrivers(List<LocationDriver<?>> drivers) {
        for (LocationDriver<?> driver : drivers) {
            byKind.put(driver.kind(), driver);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static LocationDrivers installed() {
        List drivers = ServiceLoader.load(LocationDriver.class).stream().map(ServiceLoader.Provider::get).toList();
        return new LocationDrivers(drivers);
    }

    public Optional<LocationDriver<?>> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The driver for {@code kind}, or an {@link InvalidSettingsException} on field {@code type}. */
    public LocationDriver<?> require(String kind) {
        return find(kind).orElseThrow(() -> new InvalidSettingsException("type",
                "unknown location type '" + kind + "'; one of " + byKind.keySet()));
    }

    public java.util.Set<String> kinds() {
        return byKind.keySet();
    }
}
