package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.ferry.engine.testing.Trees;
import dev.ferry.engine.wire.LoopbackDataChannel;
import dev.ferry.locations.Location;
import dev.ferry.locations.MetadataText;
import dev.ferry.locations.azure.AzureBlobLocationDriver;
import dev.ferry.locations.azure.testing.AzuriteExtension;
import dev.ferry.locations.azure.testing.AzuriteServer;
import dev.ferry.locations.hdfs.HdfsLocationDriver;
import dev.ferry.locations.hdfs.testing.MiniHdfs;
import dev.ferry.locations.hdfs.testing.MiniHdfsExtension;
import dev.ferry.locations.nfs.NfsLocationDriver;
import dev.ferry.locations.nfs.testing.GaneshaExtension;
import dev.ferry.locations.nfs.testing.GaneshaServer;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.locations.s3.ObjectStorageLocationDriver;
import dev.ferry.locations.s3.S3LocationDriver;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import dev.ferry.locations.s3.testing.S3TestServer;
import dev.ferry.locations.smb.SmbLocationDriver;
import dev.ferry.locations.smb.testing.SambaExtension;
import dev.ferry.locations.smb.testing.SambaServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every kind of location as a source and as a destination, through the worker that would open it
 * in production: an agent over the data channel (posix, smb, nfs, hdfs, object-storage with agents) or the
 * control plane itself (s3, azure-blob). Each pair copies the same tree and is checked against
 * the original with clients independent of Ferry's drivers (the file system, the S3 and Azure
 * SDKs, Hadoop's own client, the directories Samba and ganesha serve, on disk), byte for byte and for the mtime both sides keep; then a
 * second run must find nothing to send.
 */
@ExtendWith({S3ServersExtension.class, AzuriteExtension.class, SambaExtension.class, MiniHdfsExtension.class,
        GaneshaExtension.class})
class LocationMatrixTest {
    private static S3ProxyServer s3;
    private static S3ProxyServer https;
    private static AzuriteServer azurite;
    private static SambaServer samba;
    private static MiniHdfs hdfs;
    private static GaneshaServer nfs;

    @TempDir
    Path temp;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<FileFailure> failures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void servers(S3ProxyServer sharedS3, AzuriteServer sharedAzurite, SambaServer sharedSamba, MiniHdfs sharedHdfs,
            GaneshaServer sharedNfs) {
        hdfs = sharedHdfs;
        nfs = sharedNfs;
        s3 = sharedS3;
        azurite = sharedAzurite;
        samba = sharedSamba;
        https = S3ProxyServer.startHttps();
    }

    @AfterAll
    static void stopHttps() {
        https.close();
    }

    @org.junit.jupiter.api.AfterEach
    void closeOpened() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    static Stream<String> pairs() {
        return Stream.of("posix>s3", "s3>posix", "posix>azure-blob", "azure-blob>posix", "posix>smb", "smb>posix",
                "s3>azure-blob", "azure-blob>s3", "smb>s3", "s3>smb", "object-storage>azure-blob", "azure-blob>object-storage",
                "smb>object-storage", "posix>posix", "smb>azure-blob", "posix>hdfs", "hdfs>s3", "s3>hdfs", "posix>nfs",
                "nfs>azure-blob", "nfs>hdfs", "hdfs>nfs", "smb>nfs");
    }

    /** One side of a pair: the location as the engine sees it, and an independent view of what it holds. */
    private interface Side {
        Location location();

        /** Files by key: SHA-256 and mtime as the store keeps them, read without Ferry's driver. */
        Map<String, FileState> files() throws IOException;

        /** The finest time both this side and the original keep. */
        Duration timeStep();
    }

    private record FileState(String sha256, long size, Optional<Instant> mtime) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void aTreeCrossesEveryPairWholeAndARerunSendsNothing(String pair) throws Exception {
        String[] kinds = pair.split(">");
        Path original = temp.resolve("original");
        Trees.generate(original, 0);
        Map<String, FileState> expected = posixFiles(original);

        Side source = side(kinds[0], "source");
        if (!kinds[0].equals("posix")) {
            assertThat(run(new PosixLocation(original), source.location()).outcome()).as("seeding " + kinds[0]).isEqualTo(
                    TransferResult.Outcome.SUCCESS);
        }
        Location from = kinds[0].equals("posix") ? agent(new PosixLocation(original)) : source.location();
        Side destination = side(kinds[1], "destination");

        TransferResult result = run(from, destination.location());
        assertThat(failures).as(pair).isEmpty();
        assertThat(result.outcome()).as(pair).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(result.counters().get("FilesTransferred")).as(pair).isEqualTo(expected.size());

        Map<String, FileState> arrived = destination.files();
        assertThat(arrived.keySet()).as(pair).containsExactlyElementsOf(expected.keySet());
        Duration step = max(source.timeStep(), destination.timeStep());
        for (Map.Entry<String, FileState> want : expected.entrySet()) {
            FileState got = arrived.get(want.getKey());
            assertThat(got.sha256()).as(pair + " " + want.getKey()).isEqualTo(want.getValue().sha256());
            assertThat(got.mtime().map(t -> truncate(t, step))).as(pair + " mtime of " + want.getKey())
                    .isEqualTo(want.getValue().mtime().map(t -> truncate(t, step)));
        }

        TransferResult again = run(from, destination.location());
        assertThat(failures).as(pair + " rerun").isEmpty();
        assertThat(again.counters()).as(pair + " rerun").containsEntry("FilesTransferred", 0L)
                .containsEntry("FilesSkipped", (long) expected.size());
    }

    private TransferResult run(Location source, Location destination) {
        failures.clear();
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void itemFailed(FileFailure failure) {
                failures.add(failure);
            }
        };
        return new Transfer("execution=exec-matrix", source, destination, TaskOptions.DEFAULTS, 8, () -> 0, listener).run();
    }

    /** Serves {@code location} the way an agent does: over the data channel, with TLS. */
    private Location agent(Location location) throws Exception {
        LoopbackDataChannel channel = new LoopbackDataChannel(location, 2);
        opened.add(channel);
        opened.add(location);
        return channel.remote;
    }

    private Side side(String kind, String role) throws Exception {
        return switch (kind) {
            case "posix" -> {
                Path dir = Files.createDirectories(temp.resolve(role));
                Location served = agent(new PosixLocation(dir));
                yield side(served, () -> posixFiles(dir), Duration.ofNanos(1));
            }
            case "smb" -> {
                Map<String, Object> settings = samba.locationSettings("data");
                Path dir = samba.sharePath("data").resolve(((String) settings.get("subdirectory")).substring("/data/".length()));
                Location served = agent(new SmbLocationDriver().open(settings));
                yield side(served, () -> posixFiles(dir), Duration.ofNanos(100));
            }
            case "hdfs" -> {
                Map<String, Object> settings = hdfs.locationSettings(role);
                String dir = (String) settings.get("subdirectory");
                Location served = agent(new HdfsLocationDriver().open(settings));
                yield side(served, () -> hdfsFiles(dir), Duration.ofMillis(1));
            }
            case "nfs" -> {
                Map<String, Object> settings = nfs.locationSettings();
                Path dir = nfs.exportPath().resolve(((String) settings.get("subdirectory")).substring(GaneshaServer.PSEUDO.length() + 1));
                Location served = agent(new NfsLocationDriver().open(settings));
                yield side(served, () -> posixFiles(dir), Duration.ofNanos(1));
            }
            case "s3" -> {
                String bucket = s3.createBucket();
                Location location = new S3LocationDriver().open(s3.locationSettings(bucket, "m/" + role));
                opened.add(location);
                yield side(location, () -> s3Files(s3, bucket, "m/" + role + "/"), Duration.ofNanos(1));
            }
            case "object-storage" -> {
                String bucket = https.createBucket();
                Map<String, Object> settings = Map.of("serverHostname", "127.0.0.1", "serverPort", https.endpoint().getPort(),
                        "bucketName", bucket, "subdirectory", role, "accessKey", S3TestServer.ACCESS_KEY,
                        "secretKey", S3TestServer.SECRET_KEY, "serverCertificate", https.caPem());
                Location served = agent(new ObjectStorageLocationDriver().open(settings));
                yield side(served, () -> s3Files(https, bucket, role + "/"), Duration.ofNanos(1));
            }
            case "azure-blob" -> {
                String container = azurite.createContainer();
                Location location = new AzureBlobLocationDriver().open(azurite.locationSettings(container, role));
                opened.add(location);
                yield side(location, () -> azureFiles(container, role + "/"), Duration.ofNanos(1));
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @FunctionalInterface
    private interface Snapshot {
        Map<String, FileState> take() throws IOException;
    }

    private static Side side(Location location, Snapshot snapshot, Duration step) {
        return new Side() {
            @Override
            public Location location() {
                return location;
            }

            @Override
            public Map<String, FileState> files() throws IOException {
                return snapshot.take();
            }

            @Override
            public Duration timeStep() {
                return step;
            }
        };
    }

    private static Map<String, FileState> posixFiles(Path root) throws IOException {
        Map<String, FileState> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] bytes = Files.readAllBytes(p);
                    files.put(root.relativize(p).toString(), new FileState(sha256(bytes), bytes.length,
                            Optional.of(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant())));
                }
            }
        }
        return files;
    }

    private static Map<String, FileState> hdfsFiles(String dir) throws IOException {
        Map<String, FileState> files = new TreeMap<>();
        org.apache.hadoop.fs.FileSystem fs = hdfs.fileSystem();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
        if (!fs.exists(root)) {
            return files;
        }
        var all = fs.listFiles(root, true);
        while (all.hasNext()) {
            var status = all.next();
            String key = status.getPath().toUri().getPath().substring(dir.length() + 1);
            byte[] bytes;
            try (var in = fs.open(status.getPath())) {
                bytes = in.readAllBytes();
            }
            files.put(key, new FileState(sha256(bytes), bytes.length, Optional.of(Instant.ofEpochMilli(status.getModificationTime()))));
        }
        return files;
    }

    private static Map<String, FileState> s3Files(S3TestServer server, String bucket, String prefix) {
        Map<String, FileState> files = new TreeMap<>();
        try (S3Client client = server.client()) {
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                if (object.key().endsWith("/")) {
                    continue; // a directory marker
                }
                byte[] bytes = client.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray();
                Map<String, String> user = client.headObject(b -> b.bucket(bucket).key(object.key())).metadata();
                files.put(object.key().substring(prefix.length()), new FileState(sha256(bytes), bytes.length,
                        MetadataText.instant(user.get("file-mtime"))));
            }
        }
        return files;
    }

    private static Map<String, FileState> azureFiles(String container, String prefix) {
        Map<String, FileState> files = new TreeMap<>();
        BlobContainerClient client = azurite.client().getBlobContainerClient(container);
        for (BlobItem blob : client.listBlobs(new ListBlobsOptions().setPrefix(prefix)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true)), null)) {
            if (blob.getName().endsWith("/")) {
                continue;
            }
            byte[] bytes = client.getBlobClient(blob.getName()).downloadContent().toBytes();
            files.put(blob.getName().substring(prefix.length()), new FileState(sha256(bytes), bytes.length,
                    MetadataText.instant(blob.getMetadata() == null ? null : blob.getMetadata().get("file_mtime"))));
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Instant truncate(Instant t, Duration step) {
        long n = step.toNanos();
        return Instant.ofEpochSecond(t.getEpochSecond(), t.getNano() - t.getNano() % n);
    }
}
