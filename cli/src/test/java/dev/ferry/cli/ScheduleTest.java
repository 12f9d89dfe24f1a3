package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controlplane.ControlPlane;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import dev.ferry.protocol.tls.Pem;
import dev.ferry.protocol.tls.TrustedHttps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Schedules on a real control plane whose clock the test moves: runs fire when due, incrementally,
 * once after a gap however many slots it covered, and turn themselves off after repeated failures
 * with the same error.
 */
@ExtendWith(S3ServersExtension.class)
class ScheduleTest {
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path temp;
    private final MovableClock clock = new MovableClock(START);
    private ControlPlane plane;
    private ApiClient api;

    private InProcessControlPlane controlPlane;

    private void startControlPlane() throws Exception {
        controlPlane = InProcessControlPlane.start(temp.resolve("cp"), clock);
        plane = controlPlane.plane;
        api = controlPlane.api;
    }

    @AfterEach
    void stop() {
        if (plane != null) {
            plane.close();
        }
    }

    private String s3Location(S3ProxyServer s3, String bucket) {
        return controlPlane.s3Location(s3, bucket);
    }

    private List<JsonNode> executions(String task) {
        return StreamSupport.stream(api.get("/v1/task-executions?taskId=" + task).get("executions").spliterator(), false).toList();
    }

    /** Waits for the task's n-th execution to end and returns it. */
    private JsonNode awaitEnded(String task, int n) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<JsonNode> all = executions(task);
            if (all.size() < n || all.get(n - 1).path("endedAt").isNull() || all.get(n - 1).path("endedAt").isMissingNode()) {
                return false;
            }
            found.set(all.get(n - 1));
            return true;
        });
        return found.get();
    }

    @Test
    void aRateScheduleRunsIncrementallyAndCatchesUpOnceAfterAGap(S3ProxyServer s3) throws Exception {
        startControlPlane();
        String sourceBucket = s3.createBucket();
        String destinationBucket = s3.createBucket();
        try (var client = s3.client()) {
            client.putObject(b -> b.bucket(sourceBucket).key("a.txt"), RequestBody.fromString("first"));
            client.putObject(b -> b.bucket(sourceBucket).key("dir/b.txt"), RequestBody.fromString("second"));
        }
        JsonNode task = api.post("/v1/tasks", Map.of("sourceLocationId", s3Location(s3, sourceBucket),
                "destinationLocationId", s3Location(s3, destinationBucket),
                "schedule", Map.of("scheduleExpression", "rate(10 minutes)")));
        String id = task.get("id").asText();
        assertThat(task.path("schedule").path("status").asText()).isEqualTo("ENABLED");
        assertThat(Instant.parse(task.path("schedule").path("nextRunAt").asText())).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(executions(id)).isEmpty();

        clock.advance(Duration.ofMinutes(10));
        JsonNode first = awaitEnded(id, 1);
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("SUCCESS");
        assertThat(first.path("startedBy").asText()).isEqualTo("SCHEDULE");
        assertThat(first.path("counters").path("FilesTransferred").asLong()).isEqualTo(2);

        try (var client = s3.client()) {
            client.putObject(b -> b.bucket(sourceBucket).key("c.txt"), RequestBody.fromString("third"));
        }
        clock.advance(Duration.ofMinutes(10));
        JsonNode second = awaitEnded(id, 2);
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("SUCCESS");
        assertThat(second.path("counters").path("FilesTransferred").asLong()).as("only the new object").isEqualTo(1);
        assertThat(second.path("counters").path("FilesSkipped").asLong()).isEqualTo(2);

        // Three and a half periods pass at once, as when the control plane was down: one run.
        clock.advance(Duration.ofMinutes(35));
        JsonNode third = awaitEnded(id, 3);
        assertThat(third.path("status").asText()).isEqualTo("SUCCESS");
        JsonNode after = api.get("/v1/tasks/" + id);
        Instant next = Instant.parse(after.path("schedule").path("nextRunAt").asText());
        assertThat(next).as("back on the 10-minute grid, after now").isEqualTo(START.plus(Duration.ofMinutes(60)))
                .isAfter(clock.instant());
        assertThat(executions(id)).hasSize(3);

        // A user disables it; no run while disabled; enabling counts from then on.
        JsonNode disabled = api.patch("/v1/tasks/" + id, Map.of("schedule", Map.of("status", "DISABLED")));
        assertThat(disabled.path("scheduleDetails").path("disabledBy").asText()).isEqualTo("USER");
        assertThat(disabled.path("schedule").path("nextRunAt").isNull()).isTrue();
        clock.advance(Duration.ofHours(2));
        JsonNode enabled = api.patch("/v1/tasks/" + id, Map.of("schedule", Map.of("status", "ENABLED")));
        assertThat(Instant.parse(enabled.path("schedule").path("nextRunAt").asText()))
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(enabled.path("scheduleDetails").path("disabledBy").isNull()).isTrue();
        assertThat(executions(id)).hasSize(3);
    }

    @Test
    void repeatedFailuresWithTheSameErrorDisableTheScheduleVisibly(S3ProxyServer s3) throws Exception {
        startControlPlane();
        String missing = s3Location(s3, "no-such-bucket-" + System.nanoTime());
        String destination = s3Location(s3, s3.createBucket());
        String id = api.post("/v1/tasks", Map.of("sourceLocationId", missing, "destinationLocationId", destination,
                "schedule", Map.of("scheduleExpression", "rate(1 minute)"))).get("id").asText();

        String code = null;
        for (int run = 1; run <= 3; run++) {
            clock.advance(Duration.ofMinutes(1));
            JsonNode ended = awaitEnded(id, run);
            assertThat(ended.path("status").asText()).isEqualTo("ERROR");
            code = ended.path("errorCode").asText();
        }
        String expectedCode = code;
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/v1/tasks/" + id).path("schedule").path("status").asText().equals("DISABLED"));
        JsonNode task = api.get("/v1/tasks/" + id);
        assertThat(task.path("scheduleDetails").path("disabledBy").asText()).isEqualTo("SERVICE");
        assertThat(task.path("scheduleDetails").path("disabledReason").asText())
                .contains("3 scheduled executions in a row failed with " + expectedCode);
        assertThat(Instant.parse(task.path("scheduleDetails").path("statusUpdateTime").asText())).isEqualTo(clock.instant());

        HttpClient http = HttpClient.newBuilder()
                .sslContext(TrustedHttps.trusting(Pem.certificate(Files.readString(plane.caCertificateFile())))).build();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(plane.apiUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("ferry_schedules_disabled_by_service 1.0")
                .containsPattern("ferry_schedules_auto_disabled_total\\{error_code=\"" + expectedCode + "\"} 1.0");

        clock.advance(Duration.ofMinutes(5));
        // The scheduler ticks every second; it found nothing due (the schedule has no next run).
        assertThat(api.get("/v1/tasks/" + id).path("schedule").path("nextRunAt").isNull()).isTrue();
        assertThat(executions(id)).hasSize(3);
    }

    @Test
    void aScheduleNeverStartsASecondRunOfABusyTaskButQueuesOneOrSkipsAsTaskQueueingSays(S3ProxyServer s3) throws Exception {
        startControlPlane();
        String sourceBucket = s3.createBucket();
        try (var client = s3.client()) {
            client.putObject(b -> b.bucket(sourceBucket).key("slow.bin"), RequestBody.fromBytes(new byte[4 << 20]));
        }
        // 4 MiB at 64 KiB/s keeps the first run busy for about a minute; the test cancels it.
        String id = api.post("/v1/tasks", Map.of("sourceLocationId", s3Location(s3, sourceBucket),
                "destinationLocationId", s3Location(s3, s3.createBucket()), "options", Map.of("BytesPerSecond", 65_536),
                "schedule", Map.of("scheduleExpression", "rate(1 minute)"))).get("id").asText();
        clock.advance(Duration.ofMinutes(1));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> executions(id).size() == 1
                && executions(id).get(0).path("status").asText().equals("TRANSFERRING"));

        clock.advance(Duration.ofMinutes(1));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> executions(id).size() == 2);
        assertThat(executions(id).get(1).path("status").asText()).as("TaskQueueing=ENABLED queues one").isEqualTo("QUEUED");
        clock.advance(Duration.ofMinutes(1));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metric("ferry_schedules_skipped_total") == 1.0);
        assertThat(executions(id)).as("never more than one waiting").hasSize(2);

        api.patch("/v1/tasks/" + id, Map.of("options", Map.of("TaskQueueing", "DISABLED")));
        api.post("/v1/task-executions/" + executions(id).get(1).path("id").asText() + "/cancel", Map.of());
        clock.advance(Duration.ofMinutes(1));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metric("ferry_schedules_skipped_total") == 2.0);
        assertThat(executions(id)).as("TaskQueueing=DISABLED skips while one runs").hasSize(2);
        api.post("/v1/task-executions/" + executions(id).get(0).path("id").asText() + "/cancel", Map.of());
        assertThat(awaitEnded(id, 1).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(awaitEnded(id, 2).path("status").asText()).isEqualTo("CANCELLED");
    }

    private double metric(String name) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(TrustedHttps.trusting(Pem.certificate(Files.readString(plane.caCertificateFile())))).build();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(plane.apiUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aMalformedScheduleIsRefusedAndLeavesTheTaskAsItWas(S3ProxyServer s3) throws Exception {
        startControlPlane();
        String a = s3Location(s3, s3.createBucket());
        String b = s3Location(s3, s3.createBucket());
        assertThatThrownBy(() -> api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "schedule", Map.of("scheduleExpression", "rate(5 weeks)"))))
                .hasMessageContaining("field: schedule.scheduleExpression");
        assertThat(api.get("/v1/tasks").get("tasks")).isEmpty();

        String id = api.post("/v1/tasks", Map.of("sourceLocationId", a, "destinationLocationId", b,
                "schedule", Map.of("scheduleExpression", "cron(0 12 * * ? *)"))).get("id").asText();
        assertThatThrownBy(() -> api.patch("/v1/tasks/" + id, Map.of("name", "renamed",
                "schedule", Map.of("scheduleExpression", "cron(0 12 * * * *)"))))
                .hasMessageContaining("field: schedule.scheduleExpression");
        assertThatThrownBy(() -> api.patch("/v1/tasks/" + id, Map.of("schedule", Map.of("status", "PAUSED"))))
                .hasMessageContaining("field: schedule.status");
        assertThatThrownBy(() -> api.patch("/v1/tasks/" + id, Map.of("schedule", Map.of("expression", "rate(1 hour)"))))
                .hasMessageContaining("field: schedule.expression");
        JsonNode task = api.get("/v1/tasks/" + id);
        assertThat(task.path("name").asText()).isEqualTo("task");
        assertThat(task.path("schedule").path("scheduleExpression").asText()).isEqualTo("cron(0 12 * * ? *)");
        assertThat(Instant.parse(task.path("schedule").path("nextRunAt").asText())).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));

        // An empty expression removes the schedule, as in DataSync.
        assertThat(api.patch("/v1/tasks/" + id, Map.of("schedule", Map.of("scheduleExpression", ""))).path("schedule").isNull())
                .isTrue();
    }

    /** A clock the test moves by hand; the scheduler reads it every second. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
