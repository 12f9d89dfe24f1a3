package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhaseClockTest {
    @Test
    void aStopWithoutAStartDoesNotStretchAPhaseThatIsOver() {
        PhaseClock clock = new PhaseClock();
        clock.start();
        clock.stop();
        long measured = clock.millis();
        // Later bookkeeping (a drain after verification) must not move the phase's end.
        long until = System.nanoTime() + 20_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        clock.stop();
        assertThat(clock.millis()).isEqualTo(measured);
        assertThat(clock.running()).isFalse();
    }

    @Test
    void aPhaseNeverStartedLastsZero() {
        PhaseClock clock = new PhaseClock();
        clock.stop();
        assertThat(clock.millis()).isZero();
    }
}
