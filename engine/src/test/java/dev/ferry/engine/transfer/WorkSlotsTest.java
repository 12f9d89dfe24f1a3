package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class WorkSlotsTest {
    @Test
    void smallItemsShareTheCountAndLargeOnesTheBytes() throws Exception {
        WorkSlots slots = new WorkSlots(3, WorkSlots.FILE_WEIGHT_CAP);
        slots.acquire(10L << 30); // A 10 GiB file counts its cap, which is the whole budget here.
        slots.acquire(0);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            acquire(slots, 0); // No content: only the count, which had room for one more.
            slots.release(0);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> acquire(slots, 1), pool);
            assertThat(second).isNotDone(); // Room in the count, none in the bytes.
            slots.release(10L << 30);
            second.get();
            CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> {
                try {
                    slots.awaitIdle();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            slots.release(1);
            assertThat(idle).isNotDone();
            slots.release(0);
            await().until(idle::isDone);
        }
    }

    @Test
    void aTransferHoldsAQuarterOfTheHeapInFlightWithinBounds() {
        assertThat(Transfer.inFlightBytes(6L << 30)).isEqualTo(1536L << 20);
        assertThat(Transfer.inFlightBytes(1L << 30)).isEqualTo(256L << 20);
        assertThat(Transfer.inFlightBytes(64L << 30)).as("at most 2 GiB").isEqualTo(2L << 30);
        assertThat(Transfer.inFlightBytes(128L << 20)).as("room for one file").isEqualTo(WorkSlots.FILE_WEIGHT_CAP);
    }

    private static void acquire(WorkSlots slots, long size) {
        try {
            slots.acquire(size);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
