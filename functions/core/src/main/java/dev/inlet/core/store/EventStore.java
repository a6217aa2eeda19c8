package dev.inlet.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The event records. Every write is conditional. Records whose {@code expiresAt} has passed count as
 * absent, whatever DynamoDB TTL has or has not deleted yet. Transient faults surface as
 * {@link StoreUnavailableException}.
 */
public interface EventStore {
    /** The commit point: stores the record unless a live record holds its key. */
    CreateOutcome create(EventRecord record, Instant now);

    /**
     * Takes over the intake lease of a record still RECEIVED whose lease has expired, so that exactly one
     * caller re-sends it. False when someone else holds or took the lease, or the record moved on.
     */
    boolean takeOverIntakeLease(EventKey key, Instant now, Instant newLeaseUntil);

    /** RECEIVED -> QUEUED. A record that already moved further is left as it is. */
    void markQueued(EventKey key);

    /** Claims the record for processing until {@code leaseUntil}, if no live lease holds it. */
    ClaimOutcome claim(EventKey key, String owner, Instant now, Instant leaseUntil);

    /** PROCESSING -> PROCESSED, only while {@code owner} holds the lease. False when the lease was lost. */
    boolean markProcessed(EventKey key, String owner, Instant now, String handledBy);

    /**
     * Records a failed attempt by the lease owner and releases the lease: back to QUEUED for a retry, or
     * FAILED when {@code giveUp} (the message is on its way to the DLQ).
     */
    void recordFailure(EventKey key, String owner, String error, boolean giveUp);

    /**
     * Records still RECEIVED whose intake lease has expired: stored, but never confirmed on the queue
     * (SQS failed, or the receiver died between put and send). At most {@code limit}, oldest lease first.
     */
    List<EventRecord> dueForSend(Instant now, int limit);

    /**
     * Puts a stored record back in line for processing on purpose (replay, redrive): QUEUED, replay count
     * plus one, replay time recorded. Refused (false) while a live processing lease holds it, or for a
     * QUARANTINED record, which has no readable event to process.
     */
    boolean markForReplay(EventKey key, Instant now);

    /** The live record with its body, if any. */
    Optional<EventRecord> find(EventKey key, Instant now);

    /** Live records matching the query, without bodies, newest first. */
    List<EventRecord> list(EventQuery query, Instant now);
}
