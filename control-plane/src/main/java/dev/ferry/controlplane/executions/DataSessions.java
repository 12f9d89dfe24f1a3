package dev.ferry.controlplane.executions;

import dev.ferry.engine.wire.DataChannelServer;
import dev.ferry.engine.wire.DataConnection;
import dev.ferry.engine.wire.RemoteLocation;
import dev.ferry.protocol.data.Hello;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which agent may open data connections for which execution and location, with the single-use
 * token the assignment carried. A connection from any other agent, or with another token, is
 * refused at hello.
 */
public final class DataSessions implements DataChannelServer.Admission {
    private record Session(String agentId, String token, RemoteLocation location) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public void open(String executionId, String locationId, String agentId, String token, RemoteLocation location) {
        sessions.put(executionId + "/" + locationId, new Session(agentId, token, location));
    }

    public void close(String executionId, String locationId) {
        sessions.remove(executionId + "/" + locationId);
    }

    @Override
    public Consumer<DataConnection> admit(String agentId, Hello hello) throws DataChannelServer.RefusedException {
        Session session = sessions.get(hello.getExecutionId() + "/" + hello.getLocationId());
        if (session == null || !session.agentId().equals(agentId) || !MessageDigest.isEqual(
                session.token().getBytes(StandardCharsets.UTF_8), hello.getSessionToken().getBytes(StandardCharsets.UTF_8))) {
            throw new DataChannelServer.RefusedException("UNKNOWN_SESSION",
                    "no data session for execution " + hello.getExecutionId() + " and location " + hello.getLocationId() + " for this agent");
        }
        return session.location()::attach;
    }
}
