package dev.ferry.engine.transfer;

import dev.ferry.locations.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Compares times across two locations at the coarser of their steps, so a time that one side
 * keeps to the nanosecond and the other to 100 ns (SMB) or a millisecond (HDFS) counts as the same
 * time, and an unchanged file is not sent again on every run.
 */
final class TimeComparison {
    private final long stepNanos;

    TimeComparison(Location source, Location destination) {
        Duration step = source.timeGranularity().compareTo(destination.timeGranularity()) >= 0
                ? source.timeGranularity() : destination.timeGranularity();
        this.stepNanos = Math.max(1, step.toNanos());
    }

    /** Equal when both are absent, or both present and equal once truncated to the step. */
    boolean same(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        return stepNanos == 1 ? a.get().equals(b.get()) : truncate(a.get()).equals(truncate(b.get()));
    }

    /** Floored to the step: within the second for steps under a second, else to whole steps of seconds. */
    private Instant truncate(Instant t) {
        if (stepNanos < 1_000_000_000L) {
            return Instant.ofEpochSecond(t.getEpochSecond(), t.getNano() - t.getNano() % stepNanos);
        }
        long stepSeconds = stepNanos / 1_000_000_000L;
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), stepSeconds) * stepSeconds);
    }
}
