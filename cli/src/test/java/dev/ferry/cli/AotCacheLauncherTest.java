package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache for the daemons ({@code FERRY_AOT_DIR}, scripts/lib/java.sh), with the
 * JVM that runs this test: a daemon stopped by a signal leaves a cache the next start loads, one
 * that fails on its own leaves none. The daemon here is {@link Daemon} in a jar of its own (a cache
 * takes classes from jars only).
 */
class AotCacheLauncherTest {
    private static final Path JAVA_LIB = Path.of("..", "scripts", "lib", "java.sh").toAbsolutePath().normalize();
    private static final Path JAVA_HOME = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();

    @TempDir
    Path dir;
    private Path jar;
    private Path caches;

    @BeforeEach
    void daemonJar() throws IOException {
        assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25");
        assertThat(JAVA_LIB).exists();
        jar = dir.resolve("daemon.jar");
        caches = dir.resolve("aot");
        String entry = Daemon.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                InputStream in = Daemon.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
        }
    }

    @Test
    void aDaemonStoppedBySignalLeavesACacheThatTheNextStartLoads() throws Exception {
        Path log = dir.resolve("training.log");
        Process training = launcher("ferry_aot_train \"$JAVA\" \"$FERRY_AOT_FLAG\" -cp \"$JAR\" \"$MAIN\" serve", log);
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> {
            assertThat(training.isAlive()).as(Files.readString(log)).isTrue();
            return Files.readString(log).contains("serving");
        });
        assertThat(cacheFiles()).isEmpty(); // Written as the daemon stops, not before.

        training.destroy(); // SIGTERM to the launcher, which passes it on
        assertThat(training.waitFor(2, TimeUnit.MINUTES)).as(Files.readString(log)).isTrue();
        assertThat(training.exitValue()).as(Files.readString(log)).isEqualTo(143);
        List<Path> kept = cacheFiles();
        assertThat(kept).as(Files.readString(log)).singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).matches("agent-[0-9]+\\.aot"));
        assertThat(Files.size(kept.get(0))).isPositive();
        assertThat(Files.getPosixFilePermissions(caches)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

        // The next start is given the cache, and a JVM told it must use it (AOTMode=on) can.
        Path next = dir.resolve("next.log");
        Process using = launcher("echo \"flag=$FERRY_AOT_FLAG training=$FERRY_AOT_TRAINING\"; exec \"$JAVA\" \"$FERRY_AOT_FLAG\" -XX:AOTMode=on -cp \"$JAR\" \"$MAIN\" once",
                next);
        assertThat(using.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(Files.readString(next)).contains("flag=-XX:AOTCache=" + kept.get(0) + " training=\n").contains("ran once");
        assertThat(using.exitValue()).as(Files.readString(next)).isZero();
    }

    @Test
    void aDaemonThatFailsOnItsOwnLeavesNoCache() throws Exception {
        Path log = dir.resolve("failing.log");
        Process failing = launcher("ferry_aot_train \"$JAVA\" \"$FERRY_AOT_FLAG\" -cp \"$JAR\" \"$MAIN\" fail", log);
        assertThat(failing.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(failing.exitValue()).as(Files.readString(log)).isEqualTo(3);
        assertThat(Files.readString(log)).contains("exited with status 3; no AOT cache kept");
        try (Stream<Path> left = Files.list(caches)) {
            assertThat(left).isEmpty(); // Neither a cache nor what the JVM wrote while training.
        }
    }

    /** Runs {@code script} in bash after planning the cache for an agent, as ./ferry does. */
    private Process launcher(String script, Path log) throws IOException {
        String plan = ". \"$LIB\"; ferry_aot_plan \"$JAVA_HOME\" agent \"$JAR\"; JAVA=\"$JAVA_HOME/bin/java\"; ";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -euo pipefail; " + plan + script)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LIB", JAVA_LIB.toString());
        builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
        builder.environment().put("JAR", jar.toString());
        builder.environment().put("MAIN", Daemon.class.getName());
        builder.environment().put("FERRY_AOT_DIR", caches.toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder.start();
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.isDirectory(caches)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(caches)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".aot") && !p.getFileName().toString().contains("training"))
                    .toList();
        }
    }

    /** A stand-in daemon: serves until stopped, runs once, or fails on its own. */
    public static final class Daemon {
        public static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "serve" -> {
                    System.out.println("serving");
                    System.out.flush();
                    Thread.currentThread().join(); // until stopped
                }
                case "once" -> System.out.println("ran once");
                default -> {
                    System.out.println("failing");
                    System.exit(3);
                }
            }
        }

        private Daemon() {
        }
    }
}
