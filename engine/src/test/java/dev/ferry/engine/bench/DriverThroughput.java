package dev.ferry.engine.bench;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.azure.AzureBlobLocationDriver;
import dev.ferry.locations.azure.testing.AzuriteServer;
import dev.ferry.locations.hdfs.HdfsLocationDriver;
import dev.ferry.locations.hdfs.testing.MiniHdfs;
import dev.ferry.locations.nfs.NfsLocationDriver;
import dev.ferry.locations.nfs.testing.GaneshaServer;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.locations.s3.S3LocationDriver;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import dev.ferry.locations.smb.SmbLocationDriver;
import dev.ferry.locations.smb.testing.SambaServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Read and write throughput of every location driver against its test server on this machine,
 * measured the same way for all: through the Location API in one process, {@code FILES} files of
 * {@code FILE_MB} MiB of random bytes written by {@code STREAMS} threads, then read back by as
 * many and checked against their SHA-256 (a wrong read fails the run). Every measurement is
 * made {@code ROUNDS} times, each after a {@code sync} (so one driver's dirty pages are not
 * written back during the next one's), and the median is reported with the lowest and highest:
 * on a shared VM single runs differ by two or three times. Not a test: run it with
 * {@code bench/drivers.sh}, which prints a table.
 */
public final class DriverThroughput {
    private static final int FILES = Integer.getInteger("ferry.bench.files", 8);
    private static final int FILE_MB = Integer.getInteger("ferry.bench.fileMb", 32);
    private static final int STREAMS = Integer.getInteger("ferry.bench.streams", 4);
    private static final int ROUNDS = Integer.getInteger("ferry.bench.rounds", 3);

    private DriverThroughput() {
    }

    public static void main(String[] args) throws Exception {
        byte[] content = new byte[FILE_MB << 20];
        new Random(7).nextBytes(content);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
        Path temp = Files.createTempDirectory("ferry-driver-bench");
        Map<String, Supplier<Location>> drivers = new LinkedHashMap<>();
        List<AutoCloseable> servers = new ArrayList<>();
        try {
            drivers.put("posix (local ext4)", () -> new PosixLocation(mkdir(temp.resolve("posix"))));
            S3ProxyServer s3 = S3ProxyServer.start();
            servers.add(s3);
            drivers.put("s3 (S3Proxy)", () -> new S3LocationDriver().open(s3.locationSettings(s3.createBucket(), "bench")));
            AzuriteServer azurite = AzuriteServer.start();
            servers.add(azurite);
            drivers.put("azure-blob (Azurite)", () -> new AzureBlobLocationDriver().open(azurite.locationSettings(azurite.createContainer(), "bench")));
            SambaServer samba = SambaServer.start();
            servers.add(samba);
            drivers.put("smb (Samba)", () -> new SmbLocationDriver().open(samba.locationSettings("data")));
            GaneshaServer nfs = GaneshaServer.start();
            servers.add(nfs);
            drivers.put("nfs (nfs-ganesha)", () -> new NfsLocationDriver().open(nfs.locationSettings()));
            MiniHdfs hdfs = MiniHdfs.start();
            servers.add(hdfs);
            drivers.put("hdfs (MiniDFSCluster)", () -> new HdfsLocationDriver().open(hdfs.locationSettings("bench")));

            System.out.printf("%d files of %d MiB, %d streams, random bytes, loopback; median of %d rounds (lowest-highest)%n",
                    FILES, FILE_MB, STREAMS, ROUNDS);
            System.out.printf("| driver | write MB/s | read MB/s |%n|---|---|---|%n");
            for (Map.Entry<String, Supplier<Location>> driver : drivers.entrySet()) {
                try (Location location = driver.getValue().get()) {
                    double[] writes = new double[ROUNDS];
                    double[] reads = new double[ROUNDS];
                    for (int round = 0; round < ROUNDS; round++) {
                        sync();
                        writes[round] = measure(location, content, digest, true);
                        sync();
                        reads[round] = measure(location, content, digest, false);
                    }
                    System.out.printf("| %s | %s | %s |%n", driver.getKey(), summary(writes), summary(reads));
                }
            }
        } finally {
            for (AutoCloseable server : servers.reversed()) {
                server.close();
            }
        }
        System.exit(0); // the minicluster leaves non-daemon threads behind
    }

    /** The median, with the lowest and highest, of what the rounds measured. */
    private static String summary(double[] rounds) {
        double[] sorted = rounds.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return sorted.length == 1 ? String.format("%.0f", median)
                : String.format("%.0f (%.0f-%.0f)", median, sorted[0], sorted[sorted.length - 1]);
    }

    /** Writes back every dirty page, so a measurement does not pay for the one before it. */
    private static void sync() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    private static Path mkdir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** MB/s (10^6 bytes) of writing, or reading back and checking, every file. */
    private static double measure(Location location, byte[] content, byte[] digest, boolean write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
        long started = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                String key = "bench/file-" + i + ".bin";
                done.add(pool.submit(() -> {
                    if (write) {
                        location.put(key, content.length, FileMetadata.NONE, new java.io.ByteArrayInputStream(content));
                    } else {
                        MessageDigest sha = MessageDigest.getInstance("SHA-256");
                        byte[] buffer = new byte[1 << 20];
                        try (InputStream in = location.openRead(key, 0)) {
                            for (int n; (n = in.read(buffer)) > 0; ) {
                                sha.update(buffer, 0, n);
                            }
                        }
                        if (!Arrays.equals(sha.digest(), digest)) {
                            throw new IllegalStateException(location.kind() + ": " + key + " read back differs");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return (double) FILES * content.length / 1e6 / seconds;
    }
}
