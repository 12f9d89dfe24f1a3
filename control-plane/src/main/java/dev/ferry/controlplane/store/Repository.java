package dev.ferry.controlplane.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every read and write of the control plane's state, as plain SQL through JDBI. Methods are
 * small transactions; none holds a whole table in memory except where the API lists it (the
 * listing endpoints are bounded by what an admin creates, not by file counts).
 */
public final class Repository {
    private final Jdbi jdbi;

    public Repository(Store store) {
        this.jdbi = store.jdbi();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    // ---- tokens

    public void insertToken(String id, String tokenHash, String role) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_tokens(id, token_hash, role, created_at) VALUES (?, ?, ?, ?)")
                .bind(0, id).bind(1, tokenHash).bind(2, role).bind(3, ts(Instant.now())).execute());
    }

    public Optional<String> roleOfToken(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT role FROM api_tokens WHERE token_hash = ?")
                .bind(0, tokenHash).mapTo(String.class).findOne());
    }

    public boolean anyToken() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_tokens").mapTo(Long.class).one()) > 0;
    }

    // ---- activation keys

    public void insertActivationKey(String keyHash, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO activation_keys(key_hash, created_at, expires_at) VALUES (?, ?, ?)")
                .bind(0, keyHash).bind(1, ts(Instant.now())).bind(2, ts(expiresAt)).execute());
    }

    /** Why a key cannot be used: empty when it can. Read inside the activation's transaction. */
    public Optional<String> activationKeyProblem(Handle h, String keyHash, Instant now) {
        return h.createQuery("SELECT expires_at, used_at FROM activation_keys WHERE key_hash = ? FOR UPDATE")
                .bind(0, keyHash)
                .map((rs, ctx) -> {
                    if (instant(rs, "used_at") != null) {
                        return Optional.of("the activation key was already used");
                    }
                    if (instant(rs, "expires_at").isBefore(now)) {
                        return Optional.of("the activation key expired");
                    }
                    return Optional.<String>empty();
                })
                .findOne()
                .orElse(Optional.of("the activation key is not known"));
    }

    public void useActivationKey(Handle h, String keyHash, String agentId) {
        h.createUpdate("UPDATE activation_keys SET used_at = ?, agent_id = ? WHERE key_hash = ?")
                .bind(0, ts(Instant.now())).bind(1, agentId).bind(2, keyHash).execute();
    }

    // ---- agents

    public void insertAgent(Handle h, String id, String name, String serial, String certificatePem) {
        h.createUpdate("INSERT INTO agents(id, name, certificate_serial, certificate_pem, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(0, id).bind(1, name).bind(2, serial).bind(3, certificatePem).bind(4, ts(Instant.now())).execute();
    }

    public record AgentRow(String id, String name, String serial, Instant createdAt, Instant lastSeenAt) {
    }

    public List<AgentRow> agents() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM agents ORDER BY created_at").map(Repository::agentRow).list());
    }

    public Optional<AgentRow> agent(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM agents WHERE id = ?").bind(0, id).map(Repository::agentRow).findOne());
    }

    private static AgentRow agentRow(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new AgentRow(rs.getString("id"), rs.getString("name"), rs.getString("certificate_serial"),
                instant(rs, "created_at"), instant(rs, "last_seen_at"));
    }

    public void agentSeen(String id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE agents SET last_seen_at = ? WHERE id = ?").bind(0, ts(at)).bind(1, id).execute());
    }

    public boolean deleteAgent(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM agents WHERE id = ?").bind(0, id).execute()) > 0;
    }

    // ---- locations

    public record LocationRow(String id, String name, String type, Map<String, Object> settings, String sealedSecrets,
            List<String> agentIds, Instant createdAt) {
    }

    public void insertLocation(LocationRow row) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO locations(id, name, type, settings, secrets, agent_ids, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, row.id()).bind(1, row.name()).bind(2, row.type()).bind(3, Json.write(row.settings()))
                .bind(4, row.sealedSecrets()).bind(5, Json.write(row.agentIds())).bind(6, ts(row.createdAt())).execute());
    }

    public List<LocationRow> locations() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM locations ORDER BY created_at").map(Repository::locationRow).list());
    }

    public Optional<LocationRow> location(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM locations WHERE id = ?").bind(0, id)
                .map(Repository::locationRow).findOne());
    }

    private static LocationRow locationRow(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new LocationRow(rs.getString("id"), rs.getString("name"), rs.getString("type"), Json.readMap(rs.getString("settings")),
                rs.getString("secrets"), Json.readList(rs.getString("agent_ids")), instant(rs, "created_at"));
    }

    public long tasksUsingLocation(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE source_location_id = ? OR destination_location_id = ?")
                .bind(0, id).bind(1, id).mapTo(Long.class).one());
    }

    public boolean deleteLocation(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM locations WHERE id = ?").bind(0, id).execute()) > 0;
    }

    // ---- tasks

    /**
     * A task's schedule as stored.
     *
     * @param status ENABLED or DISABLED
     * @param disabledBy USER or SERVICE when DISABLED
     * @param nextRunAt when it is next due (null while DISABLED)
     * @param failureCode the error code of the latest scheduled runs that failed in a row
     * @param failureCount how many scheduled runs in a row ended with {@code failureCode}
     */
    public record Schedule(String expression, String status, Instant statusUpdatedAt, String disabledBy,
            String disabledReason, Instant nextRunAt, String failureCode, int failureCount) {
    }

    /**
     * @param schedule null when the task has none
     * @param reportConfig empty when the task writes no report
     * @param manifestConfig empty when the task lists its source instead of reading a manifest
     */
    public record TaskRow(String id, String name, String sourceLocationId, String destinationLocationId,
            Map<String, Object> options, String includes, String excludes, Schedule schedule,
            Map<String, Object> reportConfig, Map<String, Object> manifestConfig, Instant createdAt) {
    }

    private static final String TASK_COLUMNS = "name = :name, source_location_id = :source, destination_location_id = :destination, "
            + "options = :options, includes = :includes, excludes = :excludes, schedule_expression = :scheduleExpression, "
            + "schedule_status = :scheduleStatus, schedule_status_updated_at = :scheduleUpdated, "
            + "schedule_disabled_by = :disabledBy, schedule_disabled_reason = :disabledReason, "
            + "schedule_next_run_at = :nextRunAt, schedule_failure_code = :failureCode, schedule_failure_count = :failureCount, "
            + "report_config = :reportConfig, manifest_config = :manifestConfig";

    private static org.jdbi.v3.core.statement.Update bindTask(org.jdbi.v3.core.statement.Update update, TaskRow row) {
        Schedule s = row.schedule();
        return update.bind("id", row.id()).bind("name", row.name()).bind("source", row.sourceLocationId())
                .bind("destination", row.destinationLocationId()).bind("options", Json.write(row.options()))
                .bind("includes", row.includes()).bind("excludes", row.excludes())
                .bind("scheduleExpression", s == null ? null : s.expression())
                .bind("scheduleStatus", s == null ? null : s.status())
                .bind("scheduleUpdated", s == null ? null : ts(s.statusUpdatedAt()))
                .bind("disabledBy", s == null ? null : s.disabledBy())
                .bind("disabledReason", s == null ? null : s.disabledReason())
                .bind("nextRunAt", s == null ? null : ts(s.nextRunAt()))
                .bind("failureCode", s == null ? null : s.failureCode())
                .bind("failureCount", s == null ? 0 : s.failureCount())
                .bind("reportConfig", row.reportConfig().isEmpty() ? null : Json.write(row.reportConfig()))
                .bind("manifestConfig", row.manifestConfig().isEmpty() ? null : Json.write(row.manifestConfig()))
                .bind("createdAt", ts(row.createdAt()));
    }

    public void insertTask(TaskRow row) {
        jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO tasks(id, name, source_location_id, destination_location_id, options, created_at) "
                    + "VALUES (:id, :name, :source, :destination, :options, :createdAt)")
                    .bind("id", row.id()).bind("name", row.name()).bind("source", row.sourceLocationId())
                    .bind("destination", row.destinationLocationId()).bind("options", Json.write(row.options()))
                    .bind("createdAt", ts(row.createdAt())).execute();
            bindTask(h.createUpdate("UPDATE tasks SET " + TASK_COLUMNS + " WHERE id = :id"), row).execute();
        });
    }

    /** Replaces everything an admin can change on a task, in one statement. */
    public void updateTask(TaskRow row) {
        jdbi.useHandle(h -> bindTask(h.createUpdate("UPDATE tasks SET " + TASK_COLUMNS + " WHERE id = :id"), row).execute());
    }

    public List<TaskRow> tasks() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks ORDER BY created_at").map(Repository::taskRow).list());
    }

    public Optional<TaskRow> task(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE id = ?").bind(0, id).map(Repository::taskRow).findOne());
    }

    /** Tasks whose enabled schedule is due at {@code now}. */
    public List<TaskRow> dueTasks(Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE schedule_status = 'ENABLED' "
                        + "AND schedule_next_run_at <= ? ORDER BY schedule_next_run_at")
                .bind(0, ts(now)).map(Repository::taskRow).list());
    }

    /**
     * Moves a task's next due time from {@code due} to {@code next}; true for the one caller that
     * did it, so a due run is started once however many schedulers look at it.
     */
    public boolean claimScheduledRun(String taskId, Instant due, Instant next) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE tasks SET schedule_next_run_at = ? WHERE id = ? "
                        + "AND schedule_status = 'ENABLED' AND schedule_next_run_at = ?")
                .bind(0, ts(next)).bind(1, taskId).bind(2, ts(due)).execute()) == 1;
    }

    /**
     * Records how a scheduled run ended: a success clears the streak, an error extends it when the
     * code repeats and restarts it otherwise.
     *
     * @return how many scheduled runs in a row have now ended with this error code (0 after a success)
     */
    public int scheduledRunEnded(String taskId, String errorCode) {
        return jdbi.inTransaction(h -> {
            Optional<Map.Entry<String, Integer>> current = h.createQuery(
                            "SELECT schedule_failure_code, schedule_failure_count FROM tasks WHERE id = ? FOR UPDATE")
                    .bind(0, taskId)
                    .map((rs, ctx) -> Map.entry(nonNull(rs.getString(1)), rs.getInt(2)))
                    .findOne();
            if (current.isEmpty()) {
                return 0;
            }
            int count = errorCode == null ? 0
                    : errorCode.equals(current.get().getKey()) ? current.get().getValue() + 1 : 1;
            h.createUpdate("UPDATE tasks SET schedule_failure_code = ?, schedule_failure_count = ? WHERE id = ?")
                    .bind(0, errorCode).bind(1, count).bind(2, taskId).execute();
            return count;
        });
    }

    /** Turns a schedule off, recording who did it and why; false when it was not enabled. */
    public boolean disableSchedule(String taskId, String by, String reason, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE tasks SET schedule_status = 'DISABLED', schedule_disabled_by = ?, "
                        + "schedule_disabled_reason = ?, schedule_status_updated_at = ?, schedule_next_run_at = NULL "
                        + "WHERE id = ? AND schedule_status = 'ENABLED'")
                .bind(0, by).bind(1, reason).bind(2, ts(at)).bind(3, taskId).execute()) == 1;
    }

    public long schedulesDisabledBy(String by) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE schedule_status = 'DISABLED' "
                + "AND schedule_disabled_by = ?").bind(0, by).mapTo(Long.class).one());
    }

    private static TaskRow taskRow(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        String expression = rs.getString("schedule_expression");
        Schedule schedule = expression == null ? null : new Schedule(expression, rs.getString("schedule_status"),
                instant(rs, "schedule_status_updated_at"), rs.getString("schedule_disabled_by"),
                rs.getString("schedule_disabled_reason"), instant(rs, "schedule_next_run_at"),
                rs.getString("schedule_failure_code"), rs.getInt("schedule_failure_count"));
        return new TaskRow(rs.getString("id"), rs.getString("name"), rs.getString("source_location_id"),
                rs.getString("destination_location_id"), Json.readMap(rs.getString("options")), nonNull(rs.getString("includes")),
                nonNull(rs.getString("excludes")), schedule, Json.readMap(rs.getString("report_config")),
                Json.readMap(rs.getString("manifest_config")), instant(rs, "created_at"));
    }

    private static Map<String, Object> nullIfEmpty(Map<String, Object> map) {
        return map.isEmpty() ? null : map;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    public boolean deleteTask(String id) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM execution_failures WHERE execution_id IN (SELECT id FROM executions WHERE task_id = ?)")
                    .bind(0, id).execute();
            h.createUpdate("DELETE FROM executions WHERE task_id = ?").bind(0, id).execute();
            return h.createUpdate("DELETE FROM tasks WHERE id = ?").bind(0, id).execute() > 0;
        });
    }

    public long activeExecutionsOfTask(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM executions WHERE task_id = ? AND ended_at IS NULL")
                .bind(0, taskId).mapTo(Long.class).one());
    }

    // ---- executions

    /**
     * @param startedBy USER or SCHEDULE
     * @param reportConfig the task report settings this execution uses (empty: none)
     * @param manifestConfig the manifest this execution reads (empty: it lists the source)
     */
    public record NewExecution(String id, String taskId, String startedBy, Map<String, Object> options, String includes,
            String excludes, Map<String, Object> reportConfig, Map<String, Object> manifestConfig) {
    }

    public void insertExecution(NewExecution e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO executions(id, task_id, status, started_by, options, includes, excludes, "
                        + "report_config, manifest_config, report_result, created_at) "
                        + "VALUES (?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, e.id()).bind(1, e.taskId()).bind(2, e.startedBy()).bind(3, Json.write(e.options()))
                .bind(4, e.includes()).bind(5, e.excludes())
                .bind(6, e.reportConfig().isEmpty() ? null : Json.write(e.reportConfig()))
                .bind(7, e.manifestConfig().isEmpty() ? null : Json.write(e.manifestConfig()))
                .bind(8, e.reportConfig().isEmpty() ? null : Json.write(Map.of("Status", "PENDING")))
                .bind(9, ts(Instant.now())).execute());
    }

    public void executionReport(String id, Map<String, Object> reportResult) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE executions SET report_result = ? WHERE id = ?")
                .bind(0, Json.write(reportResult)).bind(1, id).execute());
    }

    /** Executions of the task that wait in the queue and have not started. */
    public long queuedExecutionsOfTask(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM executions WHERE task_id = ? AND status = 'QUEUED'")
                .bind(0, taskId).mapTo(Long.class).one());
    }

    public void executionStatus(String id, String status) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE executions SET status = ?, started_at = COALESCE(started_at, ?) WHERE id = ? AND ended_at IS NULL")
                .bind(0, status).bind(1, ts(Instant.now())).bind(2, id).execute());
    }

    public void executionOptions(String id, Map<String, Object> options) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE executions SET options = ? WHERE id = ?")
                .bind(0, Json.write(options)).bind(1, id).execute());
    }

    public void executionProgress(String id, Map<String, Long> counters) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE executions SET counters = ? WHERE id = ?")
                .bind(0, Json.write(counters)).bind(1, id).execute());
    }

    public void executionEnded(String id, String status, Map<String, Long> counters, Map<String, Object> result,
            String errorCode, String errorDetail) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE executions SET status = ?, counters = ?, durations = ?, error_code = ?, "
                        + "error_detail = ?, ended_at = ?, started_at = COALESCE(started_at, ?) WHERE id = ?")
                .bind(0, status).bind(1, Json.write(counters)).bind(2, Json.write(result)).bind(3, errorCode)
                .bind(4, errorDetail).bind(5, ts(Instant.now())).bind(6, ts(Instant.now())).bind(7, id).execute());
    }

    /** Executions a previous control-plane process left unfinished. */
    public int failUnfinishedExecutions(String detail) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE executions SET status = 'ERROR', error_code = 'CONTROL_PLANE_RESTARTED', "
                        + "error_detail = ?, ended_at = ? WHERE ended_at IS NULL")
                .bind(0, detail).bind(1, ts(Instant.now())).execute());
    }

    public List<Views.Execution> executions(Optional<String> taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM executions" + (taskId.isPresent() ? " WHERE task_id = :task" : "")
                        + " ORDER BY created_at")
                .bindMap(taskId.isPresent() ? Map.of("task", taskId.get()) : Map.of())
                .map(Repository::executionRow).list());
    }

    public Optional<Views.Execution> execution(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM executions WHERE id = ?").bind(0, id)
                .map(Repository::executionRow).findOne());
    }

    private static Views.Execution executionRow(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Views.Execution(rs.getString("id"), rs.getString("task_id"), rs.getString("status"),
                rs.getString("started_by"), Json.readMap(rs.getString("options")), nonNull(rs.getString("includes")), nonNull(rs.getString("excludes")),
                Json.readMap(rs.getString("counters")), Json.readMap(rs.getString("durations")),
                rs.getString("error_code"), rs.getString("error_detail"), nullIfEmpty(Json.readMap(rs.getString("report_config"))),
                nullIfEmpty(Json.readMap(rs.getString("report_result"))), nullIfEmpty(Json.readMap(rs.getString("manifest_config"))),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "ended_at"));
    }

    public void insertFailure(String executionId, int seq, Views.Failure failure) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO execution_failures(execution_id, seq, item_key, phase, code, message) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, executionId).bind(1, seq).bind(2, failure.key()).bind(3, failure.phase()).bind(4, failure.code())
                .bind(5, failure.message()).execute());
    }

    public List<Views.Failure> failures(String executionId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM execution_failures WHERE execution_id = ? ORDER BY seq LIMIT ?")
                .bind(0, executionId).bind(1, limit)
                .map((rs, ctx) -> new Views.Failure(rs.getString("item_key"), rs.getString("phase"), rs.getString("code"),
                        rs.getString("message")))
                .list());
    }
}
