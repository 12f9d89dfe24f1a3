package dev.ferry.engine.transfer;

import dev.ferry.locations.EntryType;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import java.util.Optional;

/**
 * Decides, for a source file and what the destination listed under its key, whether to send it,
 * only update its metadata, or skip it. A file counts as changed when its size or mtime differ
 * (DataSync's rule); mode, owners, file attributes and (where they travel) object tags and security descriptors alone
 * make a metadata update.
 */
final class ChangeDetector {
    enum Decision { TRANSFER, METADATA_ONLY, SKIP }

    private final Location destination;
    private final TaskOptions options;
    private final MetadataPolicy policy;
    private final UnlistedMetadata unlisted;
    private final TimeComparison times;

    ChangeDetector(Location destination, TaskOptions options, MetadataPolicy policy, UnlistedMetadata unlisted,
            TimeComparison times) {
        this.times = times;
        this.destination = destination;
        this.options = options;
        this.policy = policy;
        this.unlisted = unlisted;
    }

    /**
     * Whether {@link #decide} makes a request to the destination for this pair: a file whose size
     * matches one an object store listed without metadata, or whose tags or descriptor travel.
     */
    boolean asksDestination(Entry entry, Optional<Entry> listed) {
        return mayBeUnchanged(entry, listed) && (listedWithoutTimes(entry, listed.get()) || unlisted.travels());
    }

    /**
     * What {@link #decide} compares {@code entry} with: the listed entry, or where a listing
     * leaves out metadata the decision needs (object stores list sizes only), the entry as a stat
     * gives it, asked for only when sizes agree. Empty where nothing is listed.
     */
    Optional<Entry> compared(Entry entry, Optional<Entry> listed) {
        if (!mayBeUnchanged(entry, listed) || !listedWithoutTimes(entry, listed.get())) {
            return listed;
        }
        return Optional.of(destination.stat(entry.key()).orElse(listed.get().withMetadata(FileMetadata.NONE)));
    }

    /** Whether what is listed may be the file unchanged, which only its metadata can tell. */
    private boolean mayBeUnchanged(Entry entry, Optional<Entry> listed) {
        return listed.isPresent() && options.transferMode() != TaskOptions.TransferMode.ALL
                && options.overwriteMode() != TaskOptions.OverwriteMode.NEVER && entry.size() == listed.get().size();
    }

    /** Whether the decision needs times that the listing left out (object stores list sizes only). */
    private boolean listedWithoutTimes(Entry entry, Entry listed) {
        boolean node = entry.type() != EntryType.FILE;
        return (node || options.mtime() == TaskOptions.Mtime.PRESERVE) && listed.metadata().mtime().isEmpty();
    }

    /** @param there what the destination holds under the entry's key, as {@link #compared} gives it */
    Decision decide(Entry entry, Optional<Entry> there) {
        if (there.isEmpty() || options.transferMode() == TaskOptions.TransferMode.ALL) {
            return Decision.TRANSFER;
        }
        if (options.overwriteMode() == TaskOptions.OverwriteMode.NEVER) {
            return Decision.SKIP;
        }
        if (entry.size() != there.get().size()) {
            return Decision.TRANSFER;
        }
        FileMetadata kept = there.get().metadata();
        if (options.mtime() == TaskOptions.Mtime.PRESERVE && !times.same(kept.mtime(), entry.metadata().mtime())) {
            return Decision.TRANSFER;
        }
        // A link is its target, a device its node: another one (or a file where it was) is written anew.
        if (NodeComparison.mismatch(entry.metadata(), kept).isPresent()) {
            return Decision.TRANSFER;
        }
        if (MetadataPolicy.differs(policy.toWrite(entry.metadata()), kept)) {
            return Decision.METADATA_ONLY;
        }
        return unlisted.mismatch(entry).isPresent() ? Decision.METADATA_ONLY : Decision.SKIP;
    }
}
