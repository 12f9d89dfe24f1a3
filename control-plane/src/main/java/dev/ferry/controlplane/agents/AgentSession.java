package dev.ferry.controlplane.agents;

import dev.ferry.protocol.agent.ControlMessage;
import io.grpc.stub.StreamObserver;
import java.time.Instant;

/** One agent's open control stream. Sends are serialized: a gRPC stream is not thread-safe. */
public final class AgentSession {
    private final String agentId;
    private final StreamObserver<ControlMessage> stream;
    private volatile Instant lastSeen = Instant.now();
    private boolean closed;

    AgentSession(String agentId, StreamObserver<ControlMessage> stream) {
        this.agentId = agentId;
        this.stream = stream;
    }

    public String agentId() {
        return agentId;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    void seen() {
        lastSeen = Instant.now();
    }

    /** @return false when the stream is already closed */
    public synchronized boolean send(ControlMessage message) {
        if (closed) {
            return false;
        }
        try {
            stream.onNext(message);
            return true;
        } catch (RuntimeException e) {
            closed = true;
            return false;
        }
    }

    synchronized void close(io.grpc.Status status) {
        if (!closed) {
            closed = true;
            try {
                stream.onError(status.asRuntimeException());
            } catch (RuntimeException ignored) {
                // Already gone.
            }
        }
    }

    synchronized void markClosed() {
        closed = true;
    }
}
