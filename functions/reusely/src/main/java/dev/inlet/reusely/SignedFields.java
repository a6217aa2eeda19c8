package dev.inlet.reusely;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * The two top-level fields Reusely signs, {@code object_id} and {@code timestamp}, as their text stands
 * in the raw JSON ({@code 93092} and {@code "1749441740"} give the message {@code 930921749441740}).
 * Read with one bounded streaming pass of the project's strict parser (duplicate keys are an error),
 * before anything in the body is trusted; key order does not matter.
 */
record SignedFields(String objectId, String timestamp) {
    private static final int MAX_FIELD_LENGTH = 64;

    String message() {
        return objectId + timestamp;
    }

    /** Empty when the body is not a JSON object carrying both fields as numbers or strings. */
    static Optional<SignedFields> of(byte[] body) {
        String objectId = null;
        String timestamp = null;
        try (JsonParser p = Json.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("object_id") || name.equals("timestamp")) {
                    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_STRING) {
                        return Optional.empty();
                    }
                    String text = p.getText();
                    if (text.isEmpty() || text.length() > MAX_FIELD_LENGTH) {
                        return Optional.empty();
                    }
                    if (name.equals("object_id")) {
                        objectId = text;
                    } else {
                        timestamp = text;
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return objectId == null || timestamp == null ? Optional.empty()
                : Optional.of(new SignedFields(objectId, timestamp));
    }
}
