package dev.inlet.core.outbox;

import dev.inlet.core.observe.Log;
import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Re-runs stored events through the processor on purpose, outbox first: each record goes back into the
 * outbox with a lease (QUEUED, replay count and time recorded), then its pointer is sent. A crash or an
 * SQS failure between the two leaves the record in the outbox, and the sweeper sends it after the lease;
 * no crash point strands it. The processor then claims and handles it as usual, exactly once per replay.
 * A range replay covers every match, and one record's failure never stops the others.
 */
public final class ReplayService {
    /** What happened to one event. */
    public enum Result {
        /** Back in the outbox and sent. */
        REPLAYED,
        /** Back in the outbox, but the send failed: the sweeper sends it after the lease. */
        DEFERRED,
        /** Not replayed on purpose (absent, quarantined, being processed). */
        SKIPPED,
        /** The store failed: not replayed (or, if the write went through unseen, the sweeper sends it). */
        FAILED
    }

    public record Outcome(EventKey key, Result result, String why) {
        public boolean replayed() {
            return result == Result.REPLAYED || result == Result.DEFERRED;
        }
    }

    /** Counts over a range. With a dry run, {@code matched} is how many would be replayed. */
    public record Summary(long matched, long replayed, long deferred, long skipped, long failed) {}

    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final EventStore store;
    private final EventQueue queue;
    private final Duration lease;
    private final Clock clock;
    private final Log log;

    public ReplayService(EventStore store, EventQueue queue, Duration lease, Clock clock, Log log) {
        this.store = store;
        this.queue = queue;
        this.lease = lease;
        this.clock = clock;
        this.log = log;
    }

    public ReplayService(EventStore store, EventQueue queue, Clock clock, Log log) {
        this(store, queue, DEFAULT_LEASE, clock, log);
    }

    public Outcome replay(EventKey key) {
        return withLiveRecord(key, this::replay);
    }

    /**
     * Redrive of one dead-lettered message: replays its record only if it is FAILED (the processor gave
     * up on it), with a fresh set of attempts. Anything else is SKIPPED with the status as the reason.
     */
    public Outcome replayFailed(EventKey key) {
        return withLiveRecord(key, record -> record.status() == EventStatus.FAILED ? replay(record)
                : new Outcome(key, Result.SKIPPED, "status " + record.status()));
    }

    /** Reads the live record of {@code key} and hands it on; SKIPPED without one, FAILED when the read fails. */
    private Outcome withLiveRecord(EventKey key, Function<EventRecord, Outcome> then) {
        Optional<EventRecord> record;
        try {
            record = store.find(key, clock.instant());
        } catch (StoreUnavailableException e) {
            return failed(key, e);
        }
        return record.map(then).orElseGet(() -> new Outcome(key, Result.SKIPPED, "no live record"));
    }

    /** Every match of the query (newest first), each reported to {@code each} as it is done. */
    public Summary replay(EventQuery query, boolean dryRun, Consumer<Outcome> each) {
        long[] c = new long[5];
        try (Stream<EventRecord> matches = store.stream(query, clock.instant())) {
            matches.forEach(r -> {
                c[0]++;
                if (dryRun) {
                    return;
                }
                Outcome o = replay(r);
                c[1 + o.result().ordinal()]++;
                each.accept(o);
            });
        }
        return new Summary(c[0], c[1], c[2], c[3], c[4]);
    }

    /** Every match of the query, with the outcome of each (for small ranges; large ones use the streaming form). */
    public List<Outcome> replay(EventQuery query) {
        List<Outcome> out = new ArrayList<>();
        replay(query, false, out::add);
        return out;
    }

    private Outcome replay(EventRecord record) {
        EventKey key = record.key();
        Instant now = clock.instant();
        try {
            if (!store.markForReplay(key, now, now.plus(lease))) {
                return new Outcome(key, Result.SKIPPED, "refused: " + record.status()
                        + (record.leaseExpired(now) ? "" : " with a live lease"));
            }
        } catch (StoreUnavailableException e) {
            return failed(key, e);
        }
        try {
            queue.send(new QueueMessage(key, record.eventType(), record.traceHeader()));
        } catch (QueueUnavailableException e) {
            log.warn("replay_send_failed", "provider", key.provider(), "eventKey", key.dedupKey(),
                    "error", e.getMessage());
            return new Outcome(key, Result.DEFERRED, "in the outbox; the send failed, the sweeper sends it after "
                    + lease.toSeconds() + " s");
        }
        log.info("replayed", "provider", key.provider(), "eventKey", key.dedupKey(),
                "eventType", record.eventType(), "previousStatus", record.status().name());
        return new Outcome(key, Result.REPLAYED, "queued (was " + record.status() + ")");
    }

    private Outcome failed(EventKey key, StoreUnavailableException e) {
        log.warn("replay_failed", "provider", key.provider(), "eventKey", key.dedupKey(), "error", e.getMessage());
        return new Outcome(key, Result.FAILED, "failed: " + e.getMessage());
    }
}
