package dev.inlet.core.entity;

import java.time.Instant;
import java.util.Map;

/**
 * The current state of an entity, with the last event applied to it, a version that counts applied
 * events, and how many older events arrived late and were ignored.
 */
public record EntityState(EntityKey key, String state, Map<String, String> fields, String lastEventType,
                          Instant lastEventTime, String lastDedupKey, long version, long ignoredStale) {
    public EntityState {
        fields = Map.copyOf(fields);
    }
}
