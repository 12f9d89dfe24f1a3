package dev.ferry.controlplane.executions;

import com.linecorp.armeria.common.HttpStatus;
import dev.ferry.controlplane.LocationService;
import dev.ferry.controlplane.TaskService;
import dev.ferry.controlplane.agents.AgentRegistry;
import dev.ferry.controlplane.api.ApiException;
import dev.ferry.controlplane.api.Requests;
import dev.ferry.controlplane.store.Ids;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Views;
import dev.ferry.engine.transfer.FilterRules;
import dev.ferry.engine.transfer.TaskOptions;
import dev.ferry.locations.LocationDrivers;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/** Starting, watching and cancelling task executions. */
public final class ExecutionService implements AutoCloseable {
    private final Repository repository;
    private final TaskService tasks;
    private final ExecutionRunner.Context context;
    private final Map<String, ExecutionRunner> running = new ConcurrentHashMap<>();
    /** Fair locks, one per task and one per agent: holders run, waiters queue first in, first out. */
    private final Map<String, ReentrantLock> queues = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<java.util.function.Consumer<Ended>> endListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ExecutionService(Repository repository, TaskService tasks, LocationService locations, LocationDrivers drivers,
            AgentRegistry agents, DataSessions sessions, MeterRegistry meters, String dataHost, int dataPort, DestinationRecords records) {
        this.repository = repository;
        this.tasks = tasks;
        this.context = new ExecutionRunner.Context(repository, locations, drivers, agents, sessions, meters, dataHost, dataPort,
                records, this::ended);
        meters.gauge("ferry.executions.running", running, Map::size);
        int abandoned = repository.failUnfinishedExecutions("the control plane stopped while the execution ran");
        if (abandoned > 0) {
            org.slf4j.LoggerFactory.getLogger(ExecutionService.class)
                    .warn("event=executions_abandoned count={} reason=\"control plane restarted\"", abandoned);
        }
    }

    /** How an execution ended, for whoever started it. */
    public record Ended(String executionId, String taskId, String startedBy, String status, String errorCode,
            String errorDetail) {
    }

    /** Queues an execution of the task, with option overrides for this run only. */
    public Views.Execution start(String taskId, Map<String, Object> body) {
        return start(taskId, body, "USER");
    }

    /** @param startedBy USER or SCHEDULE */
    public Views.Execution start(String taskId, Map<String, Object> body, String startedBy) {
        Repository.TaskRow task = tasks.row(taskId);
        Requests request = new Requests(body);
        request.allowOnly(Set.of("options", "includes", "excludes", "taskReportConfig", "manifestConfig"));
        TaskOptions base = TaskService.parseOptions(task.options(), TaskOptions.DEFAULTS);
        TaskOptions options = TaskService.parseOptions(request.object("options"), base);
        // Filters given at start replace the task's for this execution, as in DataSync.
        FilterRules filters = TaskService.parseFilters(request.optionalText("includes").orElse(task.includes()),
                request.optionalText("excludes").orElse(task.excludes()));
        // A report config given at start replaces the task's for this execution, as in DataSync.
        Map<String, Object> report = body.containsKey("taskReportConfig")
                ? tasks.parseReportConfig(request.object("taskReportConfig")) : task.reportConfig();
        Map<String, Object> manifest = tasks.parseManifestConfig(body.containsKey("manifestConfig")
                ? request.object("manifestConfig") : task.manifestConfig(), options);
        List<String> queueNames = queueNames(task);
        if (options.taskQueueing() == TaskOptions.TaskQueueing.DISABLED) {
            for (String name : queueNames) {
                ReentrantLock queue = queues.get(name);
                if (queue != null && (queue.isLocked() || queue.hasQueuedThreads())) {
                    throw new ApiException(HttpStatus.CONFLICT, "BUSY", "options.TaskQueueing",
                            name.replace(':', ' ') + " has an execution running and TaskQueueing is DISABLED");
                }
            }
        }
        String id = Ids.next("exec");
        repository.insertExecution(new Repository.NewExecution(id, taskId, startedBy, options.toMap(), filters.includes(),
                filters.excludes(), report, manifest));
        ExecutionRunner runner = new ExecutionRunner(context, id, task, startedBy, options, filters, report, manifest);
        running.put(id, runner);
        List<ReentrantLock> locks = queueNames.stream().map(n -> queues.computeIfAbsent(n, k -> new ReentrantLock(true))).toList();
        executor.execute(() -> {
            int held = 0;
            try {
                for (ReentrantLock lock : locks) {
                    while (!lock.tryLock(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        if (runner.cancelledWhileQueued()) {
                            return;
                        }
                    }
                    held++;
                }
                runner.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                for (int i = held - 1; i >= 0; i--) {
                    locks.get(i).unlock();
                }
                running.remove(id);
            }
        });
        return get(id);
    }

    /**
     * What an execution waits for: its task (one execution of a task at a time) and, as in
     * DataSync with TaskQueueing=ENABLED, every agent it uses. Sorted, so two executions never
     * wait on each other.
     */
    private List<String> queueNames(Repository.TaskRow task) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        names.add("task:" + task.id());
        for (String locationId : List.of(task.sourceLocationId(), task.destinationLocationId())) {
            repository.location(locationId).ifPresent(l -> l.agentIds().forEach(a -> names.add("agent:" + a)));
        }
        return List.copyOf(names);
    }

    /** Called once for every execution that ends, after its end is stored. */
    public void onEnded(java.util.function.Consumer<Ended> listener) {
        endListeners.add(listener);
    }

    private void ended(Ended ended) {
        for (java.util.function.Consumer<Ended> listener : endListeners) {
            try {
                listener.accept(ended);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ExecutionService.class)
                        .error("event=end_listener_failed execution={}", ended.executionId(), e);
            }
        }
    }

    public List<Views.Execution> list(Optional<String> taskId) {
        return repository.executions(taskId);
    }

    public Views.Execution get(String id) {
        return repository.execution(id).orElseThrow(() -> ApiException.notFound("task execution", id));
    }

    public Views.Execution cancel(String id) {
        Views.Execution execution = get(id);
        ExecutionRunner runner = running.get(id);
        if (execution.endedAt() != null || runner == null) {
            throw ApiException.conflict("execution " + id + " has already ended with status " + execution.status());
        }
        runner.cancel();
        return get(id);
    }

    /** DataSync's UpdateTaskExecution: only BytesPerSecond changes, on a queued or running execution. */
    public Views.Execution update(String id, Map<String, Object> body) {
        Views.Execution execution = get(id);
        Requests request = new Requests(body);
        request.allowOnly(Set.of("options"));
        Map<String, Object> changes = request.object("options");
        for (String name : changes.keySet()) {
            if (!name.equals("BytesPerSecond")) {
                throw ApiException.badRequest("options." + name, "only BytesPerSecond can change on an execution");
            }
        }
        if (!changes.containsKey("BytesPerSecond")) {
            throw ApiException.badRequest("options.BytesPerSecond", "is required");
        }
        ExecutionRunner runner = running.get(id);
        if (execution.endedAt() != null || runner == null) {
            throw ApiException.conflict("execution " + id + " has already ended with status " + execution.status());
        }
        TaskOptions changed = TaskService.parseOptions(changes, TaskOptions.DEFAULTS);
        runner.setBytesPerSecond(changed.bytesPerSecond());
        return get(id);
    }

    public List<Views.Failure> failures(String id, int limit) {
        get(id);
        return repository.failures(id, limit);
    }

    @Override
    public void close() {
        running.values().forEach(ExecutionRunner::cancel);
        executor.shutdown();
    }
}
