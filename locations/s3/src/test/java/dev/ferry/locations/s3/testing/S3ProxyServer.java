package dev.ferry.locations.s3.testing;

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
    private final int port;

    private S3ProxyServer(ServerProcess process, int port) {
        this.process = process;
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
            int port = ServerProcess.freePort();
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
            ServerProcess process = ServerProcess.start("s3proxy", directory,
                    List.of(ServerProcess.java(), "-Xmx1g", "-jar", jar, "--properties", properties.toString()),
                    Map.of("LOG_LEVEL", "warn"), port);
            return new S3ProxyServer(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.close(line -> line.startsWith("[s3proxy] W") || line.startsWith("[s3proxy] E"));
    }
}
