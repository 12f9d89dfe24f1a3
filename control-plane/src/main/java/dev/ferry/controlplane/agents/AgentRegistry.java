package dev.ferry.controlplane.agents;

import dev.ferry.protocol.agent.AssignmentUpdate;
import dev.ferry.protocol.agent.ControlMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents connected right now. An agent is ONLINE while its control stream is open and it has
 * sent a heartbeat within the grace period.
 */
public final class AgentRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRegistry.class);
    /** Agents send a heartbeat every 10 s; three missed ones mark an agent offline. */
    public static final Duration GRACE = Duration.ofSeconds(35);

    private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.BiConsumer<String, AssignmentUpdate>> updateListeners = new ConcurrentHashMap<>();
    private final Map<String, Consumer<String>> disconnectListeners = new ConcurrentHashMap<>();

    AgentSession connected(String agentId, io.grpc.stub.StreamObserver<ControlMessage> stream) {
        AgentSession session = new AgentSession(agentId, stream);
        AgentSession previous = sessions.put(agentId, session);
        if (previous != null) {
            previous.close(io.grpc.Status.ALREADY_EXISTS.withDescription("the agent connected again"));
        }
        LOG.info("event=agent_connected agent={}", agentId);
        return session;
    }

    /**
     * Ends sessions whose agent stopped sending heartbeats: a partitioned or powered-off host
     * never closes its stream, so silence is the only sign.
     */
    public void sweep() {
        Instant limit = Instant.now().minus(GRACE);
        for (AgentSession session : sessions.values()) {
            if (session.lastSeen().isBefore(limit)) {
                LOG.warn("event=agent_silent agent={} last_seen={}", session.agentId(), session.lastSeen());
                session.close(io.grpc.Status.UNAVAILABLE.withDescription("no heartbeat within " + GRACE.toSeconds() + " s"));
                disconnected(session);
            }
        }
    }

    void disconnected(AgentSession session) {
        session.markClosed();
        if (sessions.remove(session.agentId(), session)) {
            LOG.info("event=agent_disconnected agent={}", session.agentId());
            disconnectListeners.values().forEach(listener -> listener.accept(session.agentId()));
        }
    }

    /** Closes the agent's stream (it was deleted: its certificate no longer counts). */
    public void revoke(String agentId) {
        AgentSession session = sessions.remove(agentId);
        if (session != null) {
            session.close(io.grpc.Status.PERMISSION_DENIED.withDescription("the agent was deleted"));
            disconnectListeners.values().forEach(listener -> listener.accept(agentId));
        }
    }

    public boolean isOnline(String agentId) {
        AgentSession session = sessions.get(agentId);
        return session != null && session.lastSeen().isAfter(Instant.now().minus(GRACE));
    }

    public int onlineCount() {
        return (int) sessions.keySet().stream().filter(this::isOnline).count();
    }

    public Optional<AgentSession> session(String agentId) {
        return Optional.ofNullable(sessions.get(agentId)).filter(s -> isOnline(agentId));
    }

    void update(String agentId, AssignmentUpdate update) {
        java.util.function.BiConsumer<String, AssignmentUpdate> listener = updateListeners.get(update.getExecutionId());
        if (listener != null) {
            listener.accept(agentId, update);
        }
    }

    /** Hears the agents' reports on one execution (with who reports), and of agents going away, until removed. */
    public void listen(String executionId, java.util.function.BiConsumer<String, AssignmentUpdate> updates, Consumer<String> disconnects) {
        updateListeners.put(executionId, updates);
        disconnectListeners.put(executionId, disconnects);
    }

    public void stopListening(String executionId) {
        updateListeners.remove(executionId);
        disconnectListeners.remove(executionId);
    }
}
