package dev.ferry.locations.s3;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Arrays of one multipart part's size, given back after their part is stored and handed out again
 * for the next. A new 16 MiB array is zeroed, and G1 places it in regions of its own
 * ("humongous"); a large-file upload made one per part, and the collector's threads took a fifth
 * of the control plane's CPU. At most {@code keep} idle arrays are held, for as long as the
 * location is open; beyond that they go to the collector as before.
 *
 * <p>Threading: safe for many threads.
 */
final class PartBuffers {
    private final int size;
    private final int keep;
    private final ConcurrentLinkedQueue<byte[]> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /** @param size bytes per array; @param keep idle arrays held at most */
    PartBuffers(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    /** An array of {@link #size()} bytes, whatever it held before. */
    byte[] take() {
        byte[] array = idle.poll();
        if (array == null) {
            return new byte[size];
        }
        idleCount.decrementAndGet();
        return array;
    }

    /** Gives back an array nothing reads or writes any more; one of another size is dropped. */
    void give(byte[] array) {
        if (array.length != size) {
            return;
        }
        if (idleCount.incrementAndGet() > keep) {
            idleCount.decrementAndGet();
            return;
        }
        idle.offer(array);
    }

    int size() {
        return size;
    }

    /** Idle arrays held now. */
    int idle() {
        return idleCount.get();
    }
}
