package dev.inlet.core.ingest;

import java.time.Instant;
import java.util.Optional;

/**
 * What intake needs to know about an authentic body: the dedup key (see PROVIDERS.md per provider),
 * the event type, and the provider's own time when the body carries one.
 */
public record Envelope(String dedupKey, String eventType, Optional<Instant> providerTime) {
    public Envelope {
        if (dedupKey == null || dedupKey.isBlank()) {
            throw new IllegalArgumentException("dedupKey is required");
        }
        if (eventType == null || eventType.isBlank()) {
            throw new IllegalArgumentException("eventType is required");
        }
        providerTime = providerTime == null ? Optional.empty() : providerTime;
    }
}
