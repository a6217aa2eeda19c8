package dev.inlet.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventKey;
import java.util.Optional;

/**
 * What travels through SQS: a pointer to the stored record, never the body (the record is the source of
 * truth, and SQS messages stay small). {@code traceHeader} is the X-Ray trace header of the webhook's
 * receiver: it travels as SQS's {@code AWSTraceHeader} system attribute, never in the JSON body.
 */
public record QueueMessage(EventKey key, String eventType, Optional<String> traceHeader) {
    public QueueMessage {
        traceHeader = traceHeader == null ? Optional.empty() : traceHeader.filter(h -> !h.isBlank());
    }

    /** A message without a trace header. */
    public QueueMessage(EventKey key, String eventType) {
        this(key, eventType, Optional.empty());
    }

    /** The same message, sent or received under {@code header}. */
    public QueueMessage withTraceHeader(Optional<String> header) {
        return new QueueMessage(key, eventType, header);
    }

    public String toJson() {
        ObjectNode node = Json.object();
        node.put("provider", key.provider());
        node.put("dedupKey", key.dedupKey());
        node.put("eventType", eventType);
        return Json.write(node);
    }

    /** @throws IllegalArgumentException when the message is not one of ours */
    public static QueueMessage fromJson(String json) {
        JsonNode node;
        try {
            node = Json.parse(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("queue message is not JSON");
        }
        if (node == null || !node.path("provider").isTextual() || !node.path("dedupKey").isTextual()) {
            throw new IllegalArgumentException("queue message lacks provider or dedupKey");
        }
        return new QueueMessage(new EventKey(node.get("provider").asText(), node.get("dedupKey").asText()),
                node.path("eventType").asText("unknown"));
    }
}
