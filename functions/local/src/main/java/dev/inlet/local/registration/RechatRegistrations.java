package dev.inlet.local.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rechat's brand webhooks: {@code POST /brands/{brand}/webhooks {topic, url}} answers {@code data}
 * with the webhook's {@code id} and its signing {@code key}, which cannot be read again later. The list
 * and delete routes are in Rechat's public docs but their behaviour is unconfirmed.
 */
final class RechatRegistrations {
    static final String PRODUCTION = "https://api.rechat.com";

    record Webhook(String id, String topic, String url, String key) {}

    private final JsonApi api;
    private final String base;

    RechatRegistrations(String base, String token, HttpClient http) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.api = new JsonApi("Rechat", "RECHAT_API_TOKEN", token,
                Map.of("Content-Type", "application/json", "Accept", "application/json"), http);
    }

    Webhook create(String brand, String topic, String url) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("topic", topic);
        body.put("url", url);
        JsonNode data = api.post(webhooks(brand), body).path("data");
        if (!data.path("id").isValueNode() || !data.path("key").isTextual()) {
            throw new ApiException(200, "Rechat created the " + topic + " webhook but its answer has no id or key: "
                    + "delete it (./inlet deregister rechat) and try again");
        }
        return webhook(data);
    }

    List<Webhook> list(String brand) {
        JsonNode data = api.get(webhooks(brand)).path("data");
        if (!data.isArray()) {
            throw new ApiException(200, "Rechat's webhook list has an unexpected shape (no 'data' list); "
                    + "this route's behaviour is not publicly confirmed");
        }
        List<Webhook> out = new ArrayList<>();
        data.forEach(w -> out.add(webhook(w)));
        return out;
    }

    void delete(String brand, String id) {
        api.delete(URI.create(webhooks(brand) + "/" + encode(id)));
    }

    private URI webhooks(String brand) {
        return URI.create(base + "/brands/" + encode(brand) + "/webhooks");
    }

    private static Webhook webhook(JsonNode w) {
        return new Webhook(w.path("id").asText(""), w.path("topic").asText(""), w.path("url").asText(""),
                w.path("key").asText(""));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
