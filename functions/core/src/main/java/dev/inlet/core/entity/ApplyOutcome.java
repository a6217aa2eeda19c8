package dev.inlet.core.entity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What an update did. A stale event is a value, not an error: it is recorded and the event completes. */
public sealed interface ApplyOutcome {
    /**
     * The update was written. {@code previous} is the row as it was just before this write (from the same
     * conditional write, no extra read), empty for a new entity; {@code current} is the row this write left.
     * The same event applied again (a replay, a re-run after a lost lease) is Applied too, with a
     * {@code previous} that already shows its change.
     */
    record Applied(Optional<EntityState> previous, EntityState current) implements ApplyOutcome {
        public Applied {
            previous = previous == null ? Optional.empty() : previous;
            Objects.requireNonNull(current, "current");
        }

        /** The entity's version after this write (1 for a new entity). */
        public long version() {
            return current.version();
        }
    }

    /** The row already reflects a newer event (time {@code current}); this one was counted and ignored. */
    record Stale(Instant current) implements ApplyOutcome {}
}
