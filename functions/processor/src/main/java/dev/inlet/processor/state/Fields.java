package dev.inlet.processor.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds an entity's field map from the optional values a payload view carries. */
final class Fields {
    private final Map<String, String> values = new LinkedHashMap<>();

    Fields put(String name, Optional<String> value) {
        value.ifPresent(v -> values.put(name, v));
        return this;
    }

    Map<String, String> map() {
        return values;
    }
}
