package dev.ferry.bench;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.s3.S3LocationDriver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * What an S3 server takes from a direct parallel PUT load: every file under a directory PUT by
 * many threads from this one process, with Ferry's S3 driver and nothing else (no agent, no data
 * channel, no listing of the bucket, no checks). The small-file target compares Ferry's rate
 * with this one, the server's ceiling on this machine. The files go twice, first under
 * {@code warm-up/} untimed (so that this JVM's compilers are done, as Ferry's warm daemons'
 * are), then under the prefix given, timed.
 *
 * <p>By default the objects are bare: content only. With {@code --same-objects} they are the
 * objects a Ferry task with DataSync's default options leaves: each file with its modification
 * and access times, permissions, owner and group as user metadata, and each directory below the
 * root as an empty marker object with its own. A store pays for each of those.
 *
 * <pre>
 *   PutLoad [--same-objects] DIR ENDPOINT BUCKET PREFIX ACCESS_KEY SECRET_KEY IN_FLIGHT [SERVER_PID]
 * </pre>
 *
 * Prints one line of JSON: files, bytes, seconds, and the CPU seconds of the timed pass spent by
 * this process and, given its pid, by the server.
 */
public final class PutLoad {
    private PutLoad() {
    }

    public static void main(String[] options) throws Exception {
        boolean sameObjects = options.length > 0 && options[0].equals("--same-objects");
        String[] args = sameObjects ? java.util.Arrays.copyOfRange(options, 1, options.length) : options;
        if (args.length != 7 && args.length != 8) {
            System.err.println("usage: PutLoad [--same-objects] DIR ENDPOINT BUCKET PREFIX ACCESS_KEY SECRET_KEY IN_FLIGHT [SERVER_PID]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        int inFlight = Integer.parseInt(args[6]);
        Path serverStat = args.length == 8 ? Path.of("/proc", args[7], "stat") : null;
        load(root, Map.of("endpoint", args[1], "bucket", args[2], "prefix", "warm-up/", "accessKey", args[4], "secretKey", args[5]),
                inFlight, sameObjects);
        long ownBefore = ownCpuNanos();
        double serverBefore = serverStat == null ? 0 : cpuSeconds(serverStat);
        String timed = load(root, Map.of("endpoint", args[1], "bucket", args[2], "prefix", args[3], "accessKey", args[4],
                "secretKey", args[5]), inFlight, sameObjects);
        double own = (ownCpuNanos() - ownBefore) / 1e9;
        double server = serverStat == null ? 0 : cpuSeconds(serverStat) - serverBefore;
        System.out.println(timed.substring(0, timed.length() - 1) + String.format(",\"cpuSeconds\":%.2f,\"serverCpuSeconds\":%.2f}", own, server));
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** User and system seconds of a process, from its {@code /proc/PID/stat} (clock ticks of 1/100 s). */
    private static double cpuSeconds(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** What a Ferry task with default options writes of an entry: Mtime PRESERVE, Atime BEST_EFFORT, PosixPermissions PRESERVE, Uid and Gid INT_VALUE. */
    private static FileMetadata defaultMetadata(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:lastModifiedTime,lastAccessTime,mode,uid,gid");
        return FileMetadata.of(((FileTime) unix.get("lastModifiedTime")).toInstant(), ((FileTime) unix.get("lastAccessTime")).toInstant(),
                (Integer) unix.get("mode"), (Integer) unix.get("uid"), (Integer) unix.get("gid"));
    }

    /** Puts a file of {@code size} bytes, or a directory's marker when {@code size} is -1. */
    private static void write(Location s3, Path root, Path path, long size, boolean sameObjects) throws IOException {
        if (size < 0) {
            s3.makeDirectory(root.relativize(path) + "/", defaultMetadata(path));
            return;
        }
        try (InputStream in = Files.newInputStream(path)) {
            s3.put(root.relativize(path).toString(), size, sameObjects ? defaultMetadata(path) : FileMetadata.NONE, in);
        }
    }

    private static String load(Path root, Map<String, Object> settings, int concurrency, boolean sameObjects) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong files = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        long start = System.nanoTime();
        try (Location s3 = new S3LocationDriver().open(settings); ExecutorService puts = Executors.newVirtualThreadPerTaskExecutor();
                Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                // One stat per path: the load must not cost more than what it stands for.
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean directory = attributes.isDirectory();
                if (directory ? !sameObjects || path.equals(root) : !attributes.isRegularFile()) {
                    continue;
                }
                inFlight.acquire();
                puts.execute(() -> {
                    try {
                        write(s3, root, path, directory ? -1 : attributes.size(), sameObjects);
                        if (!directory) {
                            files.incrementAndGet();
                            bytes.addAndGet(attributes.size());
                        }
                    } catch (IOException e) {
                        failed.compareAndSet(null, new UncheckedIOException(e));
                    } catch (RuntimeException e) {
                        failed.compareAndSet(null, e);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return String.format("{\"files\":%d,\"bytes\":%d,\"seconds\":%.3f}", files.get(), bytes.get(), (System.nanoTime() - start) / 1e9);
    }
}
