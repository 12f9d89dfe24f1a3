package dev.ferry.engine.transfer;

import java.util.Map;
import java.util.Optional;

/**
 * How a transfer ended.
 *
 * @param outcome SUCCESS, ERROR or CANCELLED
 * @param errorCode the first failure's code, when it did not succeed
 * @param errorDetail what that failure was
 * @param counters final counters, by DataSync's names
 * @param durations PrepareDuration, TransferDuration, VerifyDuration, TotalDuration in milliseconds;
 *     phases overlap, so each is the span of that phase's own work
 * @param phaseStatuses PrepareStatus, TransferStatus, VerifyStatus: PENDING (never ran), SUCCESS or ERROR
 */
public record TransferResult(Outcome outcome, Optional<String> errorCode, Optional<String> errorDetail,
        Map<String, Long> counters, Map<String, Long> durations, Map<String, String> phaseStatuses) {

    public enum Outcome { SUCCESS, ERROR, CANCELLED }
}
