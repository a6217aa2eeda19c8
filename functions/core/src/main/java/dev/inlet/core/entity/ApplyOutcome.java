package dev.inlet.core.entity;

import java.time.Instant;

/** What an update did. A stale event is a value, not an error: it is recorded and the event completes. */
public sealed interface ApplyOutcome {
    record Applied(long version) implements ApplyOutcome {}

    /** The row already reflects a newer event (time {@code current}); this one was counted and ignored. */
    record Stale(Instant current) implements ApplyOutcome {}
}
