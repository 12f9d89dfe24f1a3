package dev.ferry.engine.transfer;

import dev.ferry.engine.wire.Sha256;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
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
     * @param digestSource hash the source bytes on the way (ONLY_FILES_TRANSFERRED compares that
     *     digest with the destination's); other modes need no digest, so no byte is hashed here
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

    /** @return the SHA-256 of the bytes read at the source, or an empty array when not asked for */
    byte[] copy(Entry entry, FileMetadata metadata) {
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

    private byte[] copyOnce(Entry entry, FileMetadata metadata) {
        if (metadata.linkTarget().isPresent() || metadata.device().isPresent()) {
            // A link or device is written as itself; reading a link would follow it, possibly out of
            // the location, and reading a FIFO would wait for a writer.
            destination.put(entry.key(), 0, metadata, InputStream.nullInputStream());
            return new byte[0];
        }
        MessageDigest digest = digestSource ? Sha256.newDigest() : null;
        try (InputStream raw = limiter.limit(source.openRead(entry.key(), 0));
                InputStream in = digest == null ? raw : new DigestInputStream(raw, digest)) {
            destination.put(entry.key(), entry.size(), metadata, in);
        } catch (IOException e) {
            throw new LocationException("IO_ERROR", entry.key() + ": " + e.getMessage(), e);
        }
        return digest == null ? new byte[0] : digest.digest();
    }

    /** Read back where it was written; an agent hashes its own files so no bytes cross the wire. */
    byte[] destinationSha256(String key) throws IOException {
        return Digests.sha256(destination, key);
    }
}
