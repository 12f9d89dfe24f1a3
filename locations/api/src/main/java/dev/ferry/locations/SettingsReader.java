package dev.ferry.locations;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed access to raw settings with messages that name the field. Unknown fields are refused, so
 * a typo never silently falls back to a default.
 */
public final class SettingsReader {
    private final Map<String, Object> raw;
    private final String prefix;

    public SettingsReader(Map<String, Object> raw, String prefix, Set<String> allowed) {
        this.raw = raw == null ? Map.of() : raw;
        this.prefix = prefix;
        for (String key : this.raw.keySet()) {
            if (!allowed.contains(key)) {
                throw new InvalidSettingsException(prefix + key, "unknown setting; allowed: " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    /** Refuses any of {@code fields} that is given, saying {@code why} (they belong to another mode). */
    public void requireAbsent(java.util.Collection<String> fields, String why) {
        for (String field : fields) {
            if (raw.get(field) != null) {
                throw new InvalidSettingsException(prefix + field, why);
            }
        }
    }

    public String requireString(String field) {
        return optionalString(field).orElseThrow(() -> new InvalidSettingsException(prefix + field, "is required"));
    }

    public Optional<String> optionalString(String field) {
        Object value = raw.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new InvalidSettingsException(prefix + field, "must be a string");
        }
        if (s.isBlank()) {
            throw new InvalidSettingsException(prefix + field, "must not be blank");
        }
        return Optional.of(s);
    }

    public Optional<Long> optionalLong(String field, long min, long max) {
        Object value = raw.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number n) || n.doubleValue() != n.longValue()) {
            throw new InvalidSettingsException(prefix + field, "must be a whole number");
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw new InvalidSettingsException(prefix + field, "must be between " + min + " and " + max);
        }
        return Optional.of(v);
    }

    public Optional<Boolean> optionalBoolean(String field) {
        Object value = raw.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean b)) {
            throw new InvalidSettingsException(prefix + field, "must be true or false");
        }
        return Optional.of(b);
    }
}
