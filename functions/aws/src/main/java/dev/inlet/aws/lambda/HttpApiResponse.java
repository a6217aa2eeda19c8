package dev.inlet.aws.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** A receiver's answer in the HTTP API payload 2.0 response format, written as the invocation's output. */
public record HttpApiResponse(int statusCode, Map<String, String> headers, String body) {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    /**
     * API Gateway's own answer to a request that matches no route, byte for byte. A receiver whose route
     * must not be confirmed (Reverb) answers every failure with it, and the local HTTP server answers
     * unknown routes with it.
     */
    public static HttpApiResponse notFound() {
        return json(404, "{\"message\":\"Not Found\"}");
    }

    /** A short JSON answer, e.g. {@code {"status":"accepted"}} or {@code {"error":"bad_signature"}}. */
    public static HttpApiResponse json(int statusCode, String body) {
        return new HttpApiResponse(statusCode, JSON, body);
    }

    public void writeTo(OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("statusCode", statusCode);
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            g.writeStringField("body", body);
            g.writeBooleanField("isBase64Encoded", false);
            g.writeEndObject();
        }
    }

    /** Reads a response back, as API Gateway does (used by the local stack and tests). */
    public static HttpApiResponse read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a response is a JSON object");
            }
            int status = 0;
            Map<String, String> headers = new LinkedHashMap<>();
            String body = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "statusCode" -> status = p.getIntValue();
                    case "body" -> body = p.getValueAsString();
                    case "headers" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            headers.put(name, p.getValueAsString());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new HttpApiResponse(status, headers, body);
        }
    }
}
