package dev.ferry.controlplane;

import dev.ferry.controlplane.api.ApiException;
import dev.ferry.controlplane.api.Requests;
import dev.ferry.controlplane.executions.DestinationRecords;
import dev.ferry.controlplane.schedules.ScheduleExpression;
import dev.ferry.controlplane.store.Ids;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Views;
import dev.ferry.engine.report.ReportSettings;
import dev.ferry.locations.Keys;
import dev.ferry.engine.transfer.FilterRules;
import dev.ferry.engine.transfer.InvalidOptionException;
import dev.ferry.engine.transfer.TaskOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tasks: a source, a destination, DataSync options, filters and a schedule, all checked before
 * anything is stored.
 */
public final class TaskService {
    private static final Set<String> UPDATABLE = Set.of("name", "options", "includes", "excludes", "schedule",
            "taskReportConfig", "manifestConfig");

    private final Repository repository;
    private final Clock clock;
    private final DestinationRecords records;

    public TaskService(Repository repository, Clock clock, DestinationRecords records) {
        this.repository = repository;
        this.clock = clock;
        this.records = records;
    }

    public Views.Task create(Map<String, Object> body) {
        Requests request = new Requests(body);
        request.allowOnly(Set.of("name", "sourceLocationId", "destinationLocationId", "options", "includes", "excludes",
                "schedule", "taskReportConfig", "manifestConfig"));
        String source = request.requireString("sourceLocationId");
        String destination = request.requireString("destinationLocationId");
        if (repository.location(source).isEmpty()) {
            throw ApiException.badRequest("sourceLocationId", "no location with id '" + source + "'");
        }
        if (repository.location(destination).isEmpty()) {
            throw ApiException.badRequest("destinationLocationId", "no location with id '" + destination + "'");
        }
        if (source.equals(destination)) {
            throw ApiException.badRequest("destinationLocationId", "must differ from sourceLocationId");
        }
        TaskOptions options = parseOptions(request.object("options"), TaskOptions.DEFAULTS);
        FilterRules filters = parseFilters(request.optionalText("includes").orElse(""), request.optionalText("excludes").orElse(""));
        Repository.Schedule schedule = body.containsKey("schedule") ? parseSchedule(request.object("schedule"), null) : null;
        Map<String, Object> report = parseReportConfig(request.object("taskReportConfig"));
        Map<String, Object> manifest = parseManifestConfig(request.object("manifestConfig"), options);
        Repository.TaskRow row = new Repository.TaskRow(Ids.next("task"), request.optionalString("name").orElse("task"),
                source, destination, options.toMap(), filters.includes(), filters.excludes(), schedule, report, manifest,
                Instant.now());
        repository.insertTask(row);
        return view(row);
    }

    /**
     * DataSync's UpdateTask: the fields given replace the task's; everything is checked before
     * anything changes. Options given are merged into the task's.
     */
    public Views.Task update(String id, Map<String, Object> body) {
        Repository.TaskRow row = row(id);
        Requests request = new Requests(body);
        request.allowOnly(UPDATABLE);
        String name = request.optionalString("name").orElse(row.name());
        TaskOptions options = parseOptions(request.object("options"), parseOptions(row.options(), TaskOptions.DEFAULTS));
        FilterRules filters = parseFilters(request.optionalText("includes").orElse(row.includes()),
                request.optionalText("excludes").orElse(row.excludes()));
        Repository.Schedule schedule = body.containsKey("schedule") ? parseSchedule(request.object("schedule"), row.schedule())
                : row.schedule();
        Map<String, Object> report = body.containsKey("taskReportConfig")
                ? parseReportConfig(request.object("taskReportConfig")) : row.reportConfig();
        Map<String, Object> manifest = parseManifestConfig(body.containsKey("manifestConfig")
                ? request.object("manifestConfig") : row.manifestConfig(), options);
        Repository.TaskRow changed = new Repository.TaskRow(row.id(), name, row.sourceLocationId(), row.destinationLocationId(),
                options.toMap(), filters.includes(), filters.excludes(), schedule, report, manifest, row.createdAt());
        repository.updateTask(changed);
        return view(changed);
    }

    /**
     * {@code {"scheduleExpression": "rate(1 hour)", "status": "ENABLED"}}; an empty expression
     * removes the schedule, as in DataSync. Enabling (again) starts counting from now: slots
     * that passed while disabled are not run, and the failure streak starts over.
     */
    private Repository.Schedule parseSchedule(Map<String, Object> raw, Repository.Schedule current) {
        Requests request = new Requests(raw, "schedule");
        request.allowOnly(Set.of("scheduleExpression", "status"));
        String text = request.optionalText("scheduleExpression")
                .orElse(current == null ? null : current.expression());
        if (text == null) {
            throw ApiException.badRequest("schedule.scheduleExpression", "is required");
        }
        if (text.isBlank()) {
            return null;
        }
        ScheduleExpression expression;
        try {
            expression = ScheduleExpression.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("schedule.scheduleExpression", e.getMessage());
        }
        String status = request.optionalString("status").orElse(current == null ? "ENABLED" : current.status());
        if (!status.equals("ENABLED") && !status.equals("DISABLED")) {
            throw ApiException.badRequest("schedule.status", "must be ENABLED or DISABLED, got '" + status + "'");
        }
        Instant now = clock.instant();
        boolean statusChanged = current == null || !current.status().equals(status);
        boolean expressionChanged = current == null || !current.expression().equals(expression.text());
        if (!statusChanged && !expressionChanged) {
            return current;
        }
        if (status.equals("DISABLED")) {
            return new Repository.Schedule(expression.text(), status, statusChanged ? now : current.statusUpdatedAt(),
                    statusChanged ? "USER" : current.disabledBy(), statusChanged ? "disabled by a user" : current.disabledReason(), null, null, 0);
        }
        Instant next = expression.nextAfter(now, now).orElseThrow(() -> ApiException.badRequest(
                "schedule.scheduleExpression", "'" + text + "' never falls due after now"));
        return new Repository.Schedule(expression.text(), status, statusChanged ? now : current.statusUpdatedAt(), null, null,
                next, null, 0);
    }

    /**
     * {@code {"destination": {"locationId", "subdirectory"}, "outputType", "reportLevel", "overrides"}};
     * an empty object means no report. Returned as stored: what was given, checked.
     */
    public Map<String, Object> parseReportConfig(Map<String, Object> raw) {
        if (raw.isEmpty()) {
            return Map.of();
        }
        try {
            ReportSettings.parse(raw, "taskReportConfig");
        } catch (InvalidOptionException e) {
            throw ApiException.badRequest(e.field(), e.getMessage());
        }
        Requests destination = new Requests(raw, "taskReportConfig").nested("destination");
        destination.allowOnly(Set.of("locationId", "subdirectory"));
        String locationId = destination.optionalString("locationId").orElseThrow(() ->
                ApiException.badRequest("taskReportConfig.destination.locationId", "is required"));
        if (repository.location(locationId).isEmpty()) {
            throw ApiException.badRequest("taskReportConfig.destination.locationId", "no location with id '" + locationId + "'");
        }
        String subdirectory = destination.optionalText("subdirectory").orElse("");
        String trimmed = subdirectory.replaceAll("^/+|/+$", "");
        if (!trimmed.isEmpty() && !Keys.isValid(trimmed + "/")) {
            throw ApiException.badRequest("taskReportConfig.destination.subdirectory",
                    "'" + subdirectory + "' is not a safe relative path (no '..', '.', empty segments or NUL)");
        }
        return raw;
    }

    /**
     * {@code {"source": {"locationId", "key"}, "format": "CSV", "action": "TRANSFER"}}: the CSV of
     * paths an execution transfers instead of listing the source. An empty object means none.
     * A manifest lists what to copy, not what to keep, so it cannot mirror deletions.
     */
    public Map<String, Object> parseManifestConfig(Map<String, Object> raw, TaskOptions options) {
        if (raw.isEmpty()) {
            return Map.of();
        }
        Requests request = new Requests(raw, "manifestConfig");
        request.allowOnly(Set.of("source", "format", "action"));
        String format = request.optionalString("format").orElse("CSV");
        if (!format.equals("CSV")) {
            throw ApiException.badRequest("manifestConfig.format", "must be CSV, got '" + format + "'");
        }
        String action = request.optionalString("action").orElse("TRANSFER");
        if (!action.equals("TRANSFER")) {
            throw ApiException.badRequest("manifestConfig.action", "must be TRANSFER, got '" + action + "'");
        }
        Requests source = request.nested("source");
        source.allowOnly(Set.of("locationId", "key"));
        String locationId = source.optionalString("locationId").orElseThrow(() ->
                ApiException.badRequest("manifestConfig.source.locationId", "is required"));
        if (repository.location(locationId).isEmpty()) {
            throw ApiException.badRequest("manifestConfig.source.locationId", "no location with id '" + locationId + "'");
        }
        String key = source.optionalString("key").orElseThrow(() ->
                ApiException.badRequest("manifestConfig.source.key", "is required"));
        if (!Keys.isValid(key) || Keys.isDirectory(key)) {
            throw ApiException.badRequest("manifestConfig.source.key", "'" + key + "' is not a file path inside the location "
                    + "(relative, no '..', not ending in '/')");
        }
        if (options.preserveDeletedFiles() == TaskOptions.PreserveDeletedFiles.REMOVE) {
            throw ApiException.badRequest("options.PreserveDeletedFiles",
                    "PreserveDeletedFiles=REMOVE cannot be used with manifestConfig: a manifest names what to transfer, "
                            + "not what to keep");
        }
        return raw;
    }

    public static TaskOptions parseOptions(Map<String, Object> raw, TaskOptions base) {
        try {
            return TaskOptions.parse(raw, base);
        } catch (InvalidOptionException e) {
            throw ApiException.badRequest(e.field(), e.getMessage());
        }
    }

    /** Checks filters; a malformed pattern is a 400 naming {@code includes} or {@code excludes}. */
    public static FilterRules parseFilters(String includes, String excludes) {
        try {
            return FilterRules.parse(includes, excludes);
        } catch (InvalidOptionException e) {
            throw ApiException.badRequest(e.field(), e.getMessage());
        }
    }

    public List<Views.Task> list() {
        return repository.tasks().stream().map(TaskService::view).toList();
    }

    public Views.Task get(String id) {
        return view(row(id));
    }

    public Repository.TaskRow row(String id) {
        return repository.task(id).orElseThrow(() -> ApiException.notFound("task", id));
    }

    public void delete(String id) {
        row(id);
        if (repository.activeExecutionsOfTask(id) > 0) {
            throw ApiException.conflict("task " + id + " has an execution running; cancel it first");
        }
        repository.deleteTask(id);
        try {
            records.delete(id);
        } catch (java.io.IOException e) {
            // The task is gone; its record is read by nothing and only takes space.
            org.slf4j.LoggerFactory.getLogger(TaskService.class).warn("event=destination_record_not_removed task={} error=\"{}\"",
                    id, e.getMessage());
        }
    }

    private static Views.Task view(Repository.TaskRow row) {
        Repository.Schedule s = row.schedule();
        return new Views.Task(row.id(), row.name(), row.sourceLocationId(), row.destinationLocationId(), row.options(),
                row.includes(), row.excludes(),
                s == null ? null : new Views.Schedule(s.expression(), s.status(), s.nextRunAt()),
                s == null ? null : new Views.ScheduleDetails(s.statusUpdatedAt(), s.disabledBy(), s.disabledReason()),
                row.reportConfig().isEmpty() ? null : row.reportConfig(),
                row.manifestConfig().isEmpty() ? null : row.manifestConfig(), row.createdAt());
    }
}
