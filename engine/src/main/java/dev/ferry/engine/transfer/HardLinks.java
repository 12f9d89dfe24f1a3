package dev.ferry.engine.transfer;

import dev.ferry.locations.Entry;
import dev.ferry.locations.HardLink;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells, for each name of a file with several names (hard links), whether it is the first one
 * this run meets, whose content is written, or a later one, which the destination links to the
 * first. Names arrive in key order from the preparing thread only.
 *
 * <p>Memory: one small record per file whose names are not all met yet; a record goes once its
 * last name is met. Names outside the location or filtered out keep theirs to the end, so the
 * records are capped; past the cap further files are copied once per name, as without links.
 */
final class HardLinks {
    /** One file with several names, from its first name on. */
    static final class Group {
        final String firstKey;
        private final long linkCount;
        private long namesMet = 1;
        /** Whether the first name's file at the destination is the one it was before this run (skipped, or metadata only). */
        private volatile boolean firstKept;
        private volatile Optional<String> firstDestinationId = Optional.empty();
        private final CompletableFuture<Boolean> written = new CompletableFuture<>();

        private Group(String firstKey, long linkCount) {
            this.firstKey = firstKey;
            this.linkCount = linkCount;
        }

        /** The first name's decision: its destination file kept (with that file's id), or written anew. */
        void firstDecided(boolean kept, Optional<Entry> destination) {
            firstKept = kept;
            firstDestinationId = kept ? destination.flatMap(e -> e.metadata().hardLink()).map(HardLink::fileId) : Optional.empty();
        }

        /** Called once when the first name's file is at the destination, or cannot be. */
        void written(boolean ok) {
            written.complete(ok);
        }

        /** Waits until the first name is written; false when it failed or never started. */
        boolean awaitWritten() throws InterruptedException {
            try {
                return written.get();
            } catch (ExecutionException e) {
                return false;
            }
        }

        /** A later name already at the destination as a further name of the first name's kept file needs nothing. */
        boolean alreadyLinked(Optional<Entry> destination) {
            return firstKept && firstDestinationId.isPresent()
                    && destination.flatMap(e -> e.metadata().hardLink()).map(HardLink::fileId).equals(firstDestinationId);
        }
    }

    /** What one name is: the first of its file (group given), a later one (group given), or untracked (no group). */
    record Claim(Optional<Group> group, boolean later) {
        static final Claim UNTRACKED = new Claim(Optional.empty(), false);
    }

    static final int DEFAULT_CAPACITY = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(HardLinks.class);

    private final String executionId;
    private final int capacity;
    private final Map<String, Group> open = new HashMap<>();
    private boolean overflowLogged;

    HardLinks(String executionId, int capacity) {
        this.executionId = executionId;
        this.capacity = capacity;
    }

    /** Only from the preparing thread. */
    Claim claim(Entry entry) {
        Optional<HardLink> link = entry.metadata().hardLink();
        if (!entry.isFile() || link.isEmpty()) {
            return Claim.UNTRACKED;
        }
        Group group = open.get(link.get().fileId());
        if (group != null) {
            if (++group.namesMet >= group.linkCount) {
                open.remove(link.get().fileId());
            }
            return new Claim(Optional.of(group), true);
        }
        if (open.size() >= capacity) {
            if (!overflowLogged) {
                overflowLogged = true;
                LOG.warn("event=hard_links_untracked {} open_files={} key=\"{}\" reason=\"more files with names still to come "
                        + "than tracked; further hard-linked files are copied once per name\"", executionId, open.size(), entry.key());
            }
            return Claim.UNTRACKED;
        }
        group = new Group(entry.key(), link.get().linkCount());
        open.put(link.get().fileId(), group);
        return new Claim(Optional.of(group), false);
    }
}
