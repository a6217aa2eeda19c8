package dev.inlet.core.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** A verified, stored event as business logic sees it: the raw body plus what intake learned. */
public record ReceivedEvent(EventKey key, String eventType, byte[] body, Instant receivedAt,
                            Optional<Instant> providerTime, int attempt) {

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
