package dev.inlet.core.publish;

import java.util.List;

/**
 * Where entity changes are published (EventBridge in AWS, an in-process bus under {@code ./inlet local}).
 * All or nothing from the caller's view: when any event was not accepted the call throws
 * {@link BusUnavailableException}, and the caller publishes the whole set again later (consumers
 * deduplicate by {@link DomainEvent#eventKey()}).
 */
public interface EventBus {
    /** The most events one {@link #publish} call takes (EventBridge PutEvents' limit); callers split above it. */
    int BATCH_LIMIT = 10;

    void publish(List<DomainEvent> events);

    /** False when publishing is switched off (EVENT_BUS_NAME empty): nothing is published or remembered. */
    default boolean enabled() {
        return true;
    }

    /** Publishing switched off. */
    static EventBus disabled() {
        return new EventBus() {
            @Override
            public void publish(List<DomainEvent> events) {
            }

            @Override
            public boolean enabled() {
                return false;
            }
        };
    }
}
