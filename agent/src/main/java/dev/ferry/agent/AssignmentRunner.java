package dev.ferry.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.engine.wire.DataChannelClient;
import dev.ferry.engine.wire.DataChannelSettings;
import dev.ferry.engine.wire.DataConnection;
import dev.ferry.engine.wire.LocationServer;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDrivers;
import dev.ferry.locations.LocationException;
import dev.ferry.protocol.agent.Assignment;
import dev.ferry.protocol.agent.AssignmentUpdate;
import dev.ferry.protocol.data.Hello;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the locations the control plane assigns: opens the location with its driver here, on the
 * agent's host, and opens data connections back to the control plane that serve it.
 */
final class AssignmentRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Served(LocationServer server, List<DataConnection> connections) {
    }

    private final LocationDrivers drivers = LocationDrivers.installed();
    private final EventLoopGroup group;
    private final SslContext tls;
    private final Consumer<AssignmentUpdate> updates;
    private final Map<String, List<Served>> byExecution = new ConcurrentHashMap<>();

    /** @param channel how this agent's data connections behave (compression) */
    private final DataChannelSettings channel;

    AssignmentRunner(EventLoopGroup group, SslContext tls, DataChannelSettings channel, Consumer<AssignmentUpdate> updates) {
        this.channel = channel;
        this.group = group;
        this.tls = tls;
        this.updates = updates;
    }

    void start(Assignment assignment) {
        Thread.ofVirtual().name("assignment-" + assignment.getExecutionId()).start(() -> serve(assignment));
    }

    private void serve(Assignment a) {
        AssignmentUpdate.Builder update = AssignmentUpdate.newBuilder().setExecutionId(a.getExecutionId()).setLocationId(a.getLocationId());
        LocationServer server = null;
        List<DataConnection> connections = new ArrayList<>();
        try {
            Map<String, Object> settings = JSON.readValue(a.getSettingsJson(), new TypeReference<Map<String, Object>>() { });
            Location location = drivers.require(a.getLocationType()).open(settings);
            server = new LocationServer(location);
            Hello hello = Hello.newBuilder().addVersions(DataChannelSettings.PROTOCOL_VERSION).setExecutionId(a.getExecutionId())
                    .setLocationId(a.getLocationId()).setSessionToken(a.getSessionToken()).build();
            connections.addAll(DataChannelClient.connectAll(Math.max(1, a.getConnections()), group, a.getDataHost(), a.getDataPort(),
                    tls, hello, server, channel, Duration.ofSeconds(20)));
            byExecution.computeIfAbsent(a.getExecutionId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(new Served(server, connections));
            LOG.info("event=assignment_serving execution={} location={} type={} connections={}", a.getExecutionId(),
                    a.getLocationId(), a.getLocationType(), connections.size());
            updates.accept(update.setState(AssignmentUpdate.State.CONNECTED).build());
        } catch (Exception e) {
            String code = e instanceof LocationException le ? le.code() : "AGENT_ERROR";
            LOG.warn("event=assignment_failed execution={} location={} code={} error=\"{}\"", a.getExecutionId(), a.getLocationId(),
                    code, e.getMessage());
            connections.forEach(c -> c.close("assignment failed"));
            if (server != null) {
                server.close();
            }
            updates.accept(update.setState(AssignmentUpdate.State.FAILED).setErrorCode(code)
                    .setErrorMessage(String.valueOf(e.getMessage())).build());
        }
    }

    void cancel(String executionId) {
        List<Served> served = byExecution.remove(executionId);
        if (served != null) {
            for (Served s : served) {
                s.connections().forEach(c -> c.close("execution ended"));
                s.server().close();
            }
            LOG.info("event=assignment_ended execution={}", executionId);
        }
    }

    @Override
    public void close() {
        List.copyOf(byExecution.keySet()).forEach(this::cancel);
    }
}
