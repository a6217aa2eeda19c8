package dev.inlet.processor.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Lenient reads: numbers and strings both read as text; anything else (or absent) reads as empty. */
final class Lenient {
    private Lenient() {
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return Optional.empty();
        }
        String s = v.isNumber() ? v.numberValue().toString() : v.asText();
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    static Optional<String> path(JsonNode node, String... fields) {
        JsonNode v = node;
        for (int i = 0; i < fields.length - 1 && v != null; i++) {
            v = v.get(fields[i]);
        }
        return text(v, fields[fields.length - 1]);
    }
}
