package dev.ferry.engine.transfer;

import dev.ferry.locations.FileMetadata;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A source directory whose subtree is still being worked on. Writing a child changes a
 * directory's mtime on a file system, so the directory's own metadata is applied only after its
 * last child is done: each child holds the directory open, and the listing holds it until the
 * merge has moved past its subtree. Only directories with work in flight are alive, so memory is
 * bounded by depth and parallelism.
 */
final class DirectoryState {
    final String key;
    final FileMetadata metadata;
    final DirectoryState parent;
    private final AtomicInteger holds = new AtomicInteger(1);
    private final AtomicBoolean changed;
    private final Consumer<DirectoryState> onDone;

    DirectoryState(String key, FileMetadata metadata, DirectoryState parent, boolean changed, Consumer<DirectoryState> onDone) {
        this.key = key;
        this.metadata = metadata;
        this.parent = parent;
        this.changed = new AtomicBoolean(changed);
        this.onDone = onDone;
        if (parent != null) {
            parent.hold();
        }
    }

    void hold() {
        holds.incrementAndGet();
    }

    /** Something below was written: the directory's metadata must be put back afterwards. */
    void markChanged() {
        changed.set(true);
    }

    boolean changed() {
        return changed.get();
    }

    /** Drops one hold; the last one applies the metadata, then releases the parent. */
    void release() {
        if (holds.decrementAndGet() == 0) {
            onDone.accept(this);
            if (parent != null) {
                parent.release();
            }
        }
    }
}
