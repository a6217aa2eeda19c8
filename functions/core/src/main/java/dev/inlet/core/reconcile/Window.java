package dev.inlet.core.reconcile;

import java.time.Instant;

/** A time window of changes: from (inclusive) until (exclusive), both on the provider's clock. */
public record Window(Instant from, Instant until) {
    public Window {
        if (from == null || until == null || !from.isBefore(until)) {
            throw new IllegalArgumentException("a window needs a start before its end");
        }
    }
}
