package dev.ferry.engine.transfer;

import dev.ferry.locations.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * PreserveDeletedFiles=REMOVE on a file system, where a name changed type between runs: a file
 * {@code x} that became a directory, or the other way round. Listings are in key order, in which
 * {@code x} comes before {@code x/} with other names between ({@code x-1}, {@code x.txt}), so
 * the old entry and the new one are met apart:
 *
 * <ul>
 *   <li>a file becoming a directory: the old file's removal was dispatched before the directory
 *       is met, so making the directory waits for that removal;
 *   <li>a directory becoming a file: the file is met before the old directory is removed, so a
 *       write refused as TYPE_CONFLICT is put aside and tried again once everything else is done
 *       (by then the mirrored deletion has removed the directory). Only a bounded number are put
 *       aside; past that, and where the directory is still there, the file fails as before.
 * </ul>
 *
 * <p>Memory: one latch per file removal in flight (bounded by the work in flight) and at most
 * {@link #DEFERRED_CAPACITY} files put aside.
 */
final class TypeChanges {
    static final int DEFERRED_CAPACITY = 10_000;

    private final ConcurrentHashMap<String, CountDownLatch> removals = new ConcurrentHashMap<>();
    private final Queue<Entry> deferred = new ArrayBlockingQueue<>(DEFERRED_CAPACITY);

    /** Before a file's removal is dispatched. */
    void removalStarted(String fileKey) {
        removals.put(fileKey, new CountDownLatch(1));
    }

    /** Once it is done, removed or not. */
    void removalDone(String fileKey) {
        CountDownLatch latch = removals.remove(fileKey);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Waits until a file whose name {@code directoryKey} takes (without its slash) is no longer being removed. */
    void awaitRemovalBefore(String directoryKey) throws InterruptedException {
        CountDownLatch latch = removals.get(directoryKey.substring(0, directoryKey.length() - 1));
        if (latch != null) {
            latch.await();
        }
    }

    /** Puts a file refused for a directory of its name aside; false when no more fit. */
    boolean defer(Entry file) {
        return deferred.offer(file);
    }

    /** The files put aside, in the order they came; empties the list. */
    List<Entry> takeDeferred() {
        List<Entry> all = new ArrayList<>(deferred.size());
        for (Entry e = deferred.poll(); e != null; e = deferred.poll()) {
            all.add(e);
        }
        return all;
    }
}
