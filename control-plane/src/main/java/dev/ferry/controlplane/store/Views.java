package dev.ferry.controlplane.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API returns for each resource. Secrets never appear in any of them. */
public final class Views {
    private Views() {
    }

    public record Agent(String id, String name, String status, Instant createdAt, Instant lastSeenAt) {
    }

    public record Location(String id, String name, String type, List<String> agents, Map<String, Object> settings,
            List<String> secretsSet, Instant createdAt) {
    }

    public record Task(String id, String name, String sourceLocationId, String destinationLocationId,
            Map<String, Object> options, String includes, String excludes, Instant createdAt) {
    }

    public record Execution(String id, String taskId, String status, Map<String, Object> options, String includes,
            String excludes, Map<String, Object> counters, Map<String, Object> result, String errorCode, String errorDetail,
            Instant createdAt, Instant startedAt, Instant endedAt) {
    }

    public record Failure(String key, String phase, String code, String message) {
    }
}
