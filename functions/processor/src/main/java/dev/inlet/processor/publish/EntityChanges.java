package dev.inlet.processor.publish;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.entity.ApplyOutcome;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.json.Json;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.core.publish.DomainEvent;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The domain event an applied entity change publishes (docs/events/README.md): {@code source}
 * {@code inlet.<provider>}, the detail-type {@link DetailTypes} names, and a {@code detail} with the entity,
 * its previous state (null for a new entity) and its new one (status and the fields the handlers keep: the
 * provider's ids, amounts with their currency), the entity's version, the event key consumers deduplicate by,
 * the provider's event type and time, and Inlet's received time.
 */
public final class EntityChanges {
    private EntityChanges() {
    }

    public static DomainEvent of(ReceivedEvent event, ApplyOutcome.Applied applied) {
        EntityState current = applied.current();
        String provider = current.key().provider();
        ObjectNode detail = Json.object();
        ObjectNode entity = detail.putObject("entity");
        entity.put("provider", provider);
        entity.put("type", current.key().type());
        entity.put("id", current.key().id());
        if (applied.previous().isPresent()) {
            state(detail.putObject("previous"), applied.previous().get());
        } else {
            detail.putNull("previous");
        }
        state(detail.putObject("current"), current);
        detail.put("version", current.version());
        detail.put("eventKey", event.key().id());
        detail.put("eventType", event.eventType());
        Optional<java.time.Instant> providerTime = event.providerTime();
        if (providerTime.isPresent()) {
            detail.put("providerTime", providerTime.get().toString());
        } else {
            detail.putNull("providerTime");
        }
        detail.put("receivedAt", event.receivedAt().toString());
        return new DomainEvent(DetailTypes.source(provider),
                DetailTypes.of(provider, current.key().type(), event.eventType(), current.state()),
                Json.write(detail), event.key().id(), providerTime.orElse(event.receivedAt()), Optional.empty());
    }

    private static void state(ObjectNode node, EntityState s) {
        node.put("status", s.state());
        ObjectNode fields = node.putObject("fields");
        for (Map.Entry<String, String> f : new TreeMap<>(s.fields()).entrySet()) {
            fields.put(f.getKey(), f.getValue());
        }
    }
}
