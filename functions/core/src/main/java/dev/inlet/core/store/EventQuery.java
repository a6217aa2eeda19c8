package dev.inlet.core.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over stored events, for listing and replay. Empty fields match everything. The event type is
 * matched by the store while it pages (on the listing index, whose entries carry it), so a rare type
 * still yields {@code limit} records when that many exist.
 */
public record EventQuery(Optional<String> provider, Optional<EventStatus> status, Optional<String> eventType,
                         Optional<Instant> from, Optional<Instant> to, int limit) {

    /** Any event type. */
    public EventQuery(Optional<String> provider, Optional<EventStatus> status, Optional<Instant> from,
                      Optional<Instant> to, int limit) {
        this(provider, status, Optional.empty(), from, to, limit);
    }

    public static EventQuery all() {
        return new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1000);
    }

    public boolean matches(EventRecord r) {
        return provider.map(p -> p.equals(r.key().provider())).orElse(true)
                && status.map(s -> s == r.status()).orElse(true)
                && eventType.map(t -> t.equals(r.eventType())).orElse(true)
                && from.map(f -> !r.receivedAt().isBefore(f)).orElse(true)
                && to.map(t -> r.receivedAt().isBefore(t)).orElse(true);
    }
}
