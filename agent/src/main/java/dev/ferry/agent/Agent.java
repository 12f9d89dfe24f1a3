package dev.ferry.agent;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.ferry.engine.wire.DataChannelSettings;
import dev.ferry.engine.wire.Transports;
import dev.ferry.protocol.agent.AgentControlGrpc;
import dev.ferry.protocol.agent.AgentHello;
import dev.ferry.protocol.agent.AgentMessage;
import dev.ferry.protocol.agent.AssignmentUpdate;
import dev.ferry.protocol.agent.ControlMessage;
import dev.ferry.protocol.agent.Heartbeat;
import dev.ferry.protocol.tls.TlsContexts;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent daemon: keeps one control stream open to the control plane over mutual TLS, sends
 * heartbeats, serves assignments, and reconnects with backoff when the stream breaks. Stops for
 * good when the control plane says its certificate is no longer valid (the agent was deleted).
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final AgentIdentity identity;
    private final ClientFactory clientFactory;
    private final EventLoopGroup dataGroup = Transports.eventLoopGroup(0);
    /**
     * Heartbeats run on a platform thread: virtual threads are not preempted, so a busy request
     * (a listing of millions of entries) on every carrier would otherwise hold them back until the
     * control plane takes the agent for gone.
     */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("agent-heartbeat").daemon().factory());
    private final AssignmentRunner assignments;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile StreamObserver<AgentMessage> outbound;
    private volatile boolean closing;
    private volatile String fatal;
    private long backoffMillis = 500;

    public Agent(AgentIdentity identity) {
        this(identity, DataChannelSettings.DEFAULTS);
    }

    /** @param channel how the agent's data connections behave (when chunks it sends are compressed) */
    public Agent(AgentIdentity identity, DataChannelSettings channel) {
        this.identity = identity;
        this.clientFactory = ClientFactory.builder()
                .tlsCustomizer(tls -> tls.keyManager(identity.key(), identity.certificate()).trustManager(identity.ca()))
                .idleTimeout(Duration.ZERO)
                .build();
        this.assignments = new AssignmentRunner(dataGroup,
                TlsContexts.client(identity.key(), identity.certificate(), identity.ca()), channel, this::report);
    }

    public String agentId() {
        return identity.agentId();
    }

    /** Connects, and keeps connecting, until {@link #close()}. */
    public Agent start() {
        connect();
        timers.scheduleAtFixedRate(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Blocks until the agent stops; returns why it stopped for good, if it did on its own. */
    public java.util.Optional<String> awaitStopped() throws InterruptedException {
        stopped.await();
        return java.util.Optional.ofNullable(fatal);
    }

    private void connect() {
        if (closing) {
            return;
        }
        AgentControlGrpc.AgentControlStub stub = GrpcClients.builder(identity.controlPlaneUrl())
                .factory(clientFactory)
                .responseTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .maxResponseLength(0)
                .build(AgentControlGrpc.AgentControlStub.class);
        StreamObserver<AgentMessage> out = stub.connect(new StreamObserver<ControlMessage>() {
            @Override
            public void onNext(ControlMessage message) {
                backoffMillis = 500;
                switch (message.getKindCase()) {
                    case ASSIGNMENT -> assignments.start(message.getAssignment());
                    case CANCEL -> assignments.cancel(message.getCancel().getExecutionId());
                    default -> {
                        // Heartbeat acknowledgements need no action.
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                if (closing) {
                    return;
                }
                Status status = Status.fromThrowable(t);
                if (status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.PERMISSION_DENIED) {
                    fatal = "the control plane refused this agent: " + status.getDescription();
                    LOG.error("event=agent_refused agent={} reason=\"{}\"", identity.agentId(), status.getDescription());
                    close();
                    return;
                }
                LOG.warn("event=control_stream_lost agent={} error=\"{}\"", identity.agentId(), status);
                reconnectLater();
            }

            @Override
            public void onCompleted() {
                reconnectLater();
            }
        });
        outbound = out;
        send(AgentMessage.newBuilder().setHello(AgentHello.newBuilder().setVersion("0.1.0")
                .setHostname(hostname())).build());
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(System.currentTimeMillis())).build());
        LOG.info("event=agent_connecting agent={} control_plane={}", identity.agentId(), identity.controlPlaneUrl());
    }

    private void reconnectLater() {
        if (closing) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, 30_000);
        timers.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void heartbeat() {
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(System.currentTimeMillis())).build());
    }

    private void report(AssignmentUpdate update) {
        send(AgentMessage.newBuilder().setUpdate(update).build());
    }

    private synchronized void send(AgentMessage message) {
        StreamObserver<AgentMessage> out = outbound;
        if (out != null) {
            try {
                out.onNext(message);
            } catch (RuntimeException e) {
                LOG.debug("event=send_failed error=\"{}\"", e.toString());
            }
        }
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        StreamObserver<AgentMessage> out = outbound;
        if (out != null) {
            try {
                out.onCompleted();
            } catch (RuntimeException ignored) {
                // Already closed.
            }
        }
        assignments.close();
        timers.shutdownNow();
        clientFactory.closeAsync();
        dataGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        stopped.countDown();
    }
}
