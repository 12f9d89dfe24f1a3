package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.engine.testing.ForwardingLocation;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.StoreVersion;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.locations.s3.S3LocationDriver;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * A task's record of what its destination holds, against a real S3 store: an unchanged tree is
 * compared without a request per object, and whatever changed (at the source, or at the
 * destination behind the record's back, content or metadata alone) is still found.
 */
@ExtendWith(S3ServersExtension.class)
class DestinationRecordTest {
    private static final long PART_SIZE = 5L << 20;
    /** Twelve small files and one of three parts. */
    private static final int FILES = 13;
    private static S3ProxyServer server;

    @TempDir
    Path temp;
    private Path source;
    private Path recordFile;
    private String bucket;
    private final List<FileFailure> failures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void server(S3ProxyServer shared) {
        server = shared;
    }

    @BeforeEach
    void sourceTree() throws IOException {
        source = Files.createDirectory(temp.resolve("src"));
        recordFile = temp.resolve("records/task-1.record");
        Random random = new Random(5);
        for (int i = 0; i < FILES - 1; i++) {
            byte[] data = new byte[100 + random.nextInt(20_000)];
            random.nextBytes(data);
            Files.createDirectories(source.resolve("d" + i % 3));
            Files.write(source.resolve("d" + i % 3 + "/f" + i), data);
        }
        byte[] big = new byte[(int) (2 * PART_SIZE + 999)];
        random.nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
        bucket = server.createBucket();
    }

    @Test
    void anUnchangedTreeIsComparedWithoutARequestPerObject() throws IOException {
        try (Location s3 = bucket(); CountingStats destination = new CountingStats(s3)) {
            TransferResult first = run(destination, "dest-1");
            assertThat(first.counters()).containsEntry("FilesTransferred", (long) FILES);

            destination.stats.set(0);
            TransferResult second = run(destination, "dest-1");
            assertThat(failures).isEmpty();
            assertThat(second.counters()).containsEntry("FilesTransferred", 0L).containsEntry("FilesSkipped", (long) FILES);
            assertThat(destination.stats).hasValue(0);

            // Without the record, or with a record of another destination, each object is asked about.
            destination.stats.set(0);
            TransferResult unrecorded = run(destination, null);
            assertThat(unrecorded.counters()).containsEntry("FilesSkipped", (long) FILES);
            assertThat(destination.stats).hasValue(FILES);
            destination.stats.set(0);
            run(destination, "dest-2");
            assertThat(destination.stats).hasValue(FILES);

            // A run without a record keeps none; one of another destination replaces the record it did not read.
            destination.stats.set(0);
            run(destination, "dest-2");
            assertThat(destination.stats).hasValue(0);
        }
    }

    @Test
    void aFileChangedAtTheSourceIsTransferredThroughTheRecord() throws IOException {
        try (Location s3 = bucket()) {
            run(s3, "dest-1");
            Path touched = source.resolve("d0/f0");
            Files.setLastModifiedTime(touched, FileTime.from(Instant.parse("2020-01-02T03:04:05.678Z")));
            Path rewritten = source.resolve("d1/f1");
            byte[] other = Files.readAllBytes(rewritten);
            other[0] ^= 1;
            Files.write(rewritten, other);
            Files.setLastModifiedTime(rewritten, FileTime.from(Instant.parse("2021-01-02T03:04:05Z")));

            TransferResult second = run(s3, "dest-1");
            assertThat(failures).isEmpty();
            assertThat(second.counters()).containsEntry("FilesTransferred", 2L).containsEntry("FilesSkipped", (long) FILES - 2);
            assertThat(s3.stat("d0/f0").orElseThrow().metadata().mtime()).contains(Instant.parse("2020-01-02T03:04:05.678Z"));
            assertThat(run(s3, "dest-1").counters()).containsEntry("FilesTransferred", 0L);
        }
    }

    /** Other bytes of the same size, with metadata that claims another mtime: the ETag gives it away. */
    @Test
    void anObjectRewrittenBehindTheRecordIsAskedAbout() throws IOException {
        try (Location s3 = bucket(); S3Client client = server.client()) {
            run(s3, "dest-1");
            byte[] original = Files.readAllBytes(source.resolve("d2/f2"));
            byte[] other = original.clone();
            other[7] ^= 1;
            HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("d2/f2"));
            Map<String, String> metadata = new HashMap<>(head.metadata());
            metadata.put("file-mtime", "978307200000000000ns"); // 2001-01-01
            client.putObject(b -> b.bucket(bucket).key("d2/f2").metadata(metadata), RequestBody.fromBytes(other));

            TransferResult second = run(s3, "dest-1");
            assertThat(failures).isEmpty();
            assertThat(second.counters()).containsEntry("FilesTransferred", 1L);
            assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("d2/f2")).asByteArray()).isEqualTo(original);
        }
    }

    /**
     * The same bytes with other metadata (a copy onto itself) keep their ETag, but are dated after
     * the write the record names; so are the parts of a multipart upload's.
     */
    @Test
    void metadataReplacedBehindTheRecordIsAskedAbout() throws IOException {
        try (Location s3 = bucket(); S3Client client = server.client()) {
            run(s3, "dest-1");
            // The record trusts a version dated up to a second after the store's answer, whose Date has whole seconds.
            Instant writtenBy = Instant.now().plusSeconds(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(writtenBy));
            for (String key : List.of("d0/f3", "big.bin")) {
                Map<String, String> metadata = new HashMap<>(client.headObject(b -> b.bucket(bucket).key(key)).metadata());
                metadata.put("file-mtime", "978307200000000000ns");
                client.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                        .metadata(metadata).metadataDirective(MetadataDirective.REPLACE));
            }

            TransferResult second = run(s3, "dest-1");
            assertThat(failures).isEmpty();
            assertThat(second.counters()).containsEntry("FilesTransferred", 2L);
            assertThat(s3.stat("big.bin").orElseThrow().metadata().mtime())
                    .isEqualTo(Optional.of(Files.getLastModifiedTime(source.resolve("big.bin")).toInstant()));
        }
    }

    /** A run that stopped short keeps what it did not reach; a whole run keeps only what it saw. */
    @Test
    void aRecordKeepsWhatARunSawAndOnlyThat() throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Entry a = recorded("a", t);
        Entry b = recorded("b", t);
        try (DestinationRecord record = DestinationRecord.open(recordFile, "dest-1")) {
            record.record(a);
            record.record(b);
            record.record(new Entry("unversioned", EntryType.FILE, 1, FileMetadata.NONE)); // Nothing to tell it by: not kept.
            record.close(true);
        }
        try (DestinationRecord record = DestinationRecord.open(recordFile, "dest-1")) {
            assertThat(record.earlier("a")).contains(a);
            assertThat(record.earlier("unversioned")).isEmpty();
            record.record(recorded("a", t.plusSeconds(5)));
            record.close(false);
        }
        try (DestinationRecord record = DestinationRecord.open(recordFile, "dest-1")) {
            assertThat(record.earlier("a")).contains(recorded("a", t.plusSeconds(5)));
            assertThat(record.earlier("b")).contains(b);
            record.record(a);
            record.close(true);
        }
        try (DestinationRecord record = DestinationRecord.open(recordFile, "dest-1")) {
            assertThat(record.earlier("a")).contains(a);
            assertThat(record.earlier("b")).isEmpty();
        } // Closed without an end: the record stays as it was.
        try (DestinationRecord record = DestinationRecord.open(recordFile, "dest-1")) {
            assertThat(record.earlier("a")).contains(a);
        }
        try (DestinationRecord record = DestinationRecord.open(recordFile, "dest-2")) {
            assertThat(record.earlier("a")).isEmpty();
        }
    }

    @Test
    void aDamagedRecordCostsOnlyTheShortcut() throws IOException {
        Files.createDirectories(recordFile.getParent());
        Files.write(recordFile, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (Location s3 = bucket(); CountingStats destination = new CountingStats(s3)) {
            run(destination, "dest-1");
            TransferResult second = run(destination, "dest-1");
            assertThat(second.counters()).containsEntry("FilesSkipped", (long) FILES);
            assertThat(destination.stats).hasValue(0);
        }
    }

    private static Entry recorded(String key, Instant written) {
        FileMetadata metadata = FileMetadata.NONE.withMtime(Optional.of(written.minusSeconds(3600))).withMode(java.util.OptionalInt.of(0640));
        return new Entry(key, EntryType.FILE, 42, metadata,
                Optional.of(new ContentChecksum(dev.ferry.locations.ChecksumAlgorithm.CRC32C, "0a0b0c0d")),
                Optional.of(new StoreVersion("etag-" + key, written.minusSeconds(2), written.plusSeconds(1))));
    }

    private Location bucket() {
        Map<String, Object> settings = new HashMap<>(server.locationSettings(bucket, ""));
        settings.put("partSize", PART_SIZE);
        return new S3LocationDriver().open(settings);
    }

    /** @param destination what the record is of; null runs without one */
    private TransferResult run(Location destination, String recordOf) throws IOException {
        failures.clear();
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void itemFailed(FileFailure failure) {
                failures.add(failure);
            }
        };
        // POINT_IN_TIME_CONSISTENT reads every object's metadata again to verify: the mode that spares requests is this one.
        TaskOptions options = TaskOptions.parse(Map.of("VerifyMode", "ONLY_FILES_TRANSFERRED"), TaskOptions.DEFAULTS);
        Transfer transfer = new Transfer("execution=exec-record", new PosixLocation(source), destination, options, 4, () -> 0, listener);
        if (recordOf == null) {
            return transfer.run();
        }
        try (DestinationRecord record = DestinationRecord.open(recordFile, recordOf)) {
            transfer.useRecord(record);
            TransferResult result = transfer.run();
            record.close(result.outcome() == TransferResult.Outcome.SUCCESS);
            return result;
        }
    }

    /** A real location that counts the stats made of it. */
    private static final class CountingStats extends ForwardingLocation {
        final AtomicInteger stats = new AtomicInteger();

        CountingStats(Location inner) {
            super(inner);
        }

        @Override
        public Optional<Entry> stat(String key) {
            if (!key.isEmpty() && !key.endsWith("/")) { // Files', not directories'
                stats.incrementAndGet();
            }
            return inner.stat(key);
        }
    }
}
