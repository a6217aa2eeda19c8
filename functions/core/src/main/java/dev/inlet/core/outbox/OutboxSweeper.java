package dev.inlet.core.outbox;

import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.OutboxShard;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sends again what is still in the outbox after its lease: a record whose first send failed (SQS down,
 * a receiver or a replay died between its write and its send) or one waiting in a backlogged queue;
 * nobody can tell which. So it can never multiply a backlog:
 * <ul>
 *   <li>each resend takes the record's lease with a conditional write (a sweeper and a provider retry never
 *       both send) and doubles it ({@link ResendBackoff}: 1, 2, 4 ... minutes, capped at 1 hour), counted on
 *       the record;</li>
 *   <li>one run takes at most {@code batchLimit} records, the oldest leases first across shards, and at most
 *       {@link #perShardQuota} from any one shard;</li>
 *   <li>the run stops when its time budget is spent; each record is judged with a fresh {@code now};</li>
 *   <li>sends go out ten at a time (SendMessageBatch).</li>
 * </ul>
 * A duplicate message is harmless anyway: the processor's claim lets one run complete. So {@code N}
 * stranded records drain in {@code ceil(N / batchLimit)} runs when the budget allows.
 */
public final class OutboxSweeper {
    /** What one run did: records read as due, sent, skipped (someone else took the lease), failed sends. */
    public record Sweep(int due, int sent, int skipped, int failed, boolean stoppedEarly) {}

    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(40);

    private final EventStore store;
    private final EventQueue queue;
    private final ResendBackoff backoff;
    private final int batchLimit;
    private final Duration timeBudget;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;

    public OutboxSweeper(EventStore store, EventQueue queue, ResendBackoff backoff, int batchLimit,
                         Duration timeBudget, Clock clock, Log log, Metrics metrics) {
        this.store = store;
        this.queue = queue;
        this.backoff = backoff;
        this.batchLimit = batchLimit;
        this.timeBudget = timeBudget;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /** With the intake lease as the first lease, and the default time budget. */
    public OutboxSweeper(EventStore store, EventQueue queue, Duration intakeLease, int batchLimit, Clock clock, Log log,
                         Metrics metrics) {
        this(store, queue, ResendBackoff.startingAt(intakeLease), batchLimit, DEFAULT_TIME_BUDGET, clock, log,
                metrics);
    }

    /** Twice a fair share of the batch per shard: uneven shards still fill a run, no shard takes all of it. */
    public static int perShardQuota(int batchLimit) {
        return Math.max(1, (2 * batchLimit + OutboxShard.SHARDS - 1) / OutboxShard.SHARDS);
    }

    public Sweep sweep() {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeBudget);
        List<EventRecord> due = new ArrayList<>(store.dueForSend(start, perShardQuota(batchLimit)));
        due.sort(Comparator.comparing(EventRecord::leaseUntil).thenComparing(EventRecord::receivedAt));
        if (due.size() > batchLimit) {
            due = due.subList(0, batchLimit);
        }
        int[] counts = new int[3]; // sent, skipped, failed
        boolean stoppedEarly = false;
        List<EventRecord> batch = new ArrayList<>();
        for (EventRecord r : due) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                stoppedEarly = true;
                break;
            }
            try {
                if (!store.takeOverIntakeLease(r.key(), now, backoff.leaseUntil(r.resends() + 1, now))) {
                    counts[1]++;
                    continue;
                }
            } catch (StoreUnavailableException e) {
                // Leave the rest for the next run: their leases stay as they are, nothing is lost.
                log.warn("sweep_interrupted", "provider", r.key().provider(), "eventKey", r.key().dedupKey(),
                        "error", e.getMessage());
                stoppedEarly = true;
                break;
            }
            batch.add(r);
            if (batch.size() == EventQueue.BATCH_LIMIT && !flush(batch, counts)) {
                stoppedEarly = true;
                break;
            }
        }
        if (!batch.isEmpty() && !flush(batch, counts)) {
            stoppedEarly = true;
        }
        if (!due.isEmpty()) {
            log.info("sweep_done", "due", due.size(), "sent", counts[0], "skipped", counts[1], "failed", counts[2],
                    "stoppedEarly", stoppedEarly);
        }
        return new Sweep(due.size(), counts[0], counts[1], counts[2], stoppedEarly);
    }

    /** Sends the batch (whose leases are taken); false when the queue refused the whole call. */
    private boolean flush(List<EventRecord> batch, int[] counts) {
        List<QueueMessage> messages = batch.stream()
                .map(r -> new QueueMessage(r.key(), r.eventType(), r.traceHeader())).toList();
        List<QueueMessage> failed;
        boolean reachable = true;
        try {
            failed = queue.sendBatch(messages);
        } catch (QueueUnavailableException e) {
            failed = messages;
            reachable = false;
        }
        for (EventRecord r : batch) {
            if (failed.stream().anyMatch(m -> m.key().equals(r.key()))) {
                // Its lease has grown: the next run after that lease sends it again.
                counts[2]++;
                metrics.count("sweep_send_failed", r.key().provider());
                log.warn("sweep_send_failed", "provider", r.key().provider(), "eventKey", r.key().dedupKey());
                continue;
            }
            counts[0]++;
            metrics.count("swept", r.key().provider());
            log.info("swept", "provider", r.key().provider(), "eventKey", r.key().dedupKey(),
                    "eventType", r.eventType(), "receivedAt", r.receivedAt().toString(), "resend", r.resends() + 1);
        }
        batch.clear();
        return reachable;
    }
}
