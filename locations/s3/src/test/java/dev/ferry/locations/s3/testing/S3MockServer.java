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
 * A real S3Mock server in its own process, for what S3Proxy does not do: object tagging. Its jar
 * comes from the build ({@code ferry.test.s3mock.jar}); {@link #close()} stops it and removes its
 * store.
 *
 * <p>S3Mock binds its plain-HTTP connector to every interface. Its connector is a Spring bean
 * named {@code httpConnector}, so a bean file given as an extra source replaces it with one bound
 * to loopback (an XML definition wins over the application's own). Its HTTPS connector follows
 * {@code server.address}.
 *
 * <p>Known deviation: S3Mock keeps the {@code x-amz-tagging} header of a put as sent, without
 * URL-decoding it as S3 does, so tags written with a new object should need no encoding.
 */
public final class S3MockServer implements S3TestServer {
    private static final String LOOPBACK_CONNECTOR = """
            <?xml version="1.0" encoding="UTF-8"?>
            <beans xmlns="http://www.springframework.org/schema/beans"
                   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                   xsi:schemaLocation="http://www.springframework.org/schema/beans https://www.springframework.org/schema/beans/spring-beans.xsd">
              <bean id="httpConnector" class="org.apache.catalina.connector.Connector">
                <property name="port" value="%d"/>
                <property name="protocolHandler.address">
                  <bean class="java.net.InetAddress" factory-method="getByName"><constructor-arg value="127.0.0.1"/></bean>
                </property>
              </bean>
            </beans>
            """;

    private final ServerProcess process;
    private final Path directory;
    private final int port;

    private S3MockServer(ServerProcess process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    public static S3MockServer start() {
        String jar = System.getProperty("ferry.test.s3mock.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("ferry.test.s3mock.jar does not name the S3Mock jar: " + jar);
        }
        try {
            Path directory = Files.createTempDirectory("ferry-s3mock");
            Path store = Files.createDirectory(directory.resolve("store"));
            int port = ServerProcess.freePort();
            Path beans = directory.resolve("loopback-connector.xml");
            Files.writeString(beans, LOOPBACK_CONNECTOR.formatted(port));
            ServerProcess process = ServerProcess.start("s3mock", directory, List.of(ServerProcess.java(), "-Xmx512m",
                    "-XX:TieredStopAtLevel=1", "-jar", jar,
                    "--server.address=127.0.0.1",
                    "--server.port=" + ServerProcess.freePort(),
                    "--spring.main.allow-bean-definition-overriding=true",
                    "--spring.main.sources=" + beans.toUri(),
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN",
                    "--com.adobe.testing.s3mock.store.root=" + store), Map.of(), port);
            return new S3MockServer(process, directory, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.close(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        ServerProcess.deleteTree(directory);
    }
}
