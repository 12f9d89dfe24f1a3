package dev.ferry.locations.hdfs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS: Hadoop's MiniDFSCluster (a name node and one data node on loopback, in this JVM),
 * with the settings that keep small files from crawling. Start-up takes seconds, so one serves a
 * whole test run. {@link #close()} shuts it down and removes its storage.
 */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;
    private final Path directory;

    private MiniHdfs(MiniDFSCluster cluster, Path directory) {
        this.cluster = cluster;
        this.directory = directory;
    }

    public static MiniHdfs start() {
        try {
            Path directory = Files.createTempDirectory("ferry-hdfs");
            Configuration conf = new Configuration();
            conf.setInt("dfs.namenode.file.close.num-committed-allowed", 1);
            conf.setBoolean("dfs.client.block.write.replace-datanode-on-failure.enable", false);
            conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 20);
            conf.setLong("dfs.namenode.accesstime.precision", 1);
            conf.setInt("dfs.replication", 1);
            MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, directory.toFile()).numDataNodes(1).build();
            cluster.waitActive();
            return new MiniHdfs(cluster, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int nameNodePort() {
        return cluster.getNameNodePort();
    }

    /** A client as the cluster's superuser, for checking what HDFS holds without Ferry's driver. */
    public FileSystem fileSystem() {
        try {
            return cluster.getFileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The user who started the cluster: its superuser. */
    public static String superuser() {
        return System.getProperty("user.name");
    }

    /** Settings of an {@code hdfs} location on a new empty directory. */
    public Map<String, Object> locationSettings(String name) {
        String dir = "/ferry/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> raw = new HashMap<>();
        raw.put("nameNodes", List.of(Map.of("hostname", "127.0.0.1", "port", nameNodePort())));
        raw.put("subdirectory", dir);
        raw.put("simpleUser", superuser());
        raw.put("replicationFactor", 1);
        raw.put("blockSize", 4L << 20);
        return raw;
    }

    @Override
    public void close() {
        cluster.shutdown(true);
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A temp directory left behind does no harm.
        }
    }
}
