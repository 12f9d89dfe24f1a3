package dev.ferry.controlplane.schedules;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DataSync schedule expression, in UTC: {@code rate(N minute[s]|hour[s]|day[s])} or
 * {@code cron(minutes hours day-of-month month day-of-week year)}, with {@code ?} in one of the
 * two day fields as in DataSync. Intervals under an hour are allowed, down to one minute.
 */
public sealed interface ScheduleExpression {
    /** The first due time strictly after {@code now}; {@code anchor} is the last due time (rates keep its phase). */
    Optional<Instant> nextAfter(Instant anchor, Instant now);

    String text();

    /** @throws IllegalArgumentException with a message fit for the API, naming what is wrong */
    static ScheduleExpression parse(String text) {
        String trimmed = text.strip();
        Matcher rate = Rate.PATTERN.matcher(trimmed);
        if (rate.matches()) {
            return Rate.of(trimmed, rate);
        }
        Matcher cron = CronSchedule.PATTERN.matcher(trimmed);
        if (cron.matches()) {
            return CronSchedule.of(trimmed, cron.group(1));
        }
        throw new IllegalArgumentException("'" + text + "' is neither rate(N minutes|hours|days) nor "
                + "cron(minutes hours day-of-month month day-of-week year)");
    }

    record Rate(String text, Duration period) implements ScheduleExpression {
        static final Pattern PATTERN = Pattern.compile("rate\\(\\s*(\\d{1,9})\\s+([a-zA-Z]+)\\s*\\)");

        static Rate of(String text, Matcher m) {
            long n = Long.parseLong(m.group(1));
            if (n < 1) {
                throw new IllegalArgumentException("the rate in '" + text + "' must be at least 1");
            }
            Duration unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "minute", "minutes" -> Duration.ofMinutes(1);
                case "hour", "hours" -> Duration.ofHours(1);
                case "day", "days" -> Duration.ofDays(1);
                default -> throw new IllegalArgumentException("the unit in '" + text + "' must be minutes, hours or days");
            };
            return new Rate(text, unit.multipliedBy(n));
        }

        @Override
        public Optional<Instant> nextAfter(Instant anchor, Instant now) {
            if (anchor.isAfter(now)) {
                return Optional.of(anchor);
            }
            // Skips every slot missed while nothing ran: one catch-up run, then back in phase.
            long periods = Duration.between(anchor, now).dividedBy(period) + 1;
            return Optional.of(anchor.plus(period.multipliedBy(periods)));
        }
    }

    record CronSchedule(String text, ExecutionTime times) implements ScheduleExpression {
        static final Pattern PATTERN = Pattern.compile("cron\\((.*)\\)");
        private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

        static CronSchedule of(String text, String fields) {
            String[] parts = fields.strip().split("\\s+");
            if (parts.length != 6) {
                throw new IllegalArgumentException("'" + text + "' needs 6 fields (minutes hours day-of-month month "
                        + "day-of-week year), found " + parts.length);
            }
            try {
                // DataSync's cron is Quartz's without the seconds field.
                Cron cron = PARSER.parse("0 " + String.join(" ", parts)).validate();
                return new CronSchedule(text, ExecutionTime.forCron(cron));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid cron expression: " + e.getMessage());
            }
        }

        @Override
        public Optional<Instant> nextAfter(Instant anchor, Instant now) {
            return times.nextExecution(ZonedDateTime.ofInstant(now, ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
        }
    }
}
