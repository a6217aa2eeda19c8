package dev.inlet.local.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reverb's webhook registration API (HAL): {@code POST /webhooks/registrations {url, topic}},
 * {@code GET /webhooks/registrations}, {@code DELETE} on an entry's {@code _links.self.href}.
 * {@code Accept-Version: 3.0} is required (Reverb assumes 1.0 without it).
 */
final class ReverbRegistrations {
    static final String PRODUCTION = "https://api.reverb.com/api";
    static final String SANDBOX = "https://sandbox.reverb.com/api";

    record Registration(String id, String topic, String url, String href) {}

    private final JsonApi api;
    private final String base;

    ReverbRegistrations(String base, String token, HttpClient http) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.api = new JsonApi("Reverb", "REVERB_API_TOKEN", token, Map.of(
                "Content-Type", "application/hal+json",
                "Accept", "application/hal+json",
                "Accept-Version", "3.0"), http);
    }

    Registration register(String topic, String url) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("url", url);
        body.put("topic", topic);
        return registration(api.post(URI.create(base + "/webhooks/registrations"), body));
    }

    List<Registration> list() {
        JsonNode page = api.get(URI.create(base + "/webhooks/registrations"));
        JsonNode entries = page.has("registrations") ? page.get("registrations")
                : page.path("_embedded").path("registrations");
        if (!entries.isArray()) {
            throw new ApiException(200, "Reverb's registration list has an unexpected shape (no 'registrations' list)");
        }
        List<Registration> out = new ArrayList<>();
        entries.forEach(e -> out.add(registration(e)));
        return out;
    }

    void delete(Registration r) {
        if (r.href().isEmpty()) {
            throw new ApiException(200, "registration " + r.id() + " has no _links.self.href to delete");
        }
        api.delete(URI.create(r.href()));
    }

    private static Registration registration(JsonNode e) {
        String href = e.path("_links").path("self").path("href").asText("");
        String id = e.path("id").isMissingNode() || e.path("id").isNull()
                ? href.substring(href.lastIndexOf('/') + 1) : e.path("id").asText();
        return new Registration(id, e.path("topic").asText(""), e.path("url").asText(""), href);
    }
}
