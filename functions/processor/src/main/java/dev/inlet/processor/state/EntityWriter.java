package dev.inlet.processor.state;

import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.entity.EntityUpdate;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.publish.EntityChanges;
import java.util.Map;

/**
 * Writes one entity's new state for an event, ordered by the provider's own time (the received time
 * where there is none), and makes late events visible: a log line and the {@code stale_ignored} metric.
 * Each applied write adds its domain event to the run's {@link ReceivedEvent#domainEvents()} (published once
 * the run is recorded); a stale one adds nothing.
 */
public final class EntityWriter {
    private final EntityStore store;
    private final Log log;
    private final Metrics metrics;

    public EntityWriter(EntityStore store, Log log, Metrics metrics) {
        this.store = store;
        this.log = log;
        this.metrics = metrics;
    }

    public ApplyOutcome write(ReceivedEvent event, String entityType, String entityId, String state,
                              Map<String, String> fields) {
        EntityKey key = new EntityKey(event.provider(), entityType, entityId);
        ApplyOutcome outcome = store.apply(new EntityUpdate(key, state, fields, event.eventType(),
                event.providerTime().orElse(event.receivedAt()), event.key().dedupKey()));
        if (outcome instanceof ApplyOutcome.Applied applied) {
            event.domainEvents().add(EntityChanges.of(event, applied));
        }
        if (outcome instanceof ApplyOutcome.Stale stale) {
            metrics.count("stale_ignored", event.provider());
            log.info("stale_event_ignored", "provider", event.provider(), "eventKey", event.key().dedupKey(),
                    "eventType", event.eventType(), "entity", key.asString(), "entityTime", stale.current().toString());
        }
        return outcome;
    }

    /** An event that names no entity: it completes (nothing to retry), and says so. */
    public void noEntity(ReceivedEvent event, String what) {
        log.warn("no_entity", "provider", event.provider(), "eventKey", event.key().dedupKey(),
                "eventType", event.eventType(), "missing", what);
    }

    /** A notable event (listing failed, app uninstalled, order refunded...): WARN and a metric with an alarm. */
    public void notable(ReceivedEvent event, String reason) {
        metrics.count("notable", event.provider(), reason);
        log.warn("notable_event", "provider", event.provider(), "eventKey", event.key().dedupKey(),
                "eventType", event.eventType(), "reason", reason);
    }
}
