package dev.inlet.core.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The domain events one handler run produced, to be published once the run is recorded: the default entity
 * handlers add one per applied entity change, and a handler of your own may add its own (see
 * docs/business-logic.md). Nothing is published when the run fails; a stale or duplicate event adds nothing.
 * Safe to add to from the handler's thread while the processor reads it afterwards.
 */
public final class DomainEvents {
    private final List<DomainEvent> events = new ArrayList<>();

    public synchronized void add(DomainEvent event) {
        events.add(Objects.requireNonNull(event, "event"));
    }

    /** What was added, in order. */
    public synchronized List<DomainEvent> list() {
        return List.copyOf(events);
    }

    public synchronized boolean isEmpty() {
        return events.isEmpty();
    }
}
