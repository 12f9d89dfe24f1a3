package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The limiter against a virtual clock: what it asks to sleep is exact, so no test waits. */
class BandwidthLimiterTest {
    private static final class VirtualClock implements BandwidthLimiter.Clock {
        long now;
        long slept;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
            slept += nanos;
        }
    }

    @Test
    void holdsReadsToTheRateAcrossEveryCaller() throws Exception {
        VirtualClock clock = new VirtualClock();
        BandwidthLimiter limiter = new BandwidthLimiter(1_000_000, clock);
        for (int i = 0; i < 10; i++) {
            limiter.acquire(500_000);
        }
        // 5 MB at 1 MB/s: exactly 5 s.
        assertThat(clock.now).isEqualTo(5_000_000_000L);
    }

    @Test
    void aQuietPeriodEarnsAtMostAShortBurst() throws Exception {
        VirtualClock clock = new VirtualClock();
        BandwidthLimiter limiter = new BandwidthLimiter(1_000_000, clock);
        clock.now += 60_000_000_000L;
        long before = clock.now;
        limiter.acquire(1_000_000);
        // A minute of silence buys 100 ms, not a minute's worth of bytes.
        assertThat(clock.now - before).isEqualTo(900_000_000L);
    }

    @Test
    void aNewRateAppliesFromTheNextRead() throws Exception {
        VirtualClock clock = new VirtualClock();
        BandwidthLimiter limiter = new BandwidthLimiter(1_000_000, clock);
        limiter.acquire(1_000_000);
        long atOneMegabyte = clock.now;
        limiter.setBytesPerSecond(4_000_000);
        limiter.acquire(1_000_000);
        assertThat(clock.now - atOneMegabyte).isEqualTo(250_000_000L);
        limiter.setBytesPerSecond(-1);
        long before = clock.now;
        limiter.acquire(100_000_000);
        assertThat(clock.now).isEqualTo(before);
    }

    @Test
    void aLimitedStreamReadsInSlicesSoARateChangeIsFeltSoon() throws Exception {
        VirtualClock clock = new VirtualClock();
        BandwidthLimiter limiter = new BandwidthLimiter(1_000_000, clock);
        InputStream in = limiter.limit(new ByteArrayInputStream(new byte[3_000_000]));
        byte[] buffer = new byte[16 << 20];
        assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(BandwidthLimiter.MAX_READ);
        assertThat(in.readAllBytes()).hasSize(3_000_000 - BandwidthLimiter.MAX_READ);
        assertThat(clock.now).isEqualTo(3_000_000_000L);
    }

    @Test
    void refusesRatesDataSyncRefuses() {
        BandwidthLimiter limiter = new BandwidthLimiter(-1, new VirtualClock());
        assertThatThrownBy(() -> limiter.setBytesPerSecond(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.setBytesPerSecond(-5)).isInstanceOf(IllegalArgumentException.class);
    }
}
