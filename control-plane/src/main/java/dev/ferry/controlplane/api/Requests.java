package dev.ferry.controlplane.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a JSON request body, with errors that name the field by its whole path from the
 * body's top ({@code taskReportConfig.destination.locationId}), nested objects included.
 */
public final class Requests {
    private final Map<String, Object> body;
    private final String path;

    public Requests(Map<String, Object> body) {
        this(body, "");
    }

    /** @param path where {@code body} sits in the request, such as {@code schedule}; empty at the top */
    public Requests(Map<String, Object> body, String path) {
        this.body = body;
        this.path = path;
    }

    /** The object under {@code field} (empty when absent), read with this one's path before its own fields. */
    public Requests nested(String field) {
        return new Requests(object(field), name(field));
    }

    /** The field's whole path, as errors name it. */
    public String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public void allowOnly(java.util.Set<String> fields) {
        for (String key : body.keySet()) {
            if (!fields.contains(key)) {
                throw ApiException.badRequest(name(key), "unknown field; allowed: " + new java.util.TreeSet<>(fields));
            }
        }
    }

    public String requireString(String field) {
        return optionalString(field).orElseThrow(() -> ApiException.badRequest(name(field), "is required"));
    }

    public Optional<String> optionalString(String field) {
        Object value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest(name(field), "must be a non-empty string");
        }
        return Optional.of(s);
    }

    /** A string that may be empty (an empty filter list means "none"). */
    public Optional<String> optionalText(String field) {
        Object value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw ApiException.badRequest(name(field), "must be a string");
        }
        return Optional.of(s);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String field) {
        Object value = body.get(field);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw ApiException.badRequest(name(field), "must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    public List<String> stringList(String field) {
        Object value = body.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof String)) {
            throw ApiException.badRequest(name(field), "must be a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }
}
