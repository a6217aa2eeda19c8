package dev.inlet.core.outbox;

import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.queue.QueueUnavailableException;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStore;
import dev.inlet.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Finishes what a receiver could not: every record still RECEIVED after its intake lease (SQS failed
 * after the commit point, or the receiver died between put and send) is sent and marked QUEUED. The
 * lease is taken first with a conditional write, so a sweeper and a provider retry never both send;
 * a duplicate message would be harmless anyway (the processor's claim).
 */
public final class OutboxSweeper {
    /** What one run did. */
    public record Sweep(int due, int sent, int skipped, boolean stoppedEarly) {}

    private final EventStore store;
    private final EventQueue queue;
    private final Duration lease;
    private final int batchLimit;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;

    public OutboxSweeper(EventStore store, EventQueue queue, Duration lease, int batchLimit, Clock clock, Log log,
                         Metrics metrics) {
        this.store = store;
        this.queue = queue;
        this.lease = lease;
        this.batchLimit = batchLimit;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    public Sweep sweep() {
        Instant now = clock.instant();
        int sent = 0;
        int skipped = 0;
        var due = store.dueForSend(now, batchLimit);
        for (EventRecord r : due) {
            try {
                if (!store.takeOverIntakeLease(r.key(), now, now.plus(lease))) {
                    skipped++;
                    continue;
                }
                queue.send(new QueueMessage(r.key(), r.eventType()));
                store.markQueued(r.key());
                sent++;
                metrics.count("swept", r.key().provider());
                log.info("swept", "provider", r.key().provider(), "eventKey", r.key().dedupKey(),
                        "eventType", r.eventType(), "receivedAt", r.receivedAt().toString());
            } catch (QueueUnavailableException | StoreUnavailableException e) {
                // Leave the rest for the next run: their leases stay as they are, nothing is lost.
                log.warn("sweep_interrupted", "provider", r.key().provider(), "eventKey", r.key().dedupKey(),
                        "error", e.getMessage(), "sent", sent);
                return new Sweep(due.size(), sent, skipped, true);
            }
        }
        if (!due.isEmpty()) {
            log.info("sweep_done", "due", due.size(), "sent", sent, "skipped", skipped);
        }
        return new Sweep(due.size(), sent, skipped, false);
    }
}
