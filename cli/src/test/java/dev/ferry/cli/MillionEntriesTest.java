package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prepare and compare over a million entries on each side, with the control plane and the agent
 * each held to a 256 MiB heap, as separate processes over the data channel. Both listings
 * stream through the merge; nothing proportional to the file count may stay in memory, so a
 * leak shows as an OutOfMemoryError and a failed run. The heap each process needed after
 * collection is read from its GC log and printed (and written to target/million-entries.txt).
 *
 * <p>{@code -Dferry.scale.dirs=N} (default 1000 directories of 1000 files) shrinks it for a quick look.
 */
class MillionEntriesTest {
    private static final int DIRS = Integer.getInteger("ferry.scale.dirs", 1000);
    private static final int FILES_PER_DIR = 1000;
    private static final String HEAP_MIB = System.getProperty("ferry.scale.heap", "256");
    private static final String HEAP = "-Xmx" + HEAP_MIB + "m";
    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path temp;
    private FerryProcess controlPlane;
    private FerryProcess agent;

    private Path trees;

    @AfterEach
    void stop() throws IOException {
        if (agent != null) {
            agent.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (trees != null) {
            try (var walk = Files.walk(trees)) {
                for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Two million names cost a disk file system minutes of journal work; a memory file system
     * (where the machine has one) makes them in seconds. Either is a real file system to Ferry.
     * A memory file system is used only when it has room: on recent kernels every name, hard
     * link or not, takes one of its inodes, and machines differ widely in how many it has.
     */
    private Path treeRoot(long names) throws IOException, InterruptedException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            long needed = names + names / 5; // a fifth to spare for everything else on it
            long free = freeInodes(shm);
            if (free >= needed) {
                return Files.createTempDirectory(shm, "ferry-million-");
            }
            System.out.printf("million-entries: %s has %,d free inodes of the %,d needed; the trees go to disk%n", shm, free, needed);
        }
        return Files.createTempDirectory(temp, "trees-");
    }

    /** Free inodes of the file system holding {@code dir}, as statfs tells them; 0 when unknown. */
    private static long freeInodes(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-f", "-c", "%d", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.matches("\\d+")) {
            return 0;
        }
        return Long.parseLong(out);
    }

    @Test
    void aMillionEntriesAgainstAMillionAreComparedInASmallHeap() throws Exception {
        trees = treeRoot(2L * DIRS * (FILES_PER_DIR + 1));
        Path source = trees.resolve("source");
        Path destination = trees.resolve("destination");
        long made = System.nanoTime();
        for (int d = 0; d < DIRS; d++) {
            Path dir = Files.createDirectories(source.resolve(String.format("d%04d", d)));
            Path copy = Files.createDirectories(destination.resolve(String.format("d%04d", d)));
            for (int f = 0; f < FILES_PER_DIR; f++) {
                String name = String.format("file-%04d-%04d.dat", d, f);
                Path file = Files.createFile(dir.resolve(name));
                // The same inode under a second name: equal size, mtime, mode and owner, at no extra inode.
                Files.createLink(copy.resolve(name), file);
            }
        }
        long entries = (long) DIRS * FILES_PER_DIR;
        Duration generation = Duration.ofNanos(System.nanoTime() - made);

        Path cpGc = temp.resolve("control-plane-gc.log");
        Path agentGc = temp.resolve("agent-gc.log");
        FerryPair pair = FerryPair.start(temp, List.of(HEAP, "-Xlog:gc:file=" + cpGc), List.of(HEAP, "-Xlog:gc:file=" + agentGc));
        controlPlane = pair.controlPlane;
        agent = pair.agent;
        ApiClient api = pair.api;
        String agentId = pair.agentId;

        String from = api.post("/v1/locations", Map.of("type", "posix", "agents", List.of(agentId),
                "settings", Map.of("path", source.toString()))).get("id").asText();
        String to = api.post("/v1/locations", Map.of("type", "posix", "agents", List.of(agentId),
                "settings", Map.of("path", destination.toString()))).get("id").asText();
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", from, "destinationLocationId", to,
                "options", Map.of("VerifyMode", "NONE"))).get("id").asText();
        String execution = api.post("/v1/tasks/" + task + "/start", Map.of()).get("id").asText();
        JsonNode[] last = new JsonNode[1];
        long[] live = new long[2];
        // Each poll also forces a full collection in both processes and keeps the largest live set seen.
        Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            live[0] = Math.max(live[0], liveBytes(controlPlane.pid().orElseThrow()));
            live[1] = Math.max(live[1], liveBytes(agent.pid().orElseThrow()));
            last[0] = api.get("/v1/task-executions/" + execution);
            return !last[0].path("endedAt").isNull();
        });
        JsonNode ended = last[0];
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("SUCCESS");
        assertThat(ended.path("counters").path("FilesListedAtSource").asLong()).isEqualTo(entries);
        assertThat(ended.path("counters").path("FilesSkipped").asLong()).isEqualTo(entries);
        assertThat(ended.path("counters").path("FilesTransferred").asLong()).isZero();

        String summary = String.format("%,d entries against %,d: prepare and compare %,d ms (total %,d ms); "
                        + "heap limit %s MiB; largest live heap (full GC, sampled while it ran): control plane %d MiB, agent %d MiB; "
                        + "largest heap after any GC: control plane %d MiB over %d collections, agent %d MiB over "
                        + "%d collections; trees made in %,d ms",
                entries, entries, ended.path("result").path("PrepareDuration").asLong(),
                ended.path("result").path("TotalDuration").asLong(), HEAP_MIB, live[0] >> 20, live[1] >> 20, maxAfterGc(cpGc)[0], maxAfterGc(cpGc)[1],
                maxAfterGc(agentGc)[0], maxAfterGc(agentGc)[1], generation.toMillis());
        System.out.println("million-entries: " + summary);
        Files.writeString(Path.of("target", "million-entries.txt"), summary + "\n");
    }

    /**
     * The live heap of a process: what jcmd's class histogram counts right after the full
     * collection it forces. 0 when jcmd is not beside the running java.
     */
    private static long liveBytes(long pid) throws IOException, InterruptedException {
        Path javaBinary = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path jcmd = javaBinary.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            return 0;
        }
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
        return total.find() ? Long.parseLong(total.group(1)) : 0;
    }

    /** The largest heap occupancy right after a collection, in MiB, and how many collections there were. */
    private static long[] maxAfterGc(Path log) throws IOException {
        long max = 0;
        long count = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = GC_PAUSE.matcher(line);
            if (m.find()) {
                max = Math.max(max, Long.parseLong(m.group(2)));
                count++;
            }
        }
        return new long[] {max, count};
    }
}
