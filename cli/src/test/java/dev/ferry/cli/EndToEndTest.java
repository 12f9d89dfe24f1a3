package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.engine.testing.Trees;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The control plane and an agent as separate processes, over real TLS sockets, started and
 * activated with the same commands an operator types.
 */
@ExtendWith(S3ServersExtension.class)
class EndToEndTest {
    private static final long LARGE_FILE = 200L << 20;

    @TempDir
    Path temp;
    private FerryProcess controlPlane;
    private FerryProcess agent;
    private ApiClient api;
    private String url;
    private String token;
    private Path ca;
    private String agentId;
    private String fingerprint;

    @BeforeEach
    void startControlPlaneAndAgent() {
        FerryPair pair = FerryPair.start(temp);
        controlPlane = pair.controlPlane;
        agent = pair.agent;
        api = pair.api;
        url = pair.url;
        token = pair.token;
        ca = pair.ca;
        agentId = pair.agentId;
        fingerprint = pair.fingerprint;
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    private String posixLocation(Path path) {
        return api.post("/v1/locations", Map.of("type", "posix", "agents", List.of(agentId), "settings",
                Map.of("path", path.toString()))).get("id").asText();
    }

    private JsonNode runTask(String source, String destination) {
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", source, "destinationLocationId", destination)).get("id").asText();
        String execution = api.post("/v1/tasks/" + task + "/start", Map.of()).get("id").asText();
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = api.get("/v1/task-executions/" + execution);
            return ExecutionWatch.TERMINAL.contains(last[0].path("status").asText());
        });
        return last[0];
    }

    @Test
    void aTreeWithALargeFileGoesFromAnAgentToS3AndBackExactly(S3ProxyServer s3) throws Exception {
        Path source = temp.resolve("source");
        Trees.generate(source, LARGE_FILE);
        String bucket = s3.createBucket();
        String s3Location = api.post("/v1/locations", Map.of("type", "s3", "settings", Map.of("endpoint", s3.endpoint().toString(),
                "bucket", bucket, "prefix", "backup", "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY,
                "partSize", 16L << 20))).get("id").asText();

        JsonNode up = runTask(posixLocation(source), s3Location);
        assertThat(up.path("status").asText()).as(up.toString()).isEqualTo("SUCCESS");
        assertThat(up.path("counters").path("FilesVerified").asLong()).isEqualTo(up.path("counters").path("FilesTransferred").asLong());
        assertThat(up.path("counters").path("BytesCompressed").asLong()).isPositive()
                .isLessThan(up.path("counters").path("BytesTransferred").asLong());

        // An independent client finds every file as an object with the same bytes and an mtime.
        try (S3Client client = s3.client(); Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String key = "backup/" + source.relativize(file);
                byte[] object = client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                assertThat(sha256(object)).as(key).isEqualTo(Trees.sha256(file));
                assertThat(client.headObject(b -> b.bucket(bucket).key(key)).metadata()).as(key).containsKey("file-mtime");
            }
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
            assertThat(keys).contains("backup/empty/").noneMatch(k -> k.contains(".ferry-tmp"));
        }

        Path back = Files.createDirectory(temp.resolve("back"));
        JsonNode down = runTask(s3Location, posixLocation(back));
        assertThat(down.path("status").asText()).as(down.toString()).isEqualTo("SUCCESS");
        Trees.assertSameTree(source, back);

        // Listed by the API as it ran, with DataSync's phases and durations.
        assertThat(down.path("result").path("TotalDuration").asLong()).isPositive();
        assertThat(api.get("/v1/task-executions").path("executions")).hasSize(2);
    }

    @Test
    void aDirectoryGoesToAnotherDirectoryThroughTheAgentWithTimesAndModes() {
        Path source = temp.resolve("source");
        Trees.generate(source, 0);
        Path destination = temp.resolve("destination");
        destination.toFile().mkdirs();
        JsonNode execution = runTask(posixLocation(source), posixLocation(destination));
        assertThat(execution.path("status").asText()).as(execution.toString()).isEqualTo("SUCCESS");
        Trees.assertSameTree(source, destination);
    }

    @Test
    void filtersSetOnTheTaskAndReplacedForOneRunThroughTheCli() throws Exception {
        Path source = temp.resolve("source");
        Trees.generate(source, 0);
        Path destination = Files.createDirectories(temp.resolve("filtered"));
        String[] connection = {"--control-plane", url, "--token", token, "--ca-cert", ca.toString()};
        FerryProcess.Result created = FerryProcess.run(temp, Map.of(), concat(new String[] {"task", "create", "-o", "json",
                "--source", posixLocation(source), "--destination", posixLocation(destination),
                "--includes", "/a|/with space", "--excludes", "*.log|/a/b"}, connection));
        assertThat(created.exitCode()).as(created.output()).isZero();
        String task = ApiClient.JSON.readTree(created.output().substring(created.output().indexOf('{'))).get("id").asText();
        assertThat(FerryProcess.run(temp, Map.of(), concat(new String[] {"task", "start", task, "--wait"}, connection)).exitCode()).isZero();
        try (Stream<Path> files = Files.walk(destination)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> destination.relativize(p).toString()).sorted().toList())
                    .containsExactly("a/random-3m.bin", "with space/file with space.txt");
        }
        FerryProcess.Result override = FerryProcess.run(temp, Map.of(), concat(new String[] {"task", "start", task, "--wait",
                "--includes", "/zero", "--excludes", ""}, connection));
        assertThat(override.exitCode()).as(override.output()).isZero();
        assertThat(destination.resolve("zero")).exists();

        FerryProcess.Result malformed = FerryProcess.run(temp, Map.of(), concat(new String[] {"task", "create", "--source",
                posixLocation(source), "--destination", posixLocation(destination), "--excludes", "logs/*.tmp"}, connection));
        assertThat(malformed.exitCode()).isEqualTo(1);
        assertThat(malformed.output()).contains("(field: excludes)");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void refusalsAreClearAndStoreNothing() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(dev.ferry.protocol.tls.TrustedHttps.trusting(
                dev.ferry.protocol.tls.Pem.certificate(Files.readString(ca)))).build();
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/tasks")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("\"field\":\"Authorization\"");

        String source = posixLocation(temp);
        String other = posixLocation(temp.resolve("other"));
        assertThat(error(() -> api.post("/v1/tasks", Map.of("sourceLocationId", source, "destinationLocationId", "loc-missing"))))
                .contains("INVALID_REQUEST", "field: destinationLocationId");
        assertThat(error(() -> api.post("/v1/tasks", Map.of("sourceLocationId", source, "destinationLocationId", other,
                "options", Map.of("VerifyMode", "SOMETIMES"))))).contains("field: options.VerifyMode", "ONLY_FILES_TRANSFERRED");
        assertThat(error(() -> api.post("/v1/locations", Map.of("type", "s3", "settings", Map.of("bucket", "Not_A_Bucket")))))
                .contains("field: settings.bucket");
        assertThat(api.get("/v1/tasks").path("tasks")).isEmpty();
        assertThat(api.get("/v1/locations").path("locations")).hasSize(2);

        FerryProcess.Result badKey = FerryProcess.run(temp, Map.of(), "agent", "activate", "--control-plane", url,
                "--activation-key", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", "--name", "intruder", "--ca-cert", ca.toString(),
                "--agent-dir", temp.resolve("intruder").toString());
        assertThat(badKey.exitCode()).isNotZero();
        assertThat(badKey.output().strip()).startsWith("ferry: activation refused (403)").contains("not known").doesNotContain("\tat ");
        assertThat(temp.resolve("intruder/agent.crt")).doesNotExist();

        String wrongPin = api.post("/v1/activation-keys", Map.of()).get("activationKey").asText();
        FerryProcess.Result pinned = FerryProcess.run(temp, Map.of(), "agent", "activate", "--control-plane", url, "--activation-key",
                wrongPin, "--name", "x", "--ca-fingerprint", (fingerprint.charAt(0) == '0' ? "1" : "0") + fingerprint.substring(1),
                "--agent-dir", temp.resolve("pinned").toString());
        assertThat(pinned.exitCode()).isNotZero();
        assertThat(pinned.output()).contains("refusing to trust it");

        String used = api.post("/v1/activation-keys", Map.of()).get("activationKey").asText();
        assertThat(FerryProcess.run(temp, Map.of(), "agent", "activate", "--control-plane", url, "--activation-key", used, "--name", "a",
                "--ca-cert", ca.toString(), "--agent-dir", temp.resolve("second").toString()).exitCode()).isZero();
        FerryProcess.Result reused = FerryProcess.run(temp, Map.of(), "agent", "activate", "--control-plane", url, "--activation-key",
                used, "--name", "b", "--ca-cert", ca.toString(), "--agent-dir", temp.resolve("third").toString());
        assertThat(reused.output()).contains("already used");
        assertThat(api.get("/v1/agents").path("agents")).hasSize(2);

        FerryProcess.Result cli = FerryProcess.run(temp, Map.of(), "task", "create", "--control-plane", url, "--token", token,
                "--ca-cert", ca.toString(), "--source", source, "--destination", "loc-nope");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.output().strip().lines()).containsExactly(
                "ferry: INVALID_REQUEST: no location with id 'loc-nope' (field: destinationLocationId)");
    }

    @Test
    void killingTheAgentMidTransferEndsInErrorWithoutAPartialObject(S3ProxyServer s3) throws Exception {
        Path source = Files.createDirectories(temp.resolve("big-source"));
        byte[] block = new byte[1 << 20];
        new java.util.Random(3).nextBytes(block);
        try (var out = Files.newOutputStream(source.resolve("big.bin"))) {
            for (int i = 0; i < 400; i++) {
                out.write(block);
            }
        }
        String bucket = s3.createBucket();
        String s3Location = api.post("/v1/locations", Map.of("type", "s3", "settings", Map.of("endpoint", s3.endpoint().toString(),
                "bucket", bucket, "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY,
                "partSize", 16L << 20))).get("id").asText();
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", posixLocation(source), "destinationLocationId", s3Location))
                .get("id").asText();
        String execution = api.post("/v1/tasks/" + task + "/start", Map.of()).get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> "TRANSFERRING".equals(api.get("/v1/task-executions/" + execution).path("status").asText()));
        agent.kill();

        JsonNode[] ended = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
            ended[0] = api.get("/v1/task-executions/" + execution);
            return ExecutionWatch.TERMINAL.contains(ended[0].path("status").asText());
        });
        assertThat(ended[0].path("status").asText()).isEqualTo("ERROR");
        assertThat(ended[0].path("errorDetail").asText()).isNotBlank();
        try (S3Client client = s3.client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key).doesNotContain("big.bin");
        }
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> "OFFLINE".equals(api.get("/v1/agents/" + agentId).path("status").asText()));
    }

    @Test
    void bytesPerSecondChangesOnARunningExecution() throws Exception {
        Path source = Files.createDirectories(temp.resolve("throttled"));
        byte[] block = new byte[1 << 20];
        new java.util.Random(9).nextBytes(block);
        try (var out = Files.newOutputStream(source.resolve("sixty.bin"))) {
            for (int i = 0; i < 60; i++) {
                out.write(block);
            }
        }
        Path destination = Files.createDirectories(temp.resolve("throttled-copy"));
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", posixLocation(source), "destinationLocationId",
                posixLocation(destination), "options", Map.of("BytesPerSecond", 1_048_576))).get("id").asText();
        String execution = api.post("/v1/tasks/" + task + "/start", Map.of()).get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> "TRANSFERRING".equals(api.get("/v1/task-executions/" + execution).path("status").asText()));
        assertThat(error(() -> api.patch("/v1/task-executions/" + execution, Map.of("options", Map.of("VerifyMode", "NONE")))))
                .contains("field: options.VerifyMode");

        // At 1 MiB/s the 60 MiB file needs a minute; lifted, it finishes well inside the wait below.
        FerryProcess.Result lifted = FerryProcess.run(temp, Map.of(), "execution", "update", execution, "--bytes-per-second", "-1",
                "--control-plane", url, "--token", token, "--ca-cert", ca.toString());
        assertThat(lifted.exitCode()).as(lifted.output()).isZero();
        JsonNode[] ended = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> {
            ended[0] = api.get("/v1/task-executions/" + execution);
            return ExecutionWatch.TERMINAL.contains(ended[0].path("status").asText());
        });
        assertThat(ended[0].path("status").asText()).isEqualTo("SUCCESS");
        assertThat(ended[0].path("options").path("BytesPerSecond").asLong()).isEqualTo(-1);
        assertThat(error(() -> api.patch("/v1/task-executions/" + execution, Map.of("options", Map.of("BytesPerSecond", 5)))))
                .contains("CONFLICT");
    }

    @Test
    void executionsSharingAnAgentQueueFirstInFirstOut() throws Exception {
        Path source = Files.createDirectories(temp.resolve("queued"));
        Files.write(source.resolve("four-mib.bin"), new byte[4 << 20]);
        String first = api.post("/v1/tasks", Map.of("sourceLocationId", posixLocation(source), "destinationLocationId",
                posixLocation(Files.createDirectories(temp.resolve("q1"))), "options", Map.of("BytesPerSecond", 1_048_576)))
                .get("id").asText();
        String second = api.post("/v1/tasks", Map.of("sourceLocationId", posixLocation(source), "destinationLocationId",
                posixLocation(Files.createDirectories(temp.resolve("q2"))))).get("id").asText();
        String a = api.post("/v1/tasks/" + first + "/start", Map.of()).get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> "TRANSFERRING".equals(api.get("/v1/task-executions/" + a).path("status").asText()));
        String b = api.post("/v1/tasks/" + second + "/start", Map.of()).get("id").asText();
        assertThat(error(() -> api.post("/v1/tasks/" + second + "/start", Map.of("options", Map.of("TaskQueueing", "DISABLED")))))
                .contains("BUSY", "TaskQueueing");
        assertThat(api.get("/v1/task-executions/" + b).path("status").asText()).isEqualTo("QUEUED");

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                ExecutionWatch.TERMINAL.contains(api.get("/v1/task-executions/" + b).path("status").asText()));
        JsonNode ranFirst = api.get("/v1/task-executions/" + a);
        JsonNode ranSecond = api.get("/v1/task-executions/" + b);
        assertThat(ranFirst.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(ranSecond.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(java.time.Instant.parse(ranSecond.path("startedAt").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(ranFirst.path("endedAt").asText()));
    }

    @Test
    void healthAndPrometheusMetricsNeedNoToken() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(dev.ferry.protocol.tls.TrustedHttps.trusting(
                dev.ferry.protocol.tls.Pem.certificate(Files.readString(ca)))).build();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("ok\n");
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("ferry_agents_online 1.0");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).contains("/v1/task-executions/{id}");
    }

    @Test
    void aDeletedAgentsCertificateStopsWorking() {
        assertThat(api.get("/v1/agents/" + agentId).path("status").asText()).isEqualTo("ONLINE");
        api.delete("/v1/agents/" + agentId);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !agent.isAlive());
        assertThat(agent.output()).contains("refused this agent");
    }

    private static String error(Runnable call) {
        try {
            call.run();
        } catch (CliException e) {
            return e.getMessage();
        }
        throw new AssertionError("the call succeeded");
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

}
