package dev.inlet.core.entity;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The current state of an entity, with the last event applied to it, a version that counts applied
 * events, and how many older events arrived late and were ignored.
 */
public record EntityState(EntityKey key, String state, Map<String, String> fields, String lastEventType,
                          Instant lastEventTime, String lastDedupKey, long version, long ignoredStale) {
    public EntityState {
        fields = Map.copyOf(fields);
    }

    /**
     * The row an applied {@code update} leaves when the row was {@code before}: the update's state, event and
     * fields (merged over the fields it does not name), the version plus one, the stale count kept. What the
     * stores compute from the pre-image their conditional write returns.
     */
    public static EntityState after(Optional<EntityState> before, EntityUpdate update) {
        Map<String, String> fields = new HashMap<>(before.map(EntityState::fields).orElse(Map.of()));
        fields.putAll(update.fields());
        return new EntityState(update.key(), update.state(), fields, update.eventType(), update.eventTime(),
                update.dedupKey(), before.map(EntityState::version).orElse(0L) + 1,
                before.map(EntityState::ignoredStale).orElse(0L));
    }
}
