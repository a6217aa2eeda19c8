package dev.inlet.core.entity;

import java.util.List;
import java.util.Optional;

/**
 * Current state per entity. {@link #apply} is one conditional write: two processors racing on one
 * entity cannot make it go back in time. Transient faults surface as
 * {@link dev.inlet.core.store.StoreUnavailableException} (the event is retried).
 */
public interface EntityStore {
    ApplyOutcome apply(EntityUpdate update);

    Optional<EntityState> find(EntityKey key);

    /** Entities, optionally of one provider and one type. */
    List<EntityState> list(Optional<String> provider, Optional<String> type);
}
