package dev.inlet.core.store;

import java.time.Instant;

/** The result of trying to claim a record for processing. */
public sealed interface ClaimOutcome {
    /** Ours until {@code record.leaseUntil()}; the record carries its body. */
    record Claimed(EventRecord record) implements ClaimOutcome {}

    record AlreadyProcessed() implements ClaimOutcome {}

    /** Another worker holds a live lease. */
    record Busy(Instant leaseUntil) implements ClaimOutcome {}

    /** The record is in a state that is never processed (QUARANTINED). */
    record NotProcessable(EventStatus status) implements ClaimOutcome {}

    /** No live record under that key (expired, or never stored). */
    record Missing() implements ClaimOutcome {}
}
