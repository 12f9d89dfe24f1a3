package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.Agent;
import dev.ferry.agent.AgentActivation;
import dev.ferry.agent.AgentIdentity;
import dev.ferry.controlplane.ControlPlane;
import dev.ferry.controlplane.ControlPlaneConfig;
import dev.ferry.protocol.tls.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ferry's main job end to end on the embedded defaults: a control plane, a local agent activated
 * through the real activation path, two locations, a task, one execution.
 */
@Command(name = "quickstart", description = "Start a control plane and a local agent, then transfer --source to --destination "
        + "(a directory, or s3://BUCKET/PREFIX with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Exits 0 only on SUCCESS.")
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--source", paramLabel = "DIR", description = "Directory to transfer (default: a generated sample tree).")
    Path source;
    @Option(names = "--destination", paramLabel = "DIR|s3://BUCKET/PREFIX")
    String destination;
    @Option(names = "--endpoint", paramLabel = "URL", description = "S3-compatible endpoint for an s3:// destination.")
    String endpoint;
    @Option(names = "--region", description = "Region for an s3:// destination.")
    String region;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the control plane and agent keep their state (default: a new temporary directory).")
    Path dataDir;
    @Option(names = "--option", paramLabel = "NAME=VALUE", description = "Task option, for example VerifyMode=NONE (repeatable).")
    List<String> options;
    @Option(names = "--exit", description = "Stop everything once the execution ends, instead of keeping the API up.")
    boolean exit;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : Files.createTempDirectory("ferry-quickstart");
        Map<String, Object> destinationLocation = destinationLocation(dir);
        Path sourceDir = source != null ? source.toAbsolutePath() : sampleTree(dir.resolve("sample-source"));
        if (!Files.isDirectory(sourceDir)) {
            throw new CliException("--source " + sourceDir + " is not a directory");
        }
        ControlPlane plane = ControlPlane.start(new ControlPlaneConfig(dir.resolve("control-plane"), "127.0.0.1", 0, 0, "127.0.0.1"));
        Agent agent = null;
        try {
            System.out.println("control plane at " + plane.apiUrl() + ", state in " + dir);
            ApiClient api = new ApiClient(plane.apiUrl(), plane.adminToken(), plane.caCertificateFile());
            String key = api.post("/v1/activation-keys", Map.of()).get("activationKey").asText();
            AgentIdentity identity = AgentActivation.activate(URI.create(plane.apiUrl()), key, "quickstart-agent",
                    Pem.certificate(Files.readString(plane.caCertificateFile())), dir.resolve("agent"));
            agent = new Agent(identity).start();
            awaitOnline(api, identity.agentId());
            System.out.println("agent " + identity.agentId() + " is ONLINE");

            String sourceId = api.post("/v1/locations", Map.of("name", "quickstart source", "type", "posix",
                    "agents", List.of(identity.agentId()), "settings", Map.of("path", sourceDir.toString()))).get("id").asText();
            if ("posix".equals(destinationLocation.get("type"))) {
                destinationLocation.put("agents", List.of(identity.agentId()));
            }
            String destinationId = api.post("/v1/locations", destinationLocation).get("id").asText();
            JsonNode task = api.post("/v1/tasks", Map.of("name", "quickstart", "sourceLocationId", sourceId,
                    "destinationLocationId", destinationId, "options", Options.parse(options, "--option")));
            System.out.println("task " + task.get("id").asText() + ": " + sourceDir + " -> " + describe(destinationLocation));
            String executionId = api.post("/v1/tasks/" + task.get("id").asText() + "/start", Map.of()).get("id").asText();
            int code = ExecutionWatch.await(api, new Global(), executionId, System.out);
            if (exit) {
                return code;
            }
            ClientConfig.save(plane.apiUrl(), plane.adminToken(), plane.caCertificateFile());
            System.out.println();
            System.out.println("The API stays up at " + plane.apiUrl() + " until Ctrl-C. The CLI is configured for it ("
                    + ClientConfig.path() + "); try:");
            System.out.println("  ./ferry execution list");
            System.out.println("  ./ferry task start " + task.get("id").asText() + " --wait");
            System.out.println("  curl --cacert " + plane.caCertificateFile() + " -H \"Authorization: Bearer $(cat "
                    + dir.resolve("control-plane/admin.token") + ")\" " + plane.apiUrl() + "/v1/tasks");
            CountDownLatch stop = new CountDownLatch(1);
            Agent running = agent;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                plane.close();
                stop.countDown();
            }));
            agent = null;
            stop.await();
            return code;
        } finally {
            if (agent != null) {
                agent.close();
            }
            if (exit) {
                plane.close();
            }
        }
    }

    private Map<String, Object> destinationLocation(Path dir) throws IOException {
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("name", "quickstart destination");
        if (destination != null && destination.startsWith("s3://")) {
            String rest = destination.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("bucket", bucket);
            if (!prefix.isEmpty()) {
                settings.put("prefix", prefix);
            }
            if (endpoint != null) {
                settings.put("endpoint", endpoint);
            }
            if (region != null) {
                settings.put("region", region);
            }
            String accessKey = System.getenv("AWS_ACCESS_KEY_ID");
            String secretKey = System.getenv("AWS_SECRET_ACCESS_KEY");
            if (accessKey != null && secretKey != null) {
                settings.put("accessKey", accessKey);
                settings.put("secretKey", secretKey);
            }
            location.put("type", "s3");
            location.put("settings", settings);
            return location;
        }
        if (endpoint != null || region != null) {
            throw new CliException("--endpoint and --region go with an s3:// destination");
        }
        Path target = destination != null ? Path.of(destination).toAbsolutePath() : dir.resolve("destination");
        Files.createDirectories(target);
        location.put("type", "posix");
        location.put("settings", Map.of("path", target.toString()));
        return location;
    }

    private static String describe(Map<String, Object> location) {
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) location.get("settings");
        return "s3".equals(location.get("type")) ? "s3://" + settings.get("bucket") + "/" + settings.getOrDefault("prefix", "")
                : String.valueOf(settings.get("path"));
    }

    private static void awaitOnline(ApiClient api, String agentId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!"ONLINE".equals(api.get("/v1/agents/" + agentId).path("status").asText())) {
            if (Instant.now().isAfter(deadline)) {
                throw new CliException("the local agent did not come ONLINE within 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** A small tree with the shapes that matter: nesting, an empty directory, an empty file, odd names. */
    private static Path sampleTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("docs/reports 2026"));
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("données"));
        Files.writeString(root.resolve("README.txt"), "Sample data generated by ferry quickstart.\n");
        Files.writeString(root.resolve("docs/reports 2026/summary.csv"), "day,files,bytes\n".repeat(1) + "1,10,1000\n".repeat(2000),
                StandardCharsets.UTF_8);
        Files.writeString(root.resolve("données/été.txt"), "unicode names travel too\n");
        Files.write(root.resolve("zero-bytes"), new byte[0]);
        byte[] random = new byte[2 << 20];
        new java.util.Random(7).nextBytes(random);
        Files.write(root.resolve("docs/random.bin"), random);
        return root;
    }
}
