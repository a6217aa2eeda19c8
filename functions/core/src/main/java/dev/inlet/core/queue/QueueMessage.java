package dev.inlet.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.store.EventKey;

/**
 * What travels through SQS: a pointer to the stored record, never the body (the record is the source of
 * truth, and SQS messages stay small).
 */
public record QueueMessage(EventKey key, String eventType) {

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
