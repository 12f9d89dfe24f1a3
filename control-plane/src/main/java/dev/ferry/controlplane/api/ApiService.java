package dev.ferry.controlplane.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Delete;
import com.linecorp.armeria.server.annotation.ExceptionHandler;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Patch;
import com.linecorp.armeria.server.annotation.Post;
import dev.ferry.controlplane.LocationService;
import dev.ferry.controlplane.TaskService;
import dev.ferry.controlplane.agents.AgentService;
import dev.ferry.controlplane.executions.ExecutionService;
import dev.ferry.controlplane.store.Json;
import java.util.Map;
import java.util.Optional;

/** The REST API under {@code /v1}. Handlers block on the store, so they run off the event loop. */
@Blocking
@ExceptionHandler(ApiErrors.class)
public final class ApiService {
    private final AgentService agents;
    private final LocationService locations;
    private final TaskService tasks;
    private final ExecutionService executions;

    public ApiService(AgentService agents, LocationService locations, TaskService tasks, ExecutionService executions) {
        this.agents = agents;
        this.locations = locations;
        this.tasks = tasks;
        this.executions = executions;
    }

    private static Map<String, Object> body(AggregatedHttpRequest request) throws Exception {
        String text = request.contentUtf8();
        if (text.isBlank()) {
            return Map.of();
        }
        Object parsed = Json.MAPPER.readValue(text, new TypeReference<Object>() { });
        if (!(parsed instanceof Map)) {
            throw ApiException.badRequest("body", "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        return map;
    }

    private static HttpResponse json(HttpStatus status, Object value) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, Json.write(value));
    }

    private static HttpResponse ok(Object value) {
        return json(HttpStatus.OK, value);
    }

    // ---- activation keys and agents

    @Post("/v1/activation-keys")
    public HttpResponse createActivationKey() {
        return json(HttpStatus.CREATED, agents.createActivationKey());
    }

    @Post("/v1/agents/activate")
    public HttpResponse activate(AggregatedHttpRequest request) throws Exception {
        Requests body = new Requests(body(request));
        body.allowOnly(java.util.Set.of("activationKey", "name", "csr"));
        AgentService.Activation activation = agents.activate(body.optionalString("activationKey").orElse(null),
                body.optionalString("name").orElse(null), body.optionalString("csr").orElse(null));
        return json(HttpStatus.CREATED, agents.asMap(activation));
    }

    @Get("/v1/agents")
    public HttpResponse listAgents() {
        return ok(Map.of("agents", agents.list()));
    }

    @Get("/v1/agents/{id}")
    public HttpResponse getAgent(@Param("id") String id) {
        return ok(agents.get(id));
    }

    @Delete("/v1/agents/{id}")
    public HttpResponse deleteAgent(@Param("id") String id) {
        agents.delete(id);
        return HttpResponse.of(HttpStatus.NO_CONTENT);
    }

    // ---- locations

    @Post("/v1/locations")
    public HttpResponse createLocation(AggregatedHttpRequest request) throws Exception {
        return json(HttpStatus.CREATED, locations.create(body(request)));
    }

    @Get("/v1/locations")
    public HttpResponse listLocations() {
        return ok(Map.of("locations", locations.list()));
    }

    @Get("/v1/locations/{id}")
    public HttpResponse getLocation(@Param("id") String id) {
        return ok(locations.get(id));
    }

    @Delete("/v1/locations/{id}")
    public HttpResponse deleteLocation(@Param("id") String id) {
        locations.delete(id);
        return HttpResponse.of(HttpStatus.NO_CONTENT);
    }

    // ---- tasks

    @Post("/v1/tasks")
    public HttpResponse createTask(AggregatedHttpRequest request) throws Exception {
        return json(HttpStatus.CREATED, tasks.create(body(request)));
    }

    @Get("/v1/tasks")
    public HttpResponse listTasks() {
        return ok(Map.of("tasks", tasks.list()));
    }

    @Get("/v1/tasks/{id}")
    public HttpResponse getTask(@Param("id") String id) {
        return ok(tasks.get(id));
    }

    @Patch("/v1/tasks/{id}")
    public HttpResponse updateTask(@Param("id") String id, AggregatedHttpRequest request) throws Exception {
        return ok(tasks.update(id, body(request)));
    }

    @Delete("/v1/tasks/{id}")
    public HttpResponse deleteTask(@Param("id") String id) {
        tasks.delete(id);
        return HttpResponse.of(HttpStatus.NO_CONTENT);
    }

    @Post("/v1/tasks/{id}/start")
    public HttpResponse startTask(@Param("id") String id, AggregatedHttpRequest request) throws Exception {
        return json(HttpStatus.CREATED, executions.start(id, body(request)));
    }

    // ---- executions

    @Get("/v1/task-executions")
    public HttpResponse listExecutions(@Param("taskId") Optional<String> taskId) {
        return ok(Map.of("executions", executions.list(taskId)));
    }

    @Get("/v1/task-executions/{id}")
    public HttpResponse getExecution(@Param("id") String id) {
        return ok(executions.get(id));
    }

    @Patch("/v1/task-executions/{id}")
    public HttpResponse updateExecution(@Param("id") String id, AggregatedHttpRequest request) throws Exception {
        return ok(executions.update(id, body(request)));
    }

    @Post("/v1/task-executions/{id}/cancel")
    public HttpResponse cancelExecution(@Param("id") String id) {
        return ok(executions.cancel(id));
    }

    @Get("/v1/task-executions/{id}/failures")
    public HttpResponse failures(@Param("id") String id, @Param("limit") Optional<Integer> limit) {
        int n = limit.orElse(1000);
        if (n < 1 || n > 10_000) {
            throw ApiException.badRequest("limit", "must be between 1 and 10000");
        }
        return ok(Map.of("failures", executions.failures(id, n)));
    }
}
