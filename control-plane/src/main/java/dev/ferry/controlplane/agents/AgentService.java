package dev.ferry.controlplane.agents;

import com.linecorp.armeria.common.HttpStatus;
import dev.ferry.controlplane.api.ApiException;
import dev.ferry.controlplane.security.Hashes;
import dev.ferry.controlplane.store.Ids;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Views;
import dev.ferry.protocol.tls.CertificateAuthority;
import dev.ferry.protocol.tls.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Activation keys, activation, and the agents the control plane knows. */
public final class AgentService {
    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);
    public static final Duration KEY_LIFETIME = Duration.ofMinutes(30);
    private static final Duration CERTIFICATE_LIFETIME = Duration.ofDays(397);
    private static final Pattern KEY_FORM = Pattern.compile("[A-Z0-9]{5}(-[A-Z0-9]{5}){4}");

    private final Repository repository;
    private final AgentRegistry registry;
    private final CertificateAuthority ca;

    public AgentService(Repository repository, AgentRegistry registry, CertificateAuthority ca) {
        this.repository = repository;
        this.registry = registry;
        this.ca = ca;
    }

    public record ActivationKey(String activationKey, Instant expiresAt) {
    }

    public ActivationKey createActivationKey() {
        String key = Hashes.newActivationKey();
        Instant expires = Instant.now().plus(KEY_LIFETIME);
        repository.insertActivationKey(Hashes.sha256Hex(key), expires);
        LOG.info("event=activation_key_created expires_at={}", expires);
        return new ActivationKey(key, expires);
    }

    public record Activation(String agentId, String certificate, String caCertificate) {
    }

    /** Certifies an agent's key in exchange for a single-use activation key. */
    public Activation activate(String activationKey, String name, String csrPem) {
        if (activationKey == null || !KEY_FORM.matcher(activationKey).matches()) {
            throw ApiException.badRequest("activationKey", "must have the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX");
        }
        if (name == null || name.isBlank() || name.length() > 256) {
            throw ApiException.badRequest("name", "must be 1 to 256 characters");
        }
        PKCS10CertificationRequest csr;
        try {
            csr = Pem.csr(csrPem);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("csr", e.getMessage());
        }
        String keyHash = Hashes.sha256Hex(activationKey);
        String agentId = Ids.next("agent");
        return repository.jdbi().inTransaction(h -> {
            Optional<String> problem = repository.activationKeyProblem(h, keyHash, Instant.now());
            if (problem.isPresent()) {
                LOG.warn("event=activation_refused reason=\"{}\"", problem.get());
                throw new ApiException(HttpStatus.FORBIDDEN, "INVALID_ACTIVATION_KEY", "activationKey", problem.get());
            }
            X509Certificate certificate;
            try {
                certificate = ca.signClient(csr, agentId, CERTIFICATE_LIFETIME);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("csr", e.getMessage());
            }
            repository.insertAgent(h, agentId, name, certificate.getSerialNumber().toString(16), Pem.write(certificate));
            repository.useActivationKey(h, keyHash, agentId);
            LOG.info("event=agent_activated agent={} name=\"{}\"", agentId, name);
            return new Activation(agentId, Pem.write(certificate), Pem.write(ca.certificate()));
        });
    }

    public List<Views.Agent> list() {
        return repository.agents().stream().map(this::view).toList();
    }

    public Views.Agent get(String id) {
        return repository.agent(id).map(this::view).orElseThrow(() -> ApiException.notFound("agent", id));
    }

    public void delete(String id) {
        boolean inUse = repository.locations().stream().anyMatch(l -> l.agentIds().contains(id));
        if (inUse) {
            throw ApiException.conflict("agent " + id + " is used by a location; delete the location first");
        }
        if (!repository.deleteAgent(id)) {
            throw ApiException.notFound("agent", id);
        }
        registry.revoke(id);
        LOG.info("event=agent_deleted agent={}", id);
    }

    private Views.Agent view(Repository.AgentRow row) {
        return new Views.Agent(row.id(), row.name(), registry.isOnline(row.id()) ? "ONLINE" : "OFFLINE", row.createdAt(), row.lastSeenAt());
    }

    public Map<String, Object> asMap(Activation activation) {
        return Map.of("agentId", activation.agentId(), "certificate", activation.certificate(),
                "caCertificate", activation.caCertificate());
    }
}
