package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controlplane.ControlPlane;
import dev.ferry.controlplane.ControlPlaneConfig;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A real control plane in the test's own JVM (for a clock the test moves, and speed), with an API
 * client as the CLI has it. S3 locations need no agent, so these tests run without one.
 */
final class InProcessControlPlane implements AutoCloseable {
    final ControlPlane plane;
    final ApiClient api;

    private InProcessControlPlane(ControlPlane plane) {
        this.plane = plane;
        this.api = new ApiClient(plane.apiUrl(), plane.adminToken(), plane.caCertificateFile());
    }

    static InProcessControlPlane start(Path dataDir) throws Exception {
        return start(dataDir, Clock.systemUTC());
    }

    static InProcessControlPlane start(Path dataDir, Clock clock) throws Exception {
        return new InProcessControlPlane(ControlPlane.start(new ControlPlaneConfig(dataDir, "127.0.0.1", 0, 0, "127.0.0.1", clock)));
    }

    /** An S3 location on the test's S3Proxy; {@code prefix} may be empty. */
    String s3Location(S3ProxyServer s3, String bucket, String prefix) {
        Map<String, Object> settings = new HashMap<>(Map.of("endpoint", s3.endpoint().toString(), "bucket", bucket,
                "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY));
        if (!prefix.isEmpty()) {
            settings.put("prefix", prefix);
        }
        return api.post("/v1/locations", Map.of("type", "s3", "settings", settings)).get("id").asText();
    }

    String s3Location(S3ProxyServer s3, String bucket) {
        return s3Location(s3, bucket, "");
    }

    /** Starts the task with {@code body} and waits for the execution's end. */
    JsonNode runToEnd(String task, Map<String, Object> body) {
        String execution = api.post("/v1/tasks/" + task + "/start", body).get("id").asText();
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.set(api.get("/v1/task-executions/" + execution));
            return !last.get().path("endedAt").isNull();
        });
        return last.get();
    }

    @Override
    public void close() {
        plane.close();
    }
}
