package dev.inlet.core.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Domain events as the stores keep them while pending: a JSON array, one object per event. */
public final class DomainEventJson {
    private DomainEventJson() {
    }

    public static byte[] write(List<DomainEvent> events) {
        ArrayNode array = Json.object().arrayNode();
        for (DomainEvent e : events) {
            ObjectNode o = array.addObject();
            o.put("source", e.source());
            o.put("detailType", e.detailType());
            o.put("detail", e.detail());
            o.put("eventKey", e.eventKey());
            o.put("time", e.time().toEpochMilli());
            e.traceHeader().ifPresent(t -> o.put("traceHeader", t));
        }
        return Json.write(array).getBytes(StandardCharsets.UTF_8);
    }

    public static List<DomainEvent> read(byte[] json) {
        JsonNode array;
        try {
            array = Json.parse(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored pending events are not JSON", e);
        }
        List<DomainEvent> events = new ArrayList<>();
        for (JsonNode o : array) {
            events.add(new DomainEvent(o.path("source").asText(), o.path("detailType").asText(),
                    o.path("detail").asText(), o.path("eventKey").asText(),
                    Instant.ofEpochMilli(o.path("time").asLong()),
                    o.hasNonNull("traceHeader") ? Optional.of(o.get("traceHeader").asText()) : Optional.empty()));
        }
        return events;
    }
}
