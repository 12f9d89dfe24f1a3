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

/** Task reports through the API: configured on the task or for one run, written to a location, status on the execution. */
@ExtendWith(S3ServersExtension.class)
class TaskReportTest {
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

    private String s3Location(S3ProxyServer s3, String bucket) {
        return controlPlane.s3Location(s3, bucket);
    }

    private JsonNode runToEnd(String task, Map<String, Object> body) {
        return controlPlane.runToEnd(task, body);
    }

    @Test
    void aStandardReportLandsInTheNamedLocationAndItsStatusIsOnTheExecution(S3ProxyServer s3) throws Exception {
        String source = s3.createBucket();
        String reports = s3.createBucket();
        try (S3Client client = s3.client()) {
            client.putObject(b -> b.bucket(source).key("a.txt"), RequestBody.fromString("alpha"));
            client.putObject(b -> b.bucket(source).key("d/b.txt"), RequestBody.fromString("bravo"));
        }
        String reportLocation = s3Location(s3, reports);
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", s3Location(s3, source),
                "destinationLocationId", s3Location(s3, s3.createBucket()),
                "taskReportConfig", Map.of("destination", Map.of("locationId", reportLocation, "subdirectory", "ferry/reports/"),
                        "outputType", "STANDARD", "reportLevel", "SUCCESSES_AND_ERRORS"))).get("id").asText();
        JsonNode execution = runToEnd(task, Map.of());
        assertThat(execution.path("status").asText()).as(execution.toString()).isEqualTo("SUCCESS");
        JsonNode result = execution.path("reportResult");
        assertThat(result.path("Status").asText()).as(result.toString()).isEqualTo("SUCCESS");
        String prefix = "ferry/reports/" + task + "/" + execution.path("id").asText() + "/";
        assertThat(result.path("Prefix").asText()).isEqualTo(prefix);

        try (S3Client client = s3.client()) {
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(reports)).contents().stream().map(S3Object::key).toList();
            assertThat(keys).containsExactlyInAnyOrder(prefix + "summary.json", prefix + "transferred.json",
                    prefix + "skipped.json", prefix + "verified.json", prefix + "deleted.json", prefix + "failed.json");
            JsonNode transferred = ApiClient.JSON.readTree(client.getObjectAsBytes(b -> b.bucket(reports)
                    .key(prefix + "transferred.json")).asByteArray());
            assertThat(transferred.path("Items").findValuesAsText("RelativePath")).containsExactlyInAnyOrder("/a.txt", "/d/", "/d/b.txt");
            JsonNode summary = ApiClient.JSON.readTree(client.getObjectAsBytes(b -> b.bucket(reports)
                    .key(prefix + "summary.json")).asByteArray());
            assertThat(summary.path("Status").asText()).isEqualTo("SUCCESS");
            assertThat(summary.path("Counters").path("FilesTransferred").asLong()).isEqualTo(2);
            assertThat(summary.path("Options").path("VerifyMode").asText()).isEqualTo("POINT_IN_TIME_CONSISTENT");
        }

        // For one run, a summary only, elsewhere.
        JsonNode second = runToEnd(task, Map.of("taskReportConfig", Map.of("destination", Map.of("locationId", reportLocation,
                "subdirectory", "once"), "outputType", "SUMMARY_ONLY")));
        assertThat(second.path("reportResult").path("Files").asInt()).isEqualTo(1);
        try (S3Client client = s3.client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(reports).prefix("once/")).contents()).hasSize(1);
        }
    }

    @Test
    void aReportThatCannotBeWrittenIsAnErrorOfTheReportNotOfTheTransfer(S3ProxyServer s3) {
        String source = s3.createBucket();
        try (S3Client client = s3.client()) {
            client.putObject(b -> b.bucket(source).key("a.txt"), RequestBody.fromString("alpha"));
        }
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", s3Location(s3, source),
                "destinationLocationId", s3Location(s3, s3.createBucket()),
                "taskReportConfig", Map.of("destination", Map.of("locationId", s3Location(s3, "no-such-reports-bucket")))))
                .get("id").asText();
        JsonNode execution = runToEnd(task, Map.of());
        assertThat(execution.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(execution.path("reportResult").path("Status").asText()).isEqualTo("ERROR");
        assertThat(execution.path("reportResult").path("ErrorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(execution.path("reportResult").path("ErrorDetail").asText()).startsWith("the report could not be written");
    }

    @Test
    void malformedReportSettingsAreRefusedNamingTheField(S3ProxyServer s3) {
        String a = s3Location(s3, s3.createBucket());
        String b = s3Location(s3, s3.createBucket());
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "taskReportConfig", Map.of("destination", Map.of("locationId", "loc-nope")))))
                .hasMessageContaining("field: taskReportConfig.destination.locationId");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "taskReportConfig", Map.of("destination", Map.of("locationId", a, "subdirectory", "../up")))))
                .hasMessageContaining("field: taskReportConfig.destination.subdirectory");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "taskReportConfig", Map.of("destination", Map.of("locationId", a, "prefix", "r")))))
                .hasMessageContaining("field: taskReportConfig.destination.prefix");
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "taskReportConfig", Map.of("destination", Map.of("locationId", a), "reportLevel", "EVERYTHING"))))
                .hasMessageContaining("field: taskReportConfig.reportLevel");
        assertThat(api.get("/v1/tasks").get("tasks")).isEmpty();
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b)).get("id").asText();
        assertThatThrownBy(() -> api.patch("/v1/tasks/" + task, Map.of("taskReportConfig", Map.of("outputType", "FULL"))))
                .hasMessageContaining("field: taskReportConfig.outputType");
        assertThat(api.get("/v1/tasks/" + task).path("taskReportConfig").isNull()).isTrue();
    }
}
