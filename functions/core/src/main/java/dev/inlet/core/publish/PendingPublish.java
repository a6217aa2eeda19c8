package dev.inlet.core.publish;

import java.util.List;
import java.util.Objects;

/**
 * What a record still has to publish: the domain events of the run that marked it PROCESSED, stored in the
 * same write, until the bus took them all. {@code run} names that run (its claim owner), so that marking them
 * published never removes a later run's set.
 */
public record PendingPublish(String run, List<DomainEvent> events) {
    public PendingPublish {
        Objects.requireNonNull(run, "run");
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a pending publish holds at least one event");
        }
    }
}
