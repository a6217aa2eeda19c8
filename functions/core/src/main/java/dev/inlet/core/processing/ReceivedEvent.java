package dev.inlet.core.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.publish.DomainEvents;
import dev.inlet.core.store.EventKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A verified, stored event as business logic sees it: the raw body plus what intake learned, and the
 * {@link Claim} this run holds (its deadline and fencing token, to check before an external side effect),
 * and the {@link DomainEvents} this run publishes once it is recorded ({@link #domainEvents()}).
 *
 * @param attempt which run of the handler this is for the record (1 for the first)
 * @param domainEvents where the run's entity changes are collected for publishing (each run has its own)
 */
public record ReceivedEvent(EventKey key, String eventType, byte[] body, Instant receivedAt,
                            Optional<Instant> providerTime, int attempt, Claim claim, DomainEvents domainEvents) {

    public ReceivedEvent {
        claim = claim == null ? Claim.none() : claim;
        domainEvents = domainEvents == null ? new DomainEvents() : domainEvents;
    }

    /** An event run under {@code claim}, collecting its domain events afresh. */
    public ReceivedEvent(EventKey key, String eventType, byte[] body, Instant receivedAt,
                         Optional<Instant> providerTime, int attempt, Claim claim) {
        this(key, eventType, body, receivedAt, providerTime, attempt, claim, new DomainEvents());
    }

    /** An event outside the processor (tools, tests): no claim to check, it always holds. */
    public ReceivedEvent(EventKey key, String eventType, byte[] body, Instant receivedAt,
                         Optional<Instant> providerTime, int attempt) {
        this(key, eventType, body, receivedAt, providerTime, attempt, Claim.none(), new DomainEvents());
    }

    public String provider() {
        return key.provider();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON tree (parsed with the strict intake rules). */
    public JsonNode json() throws IOException {
        return Json.parse(body);
    }
}
