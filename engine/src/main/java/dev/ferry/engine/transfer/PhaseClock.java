package dev.ferry.engine.transfer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Wall-clock span from a phase's first work to its last; reentrant from many threads. */
final class PhaseClock {
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();

    void start() {
        active.incrementAndGet();
        first.compareAndSet(0, System.nanoTime());
    }

    /** Ends one start; a stop without a start (a phase already over) changes nothing. */
    void stop() {
        if (active.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            last.set(System.nanoTime());
        }
    }

    boolean running() {
        return active.get() > 0;
    }

    long millis() {
        return first.get() == 0 ? 0 : Math.max(0, (last.get() - first.get()) / 1_000_000);
    }
}
