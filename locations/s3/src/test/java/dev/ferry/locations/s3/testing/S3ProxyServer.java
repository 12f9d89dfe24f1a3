package dev.ferry.locations.s3.testing;

import dev.ferry.locations.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real S3Proxy server in its own process, on a free loopback port, storing objects in a
 * temporary directory. Its jar comes from the build ({@code ferry.test.s3proxy.jar}); the server
 * is stopped, and its directory removed, by {@link #close()}. S3Proxy keeps no object tags.
 */
public final class S3ProxyServer implements S3TestServer {
    private final ServerProcess process;
    private final Path directory;
    private final int port;
    private final java.util.Optional<TestCertificates> tls;

    private S3ProxyServer(ServerProcess process, Path directory, int port, java.util.Optional<TestCertificates> tls) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.tls = tls;
    }

    /** Over plain HTTP. */
    public static S3ProxyServer start() {
        return start(false);
    }

    /** Over HTTPS only, with a certificate from a CA made for it ({@link #caPem()}). */
    public static S3ProxyServer startHttps() {
        return start(true);
    }

    private static S3ProxyServer start(boolean https) {
        String jar = System.getProperty("ferry.test.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("ferry.test.s3proxy.jar does not name the S3Proxy jar: " + jar);
        }
        try {
            Path directory = Files.createTempDirectory("ferry-s3proxy");
            Path data = Files.createDirectory(directory.resolve("data"));
            int port = ServerProcess.freePort();
            java.util.Optional<TestCertificates> tls = https
                    ? java.util.Optional.of(TestCertificates.create(directory, "s3proxy")) : java.util.Optional.empty();
            String listen = tls.map(t -> String.join("\n", "s3proxy.secure-endpoint=https://127.0.0.1:" + port,
                    "s3proxy.keystore-path=" + t.keyStore(), "s3proxy.keystore-password=" + TestCertificates.KEY_STORE_PASSWORD))
                    .orElse("s3proxy.endpoint=http://127.0.0.1:" + port);
            Path properties = directory.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    listen,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=" + System.getProperty("ferry.test.s3proxy.provider", "filesystem"),
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY,
                    "jclouds.filesystem.basedir=" + data) + "\n");
            ServerProcess process = ServerProcess.start("s3proxy", directory,
                    List.of(ServerProcess.java(), "-Xmx1g", "-jar", jar, "--properties", properties.toString()),
                    Map.of("LOG_LEVEL", "warn"), port);
            return new S3ProxyServer(process, directory, port, tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI endpoint() {
        return URI.create((tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + port);
    }

    @Override
    public software.amazon.awssdk.services.s3.S3Client client() {
        if (tls.isEmpty()) {
            return S3TestServer.super.client();
        }
        javax.net.ssl.TrustManager[] trust = TestCertificates.trustManagers(tls.get().caPem());
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trust))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** The CA that signed this server's certificate; only for a server started over HTTPS. */
    public String caPem() {
        return tls.orElseThrow(() -> new IllegalStateException("this server speaks plain HTTP")).caPem();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.close(line -> line.startsWith("[s3proxy] W") || line.startsWith("[s3proxy] E"));
        ServerProcess.deleteTree(directory);
    }
}
