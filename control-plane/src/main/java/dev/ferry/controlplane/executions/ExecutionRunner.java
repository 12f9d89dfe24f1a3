package dev.ferry.controlplane.executions;

import dev.ferry.controlplane.LocationService;
import dev.ferry.controlplane.agents.AgentRegistry;
import dev.ferry.controlplane.agents.AgentSession;
import dev.ferry.controlplane.security.Hashes;
import dev.ferry.controlplane.store.Json;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Views;
import dev.ferry.engine.report.ReportSettings;
import dev.ferry.engine.report.ReportWriter;
import dev.ferry.engine.transfer.DestinationRecord;
import dev.ferry.engine.transfer.ExecutionListener;
import dev.ferry.engine.transfer.FileFailure;
import dev.ferry.engine.transfer.FilterRules;
import dev.ferry.engine.transfer.Phase;
import dev.ferry.engine.transfer.TaskOptions;
import dev.ferry.engine.transfer.Transfer;
import dev.ferry.engine.transfer.TransferResult;
import dev.ferry.engine.wire.RemoteLocation;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationDrivers;
import dev.ferry.locations.LocationException;
import dev.ferry.protocol.agent.Assignment;
import dev.ferry.protocol.agent.AssignmentUpdate;
import dev.ferry.protocol.agent.CancelAssignment;
import dev.ferry.protocol.agent.ControlMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one execution: launches a worker for each side (an agent's, through an assignment and the
 * data channel, or the control plane's own), runs the transfer, and records status, counters,
 * failures and the result.
 */
final class ExecutionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRunner.class);
    static final int PARALLELISM = 128;
    static final int CONNECTIONS_PER_AGENT = 4;
    static final int MAX_RECORDED_FAILURES = 10_000;
    static final Duration AGENT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** With several agents, how long the others may take to connect once one has, before the run starts without them. */
    static final Duration LATE_AGENT_GRACE = Duration.ofSeconds(5);

    record Context(Repository repository, LocationService locations, LocationDrivers drivers, AgentRegistry agents,
            DataSessions sessions, MeterRegistry meters, String dataHost, int dataPort, DestinationRecords records,
            java.util.function.Consumer<ExecutionService.Ended> ended) {
    }

    private final Context context;
    private final String id;
    private final Repository.TaskRow task;
    private final String startedBy;
    private volatile TaskOptions options;
    private final FilterRules filters;
    private final List<Runnable> cleanups = new ArrayList<>();
    /** The locations agents serve to this execution, and the agents still serving each. */
    private final Map<String, RemoteLocation> remotes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> serving = new ConcurrentHashMap<>();
    private final AtomicInteger failureSeq = new AtomicInteger();
    private volatile Transfer transfer;
    /** This run's record of the destination's files; null when none is kept. */
    private DestinationRecord record;
    private volatile boolean cancelled;
    private final Map<String, Object> reportConfig;
    private final Map<String, Object> manifestConfig;
    private final Map<String, Location> opened = new ConcurrentHashMap<>();
    private volatile ReportWriter report;
    private volatile java.time.Instant startTime;

    ExecutionRunner(Context context, String id, Repository.TaskRow task, String startedBy, TaskOptions options,
            FilterRules filters, Map<String, Object> reportConfig, Map<String, Object> manifestConfig) {
        this.startedBy = startedBy;
        this.manifestConfig = manifestConfig;
        this.reportConfig = reportConfig;
        this.filters = filters;
        this.context = context;
        this.id = id;
        this.task = task;
        this.options = options;
    }

    /** BytesPerSecond for this execution from now on, queued or running. */
    void setBytesPerSecond(long bytesPerSecond) {
        options = options.withBytesPerSecond(bytesPerSecond);
        context.repository().executionOptions(id, options.toMap());
        Transfer t = transfer;
        if (t != null) {
            t.setBytesPerSecond(bytesPerSecond);
        }
        LOG.info("event=bandwidth_changed execution={} bytes_per_second={}", id, bytesPerSecond);
    }

    /** True, after recording the end, when a cancel came before the execution left the queue. */
    boolean cancelledWhileQueued() {
        if (!cancelled) {
            return false;
        }
        finish("CANCELLED", Map.of(), Map.of(), "CANCELLED", "cancelled while queued");
        return true;
    }

    void cancel() {
        cancelled = true;
        context.repository().executionStatus(id, "CANCELLING");
        Transfer t = transfer;
        if (t != null) {
            t.cancel();
        }
    }

    void run() {
        Repository repository = context.repository();
        LOG.info("event=execution_started execution={} task={} options=\"{}\" filters=\"{}\"", id, task.id(), options, filters);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        try {
            if (cancelled) {
                finish("CANCELLED", Map.of(), Map.of(), "CANCELLED", "cancelled before it started");
                return;
            }
            repository.executionStatus(id, "LAUNCHING");
            startTime = java.time.Instant.now();
            if (!reportConfig.isEmpty()) {
                report = new ReportWriter(ReportSettings.parse(reportConfig, "taskReportConfig"), task.id(), id,
                        java.nio.file.Files.createTempDirectory("ferry-report-"));
            }
            context.agents().listen(id, this::onAgentUpdate, this::onAgentGone);
            Location source = launch(task.sourceLocationId());
            Location destination = launch(task.destinationLocationId());
            transfer = new Transfer("execution=" + id + " task=" + task.id(), source, destination, options, filters, PARALLELISM,
                    this::wireBytes, report == null ? new Listener() : new Listener(report));
            record = openRecord(task.destinationLocationId());
            if (record != null) {
                transfer.useRecord(record);
            }
            if (!manifestConfig.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> manifestSource = (Map<String, Object>) manifestConfig.get("source");
                String manifestLocation = String.valueOf(manifestSource.get("locationId"));
                transfer.useManifest(opened.containsKey(manifestLocation) ? opened.get(manifestLocation) : launch(manifestLocation),
                        String.valueOf(manifestSource.get("key")));
            }
            // A change that raced with the line above is applied again: the latest value wins.
            transfer.setBytesPerSecond(options.bytesPerSecond());
            if (cancelled) {
                transfer.cancel();
            }
            progress.scheduleAtFixedRate(() -> repository.executionProgress(id, transfer.counters().snapshot()), 1, 1, TimeUnit.SECONDS);
            TransferResult result = transfer.run();
            progress.shutdownNow();
            closeRecord(result.outcome() == TransferResult.Outcome.SUCCESS);
            Map<String, Object> summary = new LinkedHashMap<>(result.durations());
            summary.putAll(result.phaseStatuses());
            String status = switch (result.outcome()) {
                case SUCCESS -> "SUCCESS";
                case CANCELLED -> "CANCELLED";
                case ERROR -> "ERROR";
            };
            finish(status, result.counters(), summary, result.errorCode().orElse(null), result.errorDetail().orElse(null));
        } catch (java.io.IOException e) {
            finish("ERROR", Map.of(), Map.of(), "INTERNAL", "cannot make scratch space for the report: " + e.getMessage());
        } catch (LocationException e) {
            finish("ERROR", transfer == null ? Map.of() : transfer.counters().snapshot(), Map.of(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("event=execution_crashed execution={}", id, e);
            finish("ERROR", Map.of(), Map.of(), "INTERNAL", String.valueOf(e));
        } finally {
            progress.shutdownNow();
            if (record != null) {
                record.close(); // Not reached the end of the run: the previous record stays.
            }
            context.agents().stopListening(id);
            remotes.forEach((locationId, remote) -> LOG.info("event=agents_shared execution={} location={} requests={}", id,
                    locationId, remote.requestsByAgent().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                            .collect(Collectors.joining(","))));
            for (int i = cleanups.size() - 1; i >= 0; i--) {
                try {
                    cleanups.get(i).run();
                } catch (RuntimeException e) {
                    LOG.warn("event=cleanup_failed execution={} error=\"{}\"", id, e.toString());
                }
            }
        }
    }

    private void finish(String status, Map<String, Long> counters, Map<String, Object> result, String code, String detail) {
        if (!reportConfig.isEmpty()) {
            writeReport(status, counters, result, code, detail);
        }
        context.repository().executionEnded(id, status, counters, result, code, detail);
        context.meters().counter("ferry.executions", "status", status).increment();
        context.meters().counter("ferry.files.transferred").increment(counters.getOrDefault("FilesTransferred", 0L));
        context.meters().counter("ferry.bytes.transferred").increment(counters.getOrDefault("BytesTransferred", 0L));
        LOG.info("event=execution_ended execution={} status={} error_code={} counters={}", id, status, code, Json.write(counters));
        context.ended().accept(new ExecutionService.Ended(id, task.id(), startedBy, status, code, detail));
    }

    /**
     * Ends the task report and puts it where the task says, under
     * {@code subdirectory/taskId/executionId/}. Its outcome is recorded apart from the
     * execution's: a report that cannot be written never turns a good transfer into a failed one,
     * and is never silent either.
     */
    private void writeReport(String status, Map<String, Long> counters, Map<String, Object> result, String code, String detail) {
        @SuppressWarnings("unchecked")
        Map<String, Object> destination = (Map<String, Object>) reportConfig.getOrDefault("destination", Map.of());
        String locationId = String.valueOf(destination.get("locationId"));
        String subdirectory = String.valueOf(destination.getOrDefault("subdirectory", "")).replaceAll("^/+|/+$", "");
        String prefix = (subdirectory.isEmpty() ? "" : subdirectory + "/") + task.id() + "/" + id + "/";
        Map<String, Object> outcome = new LinkedHashMap<>();
        int cleanupsBefore = cleanups.size();
        try {
            ReportWriter writer = report;
            if (writer == null) { // Ended before it launched: the summary says why.
                writer = new ReportWriter(ReportSettings.parse(reportConfig, "taskReportConfig"), task.id(), id,
                        java.nio.file.Files.createTempDirectory("ferry-report-"));
                report = writer;
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("Status", status);
            summary.put("ErrorCode", code);
            summary.put("ErrorDetail", detail);
            summary.put("StartedBy", startedBy);
            summary.put("StartTime", startTime == null ? null : startTime.toString());
            summary.put("EndTime", java.time.Instant.now().toString());
            summary.put("SourceLocationId", task.sourceLocationId());
            summary.put("DestinationLocationId", task.destinationLocationId());
            summary.put("Options", options.toMap());
            summary.put("Includes", filters.includes());
            summary.put("Excludes", filters.excludes());
            summary.put("Counters", counters);
            summary.put("Result", result);
            List<ReportWriter.ReportFile> files = writer.finish(summary);
            Location location = opened.containsKey(locationId) ? opened.get(locationId) : launch(locationId);
            writer.upload(location, prefix);
            outcome.put("Status", "SUCCESS");
            outcome.put("Files", files.size());
            outcome.put("ItemCount", files.stream().mapToLong(ReportWriter.ReportFile::items).sum());
        } catch (LocationException e) {
            outcome.put("Status", "ERROR");
            outcome.put("ErrorCode", e.code());
            outcome.put("ErrorDetail", "the report could not be written: " + e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("event=report_failed execution={}", id, e);
            outcome.put("Status", "ERROR");
            outcome.put("ErrorCode", "INTERNAL");
            outcome.put("ErrorDetail", "the report could not be written: " + e);
        } finally {
            ReportWriter writer = report;
            if (writer != null) {
                writer.close();
            }
            // Only what the report itself opened; the transfer's sides close when run() ends.
            for (int i = cleanups.size() - 1; i >= cleanupsBefore; i--) {
                try {
                    cleanups.remove(i).run();
                } catch (RuntimeException e) {
                    LOG.warn("event=cleanup_failed execution={} error=\"{}\"", id, e.toString());
                }
            }
        }
        outcome.put("LocationId", locationId);
        outcome.put("Prefix", prefix);
        context.repository().executionReport(id, outcome);
        if ("ERROR".equals(outcome.get("Status"))) {
            LOG.warn("event=report_failed execution={} code={} error=\"{}\"", id, outcome.get("ErrorCode"), outcome.get("ErrorDetail"));
        } else {
            LOG.info("event=report_written execution={} location={} prefix=\"{}\"", id, locationId, prefix);
        }
    }

    /**
     * The task's record of its destination's files, where the control plane reaches the
     * destination itself (an agent's store reports no versions); null where there is none to keep,
     * or it cannot be opened, which costs only the shortcut.
     */
    private DestinationRecord openRecord(String locationId) {
        Repository.LocationRow row = context.locations().row(locationId);
        if (!row.agentIds().isEmpty()) {
            return null;
        }
        try {
            return context.records().open(task.id(), locationId, row.type(), context.locations().fullSettings(row));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("event=destination_record_unavailable execution={} task={} error=\"{}\"", id, task.id(), String.valueOf(e));
            return null;
        }
    }

    private void closeRecord(boolean complete) {
        DestinationRecord r = record;
        record = null;
        if (r == null) {
            return;
        }
        try {
            r.close(complete);
        } catch (RuntimeException e) {
            LOG.warn("event=destination_record_not_kept execution={} task={} error=\"{}\"", id, task.id(), String.valueOf(e));
        }
    }

    /** Opens one side: the control plane's own driver, or an agent serving it over the data channel. */
    private Location launch(String locationId) {
        Location location = open(locationId);
        opened.put(locationId, location);
        return location;
    }

    private Location open(String locationId) {
        Repository.LocationRow row = context.locations().row(locationId);
        LocationDriver<?> driver = context.drivers().require(row.type());
        Map<String, Object> settings = context.locations().fullSettings(row);
        if (row.agentIds().isEmpty()) { // Checked at creation: only kinds the control plane reaches have none.
            Location location = driver.open(settings);
            cleanups.add(location::close);
            return location;
        }
        // Every online agent of the location serves it: the work is shared among them as they take it.
        List<AgentSession> agents = row.agentIds().stream().map(a -> context.agents().session(a)).flatMap(java.util.Optional::stream)
                .toList();
        if (agents.isEmpty()) {
            throw new LocationException("AGENT_OFFLINE", "no agent of location " + locationId + " is online: " + row.agentIds());
        }
        RemoteLocation remote = new RemoteLocation(row.type(), driver.traits(settings), AGENT_CONNECT_TIMEOUT);
        remotes.put(locationId, remote);
        Set<String> assigned = ConcurrentHashMap.newKeySet();
        serving.put(locationId, assigned);
        cleanups.add(remote::close);
        for (AgentSession agent : agents) {
            String token = Hashes.randomText(32);
            context.sessions().open(id, locationId, agent.agentId(), token, remote);
            cleanups.add(() -> {
                context.sessions().close(id, locationId, agent.agentId());
                agent.send(ControlMessage.newBuilder().setCancel(CancelAssignment.newBuilder().setExecutionId(id)).build());
            });
            boolean sent = agent.send(ControlMessage.newBuilder().setAssignment(Assignment.newBuilder()
                    .setExecutionId(id).setLocationId(locationId).setLocationType(row.type())
                    .setSettingsJson(Json.write(settings)).setDataHost(context.dataHost()).setDataPort(context.dataPort())
                    .setSessionToken(token).setConnections(CONNECTIONS_PER_AGENT)).build());
            if (sent) {
                assigned.add(agent.agentId());
                LOG.info("event=assignment_sent execution={} location={} agent={}", id, locationId, agent.agentId());
            } else {
                LOG.warn("event=assignment_not_sent execution={} location={} agent={} reason=\"went away\"", id, locationId,
                        agent.agentId());
            }
        }
        if (assigned.isEmpty()) {
            throw new LocationException("AGENT_OFFLINE", "every agent of location " + locationId + " went away before it got the assignment");
        }
        if (assigned.size() > 1) {
            try {
                Set<String> connected = remote.awaitAgents(Set.copyOf(assigned), AGENT_CONNECT_TIMEOUT,
                        LATE_AGENT_GRACE);
                LOG.info("event=agents_connected execution={} location={} connected={} assigned={}", id, locationId,
                        connected.size(), assigned.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocationException("CANCELLED", "interrupted waiting for the agents of location " + locationId);
            }
        }
        return remote;
    }

    /**
     * BytesCompressed: what the file bytes took on the wire from the source's worker, or to the
     * destination's when the control plane itself reads the source. A relay between two agents
     * crosses the wire twice; counting one leg keeps the figure comparable with BytesTransferred.
     */
    private long wireBytes() {
        long fromSource = remotes.values().stream().mapToLong(RemoteLocation::wireBytesReceived).sum();
        return fromSource > 0 ? fromSource : remotes.values().stream().mapToLong(RemoteLocation::wireBytesSent).sum();
    }

    private void onAgentUpdate(String agentId, AssignmentUpdate update) {
        if (update.getState() == AssignmentUpdate.State.FAILED) {
            LOG.warn("event=assignment_failed execution={} location={} agent={} code={} error=\"{}\"", id, update.getLocationId(),
                    agentId, update.getErrorCode(), update.getErrorMessage());
            agentLost(update.getLocationId(), agentId, update.getErrorCode() + ": " + update.getErrorMessage());
        }
    }

    private void onAgentGone(String agentId) {
        serving.keySet().forEach(locationId -> agentLost(locationId, agentId, "agent " + agentId + " went offline"));
    }

    /** The location's other agents take over the lost one's work; with none left, the location is lost. */
    private void agentLost(String locationId, String agentId, String reason) {
        Set<String> agents = serving.get(locationId);
        RemoteLocation remote = remotes.get(locationId);
        if (agents == null || remote == null || !agents.remove(agentId)) {
            return;
        }
        if (agents.isEmpty()) {
            remote.lost(reason);
        } else {
            LOG.warn("event=agent_lost execution={} location={} agent={} agents_left={} reason=\"{}\"", id, locationId, agentId,
                    agents.size(), reason);
            remote.agentLost(agentId, reason);
        }
    }

    private final class Listener implements ExecutionListener {
        private final ExecutionListener report;

        Listener() {
            this(new ExecutionListener() { });
        }

        Listener(ExecutionListener report) {
            this.report = report;
        }

        @Override
        public void itemTransferred(dev.ferry.locations.Entry entry, boolean contentSent,
                java.util.Optional<dev.ferry.locations.ContentChecksum> checksum) {
            report.itemTransferred(entry, contentSent, checksum);
        }

        @Override
        public void itemSkipped(dev.ferry.locations.Entry entry) {
            report.itemSkipped(entry);
        }

        @Override
        public void itemVerified(dev.ferry.locations.Entry entry, java.util.Optional<dev.ferry.locations.ContentChecksum> checksum) {
            report.itemVerified(entry, checksum);
        }

        @Override
        public void itemDeleted(dev.ferry.locations.Entry entry) {
            report.itemDeleted(entry);
        }

        @Override
        public void phaseStarted(Phase phase) {
            context.repository().executionStatus(id, cancelled ? "CANCELLING" : phase.name());
        }

        @Override
        public void itemFailed(FileFailure failure) {
            int seq = failureSeq.incrementAndGet();
            if (seq <= MAX_RECORDED_FAILURES) {
                context.repository().insertFailure(id, seq, new Views.Failure(failure.key(), failure.phase(), failure.code(),
                        failure.message()));
            }
            context.meters().counter("ferry.items.failed", "phase", failure.phase()).increment();
            report.itemFailed(failure);
        }

    }
}
