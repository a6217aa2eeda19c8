package dev.inlet.local.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.publish.DomainEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One domain event as the local bus took it: {@code seq} counts the bus's events from 1 (a gap means older
 * ones were rotated away), {@code publishedAt} is when the bus took it (the stack's clock).
 *
 * <p>Written as one JSON line: the entry as published, in the field names of an EventBridge event
 * ({@code source}, {@code detail-type}, {@code detail} as an object, {@code time}), with its trace header,
 * event key and the bus's own {@code seq}, {@code publishedAt} and {@code eventBusName}.
 */
public record PublishedEvent(long seq, Instant publishedAt, String bus, DomainEvent event) {
    public PublishedEvent {
        if (seq < 1) {
            throw new IllegalArgumentException("seq counts from 1: " + seq);
        }
    }

    /** The provider the source names ({@code inlet.rheo} -> {@code rheo}), or the whole source. */
    public String provider() {
        String source = event.source();
        return source.startsWith("inlet.") ? source.substring("inlet.".length()) : source;
    }

    /**
     * The id of the Inlet event that made the change ({@code provider#dedupKey}), as {@code ./inlet events --id}
     * and the console name it.
     */
    public String eventId() {
        String key = event.eventKey();
        return key.contains("#") ? key : provider() + "#" + key;
    }

    /** Whether {@code key} names this event's Inlet event: its event key, or the {@link #eventId()}. */
    public boolean madeBy(String key) {
        return key.equals(event.eventKey()) || key.equals(eventId());
    }

    /** The changed entity as "type id", read from the detail; empty when the detail names none. */
    public String entity() {
        JsonNode detail = detail();
        JsonNode entity = detail.path("entity");
        if (entity.isTextual()) {
            return entity.asText();
        }
        if (entity.isObject()) {
            return join(entity.path("type").asText(""), entity.path("id").asText(""));
        }
        return join(detail.path("entityType").asText(""), detail.path("entityId").asText(""));
    }

    private static String join(String type, String id) {
        return (type + " " + id).strip();
    }

    /** The detail as JSON (a text node when the publisher's detail was not JSON). */
    public JsonNode detail() {
        try {
            JsonNode n = Json.mapper().readTree(event.detail());
            return n == null ? Json.mapper().getNodeFactory().textNode(event.detail()) : n;
        } catch (IOException e) {
            return Json.mapper().getNodeFactory().textNode(event.detail());
        }
    }

    public ObjectNode json() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("seq", seq);
        n.put("publishedAt", publishedAt.toString());
        n.put("eventBusName", bus);
        n.put("source", event.source());
        n.put("detail-type", event.detailType());
        n.put("time", event.time().toString());
        n.set("detail", detail());
        n.put("eventKey", event.eventKey());
        event.traceHeader().ifPresent(t -> n.put("traceHeader", t));
        return n;
    }

    /** The JSON line, without a line break. */
    public String line() {
        return json().toString();
    }

    /** One line as {@link #line()} wrote it. */
    public static PublishedEvent parse(String line) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a published-event line", e);
        }
        if (n == null || !n.isObject() || !n.path("seq").canConvertToLong()) {
            throw new IllegalArgumentException("not a published-event line");
        }
        JsonNode detail = n.path("detail");
        DomainEvent event = new DomainEvent(n.path("source").asText(), n.path("detail-type").asText(),
                detail.isTextual() ? detail.asText() : detail.toString(), n.path("eventKey").asText(),
                Instant.parse(n.path("time").asText()),
                n.hasNonNull("traceHeader") ? Optional.of(n.get("traceHeader").asText()) : Optional.empty());
        return new PublishedEvent(n.path("seq").asLong(), Instant.parse(n.path("publishedAt").asText()),
                n.path("eventBusName").asText(), event);
    }
}
