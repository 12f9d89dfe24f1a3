package dev.ferry.engine.transfer;

import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import java.util.Optional;

/**
 * What a transfer tells its owner while it runs, item by item, for progress and task reports.
 * Called from many threads; implementations are quick and thread-safe.
 */
public interface ExecutionListener {
    default void phaseStarted(Phase phase) {
    }

    default void itemFailed(FileFailure failure) {
    }

    /**
     * A file or directory was written at the destination.
     *
     * @param contentSent false when only its metadata changed
     * @param checksum the source content's checksum when this run computed it
     */
    default void itemTransferred(Entry entry, boolean contentSent, Optional<ContentChecksum> checksum) {
    }

    /** An item left alone because the destination already matches (or OverwriteMode=NEVER). */
    default void itemSkipped(Entry entry) {
    }

    /**
     * An item whose destination copy was checked and matches.
     *
     * @param checksum the content's checksum, the same on both sides; empty for directories and links
     */
    default void itemVerified(Entry entry, Optional<ContentChecksum> checksum) {
    }

    /** An item removed from the destination because it is gone from the source. */
    default void itemDeleted(Entry entry) {
    }
}
