package dev.inlet.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import java.io.IOException;

/** Reads a verified body as one JSON object, with the project's strict parser, or quarantines it. */
public final class JsonBody {
    private JsonBody() {
    }

    public static JsonNode object(RawRequest request) throws UnreadableBodyException {
        JsonNode body;
        try {
            body = Json.parse(request.body());
        } catch (IOException e) {
            throw new UnreadableBodyException("body is not a single well-formed JSON document");
        }
        if (!body.isObject()) {
            throw new UnreadableBodyException("body is not a JSON object");
        }
        return body;
    }
}
