package dev.ferry.controlplane.schedules;

import dev.ferry.controlplane.TaskService;
import dev.ferry.controlplane.api.ApiException;
import dev.ferry.controlplane.executions.ExecutionService;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.engine.transfer.TaskOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts tasks whose schedule is due. Due times live in the store, so a schedule that fell due
 * while the control plane was down runs once when it comes back, not once per missed slot. A due
 * run claims its slot by moving the due time forward in one conditional update, so it starts once
 * even with several control planes looking.
 *
 * <p>A task never gets a second execution from its schedule while one runs: with TaskQueueing
 * ENABLED one run waits in the queue (never more), with DISABLED the slot is skipped. After
 * {@link #DISABLE_AFTER} scheduled runs in a row fail with the same error code the schedule turns
 * itself off, recording DisabledBy=SERVICE and why, in the API, the log and the metrics.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    public static final int DISABLE_AFTER = 3;

    private final Repository repository;
    private final ExecutionService executions;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    public Scheduler(Repository repository, ExecutionService executions, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.executions = executions;
        this.clock = clock;
        this.meters = meters;
        meters.gauge("ferry.schedules.disabled.by.service", repository, r -> r.schedulesDisabledBy("SERVICE"));
        executions.onEnded(this::executionEnded);
    }

    /** Looks for due schedules every second; the clock decides what is due. */
    public Scheduler start() {
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("event=scheduler_tick_failed", e);
        }
    }

    /** Starts every task that is due now. */
    void tick() {
        Instant now = clock.instant();
        for (Repository.TaskRow task : repository.dueTasks(now)) {
            Repository.Schedule schedule = task.schedule();
            ScheduleExpression expression;
            try {
                expression = ScheduleExpression.parse(schedule.expression());
            } catch (IllegalArgumentException e) {
                disable(task.id(), "INVALID_SCHEDULE", "the stored expression no longer parses: " + e.getMessage());
                continue;
            }
            Instant next = expression.nextAfter(schedule.nextRunAt(), now).orElse(null);
            if (next == null) {
                disable(task.id(), "SCHEDULE_EXHAUSTED", "'" + schedule.expression() + "' never falls due again");
                continue;
            }
            if (!repository.claimScheduledRun(task.id(), schedule.nextRunAt(), next)) {
                continue; // Changed or claimed meanwhile.
            }
            run(task, schedule.nextRunAt());
        }
    }

    private void run(Repository.TaskRow task, Instant due) {
        TaskOptions options = TaskService.parseOptions(task.options(), TaskOptions.DEFAULTS);
        if (repository.activeExecutionsOfTask(task.id()) > 0) {
            boolean queueOne = options.taskQueueing() == TaskOptions.TaskQueueing.ENABLED
                    && repository.queuedExecutionsOfTask(task.id()) == 0;
            if (!queueOne) {
                skipped(task, due, "an execution of the task is still " + (options.taskQueueing()
                        == TaskOptions.TaskQueueing.ENABLED ? "running and another is queued" : "running (TaskQueueing=DISABLED)"));
                return;
            }
        }
        try {
            String execution = executions.start(task.id(), Map.of(), "SCHEDULE").id();
            meters.counter("ferry.schedules.started").increment();
            LOG.info("event=schedule_started task={} execution={} due={}", task.id(), execution, due);
        } catch (ApiException e) {
            skipped(task, due, e.getMessage());
        }
    }

    private void skipped(Repository.TaskRow task, Instant due, String why) {
        meters.counter("ferry.schedules.skipped").increment();
        LOG.info("event=schedule_skipped task={} due={} reason=\"{}\"", task.id(), due, why);
    }

    private void executionEnded(ExecutionService.Ended ended) {
        if (!"SCHEDULE".equals(ended.startedBy()) || "CANCELLED".equals(ended.status())) {
            return;
        }
        String code = "SUCCESS".equals(ended.status()) ? null : ended.errorCode() == null ? "UNKNOWN" : ended.errorCode();
        int streak = repository.scheduledRunEnded(ended.taskId(), code);
        if (code != null && streak >= DISABLE_AFTER) {
            disable(ended.taskId(), code, streak + " scheduled executions in a row failed with " + code + "; the latest, "
                    + ended.executionId() + ": " + ended.errorDetail());
        }
    }

    private void disable(String taskId, String code, String reason) {
        if (repository.disableSchedule(taskId, "SERVICE", reason, clock.instant())) {
            meters.counter("ferry.schedules.auto_disabled", "error_code", code).increment();
            LOG.warn("event=schedule_disabled task={} disabled_by=SERVICE error_code={} reason=\"{}\"", taskId, code, reason);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
