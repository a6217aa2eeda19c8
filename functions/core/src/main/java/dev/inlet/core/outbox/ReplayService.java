package dev.inlet.core.outbox;

import dev.inlet.core.observe.Log;
import dev.inlet.core.queue.EventQueue;
import dev.inlet.core.queue.QueueMessage;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-runs stored events through the processor on purpose: each is marked for replay (recorded on the
 * event: replay count and time) and sent to the queue; the processor then claims and handles it as
 * usual, exactly once per replay.
 */
public final class ReplayService {
    /** What happened to one event. */
    public record Outcome(EventKey key, boolean replayed, String why) {}

    private final EventStore store;
    private final EventQueue queue;
    private final Clock clock;
    private final Log log;

    public ReplayService(EventStore store, EventQueue queue, Clock clock, Log log) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.log = log;
    }

    public Outcome replay(EventKey key) {
        Instant now = clock.instant();
        Optional<EventRecord> record = store.find(key, now);
        if (record.isEmpty()) {
            return new Outcome(key, false, "no live record");
        }
        if (!store.markForReplay(key, now)) {
            return new Outcome(key, false, "refused: " + record.get().status()
                    + (record.get().leaseExpired(now) ? "" : " with a live lease"));
        }
        queue.send(new QueueMessage(key, record.get().eventType()));
        log.info("replayed", "provider", key.provider(), "eventKey", key.dedupKey(),
                "eventType", record.get().eventType(), "previousStatus", record.get().status().name());
        return new Outcome(key, true, "queued (was " + record.get().status() + ")");
    }

    public List<Outcome> replay(EventQuery query) {
        List<Outcome> out = new ArrayList<>();
        for (EventRecord r : store.list(query, clock.instant())) {
            out.add(replay(r.key()));
        }
        return out;
    }
}
