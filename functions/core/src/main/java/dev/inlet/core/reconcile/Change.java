package dev.inlet.core.reconcile;

import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.ingest.Envelope;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * One object a provider's API listed as changed, ready for the intake: the entity it is (as the
 * processor's handler keys it), its state and time there, and the event it becomes if no webhook brought
 * it: the envelope (dedup key, event type, provider time) by the provider's own webhook rules, and the
 * body (the object as the API returned it).
 */
public record Change(EntityKey entity, String state, Optional<Instant> changedAt, Envelope envelope, byte[] body) {
    public Change {
        changedAt = changedAt == null ? Optional.empty() : changedAt;
        body = body == null ? new byte[0] : body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Change c && entity.equals(c.entity) && state.equals(c.state)
                && changedAt.equals(c.changedAt) && envelope.equals(c.envelope) && Arrays.equals(body, c.body);
    }

    @Override
    public int hashCode() {
        return entity.hashCode() * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Change[" + entity.asString() + " " + state + " " + changedAt.map(Instant::toString).orElse("-") + "]";
    }
}
