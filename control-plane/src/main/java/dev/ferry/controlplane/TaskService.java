package dev.ferry.controlplane;

import dev.ferry.controlplane.api.ApiException;
import dev.ferry.controlplane.api.Requests;
import dev.ferry.controlplane.store.Ids;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Views;
import dev.ferry.engine.transfer.FilterRules;
import dev.ferry.engine.transfer.InvalidOptionException;
import dev.ferry.engine.transfer.TaskOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tasks: a source, a destination and DataSync options, all checked before anything is stored. */
public final class TaskService {
    private final Repository repository;

    public TaskService(Repository repository) {
        this.repository = repository;
    }

    public Views.Task create(Map<String, Object> body) {
        Requests request = new Requests(body);
        request.allowOnly(Set.of("name", "sourceLocationId", "destinationLocationId", "options", "includes", "excludes"));
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
        Repository.TaskRow row = new Repository.TaskRow(Ids.next("task"), request.optionalString("name").orElse("task"),
                source, destination, options.toMap(), filters.includes(), filters.excludes(), Instant.now());
        repository.insertTask(row);
        return view(row);
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
    }

    private static Views.Task view(Repository.TaskRow row) {
        return new Views.Task(row.id(), row.name(), row.sourceLocationId(), row.destinationLocationId(), row.options(),
                row.includes(), row.excludes(), row.createdAt());
    }
}
