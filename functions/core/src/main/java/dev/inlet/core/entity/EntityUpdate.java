package dev.inlet.core.entity;

import java.time.Instant;
import java.util.Map;

/**
 * The new state of an entity as one event describes it. {@code eventTime} is the provider's own time
 * (the received time where the provider gives none): an update applies only if it is newer than what
 * the row holds; on a tie the greater dedup key wins (the same event again re-applies), so every
 * processor converges on the same row whatever the arrival order.
 *
 * @param fields the entity's attributes this event knows (merged into the row; others are kept)
 */
public record EntityUpdate(EntityKey key, String state, Map<String, String> fields, String eventType,
                           Instant eventTime, String dedupKey) {
    public EntityUpdate {
        fields = Map.copyOf(fields);
    }
}
