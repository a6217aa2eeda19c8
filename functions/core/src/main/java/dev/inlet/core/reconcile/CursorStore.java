package dev.inlet.core.reconcile;

import java.time.Instant;
import java.util.Optional;

/**
 * Where reconciliation remembers how far it got: per feed, the end of the last window read completely.
 * Transient faults surface as {@link dev.inlet.core.store.StoreUnavailableException}.
 */
public interface CursorStore {
    Optional<Instant> read(String feed);

    /** Moves the cursor to {@code until}; never backwards (a conditional write). */
    void advance(String feed, Instant until);
}
