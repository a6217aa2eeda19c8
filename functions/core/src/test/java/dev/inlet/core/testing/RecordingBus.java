package dev.inlet.core.testing;

import dev.inlet.core.publish.BusUnavailableException;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.publish.EventBus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link EventBus} that keeps what it was given, call by call, and can be told to be unavailable (then
 * every call throws {@link BusUnavailableException} and keeps nothing). Refuses a call over
 * {@link EventBus#BATCH_LIMIT} events, as PutEvents does.
 */
public final class RecordingBus implements EventBus {
    private final List<List<DomainEvent>> calls = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();

    public void setDown(boolean isDown) {
        down.set(isDown);
    }

    @Override
    public void publish(List<DomainEvent> events) {
        if (events.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException(events.size() + " events in one call: at most " + BATCH_LIMIT);
        }
        if (down.get()) {
            throw new BusUnavailableException("bus is down (test)");
        }
        calls.add(List.copyOf(events));
    }

    /** Every publish call that was accepted, in order. */
    public List<List<DomainEvent>> calls() {
        return List.copyOf(calls);
    }

    /** Every event accepted, in order. */
    public List<DomainEvent> events() {
        return calls.stream().flatMap(List::stream).toList();
    }

    public void clear() {
        calls.clear();
    }
}
