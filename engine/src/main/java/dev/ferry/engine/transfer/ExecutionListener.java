package dev.ferry.engine.transfer;

import dev.ferry.locations.Entry;

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
     * @param sha256 the source content's SHA-256 when this run computed it, else null
     */
    default void itemTransferred(Entry entry, boolean contentSent, byte[] sha256) {
    }

    /** An item left alone because the destination already matches (or OverwriteMode=NEVER). */
    default void itemSkipped(Entry entry) {
    }

    /**
     * An item whose destination copy was checked and matches.
     *
     * @param sha256 the content's SHA-256 on both sides, or null for directories
     */
    default void itemVerified(Entry entry, byte[] sha256) {
    }

    /** An item removed from the destination because it is gone from the source. */
    default void itemDeleted(Entry entry) {
    }
}
