package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Manifests through the API: stored on the task, read from a location, refused when they cannot work. */
@ExtendWith(S3ServersExtension.class)
class ManifestConfigTest {
    @TempDir
    Path temp;
    private InProcessControlPlane controlPlane;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        controlPlane = InProcessControlPlane.start(temp.resolve("cp"));
        api = controlPlane.api;
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    private String s3Location(S3ProxyServer s3, String bucket, String prefix) {
        return controlPlane.s3Location(s3, bucket, prefix);
    }

    @Test
    void aTaskWithAManifestTransfersTheListedObjectsOnlyAndReportsTheMissingOne(S3ProxyServer s3) {
        String bucket = s3.createBucket();
        String destinationBucket = s3.createBucket();
        try (S3Client client = s3.client()) {
            for (String key : List.of("data/a.txt", "data/b.txt", "data/c.txt")) {
                client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
            }
            client.putObject(b -> b.bucket(bucket).key("lists/today.csv"), RequestBody.fromString("a.txt\n/c.txt\ngone.txt\n"));
        }
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", s3Location(s3, bucket, "data"),
                "destinationLocationId", s3Location(s3, destinationBucket, ""),
                "manifestConfig", Map.of("source", Map.of("locationId", s3Location(s3, bucket, ""), "key", "lists/today.csv"))))
                .get("id").asText();
        assertThat(api.get("/v1/tasks/" + task).path("manifestConfig").path("source").path("key").asText()).isEqualTo("lists/today.csv");
        JsonNode[] ended = {controlPlane.runToEnd(task, Map.of())};
        String execution = ended[0].path("id").asText();
        assertThat(ended[0].path("status").asText()).isEqualTo("ERROR");
        assertThat(ended[0].path("errorCode").asText()).isEqualTo("NOT_FOUND_AT_SOURCE");
        assertThat(ended[0].path("counters").path("FilesTransferred").asLong()).isEqualTo(2);
        assertThat(ended[0].path("manifestConfig").path("source").path("key").asText()).isEqualTo("lists/today.csv");
        JsonNode failures = api.get("/v1/task-executions/" + execution + "/failures").get("failures");
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).path("key").asText()).isEqualTo("gone.txt");
        try (S3Client client = s3.client()) {
            assertThat(client.listObjectsV2Paginator(b -> b.bucket(destinationBucket)).contents().stream().map(S3Object::key))
                    .containsExactlyInAnyOrder("a.txt", "c.txt");
        }
    }

    @Test
    void manifestSettingsThatCannotWorkAreRefusedNamingTheField(S3ProxyServer s3) {
        String a = s3Location(s3, s3.createBucket(), "");
        String b = s3Location(s3, s3.createBucket(), "");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "manifestConfig", Map.of("source", Map.of("locationId", a)))))
                .hasMessageContaining("field: manifestConfig.source.key");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "manifestConfig", Map.of("source", Map.of("locationId", a, "key", "../list.csv")))))
                .hasMessageContaining("field: manifestConfig.source.key");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "manifestConfig", Map.of("source", Map.of("locationId", a, "key", "list.csv"), "format", "JSON"))))
                .hasMessageContaining("field: manifestConfig.format");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "manifestConfig", Map.of("source", Map.of("locationId", a, "key", "list.csv", "bucket", "x")))))
                .as("an unknown field inside a nested object is named by its whole path")
                .hasMessageContaining("field: manifestConfig.source.bucket");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "manifestConfig", Map.of("source", "list.csv"))))
                .hasMessageContaining("field: manifestConfig.source").hasMessageContaining("JSON object");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "options", Map.of("PreserveDeletedFiles", "REMOVE"),
                "manifestConfig", Map.of("source", Map.of("locationId", a, "key", "list.csv")))))
                .hasMessageContaining("field: options.PreserveDeletedFiles").hasMessageContaining("manifestConfig");
        assertThat(api.get("/v1/tasks").get("tasks")).isEmpty();

        String task = api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "manifestConfig", Map.of("source", Map.of("locationId", a, "key", "list.csv")))).get("id").asText();
        assertThatThrownBy(() -> api.post("/v1/tasks/" + task + "/start", Map.of("options", Map.of("PreserveDeletedFiles", "REMOVE"))))
                .hasMessageContaining("field: options.PreserveDeletedFiles");
        assertThat(api.get("/v1/task-executions?taskId=" + task).get("executions")).isEmpty();
    }
}
