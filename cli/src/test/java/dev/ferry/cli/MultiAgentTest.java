package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One location served by two agents that reach the same directory: the files are shared between
 * them as they take requests, with no filter per agent, and when one is killed mid-transfer the
 * other finishes its work.
 */
@ExtendWith(S3ServersExtension.class)
class MultiAgentTest {
    private static final int FILES = 120;
    private static final int FILE_BYTES = 256 << 10;

    @TempDir
    Path temp;

    @Test
    void twoAgentsShareTheFilesAndTheOneLeftTakesOverFromOneKilled(S3ProxyServer s3) throws Exception {
        Path source = Files.createDirectories(temp.resolve("shared-source"));
        Random random = new Random(11);
        for (int i = 0; i < FILES; i++) {
            byte[] data = new byte[FILE_BYTES];
            random.nextBytes(data);
            Files.write(source.resolve(String.format("f-%03d.bin", i)), data);
        }
        try (FerryPair pair = FerryPair.start(temp); FerryPair.Agent second = pair.startAgent(temp, "second-agent")) {
            ApiClient api = pair.api();
            String posix = api.post("/v1/locations", Map.of("type", "posix", "agents", List.of(pair.agentId(), second.id()),
                    "settings", Map.of("path", source.toString()))).get("id").asText();
            String bucket = s3.createBucket();
            String destination = api.post("/v1/locations", Map.of("type", "s3", "settings", Map.of("endpoint", s3.endpoint().toString(),
                    "bucket", bucket, "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY))).get("id").asText();
            // Slowed so that the kill lands mid-transfer: 30 MiB at 6 MB/s.
            String task = api.post("/v1/tasks", Map.of("sourceLocationId", posix, "destinationLocationId", destination,
                    "options", Map.of("BytesPerSecond", 6_000_000, "VerifyMode", "ONLY_FILES_TRANSFERRED"))).get("id").asText();
            String execution = api.post("/v1/tasks/" + task + "/start", Map.of()).get("id").asText();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    api.get("/v1/task-executions/" + execution).path("counters").path("FilesTransferred").asLong() >= 20);
            second.process().kill();

            JsonNode[] ended = new JsonNode[1];
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
                ended[0] = api.get("/v1/task-executions/" + execution);
                return ExecutionWatch.TERMINAL.contains(ended[0].path("status").asText());
            });
            assertThat(ended[0].path("status").asText()).as(ended[0].toString()).isEqualTo("SUCCESS");
            assertThat(ended[0].path("counters").path("FilesTransferred").asLong()).isEqualTo(FILES);
            assertThat(ended[0].path("counters").path("FilesVerified").asLong()).isEqualTo(FILES);
            try (S3Client client = s3.client()) {
                for (int i = 0; i < FILES; i += 17) {
                    String key = String.format("f-%03d.bin", i);
                    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
                            .isEqualTo(Files.readAllBytes(source.resolve(key)));
                }
            }
            // Both agents read files: the control plane says how many requests each served.
            String shares = pair.controlPlane.awaitLine("event=agents_shared execution=" + execution + " location=" + posix
                    + " (requests=\\S+)", Duration.ofSeconds(10));
            Matcher counts = Pattern.compile("(agent-[0-9a-f]+):(\\d+)").matcher(shares);
            int agents = 0;
            while (counts.find()) {
                assertThat(Long.parseLong(counts.group(2))).as(shares).isPositive();
                agents++;
            }
            assertThat(agents).as(shares).isEqualTo(2);
        }
    }
}
