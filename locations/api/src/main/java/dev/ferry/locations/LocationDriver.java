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

    /** True when the location is reached from an agent's host, false when the control plane reaches it. */
    boolean reachedThroughAgent();

    /** Opens a location; cheap, no storage is touched until the first call. */
    Location open(S settings);

    /** Parses and opens in one step. */
    default Location open(Map<String, Object> raw) {
        return open(parse(raw));
    }
}
