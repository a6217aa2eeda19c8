package dev.inlet.core.ingest;

import java.util.Map;

/**
 * A webhook request as it reached us: the body bytes exactly as sent (already base64-decoded when the
 * gateway flagged them), case-insensitive headers, and the path parameters of the matched route.
 * Path parameters may hold secrets (Reverb's token): never log them.
 */
public record RawRequest(byte[] body, Headers headers, Map<String, String> pathParameters, String requestId) {
    public RawRequest {
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Headers.empty() : headers;
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        requestId = requestId == null ? "" : requestId;
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }
}
