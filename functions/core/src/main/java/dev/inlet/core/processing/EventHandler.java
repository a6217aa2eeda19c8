package dev.inlet.core.processing;

import dev.inlet.core.entity.EntityKey;
import java.util.List;

/**
 * Business logic for one provider event type. Throwing fails this event only: it is retried, and after
 * the last receive it goes to the DLQ with the exception's message on its record. A handler may run
 * more than once for one event when a lease is lost, so its writes should be conditional or idempotent.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(ReceivedEvent event) throws Exception;

    /**
     * The entities {@link #handle} writes for this event, computed from the event alone (no store call),
     * so a tool can read them by key: the console opens the entity state an event produced with a key
     * lookup, never a scan of the entities table. Empty for a handler that keeps no entity state.
     */
    default List<EntityKey> entities(ReceivedEvent event) throws Exception {
        return List.of();
    }

    /** The name stored on the record as {@code handledBy}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
