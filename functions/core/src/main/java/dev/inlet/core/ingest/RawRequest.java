package dev.inlet.core.ingest;

import java.util.Map;
import java.util.Optional;

/**
 * A webhook request as it reached us: the body bytes exactly as sent (already base64-decoded when the
 * gateway flagged them), case-insensitive headers, and the path parameters of the matched route.
 * Path parameters may hold secrets (Reverb's token): never log them. {@code traceHeader} is the X-Ray trace
 * header of the receiver's invocation, when it is traced: stored on the record and sent on with its message.
 */
public record RawRequest(byte[] body, Headers headers, Map<String, String> pathParameters, String requestId,
                         Optional<String> traceHeader) {
    /** A request outside a traced invocation. */
    public RawRequest(byte[] body, Headers headers, Map<String, String> pathParameters, String requestId) {
        this(body, headers, pathParameters, requestId, Optional.empty());
    }

    public RawRequest {
        traceHeader = traceHeader == null ? Optional.empty() : traceHeader.filter(h -> !h.isBlank());
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Headers.empty() : headers;
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        requestId = requestId == null ? "" : requestId;
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }
}
