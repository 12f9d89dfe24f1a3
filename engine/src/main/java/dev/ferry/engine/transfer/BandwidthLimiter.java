package dev.ferry.engine.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * BytesPerSecond for a whole execution: every file's reads draw from one schedule, so all
 * connections together stay under the rate. The rate can change while bytes flow; the new rate
 * applies from the next read (reads are cut to {@value #MAX_READ} bytes so that is soon).
 */
public final class BandwidthLimiter {
    /** Largest read a limited stream makes, so a rate change is felt within one such slice. */
    static final int MAX_READ = 256 * 1024;
    /** Credit a quiet period may build up, so bursts after a pause stay short. */
    private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Time, replaceable in tests. */
    public interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long bytesPerSecond;
    /** When the bytes granted so far will have been paid for at the current rate. */
    private long paidUntil;

    public BandwidthLimiter(long bytesPerSecond, Clock clock) {
        this.clock = clock;
        this.bytesPerSecond = bytesPerSecond;
        this.paidUntil = clock.nanoTime();
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Changes the rate; -1 removes the limit. Takes effect for the next read. */
    public void setBytesPerSecond(long rate) {
        if (rate != -1 && rate <= 0) {
            throw new IllegalArgumentException("BytesPerSecond must be -1 or positive: " + rate);
        }
        lock.lock();
        try {
            bytesPerSecond = rate;
            paidUntil = clock.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code bytes} more may pass at the current rate. */
    public void acquire(long bytes) throws InterruptedIOException {
        long rate = bytesPerSecond;
        if (rate < 0 || bytes <= 0) {
            return;
        }
        long wait;
        lock.lock();
        try {
            long now = clock.nanoTime();
            paidUntil = Math.max(paidUntil, now - BURST_NANOS) + bytes * 1_000_000_000L / rate;
            wait = paidUntil - now;
        } finally {
            lock.unlock();
        }
        if (wait > 0) {
            try {
                clock.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while holding to BytesPerSecond");
            }
        }
    }

    /** {@code in}, read no faster than this limiter allows. */
    public InputStream limit(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                acquire(1);
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, bytesPerSecond < 0 ? len : Math.min(len, MAX_READ));
                if (n > 0) {
                    acquire(n);
                }
                return n;
            }
        };
    }
}
