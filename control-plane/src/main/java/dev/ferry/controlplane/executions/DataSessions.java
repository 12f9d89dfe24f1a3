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
 * Which agents may open data connections for which execution and location, each with the
 * single-use token its assignment carried. A connection from any other agent, or with another
 * token, is refused at hello. The agents of one location all attach to its one remote location.
 */
public final class DataSessions implements DataChannelServer.Admission {
    private record Session(String agentId, String token, RemoteLocation location) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public void open(String executionId, String locationId, String agentId, String token, RemoteLocation location) {
        sessions.put(key(executionId, locationId, agentId), new Session(agentId, token, location));
    }

    public void close(String executionId, String locationId, String agentId) {
        sessions.remove(key(executionId, locationId, agentId));
    }

    private static String key(String executionId, String locationId, String agentId) {
        return executionId + "/" + locationId + "/" + agentId;
    }

    @Override
    public Consumer<DataConnection> admit(String agentId, Hello hello) throws DataChannelServer.RefusedException {
        Session session = sessions.get(key(hello.getExecutionId(), hello.getLocationId(), agentId));
        if (session == null || !MessageDigest.isEqual(
                session.token().getBytes(StandardCharsets.UTF_8), hello.getSessionToken().getBytes(StandardCharsets.UTF_8))) {
            throw new DataChannelServer.RefusedException("UNKNOWN_SESSION",
                    "no data session for execution " + hello.getExecutionId() + " and location " + hello.getLocationId() + " for this agent");
        }
        return connection -> session.location().attach(agentId, connection);
    }
}
