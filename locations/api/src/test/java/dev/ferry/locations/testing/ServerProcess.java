package dev.ferry.locations.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A test server in its own process, run in a directory of the test's, its output in a log file
 * there. It counts as started once its port accepts a connection on loopback; {@link #close()}
 * stops it (the directory is its owner's to remove, with {@link #deleteTree}).
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Runs {@code command} in {@code directory} and waits up to a minute for {@code port} to listen. */
    public static ServerProcess start(String name, Path directory, List<String> command, Map<String, String> environment,
            int port) {
        Path log = directory.resolve(name + ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            ServerProcess server = new ServerProcess(name, builder.start(), log);
            server.awaitPort(port);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java running these tests, for servers that are Java programs themselves. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Whether something accepts connections on loopback at {@code port}. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits, as at start, for a further port the server opens. */
    public void awaitListening(int port) {
        try {
            awaitPort(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPort(int port) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String output = Files.readString(log);
                close();
                throw new IllegalStateException(name + " exited at start: " + output);
            }
            if (listening(port)) {
                return;
            }
            // Poll again: the connect attempt, or the process ending, bounds the wait.
            process.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
        }
        close();
        throw new IllegalStateException(name + " did not listen on port " + port + " within 60 s");
    }

    /**
     * Stops the server; first copies the log lines {@code shown} picks to stderr, since a
     * server's warnings explain a client's surprises.
     */
    public void close(Predicate<String> shown) {
        try (Stream<String> lines = Files.lines(log)) {
            lines.filter(shown).limit(50).forEach(line -> System.err.println(name + ": " + line));
        } catch (IOException | UncheckedIOException ignored) {
            // No log, nothing to show.
        }
        close();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes a server's directory and all in it; what cannot be removed is left. */
    public static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A temp directory left behind does no harm.
        }
    }
}
