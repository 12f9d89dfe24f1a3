package dev.ferry.locations;

import java.util.Map;
import java.util.Set;

/**
 * Creates locations of one kind from validated, typed settings. Found through
 * {@link java.util.ServiceLoader}, so the control plane and agents reach every installed driver
 * by its kind name.
 *
 * @param <S> the driver's settings record
 */
public interface LocationDriver<S extends Record> {

    /** The kind name used in the API, such as {@code posix}. */
    String kind();

    /**
     * Reads settings as they arrive from the API (JSON objects as maps), checking every field.
     *
     * @throws InvalidSettingsException naming the field and what it accepts
     */
    S parse(Map<String, Object> raw);

    /** Names of settings fields that hold secrets: never logged, never returned by the API. */
    Set<String> secretFields();

    /** Who opens locations of this kind. */
    Reach reach();

    /**
     * What a location with these settings declares, known without touching its storage; used
     * where the location is opened on another host (an agent). A location may declare more once
     * open, where it must ask its store (S3 asks whether the store keeps object tags).
     */
    default LocationTraits traits(S settings) {
        try (Location location = open(settings)) {
            return LocationTraits.of(location);
        }
    }

    /** Parses and tells in one step. */
    default LocationTraits traits(Map<String, Object> raw) {
        return traits(parse(raw));
    }

    /** Opens a location; cheap, no storage is touched until the first call. */
    Location open(S settings);

    /** Parses and opens in one step. */
    default Location open(Map<String, Object> raw) {
        return open(parse(raw));
    }
}
