package dev.ferry.engine.transfer;

import dev.ferry.locations.ArrayContent;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ChecksummedInputStream;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.locations.Stored;
import dev.ferry.locations.WholeContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one file: reads the source once, hashing on the way, into a put at the destination, and
 * tries again on failures a retry can fix (a dropped connection, a 500 from a store).
 */
final class FileCopier {
    private static final Logger LOG = LoggerFactory.getLogger(FileCopier.class);
    /** Codes no retry can fix; anything else is tried again. */
    private static final Set<String> PERMANENT = Set.of("NOT_FOUND", "INVALID_PATH", "ACCESS_DENIED", "TYPE_CONFLICT",
            "UNSUPPORTED", "NOT_A_DIRECTORY", "ROOT_NOT_FOUND", "INVALID_SETTINGS", "CANCELLED");
    static final int ATTEMPTS = 3;

    private final String executionId;
    private final Location source;
    private final Location destination;
    private final BooleanSupplier cancelled;
    private final BandwidthLimiter limiter;
    private final boolean digestSource;

    /**
     * @param digestSource checksum the source bytes where they are read (ONLY_FILES_TRANSFERRED
     *     compares that checksum with the destination's); other modes need none, so none is made
     */
    FileCopier(String executionId, Location source, Location destination, BooleanSupplier cancelled, BandwidthLimiter limiter,
            boolean digestSource) {
        this.limiter = limiter;
        this.digestSource = digestSource;
        this.executionId = executionId;
        this.source = source;
        this.destination = destination;
        this.cancelled = cancelled;
    }

    /**
     * What a copy leaves to verify: the checksum of the bytes as read at the source, by the
     * algorithm the destination's store checksums with (else SHA-256), and what the store said of
     * the write (its own checksum, the version it made). The source's checksum is empty when not
     * asked for; both are for links and devices, which have no content.
     */
    record Copied(Optional<ContentChecksum> source, Stored stored) {
        static final Copied NOTHING = new Copied(Optional.empty(), Stored.NOTHING);
    }

    Copied copy(Entry entry, FileMetadata metadata) {
        for (int attempt = 1; ; attempt++) {
            try {
                return copyOnce(entry, metadata);
            } catch (LocationException e) {
                if (PERMANENT.contains(e.code()) || attempt == ATTEMPTS || cancelled.getAsBoolean()) {
                    throw e;
                }
                LOG.warn("event=file_retry {} key=\"{}\" attempt={} code={} error=\"{}\"", executionId, entry.key(),
                        attempt, e.code(), e.getMessage());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new LocationException("CANCELLED", "cancelled while waiting to retry " + entry.key());
                }
            }
        }
    }

    private Copied copyOnce(Entry entry, FileMetadata metadata) {
        if (metadata.linkTarget().isPresent() || metadata.device().isPresent()) {
            // A link or device is written as itself; reading a link would follow it, possibly out of
            // the location, and reading a FIFO would wait for a writer.
            destination.put(entry.key(), 0, metadata, InputStream.nullInputStream());
            return Copied.NOTHING;
        }
        if (!digestSource) {
            try (InputStream in = limiter.limit(source.openRead(entry.key(), 0))) {
                return new Copied(Optional.empty(), destination.put(entry.key(), entry.size(), metadata, in));
            } catch (IOException e) {
                throw new LocationException("IO_ERROR", entry.key() + ": " + e.getMessage(), e);
            }
        }
        ChecksumAlgorithm algorithm = destination.storeChecksum(entry.size()).orElse(ChecksumAlgorithm.SHA256);
        try (ChecksummedInputStream in = source.openChecksummed(entry.key(), algorithm)) {
            InputStream content = limiter.limit(in);
            if (in instanceof WholeContent whole && limiter.bytesPerSecond() < 0) {
                // A file that arrived in one piece goes to the destination in the array it came in,
                // not read into another (where no rate is set: the limiter meters reads).
                Optional<ArrayContent> taken = whole.readWhole();
                if (taken.isPresent()) {
                    content = taken.get();
                }
            }
            Stored stored = destination.put(entry.key(), entry.size(), metadata, content);
            if (in.read() >= 0) {
                // Every writer reads its content to the end; one that stopped short wrote less than the source holds.
                throw new SizeMismatchException(entry.key(), entry.size(), -1);
            }
            return new Copied(Optional.of(in.checksum()), stored);
        } catch (IOException e) {
            throw new LocationException("IO_ERROR", entry.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Read back where it was written, by the algorithm of the source's checksum; an agent
     * checksums its own files so no bytes cross the wire.
     */
    ContentChecksum destinationChecksum(String key, ChecksumAlgorithm algorithm) throws IOException {
        return Digests.checksum(destination, key, algorithm);
    }
}
