package dev.ferry.engine.transfer;

import dev.ferry.locations.Capability;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * VerifyMode=POINT_IN_TIME_CONSISTENT: once everything is transferred, both sides are listed again
 * and merged, and every entry is compared: type, size, mtime and the preserved metadata (object
 * tags and security descriptors included, where they travel), and the whole content: the source's
 * checksum against the one the destination's store keeps, else against one read back (an agent
 * checksums its own files). Anything that
 * does not match is a failed item with its reason. Entries only at the destination count as
 * mismatches when PreserveDeletedFiles=REMOVE promised to mirror deletions.
 */
final class PointInTimeVerifier {
    private final Location source;
    private final Location destination;
    private final TaskOptions options;
    private final FilterRules filters;
    private final MetadataPolicy policy;
    private final ExecutionCounters counters;
    private final Consumer<FileFailure> fail;
    private final ExecutionListener listener;
    private final ExecutorService workers;
    private final WorkSlots slots;
    private final BooleanSupplier cancelled;
    private final UnlistedMetadata unlisted;
    private final TimeComparison times;

    PointInTimeVerifier(Location source, Location destination, TaskOptions options, FilterRules filters, MetadataPolicy policy,
            UnlistedMetadata unlisted, TimeComparison times, ExecutionCounters counters, Consumer<FileFailure> fail, ExecutionListener listener,
            ExecutorService workers, WorkSlots slots, BooleanSupplier cancelled) {
        this.unlisted = unlisted;
        this.times = times;
        this.listener = listener;
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.filters = filters;
        this.policy = policy;
        this.counters = counters;
        this.fail = fail;
        this.workers = workers;
        this.slots = slots;
        this.cancelled = cancelled;
    }

    /** Compares everything; returns once every comparison is dispatched (the caller drains the slots). */
    void run() {
        try (Stream<Entry> sourceListing = source.list(filters).filter(e -> filters.includes(e.key()));
                Stream<Entry> destinationListing = destination.list(filters).filter(e -> filters.includes(e.key()))) {
            Iterator<ListingMerger.Pair> pairs = new ListingMerger(sourceListing.iterator(), destinationListing.iterator());
            while (pairs.hasNext() && !cancelled.getAsBoolean()) {
                ListingMerger.Pair pair = pairs.next();
                if (!Keys.isValid(pair.key())) {
                    continue; // Reported when it was prepared.
                }
                Optional<Entry> src = pair.source();
                if (src.isPresent() && src.get().type() == EntryType.OTHER && !copiesNode(src.get())) {
                    continue; // Left out: sockets, and devices and FIFOs under PreserveDevices=NONE.
                }
                if (src.isEmpty()) {
                    if (options.preserveDeletedFiles() == TaskOptions.PreserveDeletedFiles.REMOVE) {
                        mismatch(pair.key(), "EXTRA_AT_DESTINATION", "exists at the destination but no longer at the source");
                    }
                    continue;
                }
                if (pair.destination().isEmpty()) {
                    mismatch(pair.key(), "MISSING_AT_DESTINATION", "exists at the source but not at the destination");
                    continue;
                }
                dispatch(src.get(), pair.destination().get());
            }
        }
    }

    /**
     * Compares the entries named by {@code keys} (a manifest's), with a stat on each side instead
     * of listings. Those missing at the source already failed when they were prepared.
     */
    void runOver(Iterator<String> keys) {
        while (keys.hasNext() && !cancelled.getAsBoolean()) {
            String key = keys.next();
            try {
                Optional<Entry> src = ManifestKeys.statEither(source, key);
                if (src.isEmpty() || src.get().type() == EntryType.OTHER && !copiesNode(src.get())) {
                    continue;
                }
                Optional<Entry> dst = destination.stat(src.get().key());
                if (dst.isEmpty() && src.get().isFile()) {
                    dst = destination.stat(src.get().key() + "/");
                }
                if (dst.isEmpty()) {
                    mismatch(src.get().key(), "MISSING_AT_DESTINATION", "exists at the source but not at the destination");
                    continue;
                }
                dispatch(src.get(), dst.get());
            } catch (LocationException e) {
                counters.failedVerify(key).increment();
                fail.accept(new FileFailure(key, "VERIFY", e.code(), e.getMessage()));
            }
        }
    }

    private void dispatch(Entry src, Entry dst) {
        try {
            slots.acquire(0); // Checksums stream through; nothing is held.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    compare(src, dst);
                } finally {
                    slots.release(0);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException cancelledMeanwhile) {
            slots.release(0);
        }
    }

    private void compare(Entry listedSource, Entry listedDestination) {
        String key = listedSource.key();
        try {
            // Object stores list links as plain objects; their full entry says what they are.
            Entry fullSource = unlisted.withSource(full(source, listedSource));
            Entry fullDestination = full(destination, listedDestination);
            if (fullSource.type() != fullDestination.type()) {
                mismatch(key, "TYPE_MISMATCH", "a " + fullSource.type() + " at the source, a " + fullDestination.type()
                        + " at the destination");
                return;
            }
            FileMetadata wanted = policy.toWrite(fullSource.metadata());
            FileMetadata there = fullDestination.metadata();
            if (fullSource.type() == EntryType.OTHER && !copiesNode(fullSource)) {
                return; // An object store's empty object that turned out a device, under PreserveDevices=NONE.
            }
            if (fullSource.type() == EntryType.SYMLINK || fullSource.type() == EntryType.OTHER) {
                Optional<String> differs = NodeComparison.mismatch(wanted, there);
                if (differs.isPresent()) {
                    mismatch(key, fullSource.type() == EntryType.SYMLINK ? "LINK_TARGET_MISMATCH" : "DEVICE_MISMATCH",
                            differs.get());
                    return;
                }
                counters.filesVerified.increment();
                listener.itemVerified(fullSource, Optional.empty());
                return;
            }
            if (options.mtime() == TaskOptions.Mtime.PRESERVE && wanted.mtime().isPresent() && there.mtime().isPresent()
                    && !times.same(wanted.mtime(), there.mtime()) && (listedSource.isFile() || hierarchical())) {
                mismatch(key, "MTIME_MISMATCH", "mtime " + wanted.mtime().get() + " at the source, " + there.mtime().get()
                        + " at the destination");
                return;
            }
            if (MetadataPolicy.differs(wanted, there)) {
                mismatch(key, "METADATA_MISMATCH", "mode, owner or file attributes differ: source " + wanted
                        + ", destination " + there);
                return;
            }
            Optional<UnlistedMetadata.Mismatch> unlistedDiffers = unlisted.mismatch(fullSource);
            if (unlistedDiffers.isPresent()) {
                mismatch(key, unlistedDiffers.get().code(), unlistedDiffers.get().message());
                return;
            }
            if (!listedSource.isFile()) {
                if (listedSource.isDirectory()) {
                    counters.foldersVerified.increment();
                }
                listener.itemVerified(listedSource, Optional.empty());
                return;
            }
            if (listedSource.size() != listedDestination.size()) {
                mismatch(key, "SIZE_MISMATCH", listedSource.size() + " bytes at the source, " + listedDestination.size()
                        + " at the destination");
                return;
            }
            ContentChecksum sourceChecksum = contentMatches(key, fullDestination);
            if (sourceChecksum == null) {
                mismatch(key, "VERIFICATION_FAILED", "the destination's content differs from the source's");
                return;
            }
            counters.filesVerified.increment();
            listener.itemVerified(listedSource, Optional.of(sourceChecksum));
        } catch (LocationException e) {
            counters.failedVerify(key).increment();
            fail.accept(new FileFailure(key, "VERIFY", e.code(), e.getMessage()));
        } catch (IOException e) {
            counters.failedVerify(key).increment();
            fail.accept(new FileFailure(key, "VERIFY", "IO_ERROR", e.getMessage()));
        }
    }

    /**
     * The source's checksum when the destination holds the same content, else null. Where the
     * destination's store keeps a checksum (S3's ETag), the source computes one by its algorithm
     * and nothing is read back; a store checksum that differs is confirmed by reading back, since
     * some stores give ETags that are no digest.
     */
    private ContentChecksum contentMatches(String key, Entry destinationEntry) throws IOException {
        if (destinationEntry.checksum().isPresent()) {
            ContentChecksum stored = destinationEntry.checksum().get();
            ContentChecksum sourceChecksum = Digests.checksum(source, key, stored.algorithm());
            if (sourceChecksum.equals(stored)) {
                return sourceChecksum;
            }
            return sourceChecksum.equals(Digests.checksum(destination, key, stored.algorithm())) ? sourceChecksum : null;
        }
        ContentChecksum sourceChecksum = Digests.checksum(source, key, ChecksumAlgorithm.SHA256);
        return sourceChecksum.equals(Digests.checksum(destination, key, ChecksumAlgorithm.SHA256)) ? sourceChecksum : null;
    }

    private boolean copiesNode(Entry entry) {
        return options.preserveDevices() == TaskOptions.PreserveDevices.PRESERVE && entry.metadata().device().isPresent();
    }

    private boolean hierarchical() {
        return destination.capabilities().contains(Capability.HIERARCHICAL_DIRECTORIES);
    }

    /** The entry with everything its location keeps (object-store listings carry sizes only). */
    private static Entry full(Location location, Entry listed) {
        if (listed.metadata().mtime().isPresent() || !location.capabilities().contains(Capability.POSIX_METADATA)) {
            return listed;
        }
        return location.stat(listed.key()).orElse(listed);
    }

    private void mismatch(String key, String code, String message) {
        counters.failedVerify(key).increment();
        fail.accept(new FileFailure(key, "VERIFY", code, message));
    }
}
