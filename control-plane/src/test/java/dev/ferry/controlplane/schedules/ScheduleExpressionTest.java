package dev.ferry.controlplane.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {
    private static final Instant T = Instant.parse("2026-11-22T13:07:00Z");

    @Test
    void aRateFallsDueOnePeriodOnAndCatchesUpOnceInPhase() {
        ScheduleExpression rate = ScheduleExpression.parse("rate(5 minutes)");
        assertThat(rate.nextAfter(T, T)).hasValue(T.plus(Duration.ofMinutes(5)));
        // Three slots missed: one next slot, still on the 5-minute grid that started at T.
        assertThat(rate.nextAfter(T, T.plus(Duration.ofMinutes(17)))).hasValue(T.plus(Duration.ofMinutes(20)));
        assertThat(rate.nextAfter(T, T.plus(Duration.ofMinutes(20)))).hasValue(T.plus(Duration.ofMinutes(25)));
        assertThat(ScheduleExpression.parse("rate(1 minute)").nextAfter(T, T)).hasValue(T.plus(Duration.ofMinutes(1)));
        assertThat(ScheduleExpression.parse("rate(2 days)").nextAfter(T, T)).hasValue(T.plus(Duration.ofDays(2)));
        assertThat(ScheduleExpression.parse(" rate(1 hour) ").nextAfter(T, T)).hasValue(T.plus(Duration.ofHours(1)));
    }

    @Test
    void cronUsesDataSyncsSixFieldsInUtc() {
        assertThat(ScheduleExpression.parse("cron(0 12 * * ? *)").nextAfter(T, T))
                .hasValue(Instant.parse("2026-11-23T12:00:00Z"));
        assertThat(ScheduleExpression.parse("cron(*/15 * * * ? *)").nextAfter(T, T))
                .hasValue(Instant.parse("2026-11-22T13:15:00Z"));
        // Day of week 2 is Monday, as in DataSync; the 22nd is a Sunday.
        assertThat(ScheduleExpression.parse("cron(30 2 ? * 2 *)").nextAfter(T, T))
                .hasValue(Instant.parse("2026-11-23T02:30:00Z"));
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2027)").nextAfter(T, T))
                .hasValue(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2025)").nextAfter(T, T)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(0 minutes)", "rate(5 weeks)", "rate(five minutes)", "rate(5)", "cron(0 12 * *)",
            "cron(0 12 * * * *)", "cron(61 * * * ? *)", "cron(0 25 * * ? *)", "every hour", "", "cron()"})
    void malformedExpressionsAreRefusedWithAReason(String text) {
        assertThatThrownBy(() -> ScheduleExpression.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
