package dev.inlet.core.testing;

import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.entity.EntityUpdate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link EntityStore} contract in memory, with the DynamoDB adapter's condition: an update applies when
 * the row is absent, older, or of the same time with a dedup key not greater than the update's (so the same
 * event again re-applies); otherwise it is stale and counted. For core and processor tests.
 */
public final class InMemoryEntityStore implements EntityStore {
    private final Map<EntityKey, EntityState> rows = new HashMap<>();

    @Override
    public synchronized ApplyOutcome apply(EntityUpdate u) {
        Optional<EntityState> before = Optional.ofNullable(rows.get(u.key()));
        boolean applies = before.map(b -> b.lastEventTime().isBefore(u.eventTime())
                || b.lastEventTime().equals(u.eventTime()) && b.lastDedupKey().compareTo(u.dedupKey()) <= 0)
                .orElse(true);
        if (!applies) {
            EntityState b = before.get();
            rows.put(u.key(), new EntityState(b.key(), b.state(), b.fields(), b.lastEventType(), b.lastEventTime(),
                    b.lastDedupKey(), b.version(), b.ignoredStale() + 1));
            return new ApplyOutcome.Stale(b.lastEventTime());
        }
        EntityState after = EntityState.after(before, u);
        rows.put(u.key(), after);
        return new ApplyOutcome.Applied(before, after);
    }

    @Override
    public synchronized Optional<EntityState> find(EntityKey key) {
        return Optional.ofNullable(rows.get(key));
    }

    @Override
    public synchronized List<EntityState> list(Optional<String> provider, Optional<String> type) {
        return rows.values().stream()
                .filter(s -> provider.map(p -> p.equals(s.key().provider())).orElse(true))
                .filter(s -> type.map(t -> t.equals(s.key().type())).orElse(true))
                .sorted(Comparator.comparing((EntityState s) -> s.key().asString())).toList();
    }
}
