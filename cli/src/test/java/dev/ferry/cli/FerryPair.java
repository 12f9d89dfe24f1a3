package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A control plane and one agent as separate processes, started and activated with the commands an
 * operator types, the agent online. {@link #close()} stops both.
 */
final class FerryPair implements AutoCloseable {
    final FerryProcess controlPlane;
    final FerryProcess agent;
    final ApiClient api;
    final String url;
    final String token;
    final Path ca;
    final String agentId;
    final String fingerprint;

    private FerryPair(FerryProcess controlPlane, FerryProcess agent, ApiClient api, String url, String token, Path ca,
            String agentId, String fingerprint) {
        this.controlPlane = controlPlane;
        this.agent = agent;
        this.api = api;
        this.url = url;
        this.token = token;
        this.ca = ca;
        this.agentId = agentId;
        this.fingerprint = fingerprint;
    }

    static FerryPair start(Path temp) {
        return start(temp, List.of(), List.of());
    }

    /** With extra JVM options for each process (a heap limit, a GC log). */
    static FerryPair start(Path temp, List<String> controlPlaneJvm, List<String> agentJvm) {
        Path cpDir = temp.resolve("control-plane");
        FerryProcess controlPlane = FerryProcess.start(temp, Map.of(), controlPlaneJvm, "control-plane", "run", "--data-dir",
                cpDir.toString(), "--api-port", "0", "--data-port", "0", "--no-config");
        FerryProcess agent = null;
        try {
            String url = controlPlane.awaitLine("control plane listening at (https://\\S+)", Duration.ofSeconds(60));
            String token = controlPlane.awaitLine("admin API token .*: (fry_\\S+)", Duration.ofSeconds(5));
            String fingerprint = controlPlane.awaitLine("CA certificate: .* \\(SHA-256 ([0-9a-f:]+)\\)", Duration.ofSeconds(5));
            Path ca = cpDir.resolve("ca.crt");
            ApiClient api = new ApiClient(url, token, ca);
            Agent first = startAgent(temp, api, url, fingerprint, "agent", agentJvm);
            agent = first.process();
            return new FerryPair(controlPlane, agent, api, url, token, ca, first.id(), fingerprint);
        } catch (RuntimeException | Error e) {
            if (agent != null) {
                agent.close();
            }
            controlPlane.close();
            throw e;
        }
    }

    /** An agent process, and the id it was activated with. */
    record Agent(FerryProcess process, String id) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }

    /** Activates and starts a further agent of this control plane, in {@code temp/name}; online when this returns. */
    Agent startAgent(Path temp, String name) {
        return startAgent(temp, api, url, fingerprint, name, List.of());
    }

    private static Agent startAgent(Path temp, ApiClient api, String url, String fingerprint, String name, List<String> jvm) {
        String key = api.post("/v1/activation-keys", Map.of()).get("activationKey").asText();
        assertThat(key).matches("[A-Z0-9]{5}(-[A-Z0-9]{5}){4}");
        FerryProcess.Result activation = FerryProcess.run(temp, Map.of(), "agent", "activate", "--control-plane", url,
                "--activation-key", key, "--name", "test-" + name, "--ca-fingerprint", fingerprint,
                "--agent-dir", temp.resolve(name).toString());
        assertThat(activation.exitCode()).as(activation.output()).isZero();
        String agentId = activation.output().replaceAll("(?s).*activated agent (agent-[0-9a-f]+).*", "$1");
        // Compression always: on loopback the network never backs up, so adaptive compression would
        // never compress, and the tests check what compression does to the figures.
        FerryProcess process = FerryProcess.start(temp, Map.of(), jvm, "agent", "run", "--agent-dir", temp.resolve(name).toString(),
                "--compression", "always");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> "ONLINE".equals(api.get("/v1/agents/" + agentId).path("status").asText()));
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
        return new Agent(process, agentId);
    }

    ApiClient api() {
        return api;
    }

    String agentId() {
        return agentId;
    }

    @Override
    public void close() {
        agent.close();
        controlPlane.close();
    }
}
