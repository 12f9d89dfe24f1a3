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

    /**
     * @param schedule null when the task has none
     * @param scheduleDetails when and by whom the schedule's status last changed, and why it was disabled
     * @param taskReportConfig null when the task writes no report
     * @param manifestConfig null when the task lists its source
     */
    public record Task(String id, String name, String sourceLocationId, String destinationLocationId,
            Map<String, Object> options, String includes, String excludes, Schedule schedule, ScheduleDetails scheduleDetails,
            Map<String, Object> taskReportConfig, Map<String, Object> manifestConfig, Instant createdAt) {
    }

    /** @param nextRunAt when the schedule is next due (null while disabled) */
    public record Schedule(String scheduleExpression, String status, Instant nextRunAt) {
    }

    /** @param disabledBy USER or SERVICE while disabled */
    public record ScheduleDetails(Instant statusUpdateTime, String disabledBy, String disabledReason) {
    }

    /**
     * @param startedBy USER or SCHEDULE
     * @param reportResult the task report's status (PENDING, SUCCESS, ERROR), its error and where it went
     */
    public record Execution(String id, String taskId, String status, String startedBy, Map<String, Object> options,
            String includes, String excludes, Map<String, Object> counters, Map<String, Object> result, String errorCode,
            String errorDetail, Map<String, Object> taskReportConfig, Map<String, Object> reportResult,
            Map<String, Object> manifestConfig, Instant createdAt, Instant startedAt, Instant endedAt) {
    }

    public record Failure(String key, String phase, String code, String message) {
    }
}
