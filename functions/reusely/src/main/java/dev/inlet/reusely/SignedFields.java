package dev.inlet.reusely;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The two top-level fields Reusely signs, {@code object_id} and {@code timestamp}, as their text stands
 * in the raw JSON ({@code 93092} and {@code "1749441740"} give the message {@code 930921749441740}).
 * Read with one bounded streaming pass of the project's strict parser (duplicate keys are an error),
 * before anything in the body is trusted; key order does not matter.
 */
record SignedFields(String objectId, String timestamp) {
    private static final int MAX_FIELD_LENGTH = 64;

    /** Positive whole numbers in their one canonical spelling: no sign, no leading zero, no fraction or exponent. */
    private static final Pattern CANONICAL_OBJECT_ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern CANONICAL_TIMESTAMP = Pattern.compile("[1-9][0-9]{0,11}");

    String message() {
        return objectId + timestamp;
    }

    /**
     * The two texts are concatenated without a separator, so only canonical spellings keep one message
     * from standing for several pairs ({@code 9309}+{@code 01749441740} and {@code 93090}+{@code 1749441740}
     * sign the same bytes). With both canonical and the timestamp inside the window (ten digits for
     * centuries to come), the split is unique.
     */
    Optional<RejectionReason> nonCanonical() {
        if (!CANONICAL_OBJECT_ID.matcher(objectId).matches()) {
            return Optional.of(RejectionReason.OBJECT_ID_MALFORMED);
        }
        if (!CANONICAL_TIMESTAMP.matcher(timestamp).matches()) {
            return Optional.of(RejectionReason.TIMESTAMP_MALFORMED);
        }
        return Optional.empty();
    }

    /** The signed time; only for fields that passed {@link #nonCanonical()}. */
    Instant sentAt() {
        return Instant.ofEpochSecond(Long.parseLong(timestamp));
    }

    /** The dedup key: the signed fields and nothing else, so unsigned content can never make a new event. */
    String dedupKey() {
        return objectId + "|" + timestamp;
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
