package dev.ferry.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A {@code ferry} command in its own JVM, as an operator would run it, with its output in a file.
 * Stopped by {@link #close()}.
 */
final class FerryProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private FerryProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static FerryProcess start(Path workDir, Map<String, String> env, String... args) {
        return start(workDir, env, List.of("-Xmx1g"), args);
    }

    /** @param jvmOptions such as a heap limit and a GC log */
    static FerryProcess start(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args) {
        try {
            Files.createDirectories(workDir);
            Path output = Files.createTempFile(workDir, "ferry-" + args[0], ".log");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Ferry.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("FERRY_CONFIG", workDir.resolve("cli-config.json").toString());
            builder.environment().put("LC_ALL", "C.UTF-8");
            builder.environment().putAll(env);
            return new FerryProcess(builder.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to its end and returns its exit code and output. */
    static Result run(Path workDir, Map<String, String> env, String... args) {
        try (FerryProcess p = start(workDir, env, args)) {
            if (!p.process.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("ferry " + String.join(" ", args) + " did not end within 5 minutes:\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Result(int exitCode, String output) {
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Waits for a line matching {@code regex} and returns its first group. */
    String awaitLine(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("process ended early:\n" + output());
            }
            Matcher m = pattern.matcher(output());
            if (m.find()) {
                found[0] = m.group(1);
                return true;
            }
            return false;
        });
        return found[0];
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Optional<Long> pid() {
        return Optional.of(process.pid());
    }

    /** Ends the process the hard way, as a crash or an OOM kill would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
