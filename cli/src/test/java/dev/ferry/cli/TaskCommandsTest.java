package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controlplane.ControlPlane;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Schedules, reports and manifests as an operator types them: {@code ferry task create|update} in its own process. */
@ExtendWith(S3ServersExtension.class)
class TaskCommandsTest {
    @TempDir
    Path temp;
    private InProcessControlPlane controlPlane;
    private ControlPlane plane;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        controlPlane = InProcessControlPlane.start(temp.resolve("cp"));
        plane = controlPlane.plane;
        api = controlPlane.api;
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    private FerryProcess.Result ferry(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--control-plane", plane.apiUrl(), "--token", plane.adminToken(),
                "--ca-cert", plane.caCertificateFile().toString()));
        return FerryProcess.run(temp, Map.of(), all.toArray(String[]::new));
    }

    @Test
    void scheduleReportAndManifestFlagsReachTheTaskAndBadOnesFailInOneLine(S3ProxyServer s3) throws Exception {
        String a = api.post("/v1/locations", Map.of("type", "s3", "settings", Map.of("bucket", s3.createBucket(),
                "endpoint", s3.endpoint().toString()))).get("id").asText();
        String b = api.post("/v1/locations", Map.of("type", "s3", "settings", Map.of("bucket", s3.createBucket(),
                "endpoint", s3.endpoint().toString()))).get("id").asText();

        FerryProcess.Result created = ferry("task", "create", "--source", a, "--destination", b, "--schedule", "rate(30 minutes)",
                "--report-location", b, "--report-subdirectory", "reports", "--report-level", "SUCCESSES_AND_ERRORS",
                "--report-override", "skipped=ERRORS_ONLY", "--manifest-location", a, "--manifest-key", "lists/files.csv",
                "-o", "json");
        assertThat(created.exitCode()).as(created.output()).isZero();
        JsonNode task = ApiClient.JSON.readTree(created.output().substring(created.output().indexOf('{')));
        assertThat(task.path("schedule").path("scheduleExpression").asText()).isEqualTo("rate(30 minutes)");
        assertThat(task.path("taskReportConfig").path("overrides").path("skipped").path("reportLevel").asText())
                .isEqualTo("ERRORS_ONLY");
        assertThat(task.path("manifestConfig").path("source").path("key").asText()).isEqualTo("lists/files.csv");
        String id = task.path("id").asText();

        FerryProcess.Result disabled = ferry("task", "update", id, "--schedule-status", "DISABLED");
        assertThat(disabled.exitCode()).as(disabled.output()).isZero();
        assertThat(disabled.output()).contains("rate(30 minutes)").contains("DISABLED");
        assertThat(api.get("/v1/tasks/" + id).path("scheduleDetails").path("disabledBy").asText()).isEqualTo("USER");

        FerryProcess.Result bad = ferry("task", "update", id, "--schedule", "rate(0 minutes)");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.output().strip().lines().filter(l -> l.startsWith("ferry: "))).hasSize(1);
        assertThat(bad.output()).contains("schedule.scheduleExpression");

        FerryProcess.Result orphan = ferry("task", "update", id, "--report-level", "ERRORS_ONLY");
        assertThat(orphan.exitCode()).isEqualTo(1);
        assertThat(orphan.output()).contains("--report-location is required");
        assertThat(api.get("/v1/tasks/" + id).path("schedule").path("scheduleExpression").asText()).isEqualTo("rate(30 minutes)");
    }

    @Test
    void locationSettingsComeFromJsonAndFilesAndBadOnesFailInOneLine(S3ProxyServer s3) throws Exception {
        Path pem = temp.resolve("ca.pem");
        java.nio.file.Files.writeString(pem, dev.ferry.locations.s3.testing.TestCertificates.unrelatedCaPem());
        FerryProcess.Result created = ferry("location", "create", "--type", "object-storage", "--settings-json",
                "{\"serverHostname\": \"127.0.0.1\", \"serverPort\": " + s3.endpoint().getPort() + "}",
                "--setting", "bucketName=" + s3.createBucket(), "--access-key", S3ProxyServer.ACCESS_KEY,
                "--secret-key", S3ProxyServer.SECRET_KEY, "--server-certificate", pem.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.output()).isZero();
        JsonNode location = ApiClient.JSON.readTree(created.output().substring(created.output().indexOf('{')));
        assertThat(location.path("settings").path("serverPort").asInt()).isEqualTo(s3.endpoint().getPort());
        assertThat(location.path("settings").path("serverCertificate").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(location.path("settings").has("secretKey")).isFalse();

        FerryProcess.Result badJson = ferry("location", "create", "--type", "hdfs", "--settings-json", "{nope");
        assertThat(badJson.exitCode()).isEqualTo(1);
        assertThat(badJson.output()).contains("--settings-json");
        FerryProcess.Result badNode = ferry("location", "create", "--type", "hdfs", "--setting", "simpleUser=hdfs",
                "--settings-json", "{\"nameNodes\": [{\"hostname\": \"nn\", \"port\": 0}]}");
        assertThat(badNode.exitCode()).isEqualTo(1);
        assertThat(badNode.output().strip().lines().filter(l -> l.startsWith("ferry: "))).hasSize(1);
        assertThat(badNode.output()).contains("settings.nameNodes[0].port");
        assertThat(api.get("/v1/locations").path("locations")).hasSize(1);
    }
}
