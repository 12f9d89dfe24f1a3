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

    public record TaskRow(String id, String name, String sourceLocationId, String destinationLocationId,
            Map<String, Object> options, String includes, String excludes, Instant createdAt) {
    }

    public void insertTask(TaskRow row) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO tasks(id, name, source_location_id, destination_location_id, options, "
                        + "includes, excludes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, row.id()).bind(1, row.name()).bind(2, row.sourceLocationId()).bind(3, row.destinationLocationId())
                .bind(4, Json.write(row.options())).bind(5, row.includes()).bind(6, row.excludes()).bind(7, ts(row.createdAt())).execute());
    }

    public List<TaskRow> tasks() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks ORDER BY created_at").map(Repository::taskRow).list());
    }

    public Optional<TaskRow> task(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE id = ?").bind(0, id).map(Repository::taskRow).findOne());
    }

    private static TaskRow taskRow(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new TaskRow(rs.getString("id"), rs.getString("name"), rs.getString("source_location_id"),
                rs.getString("destination_location_id"), Json.readMap(rs.getString("options")), nonNull(rs.getString("includes")),
                nonNull(rs.getString("excludes")), instant(rs, "created_at"));
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

    public void insertExecution(String id, String taskId, Map<String, Object> options) {
        insertExecution(id, taskId, options, "", "");
    }

    public void insertExecution(String id, String taskId, Map<String, Object> options, String includes, String excludes) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO executions(id, task_id, status, options, includes, excludes, created_at) "
                        + "VALUES (?, ?, 'QUEUED', ?, ?, ?, ?)")
                .bind(0, id).bind(1, taskId).bind(2, Json.write(options)).bind(3, includes).bind(4, excludes)
                .bind(5, ts(Instant.now())).execute());
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
                Json.readMap(rs.getString("options")), nonNull(rs.getString("includes")), nonNull(rs.getString("excludes")),
                Json.readMap(rs.getString("counters")), Json.readMap(rs.getString("durations")),
                rs.getString("error_code"), rs.getString("error_detail"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "ended_at"));
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
