package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.testing.ForwardingLocation;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.locations.s3.S3LocationDriver;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification against a store that checksums what it keeps (S3's CRC32Cs): the source's checksum,
 * made by the store's algorithm, is compared with the store's, and nothing is read back; a store
 * checksum that differs is confirmed by reading back, so a corrupted write fails and a store
 * whose ETags are no digests still verifies. Both verify modes, one request's objects and a
 * multipart upload's.
 */
@ExtendWith(S3ServersExtension.class)
class StoreChecksumVerificationTest {
    private static final List<String> MODES = List.of("ONLY_FILES_TRANSFERRED", "POINT_IN_TIME_CONSISTENT");
    private static final long PART_SIZE = 5L << 20;
    private static S3ProxyServer server;

    @TempDir
    Path temp;
    private Path source;
    private final List<FileFailure> failures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void server(S3ProxyServer shared) {
        server = shared;
    }

    @BeforeEach
    void sourceTree() throws IOException {
        source = Files.createDirectory(temp.resolve("src"));
        Random random = new Random(3);
        for (int i = 0; i < 6; i++) {
            byte[] data = new byte[1000 + random.nextInt(50_000)];
            random.nextBytes(data);
            Files.createDirectories(source.resolve("d" + i % 2));
            Files.write(source.resolve("d" + i % 2 + "/f" + i), data);
        }
        byte[] big = new byte[(int) (2 * PART_SIZE + 12345)];
        random.nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
        Files.write(source.resolve("empty"), new byte[0]);
    }

    private Location bucket() {
        Map<String, Object> settings = new HashMap<>(server.locationSettings(server.createBucket(), ""));
        settings.put("partSize", PART_SIZE);
        return new S3LocationDriver().open(settings);
    }

    @Test
    void theStoresChecksumsVerifyWithoutReadingAnythingBack() {
        for (String mode : MODES) {
            try (Location s3 = bucket(); CountingReads destination = new CountingReads(s3)) {
                TransferResult result = run(destination, mode);
                assertThat(failures).as(mode).isEmpty();
                assertThat(result.outcome()).as(mode).isEqualTo(TransferResult.Outcome.SUCCESS);
                assertThat(result.counters()).as(mode).containsEntry("FilesVerified", 8L);
                assertThat(destination.reads).as(mode).hasValue(0);
                assertThat(s3.stat("big.bin").orElseThrow().checksum().orElseThrow().algorithm())
                        .isEqualTo(ChecksumAlgorithm.crc32cOfParts(PART_SIZE));
            }
        }
    }

    @Test
    void aWriteCorruptedOnItsWayToTheStoreFailsVerification() {
        for (String mode : MODES) {
            try (Location destination = new ForwardingLocation(bucket()) {
                @Override
                public dev.ferry.locations.Stored put(String key, long size, FileMetadata metadata, InputStream content) {
                    return inner.put(key, size, metadata, key.equals("d1/f3") || key.equals("big.bin") ? flipOneBit(content) : content);
                }
            }) {
                TransferResult result = run(destination, mode);
                assertThat(result.outcome()).as(mode).isEqualTo(TransferResult.Outcome.ERROR);
                assertThat(failures).as(mode).extracting(FileFailure::key, FileFailure::phase, FileFailure::code)
                        .containsExactlyInAnyOrder(Tuple.tuple("d1/f3", "VERIFY", "VERIFICATION_FAILED"),
                                Tuple.tuple("big.bin", "VERIFY", "VERIFICATION_FAILED"));
            }
        }
    }

    /** Some stores give ETags that are no digest of the content: the file is read back, and passes. */
    @Test
    void aStoreChecksumThatIsNoDigestIsCheckedByReadingBack() {
        ContentChecksum bogus = new ContentChecksum(ChecksumAlgorithm.MD5, "0123456789abcdef0123456789abcdef");
        for (String mode : MODES) {
            try (CountingReads destination = new CountingReads(bucket()) {
                @Override
                public dev.ferry.locations.Stored put(String key, long size, FileMetadata metadata, InputStream content) {
                    inner.put(key, size, metadata, content);
                    return dev.ferry.locations.Stored.checksum(Optional.of(bogus));
                }

                @Override
                public Optional<Entry> stat(String key) {
                    return inner.stat(key).map(e -> new Entry(e.key(), e.type(), e.size(), e.metadata(),
                            e.isFile() ? Optional.of(bogus) : Optional.empty()));
                }
            }) {
                TransferResult result = run(destination, mode);
                assertThat(failures).as(mode).isEmpty();
                assertThat(result.counters()).as(mode).containsEntry("FilesVerified", 8L);
                assertThat(destination.reads).as(mode).hasValue(8);
            }
        }
    }

    private TransferResult run(Location destination, String mode) {
        failures.clear();
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void itemFailed(FileFailure failure) {
                failures.add(failure);
            }
        };
        return new Transfer("execution=exec-checksums", new PosixLocation(source), destination,
                TaskOptions.parse(Map.of("VerifyMode", mode), TaskOptions.DEFAULTS), 4, () -> 0, listener).run();
    }

    private static InputStream flipOneBit(InputStream content) {
        return new FilterInputStream(content) {
            private boolean flipped;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && !flipped) {
                    b[off + n / 2] ^= 1;
                    flipped = true;
                }
                return n;
            }
        };
    }

    /** A real location that counts the files read from it. */
    private static class CountingReads extends ForwardingLocation {
        final AtomicInteger reads = new AtomicInteger();

        CountingReads(Location inner) {
            super(inner);
        }

        @Override
        public InputStream openRead(String key, long offset) {
            reads.incrementAndGet();
            return inner.openRead(key, offset);
        }
    }
}
