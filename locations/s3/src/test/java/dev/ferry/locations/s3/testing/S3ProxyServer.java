package dev.ferry.locations.s3.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3Proxy server in its own process, on a free loopback port, storing objects in a
 * temporary directory. Its jar comes from the build ({@code ferry.test.s3proxy.jar}); the server
 * is stopped, and its directory removed, by {@link #close()}.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "ferry-test-access";
    public static final String SECRET_KEY = "ferry-test-secret";

    private final Process process;
    private final Path directory;
    private final int port;

    private S3ProxyServer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    public static S3ProxyServer start() {
        String jar = System.getProperty("ferry.test.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("ferry.test.s3proxy.jar does not name the S3Proxy jar: " + jar);
        }
        try {
            Path directory = Files.createTempDirectory("ferry-s3proxy");
            Path data = Files.createDirectory(directory.resolve("data"));
            int port = freePort();
            Path properties = directory.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=" + System.getProperty("ferry.test.s3proxy.provider", "filesystem"),
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY,
                    "jclouds.filesystem.basedir=" + data) + "\n");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-jar", jar, "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("s3proxy.log").toFile());
            builder.environment().put("LOG_LEVEL", "warn");
            S3ProxyServer server = new S3ProxyServer(builder.start(), directory, port);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited at start: " + Files.readString(directory.resolve("s3proxy.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                // Poll again: the connect attempt itself bounds the wait.
                process.onExit().completeOnTimeout(null, 50, java.util.concurrent.TimeUnit.MILLISECONDS).join();
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 60 s");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** A client for checking what the server holds, independent of Ferry's driver. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Creates a bucket with a unique name and returns the name. */
    public String createBucket() {
        String bucket = "ferry-" + UUID.randomUUID().toString().substring(0, 18);
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    @Override
    public void close() {
        try {
            // Server-side warnings explain client-side surprises: keep them in the test output.
            Files.readAllLines(directory.resolve("s3proxy.log")).stream()
                    .filter(line -> line.startsWith("[s3proxy] W") || line.startsWith("[s3proxy] E"))
                    .limit(50)
                    .forEach(line -> System.err.println("s3proxy: " + line));
        } catch (IOException ignored) {
            // No log, nothing to show.
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind does no harm.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
