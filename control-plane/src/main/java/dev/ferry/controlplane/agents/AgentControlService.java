package dev.ferry.controlplane.agents;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.protocol.agent.AgentControlGrpc;
import dev.ferry.protocol.agent.AgentMessage;
import dev.ferry.protocol.agent.ControlMessage;
import dev.ferry.protocol.agent.HeartbeatAck;
import dev.ferry.protocol.tls.CertificateAuthority;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control channel. An agent proves who it is with its certificate (checked by TLS against the
 * control plane's CA), and the certificate must be the one issued at its activation: a deleted
 * agent's certificate is refused even though the CA signed it.
 */
public final class AgentControlService extends AgentControlGrpc.AgentControlImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(AgentControlService.class);
    private final Repository repository;
    private final AgentRegistry registry;

    public AgentControlService(Repository repository, AgentRegistry registry) {
        this.repository = repository;
        this.registry = registry;
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
        // The control stream lives as long as the agent runs.
        ServiceRequestContext.current().clearRequestTimeout();
        Optional<String> agentId = authenticatedAgent();
        if (agentId.isEmpty()) {
            responses.onError(Status.UNAUTHENTICATED
                    .withDescription("a valid, unrevoked agent certificate is required; activate the agent first").asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        AgentSession session = registry.connected(agentId.get(), responses);
        repository.agentSeen(agentId.get(), Instant.now());
        return new StreamObserver<>() {
            @Override
            public void onNext(AgentMessage message) {
                session.seen();
                switch (message.getKindCase()) {
                    case HEARTBEAT -> {
                        repository.agentSeen(session.agentId(), Instant.now());
                        session.send(ControlMessage.newBuilder().setHeartbeatAck(HeartbeatAck.newBuilder()
                                .setSentAtMillis(message.getHeartbeat().getSentAtMillis())).build());
                    }
                    case UPDATE -> registry.update(session.agentId(), message.getUpdate());
                    default -> {
                        // Hello and future message kinds: being seen is all they do for now.
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                registry.disconnected(session);
            }

            @Override
            public void onCompleted() {
                registry.disconnected(session);
                session.close(Status.OK);
            }
        };
    }

    private Optional<String> authenticatedAgent() {
        SSLSession ssl = ServiceRequestContext.current().sslSession();
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.getPeerCertificates();
            X509Certificate certificate = (X509Certificate) chain[0];
            String agentId = CertificateAuthority.commonName(certificate);
            String serial = certificate.getSerialNumber().toString(16);
            return repository.agent(agentId).filter(row -> row.serial().equals(serial)).map(Repository.AgentRow::id);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("event=agent_certificate_refused error=\"{}\"", e.getMessage());
            return Optional.empty();
        }
    }
}
