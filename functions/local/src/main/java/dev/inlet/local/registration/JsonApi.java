package dev.inlet.local.registration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON over HTTPS with a bearer token, for the providers' registration APIs. Errors become
 * {@link ApiException}s that say what to do: 401 (check the token variable), 422 (the API's own
 * validation messages), 5xx (try again), no answer. The token is never part of a message.
 */
final class JsonApi {
    private final String providerName;
    private final String tokenVariable;
    private final String token;
    private final Map<String, String> headers;
    private final HttpClient http;

    JsonApi(String providerName, String tokenVariable, String token, Map<String, String> headers, HttpClient http) {
        this.providerName = providerName;
        this.tokenVariable = tokenVariable;
        this.token = token;
        this.headers = headers;
        this.http = http;
    }

    JsonNode get(URI uri) {
        return send(base(uri).GET().build());
    }

    JsonNode post(URI uri, JsonNode body) {
        return send(base(uri).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    void delete(URI uri) {
        send(base(uri).DELETE().build());
    }

    private HttpRequest.Builder base(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return b;
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach " + providerName + " at " + request.uri().getHost() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted while calling " + providerName);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new ApiException(status, providerName + " refused the API token (HTTP " + status + "): check "
                    + tokenVariable + " and its scopes");
        }
        if (status == 422 || status == 400) {
            throw new ApiException(status, providerName + " rejected the request (HTTP " + status + "): "
                    + messages(response.body()));
        }
        if (status >= 500) {
            throw new ApiException(status, providerName + " had a server error (HTTP " + status
                    + "); nothing was changed by this call: try again in a minute");
        }
        if (status >= 300) {
            throw new ApiException(status, providerName + " answered HTTP " + status + " for "
                    + request.method() + " " + request.uri().getPath() + ": " + messages(response.body()));
        }
        if (response.body() == null || response.body().isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(status, providerName + " answered HTTP " + status + " with a body that is not JSON");
        }
    }

    /** The human-readable parts of an error body: "message", "errors" (object or list), "error". */
    private static String messages(String body) {
        try {
            JsonNode n = Json.mapper().readTree(body == null ? "" : body);
            StringBuilder out = new StringBuilder();
            if (n != null) {
                for (String field : new String[] {"message", "error"}) {
                    if (n.path(field).isTextual()) {
                        out.append(n.path(field).asText()).append(' ');
                    }
                }
                JsonNode errors = n.path("errors");
                if (errors.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = errors.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        out.append(e.getKey()).append(": ").append(e.getValue().isArray()
                                ? join(e.getValue()) : e.getValue().asText()).append("; ");
                    }
                } else if (errors.isArray()) {
                    out.append(join(errors));
                }
            }
            String text = out.toString().trim();
            return text.isEmpty() ? "(no message)" : text;
        } catch (IOException e) {
            return "(no message)";
        }
    }

    private static String join(JsonNode array) {
        StringBuilder b = new StringBuilder();
        array.forEach(v -> b.append(b.length() == 0 ? "" : ", ").append(v.isTextual() ? v.asText() : v.toString()));
        return b.toString();
    }
}
