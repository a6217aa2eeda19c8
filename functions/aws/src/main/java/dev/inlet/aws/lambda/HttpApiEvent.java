package dev.inlet.aws.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of an API Gateway HTTP API event (payload format 2.0) a receiver uses, read straight from
 * the invocation's bytes with one streaming pass. Receivers are stream handlers: the Lambda runtime
 * then hands over the JSON as it came, instead of loading its own serializer (about 800 classes and a
 * quarter of a second of cold start, measured in docs/performance.md) to build an event object.
 */
public record HttpApiEvent(Map<String, String> headers, Map<String, String> pathParameters, String body,
                           boolean isBase64Encoded, String requestId) {
    /** Events are at most API Gateway's 10 MB payload, base64 included; names and depth are small. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(16 * 1024 * 1024).maxNestingDepth(32).maxNumberLength(64).build())
            .build();

    public HttpApiEvent {
        headers = headers == null ? Map.of() : headers;
        pathParameters = pathParameters == null ? Map.of() : pathParameters;
        requestId = requestId == null ? "" : requestId;
    }

    /** @throws IOException when the input is not one JSON object with the payload 2.0 field types. */
    public static HttpApiEvent read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "an event is a JSON object");
            Map<String, String> headers = null;
            Map<String, String> pathParameters = null;
            String body = null;
            boolean base64 = false;
            String requestId = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "headers" -> headers = stringMap(p);
                    case "pathParameters" -> pathParameters = stringMap(p);
                    case "body" -> body = value == JsonToken.VALUE_NULL ? null : text(p);
                    case "isBase64Encoded" -> {
                        expect(value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE,
                                "isBase64Encoded is a boolean");
                        base64 = value == JsonToken.VALUE_TRUE;
                    }
                    case "requestContext" -> requestId = requestIdOf(p);
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null, "one JSON object");
            return new HttpApiEvent(headers, pathParameters, body, base64, requestId);
        }
    }

    private static Map<String, String> stringMap(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p.currentToken() == JsonToken.START_OBJECT, "headers and path parameters are objects");
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, text(p));
        }
        return out;
    }

    private static String requestIdOf(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String requestId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("requestId") && p.currentToken() == JsonToken.VALUE_STRING) {
                requestId = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return requestId;
    }

    private static String text(JsonParser p) throws IOException {
        expect(p.currentToken() == JsonToken.VALUE_STRING, "values are strings");
        return p.getText();
    }

    private static void expect(boolean ok, String what) throws IOException {
        if (!ok) {
            throw new IOException("not an HTTP API payload 2.0 event: " + what);
        }
    }
}
