package dev.inlet.core.processing;

/**
 * Business logic for one provider event type. Throwing fails this event only: it is retried, and after
 * the last receive it goes to the DLQ with the exception's message on its record. A handler may run
 * more than once for one event when a lease is lost, so its writes should be conditional or idempotent.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(ReceivedEvent event) throws Exception;

    /** The name stored on the record as {@code handledBy}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
