package dev.ferry.engine.transfer;

import java.util.concurrent.Semaphore;

/**
 * Bounds the work a transfer has in flight twice: by the number of items, and by the bytes of
 * file content they may hold in memory at once (a store's body waiting to be sent, a data
 * channel's window). Many small files can then be in flight together, while large ones share a
 * fixed amount of memory, whatever the mix.
 *
 * <p>Threading: safe for many threads. The holder of a slot releases it with the same size.
 */
final class WorkSlots {
    /**
     * What one file can hold at once, at most: the parts of a multipart upload on their way and
     * the one being read (S3: five of 16 MiB), and a data-channel stream's window (8 MiB).
     */
    static final long FILE_WEIGHT_CAP = 96L << 20;
    private static final int UNIT = 1024;

    private final int items;
    private final int units;
    private final Semaphore itemSlots;
    private final Semaphore byteUnits;

    /**
     * @param items how many items at once
     * @param bytes how many bytes of file content at once; at least {@link #FILE_WEIGHT_CAP}, so
     *     that any one file can go
     */
    WorkSlots(int items, long bytes) {
        if (items < 1 || bytes < FILE_WEIGHT_CAP) {
            throw new IllegalArgumentException("items " + items + " and bytes " + bytes + " leave no room for a file");
        }
        this.items = items;
        this.units = (int) Math.min(Integer.MAX_VALUE, bytes / UNIT);
        this.itemSlots = new Semaphore(items);
        this.byteUnits = new Semaphore(units, true);
    }

    int items() {
        return items;
    }

    /** Waits for room for one item holding {@code size} bytes of content (zero for no content). */
    void acquire(long size) throws InterruptedException {
        itemSlots.acquire();
        try {
            byteUnits.acquire(units(size));
        } catch (InterruptedException e) {
            itemSlots.release();
            throw e;
        }
    }

    void release(long size) {
        byteUnits.release(units(size));
        itemSlots.release();
    }

    /** Waits until nothing is in flight. */
    void awaitIdle() throws InterruptedException {
        itemSlots.acquire(items);
        itemSlots.release(items);
    }

    private static int units(long size) {
        return (int) ((Math.min(Math.max(size, 0), FILE_WEIGHT_CAP) + UNIT - 1) / UNIT);
    }
}
