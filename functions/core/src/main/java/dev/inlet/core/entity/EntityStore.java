package dev.inlet.core.entity;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Current state per entity. {@link #apply} is one conditional write: two processors racing on one
 * entity cannot make it go back in time. Transient faults surface as
 * {@link dev.inlet.core.store.StoreUnavailableException} (the event is retried).
 */
public interface EntityStore {
    ApplyOutcome apply(EntityUpdate update);

    Optional<EntityState> find(EntityKey key);

    /** The entities that exist among {@code keys}, in the keys' order: key lookups only, never a scan. */
    default List<EntityState> findAll(List<EntityKey> keys) {
        return keys.stream().distinct().map(this::find).flatMap(Optional::stream).toList();
    }

    /** Entities, optionally of one provider and one type. */
    List<EntityState> list(Optional<String> provider, Optional<String> type);

    /**
     * The same entities, in no particular order, read a page of about {@code pageSize} at a time as the
     * stream is consumed, so a listing never holds every entity in memory.
     */
    default Stream<EntityState> stream(Optional<String> provider, Optional<String> type, int pageSize) {
        return list(provider, type).stream();
    }
}
