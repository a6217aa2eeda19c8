package dev.inlet.core.store;

import dev.inlet.core.publish.PendingPublish;
import java.time.Instant;
import java.util.Optional;

/** The result of trying to claim a record for processing. */
public sealed interface ClaimOutcome {
    /** Ours until {@code record.leaseUntil()}; the record carries its body. */
    record Claimed(EventRecord record) implements ClaimOutcome {}

    /**
     * PROCESSED already. {@code unpublished}: the domain events its run applied but the bus has not taken yet
     * (the processor publishes them, and does not run the handler again).
     */
    record AlreadyProcessed(Optional<PendingPublish> unpublished) implements ClaimOutcome {
        public AlreadyProcessed {
            unpublished = unpublished == null ? Optional.empty() : unpublished;
        }

        /** Processed, with nothing left to publish. */
        public AlreadyProcessed() {
            this(Optional.empty());
        }
    }

    /** Another worker holds a live lease. */
    record Busy(Instant leaseUntil) implements ClaimOutcome {}

    /** The record is in a state that is never processed (QUARANTINED). */
    record NotProcessable(EventStatus status) implements ClaimOutcome {}

    /** No live record under that key (expired, or never stored). */
    record Missing() implements ClaimOutcome {}
}
