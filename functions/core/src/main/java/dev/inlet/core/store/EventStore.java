package dev.inlet.core.store;

import dev.inlet.core.publish.PendingPublish;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The event records. Every write is conditional. Records whose {@code expiresAt} has passed count as
 * absent, whatever DynamoDB TTL has or has not deleted yet. Transient faults surface as
 * {@link StoreUnavailableException}.
 *
 * <p>The outbox: a record waits in it (with an {@link OutboxShard} and a lease) from the commit point
 * until the processor's claim takes it out; a replay puts it back. Nothing else on the request path
 * writes the record again.
 */
public interface EventStore {
    /** The commit point: stores the record (in the outbox when RECEIVED) unless a live record holds its key. */
    CreateOutcome create(EventRecord record, Instant now);

    /**
     * Takes over the outbox lease of a record still in the outbox whose lease has expired, so that exactly
     * one caller re-sends it: the lease becomes {@code newLeaseUntil} and the record's resend count grows
     * by one. False when someone else holds or took the lease, or the claim took the record out.
     */
    boolean takeOverIntakeLease(EventKey key, Instant now, Instant newLeaseUntil);

    /**
     * Claims the record for processing until {@code leaseUntil}, if no live lease holds it, and counts one more
     * attempt; takes it out of the outbox. A FAILED record is not claimed ({@link ClaimOutcome.NotProcessable}):
     * it runs again only once put back in line on purpose ({@link #markForReplay}). Every status change here and below also records when the record entered its new status
     * ({@link StatusHistory}) in the same write, and {@link #takeOverIntakeLease} records the resend time.
     */
    ClaimOutcome claim(EventKey key, String owner, Instant now, Instant leaseUntil);

    /** PROCESSING -> PROCESSED with nothing to publish, only while {@code owner} holds the lease. */
    default boolean markProcessed(EventKey key, String owner, Instant now, String handledBy) {
        return markProcessed(key, owner, now, handledBy, Optional.empty());
    }

    /**
     * PROCESSING -> PROCESSED, only while {@code owner} holds the lease; false when the lease was lost. In the
     * same write the record keeps {@code pending}, the domain events still to publish (or drops any set an
     * earlier run left, when empty): a later delivery of its message finds them in
     * {@link ClaimOutcome.AlreadyProcessed#unpublished()}.
     */
    boolean markProcessed(EventKey key, String owner, Instant now, String handledBy, Optional<PendingPublish> pending);

    /**
     * The bus took every event of the pending set written by run {@code run}: drops it, adds {@code count} to the
     * record's published count and records {@code now} as its publish time. False (and nothing written) when the
     * record holds no pending set of that run any more (another worker marked it, or a later run replaced it).
     */
    boolean markPublished(EventKey key, String run, int count, Instant now);

    /**
     * Records a failed attempt by the lease owner and releases the lease: back to QUEUED for a retry, or
     * FAILED when {@code giveUp} (the message is on its way to the DLQ). {@code now} goes into the
     * record's {@link StatusHistory} as the time it entered that status.
     */
    void recordFailure(EventKey key, String owner, String error, boolean giveUp, Instant now);

    /**
     * Records in the outbox whose lease has expired: unsent (SQS failed, a receiver or a replay died
     * between its write and its send) or waiting in a backlogged queue. At most {@code perShard} from
     * each outbox shard, each shard's oldest lease first, so no shard takes a whole sweep.
     */
    List<EventRecord> dueForSend(Instant now, int perShard);

    /**
     * Puts a stored record back in line for processing on purpose (replay, redrive), outbox first: QUEUED,
     * in the outbox with a lease until {@code leaseUntil} (so a send that never happens is the sweeper's
     * to do), replay count plus one, replay time recorded, and its attempts back to zero (a fresh set of
     * MAX_ATTEMPTS runs). Refused (false) while a live processing lease
     * holds it, or for a QUARANTINED record, which has no readable event to process.
     */
    boolean markForReplay(EventKey key, Instant now, Instant leaseUntil);

    /** The live record with its body, if any. */
    Optional<EventRecord> find(EventKey key, Instant now);

    /**
     * Every live record matching the query, without bodies, newest first, read page by page as the stream
     * is consumed (pages of about {@code query.limit()} records): never the whole table in memory, and
     * {@code stream(q, now).limit(n)} reads about n records. Close the stream when done early.
     */
    Stream<EventRecord> stream(EventQuery query, Instant now);

    /** At most {@code query.limit()} live records matching the query, without bodies, newest first. */
    default List<EventRecord> list(EventQuery query, Instant now) {
        try (Stream<EventRecord> s = stream(query, now)) {
            return s.limit(query.limit()).toList();
        }
    }
}
